import { useState } from 'react';
import { api, ApiCallError, storeToken } from '../api/client';
import { navigate } from '../use-hash-route';

/** Sign in with an API token: it is checked against the API, then kept in this browser. */
export function SignInPage() {
  const [token, setToken] = useState('');
  const [message, setMessage] = useState<string>();
  const signIn = async () => {
    try {
      const me = await api.whoAmI(token.trim());
      if (!me) {
        setMessage('This API does not ask for tokens; nothing to sign in to.');
        return;
      }
      storeToken(token.trim());
      navigate('/');
    } catch (e) {
      setMessage(e instanceof ApiCallError ? `Not signed in: ${e.message}` : String(e));
    }
  };
  return (
    <section className="sign-in">
      <h1>Sign in</h1>
      <p>Paste an API token. An administrator creates one for you with the roles you need.</p>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          void signIn();
        }}
      >
        <label>
          API token
          <input name="token" type="password" autoComplete="off" value={token} onChange={(e) => setToken(e.target.value)} />
        </label>
        <button type="submit" disabled={token.trim() === ''}>
          Sign in
        </button>
      </form>
      {message && <p className="error">{message}</p>}
    </section>
  );
}

import './styles.css';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';

// After a new release the old chunk files are gone, and a tab opened before it fails to load a
// page it has not shown yet: load the new release instead (once; a second failure is reported).
const reloadedKey = 'runwright.reloadedForMissingChunk';
window.addEventListener('vite:preloadError', (event) => {
  if (Date.now() - Number(sessionStorage.getItem(reloadedKey) ?? 0) < 10_000) return;
  sessionStorage.setItem(reloadedKey, String(Date.now()));
  event.preventDefault();
  window.location.reload();
});

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);

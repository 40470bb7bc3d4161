import { RunbookListPage } from './pages/RunbookListPage';
import { RunbookPage } from './pages/RunbookPage';
import { RunPage } from './pages/RunPage';
import { useHashRoute } from './use-hash-route';

function page(route: string) {
  const runbook = /^\/runbooks\/([^/]+)$/.exec(route);
  if (runbook) return <RunbookPage runbookId={decodeURIComponent(runbook[1]!)} />;
  const run = /^\/runs\/([^/]+)$/.exec(route);
  if (run) return <RunPage runId={decodeURIComponent(run[1]!)} />;
  return <RunbookListPage />;
}

export function App() {
  const route = useHashRoute();
  return (
    <div className="app">
      <nav>
        <a href="#/" className="brand">
          Runwright
        </a>
        <a href="#/">Runbooks</a>
      </nav>
      <main>{page(route)}</main>
    </div>
  );
}

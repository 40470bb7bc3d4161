import { Suspense } from 'react';
import { storedToken, storeToken, whenUnauthorized } from './api/client';
import { IdentityContext, useIdentityLookup } from './auth/identity';
import { ApprovalsPage, DrillReportPage, DrillsPage, HistoryPage, RunbookListPage, RunbookPage, RunPage, RunsPage, SchedulesPage, SignInPage } from './lazy-pages';
import { TemporalBanner } from './TemporalBanner';
import { navigate, useHashRoute } from './use-hash-route';

// Any 401 (no token, expired, revoked) sends the operator to the sign-in page.
whenUnauthorized(() => navigate('/sign-in'));

function page(route: string) {
  if (route === '/sign-in') return <SignInPage />;
  if (route === '/new') return <RunbookPage />;
  if (route === '/runs') return <RunsPage />;
  if (route === '/approvals') return <ApprovalsPage />;
  if (route === '/schedules') return <SchedulesPage />;
  const schedules = /^\/runbooks\/([^/]+)\/schedules$/.exec(route);
  if (schedules) return <SchedulesPage runbookId={decodeURIComponent(schedules[1]!)} />;
  const history = /^\/runbooks\/([^/]+)\/history$/.exec(route);
  if (history) return <HistoryPage runbookId={decodeURIComponent(history[1]!)} />;
  const drills = /^\/runbooks\/([^/]+)\/drills$/.exec(route);
  if (drills) return <DrillsPage runbookId={decodeURIComponent(drills[1]!)} />;
  const report = /^\/runs\/([^/]+)\/report$/.exec(route);
  if (report) return <DrillReportPage runId={decodeURIComponent(report[1]!)} />;
  const runbook = /^\/runbooks\/([^/]+)$/.exec(route);
  if (runbook) return <RunbookPage runbookId={decodeURIComponent(runbook[1]!)} />;
  const run = /^\/runs\/([^/]+)$/.exec(route);
  if (run) return <RunPage runId={decodeURIComponent(run[1]!)} />;
  return <RunbookListPage />;
}

export function App() {
  const route = useHashRoute();
  const identity = useIdentityLookup(route);
  return (
    <div className="app">
      <nav>
        <a href="#/" className="brand">
          Runwright
        </a>
        <a href="#/">Runbooks</a>
        <a href="#/runs">Runs</a>
        <a href="#/approvals">Approvals</a>
        <a href="#/schedules">Schedules</a>
        <a href="#/new">New runbook</a>
        <span className="spacer" />
        {identity && (
          <span className="identity">
            {identity.user} ({identity.roles.join(', ')})
          </span>
        )}
        {storedToken() ? (
          <a
            href="#/sign-in"
            onClick={() => {
              storeToken(null);
            }}
          >
            Sign out
          </a>
        ) : (
          <a href="#/sign-in">Sign in</a>
        )}
      </nav>
      <TemporalBanner />
      <IdentityContext.Provider value={identity}>
        <main>
          <Suspense fallback={<p className="loading">Loading…</p>}>{page(route)}</Suspense>
        </main>
      </IdentityContext.Provider>
    </div>
  );
}

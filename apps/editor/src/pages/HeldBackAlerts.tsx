import type { RunState } from '@runwright/runbook';

/** Labels worth a glance first; the rest follow in the tooltip. */
const leading = ['alertname', 'instance', 'mountpoint', 'host'];

/**
 * Alerts the API did not start another run for because this run holds the runbook's
 * concurrency key: the person watching the remediation sees the problem fire again, and why no
 * second remediation started. Label values are untrusted text (React escapes them).
 */
export function HeldBackAlerts({ state }: { state: RunState }) {
  const alerts = state.heldBackAlerts ?? [];
  if (alerts.length === 0) return null;
  const total = state.heldBackAlertsTotal ?? alerts.length;
  return (
    <section className="held-back-alerts" aria-label="Alerts held back">
      <h2>
        Alerts held back while this run works ({total}
        {total > alerts.length ? `, the newest ${alerts.length} shown` : ''})
      </h2>
      <ul>
        {[...alerts].reverse().map((alert) => {
          const shown = leading.filter((name) => alert.labels[name] !== undefined).map((name) => `${name}=${alert.labels[name]}`);
          return (
            <li key={`${alert.fingerprint}-${alert.at}`} title={Object.entries(alert.labels).map(([k, v]) => `${k}=${v}`).join('\n')}>
              <time dateTime={alert.at}>{new Date(alert.at).toLocaleTimeString()}</time> <code>{shown.join(' ') || alert.fingerprint}</code> (route {alert.route}, firing since{' '}
              {new Date(alert.startsAt).toLocaleTimeString()}): no second run — {alert.reason}
            </li>
          );
        })}
      </ul>
    </section>
  );
}

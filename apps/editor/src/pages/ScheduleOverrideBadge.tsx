import { overrideDifferences, type ScheduleView } from '@runwright/runbook';

const when = (iso: string) => new Date(iso).toLocaleString();

/**
 * Marks a schedule this installation overrides, and opens to what differs from the runbook file
 * (runbook → override, part by part) and who set it: a drill firing every 30 s on staging must
 * never be mistaken for the runbook's weekly one.
 */
export function ScheduleOverrideBadge({ schedule }: { schedule: ScheduleView }) {
  const { override } = schedule;
  if (!override) return null;
  const who = override.source === 'api' ? `by ${override.by} through the API` : `by the settings file ${override.by.replace(/^settings:/, '')}`;
  return (
    <details className="schedule-override" data-source={override.source}>
      <summary>
        <span className="override-badge">overridden</span>
      </summary>
      <table className="override-diff">
        <tbody>
          {overrideDifferences(schedule).map((d) => (
            <tr key={d.part} data-part={d.part}>
              <th>{d.part}</th>
              <td className="override-runbook">{d.runbook}</td>
              <td>→</td>
              <td className="override-value">{d.override}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <p className="help override-by">
        {who}, {when(override.at)}
        {override.reason && <>: {override.reason}</>}
        {override.replacesSettings && ' (in place of the settings file’s override)'}
      </p>
    </details>
  );
}

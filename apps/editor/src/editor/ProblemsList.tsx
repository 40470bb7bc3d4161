import type { Problem } from '@runwright/runbook';
import { nodeOfPath } from '../document/node-problems';
import type { Draft } from '../document/draft';

/** Every problem of the shared checks; clicking one selects the node it concerns. */
export function ProblemsList({ draft, problems, onSelect }: { draft: Draft; problems: Problem[]; onSelect(nodeId: string): void }) {
  return (
    <section className={`problems ${problems.length === 0 ? 'none' : ''}`} aria-label="Problems">
      <h3>{problems.length === 0 ? 'No problems' : `${problems.length} problem${problems.length === 1 ? '' : 's'}`}</h3>
      <ul>
        {problems.map((problem, i) => {
          const nodeId = nodeOfPath(draft, problem.path);
          return (
            <li key={i} data-problem-path={problem.path}>
              {nodeId ? (
                <button type="button" className="link" onClick={() => onSelect(nodeId)}>
                  {nodeId}
                </button>
              ) : (
                <code>{problem.path || 'runbook'}</code>
              )}{' '}
              {nodeId && problem.path.replace(/^nodes\.\d+\.?/, '') && <code>{problem.path.replace(/^nodes\.\d+\.?/, '')}</code>} {problem.message}
            </li>
          );
        })}
      </ul>
    </section>
  );
}

import { Handle, Position, type NodeProps } from '@xyflow/react';
import type { StepFlowNode } from './to-flow';

/** One step on the canvas: its title, its kind, its problems and, in run mode, its live status. */
export function StepNode({ id, data, selected }: NodeProps<StepFlowNode>) {
  const status = data.state?.status ?? 'idle';
  const problems = data.problems.length;
  return (
    <div
      className={`step-node status-${status} category-${data.category}${problems > 0 ? ' has-problems' : ''}${selected ? ' selected' : ''}${data.children ? ' group-node' : ''}${data.rollback ? ' in-rollback-lane' : ''}${data.diff ? ` diff-${data.diff}` : ''}`}
      data-node-id={id}
      data-status={status}
      data-problems={problems}
      data-diff={data.diff}
      title={data.problems.map((p) => `${p.path}: ${p.message}`).join('\n') || undefined}
    >
      <Handle type="target" position={Position.Top} />
      <div className="step-kind">{data.kindLabel}</div>
      <div className="step-title">{data.title}</div>
      <div className="step-id">
        {id}
        {data.children !== undefined && ` · ${data.children} step${data.children === 1 ? '' : 's'} per item`}
      </div>
      {problems > 0 && (
        <div className="step-problems">
          {problems} problem{problems === 1 ? '' : 's'}
        </div>
      )}
      {data.state && (
        <div className="step-status">
          {status}
          {data.state.attempts > 1 && ` · attempt ${data.state.attempts}`}
        </div>
      )}
      {data.diff && data.diff !== 'same' && <div className="diff-badge">{data.diff}</div>}
      {data.rollback && (
        <div
          className={`rollback-badge rollback-${data.rollback.status}`}
          data-rollback-order={data.rollback.order}
          data-rollback-status={data.rollback.status}
          title={`rollback ${data.rollback.order} (${data.rollback.kind}): ${data.rollback.status}${data.rollback.error ? ` — ${data.rollback.error}` : ''}`}
        >
          ↩ {data.rollback.order}
        </div>
      )}
      <Handle type="source" position={Position.Bottom} />
    </div>
  );
}

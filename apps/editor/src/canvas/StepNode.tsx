import { Handle, Position, type NodeProps } from '@xyflow/react';
import type { StepFlowNode } from './to-flow';

/** One step on the canvas: its title, its kind, its problems and, in run mode, its live status. */
export function StepNode({ id, data, selected }: NodeProps<StepFlowNode>) {
  const status = data.state?.status ?? 'idle';
  const problems = data.problems.length;
  return (
    <div
      className={`step-node status-${status} category-${data.category}${problems > 0 ? ' has-problems' : ''}${selected ? ' selected' : ''}${data.children ? ' group-node' : ''}`}
      data-node-id={id}
      data-status={status}
      data-problems={problems}
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
      <Handle type="source" position={Position.Bottom} />
    </div>
  );
}

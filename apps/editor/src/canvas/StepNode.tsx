import { Handle, Position, type NodeProps } from '@xyflow/react';
import type { StepFlowNode } from './to-flow';

/** One step on the canvas: its title, its kind and, in run mode, its live status. */
export function StepNode({ id, data }: NodeProps<StepFlowNode>) {
  const status = data.state?.status ?? 'idle';
  return (
    <div className={`step-node status-${status}`} data-node-id={id} data-status={status}>
      <Handle type="target" position={Position.Top} />
      <div className="step-kind">{data.kindLabel}</div>
      <div className="step-title">{data.title}</div>
      <div className="step-id">{id}</div>
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

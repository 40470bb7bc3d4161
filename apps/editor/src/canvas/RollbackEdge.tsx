import { BaseEdge, EdgeLabelRenderer, type EdgeProps } from '@xyflow/react';
import { nodeSize } from './to-flow';

// Handle points sit mid-bottom (source) and mid-top (target); the lane runs along the nodes' right sides.
const half = nodeSize.width / 2;
const reach = 36;
const bulge = 70;

/**
 * One step of the rollback lane: an arc from a node's right side to the right side of the node
 * rolled back after it, so the lane reads as its own track beside the flow instead of running
 * through the nodes against the flow's edges.
 */
export function RollbackEdge({ id, sourceX, sourceY, targetX, targetY, label, markerEnd, style }: EdgeProps) {
  const [x1, y1] = [sourceX + half, sourceY - reach];
  const [x2, y2] = [targetX + half, targetY + reach];
  const side = Math.max(x1, x2) + bulge;
  const path = `M ${x1},${y1} C ${side},${y1} ${side},${y2} ${x2},${y2}`;
  return (
    <>
      <BaseEdge id={id} path={path} {...(markerEnd && { markerEnd })} {...(style && { style })} />
      {label && (
        <EdgeLabelRenderer>
          <div className="rollback-edge-label nodrag nopan" style={{ transform: `translate(-50%, -50%) translate(${side - 18}px, ${(y1 + y2) / 2}px)` }}>
            {label}
          </div>
        </EdgeLabelRenderer>
      )}
    </>
  );
}

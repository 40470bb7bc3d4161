import { Background, Controls, MiniMap, ReactFlow } from '@xyflow/react';
import { useMemo } from 'react';
import type { NodeState, Runbook } from '@runwright/runbook';
import { StepNode } from './StepNode';
import { toFlow } from './to-flow';

// Defined once at module scope: a new object on every render makes React Flow remount nodes.
const nodeTypes = { step: StepNode };

export function RunbookCanvas({
  runbook,
  states,
  onSelect,
}: {
  runbook: Runbook;
  states?: Record<string, NodeState>;
  onSelect?: (nodeId: string) => void;
}) {
  const { nodes, edges } = useMemo(() => toFlow(runbook, states), [runbook, states]);
  return (
    <div className="canvas">
      <ReactFlow
        nodes={nodes}
        edges={edges}
        nodeTypes={nodeTypes}
        nodesDraggable={false}
        nodesConnectable={false}
        onNodeClick={(_, node) => onSelect?.(node.id)}
        fitView
      >
        <Background />
        <MiniMap pannable zoomable />
        <Controls showInteractive={false} />
      </ReactFlow>
    </div>
  );
}

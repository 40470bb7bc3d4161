import { Background, Controls, MiniMap, ReactFlow } from '@xyflow/react';
import { useMemo } from 'react';
import type { NodeState } from '@runwright/runbook';
import type { Draft } from '../document/draft';
import { minimapColor } from './minimap-color';
import { nodeTypes } from './node-types';
import { toFlow } from './to-flow';

/** The read-only canvas of run mode: the runbook's graph coloured by live node status. */
export function RunbookCanvas({
  runbook,
  states,
  onSelect,
}: {
  runbook: Draft;
  states?: Record<string, NodeState>;
  onSelect?: (nodeId: string) => void;
}) {
  const { nodes, edges } = useMemo(() => toFlow(runbook, { ...(states && { states }) }), [runbook, states]);
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
        // Fitting one small node would zoom in until it fills the screen.
        fitViewOptions={{ maxZoom: 1 }}
        minZoom={0.05}
      >
        <Background />
        <MiniMap pannable zoomable nodeColor={minimapColor} />
        <Controls showInteractive={false} />
      </ReactFlow>
    </div>
  );
}

import '@xyflow/react/dist/style.css';
import { Background, Controls, MiniMap, ReactFlow } from '@xyflow/react';
import { useMemo } from 'react';
import type { NodeState } from '@runwright/runbook';
import type { Draft } from '../document/draft';
import type { DraftDiff } from '../document/version-diff';
import { minimapColor } from './minimap-color';
import { edgeTypes, nodeTypes } from './node-types';
import { toFlow } from './to-flow';

/** The read-only canvas: a run's graph coloured by live node status, or two versions' difference. */
export function RunbookCanvas({
  runbook,
  states,
  diff,
  onSelect,
}: {
  runbook: Draft;
  states?: Record<string, NodeState>;
  diff?: Pick<DraftDiff, 'nodes' | 'edges'>;
  onSelect?: (nodeId: string) => void;
}) {
  const { nodes, edges } = useMemo(() => toFlow(runbook, { ...(states && { states }), ...(diff && { diff }) }), [runbook, states, diff]);
  return (
    <div className="canvas">
      <ReactFlow
        nodes={nodes}
        edges={edges}
        nodeTypes={nodeTypes}
        edgeTypes={edgeTypes}
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

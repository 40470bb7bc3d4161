import '@xyflow/react/dist/style.css';
import {
  applyNodeChanges,
  Background,
  Controls,
  MiniMap,
  ReactFlow,
  useReactFlow,
  type Connection,
  type Edge,
  type EdgeChange,
  type Node,
  type NodeChange,
} from '@xyflow/react';
import { useCallback, useContext, useEffect, useMemo, useState, type DragEvent } from 'react';
import type { Problem } from '@runwright/runbook';
import { minimapColor } from '../canvas/minimap-color';
import { nodeTypes } from '../canvas/node-types';
import { groupAt, type GroupBox } from '../canvas/drop-target';
import { nodeSize, toFlow, type StepFlowNode } from '../canvas/to-flow';
import { withDescendants } from '../document/edit';
import { CanvasTools } from './CanvasTools';
import { EditorStoreContext, useEditor } from './editor-context';
import { dragMime } from './Palette';

/**
 * The authoring canvas. The store's document is the source of truth: nodes are derived from
 * it, and only a drag in progress lives in local state (positions are committed to the store's
 * `layout` when the drag stops, so one drag is one undo step and the plan never changes).
 */
export function EditorCanvas({ problems }: { problems: Record<string, Problem[]> }) {
  const draft = useEditor((s) => s.draft);
  const selection = useEditor((s) => s.selection);
  const store = useContext(EditorStoreContext)!;
  const { addNode, connect, moveNodes, moveToGroup, select } = store.getState();
  const flow = useMemo(() => toFlow(draft, { problems, selected: selection, childrenLeave: true }), [draft, problems, selection]);
  const [nodes, setNodes] = useState<StepFlowNode[]>(flow.nodes);
  useEffect(() => setNodes(flow.nodes), [flow.nodes]);
  const { screenToFlowPosition, getInternalNode } = useReactFlow();

  /**
   * A node dragged alone may change groups: dropped with its centre inside a forEach, it joins
   * that forEach's body; dropped outside its group, it leaves for the main flow. Any other drag
   * only moves nodes (one undo step either way).
   */
  const onDragStop = (dragged: Node[]) => {
    const single = dragged.length === 1 ? dragged[0]! : undefined;
    const absolute = (id: string) => getInternalNode(id)?.internals.positionAbsolute;
    if (single) {
      const at = absolute(single.id);
      const current = draft.nodes.find((n) => n.id === single.id)?.parent;
      if (at) {
        const boxes: GroupBox[] = draft.nodes
          .filter((n) => n.kind === 'forEach')
          .flatMap((n) => {
            const inner = getInternalNode(n.id);
            if (!inner) return [];
            const { x, y } = inner.internals.positionAbsolute;
            return [{ id: n.id, x, y, width: inner.measured.width ?? nodeSize.width, height: inner.measured.height ?? nodeSize.height }];
          });
        const size = getInternalNode(single.id)?.measured;
        const centre = { x: at.x + (size?.width ?? nodeSize.width) / 2, y: at.y + (size?.height ?? nodeSize.height) / 2 };
        const target = groupAt(centre, boxes, withDescendants(draft, single.id));
        if (target !== (typeof current === 'string' ? current : undefined)) {
          const origin = target ? boxes.find((b) => b.id === target)! : { x: 0, y: 0 };
          moveToGroup(single.id, target, { x: Math.round(at.x - origin.x), y: Math.round(at.y - origin.y) });
          return;
        }
      }
    }
    moveNodes(Object.fromEntries(dragged.map((n) => [n.id, { x: Math.round(n.position.x), y: Math.round(n.position.y) }])));
  };
  // Fit the view to an opened runbook once; on an empty canvas, fitting the first dropped node
  // would move the view under the author's hand.
  const [fitOnOpen] = useState(() => draft.nodes.length > 0);

  /** React Flow's select changes become the store's selection (nodes and edges alike). */
  const applySelection = useCallback(
    (changes: readonly (NodeChange<StepFlowNode> | EdgeChange)[]) => {
      const picks = changes.filter((c) => c.type === 'select');
      if (picks.length === 0) return;
      const next = new Set(store.getState().selection);
      for (const change of picks) {
        if (change.selected) next.add(change.id);
        else next.delete(change.id);
      }
      select([...next]);
    },
    [store, select],
  );

  const onNodesChange = useCallback(
    (changes: NodeChange<StepFlowNode>[]) => {
      // Removal goes through the store's deleteSelection (keyboard shortcut, toolbar).
      const local = changes.filter((c) => c.type === 'position' || c.type === 'dimensions');
      if (local.length > 0) setNodes((current) => applyNodeChanges(local, current));
      applySelection(changes);
    },
    [applySelection],
  );

  const onDrop = (event: DragEvent) => {
    const kind = event.dataTransfer.getData(dragMime);
    if (!kind) return;
    event.preventDefault();
    const at = screenToFlowPosition({ x: event.clientX, y: event.clientY });
    addNode(kind, { x: Math.round(at.x - 100), y: Math.round(at.y - 30) });
  };

  return (
    <div className="canvas" onDragOver={(e) => e.preventDefault()} onDrop={onDrop}>
      <ReactFlow<StepFlowNode, Edge>
        nodes={nodes}
        edges={flow.edges}
        nodeTypes={nodeTypes}
        onNodesChange={onNodesChange}
        onNodeDragStop={(_event: unknown, _node: Node, dragged: Node[]) => onDragStop(dragged)}
        onEdgesChange={applySelection}
        onConnect={(c: Connection) => connect(c.source, c.target)}
        onPaneClick={() => select([])}
        deleteKeyCode={null}
        multiSelectionKeyCode={['Shift', 'Meta', 'Control']}
        selectionOnDrag={false}
        fitView={fitOnOpen}
        // Fitting one small node would zoom in until it fills the screen.
        fitViewOptions={{ maxZoom: 1 }}
        minZoom={0.05}
      >
        <Background />
        <MiniMap pannable zoomable nodeColor={minimapColor} />
        <Controls />
        <CanvasTools />
      </ReactFlow>
    </div>
  );
}

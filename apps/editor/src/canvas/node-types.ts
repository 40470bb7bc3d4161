import { RollbackEdge } from './RollbackEdge';
import { StepNode } from './StepNode';

// Defined once at module scope: a new object on every render makes React Flow remount every node.
export const nodeTypes = { step: StepNode };

// Edge types likewise: a new object every render would remount every edge.
export const edgeTypes = { rollback: RollbackEdge };

import { StepNode } from './StepNode';

// Defined once at module scope: a new object on every render makes React Flow remount every node.
export const nodeTypes = { step: StepNode };

/** A forEach group's box on the canvas, in flow coordinates (absolute, not relative to a parent). */
export interface GroupBox {
  id: string;
  x: number;
  y: number;
  width: number;
  height: number;
}

/**
 * The group a node dropped with its centre at `point` belongs in: the innermost box holding the
 * point, leaving out the ids in `exclude` (the dragged node and its own body). `undefined`: the
 * main flow. Pure.
 */
export function groupAt(point: { x: number; y: number }, boxes: readonly GroupBox[], exclude: ReadonlySet<string>): string | undefined {
  const holding = boxes.filter(
    (b) => !exclude.has(b.id) && point.x >= b.x && point.x <= b.x + b.width && point.y >= b.y && point.y <= b.y + b.height,
  );
  // Nested groups: the smallest box that holds the point is the innermost.
  holding.sort((a, b) => a.width * a.height - b.width * b.height);
  return holding[0]?.id;
}

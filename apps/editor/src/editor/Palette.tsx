import { stepKinds } from '@runwright/runbook';
import type { DragEvent } from 'react';
import { paletteGroups } from './palette-groups';

export const dragMime = 'application/x-runwright-step-kind';

/** Every step kind of the registry, grouped by category; drag one onto the canvas (or double-click to add). */
export function Palette({ onAdd }: { onAdd(kind: string): void }) {
  const onDragStart = (event: DragEvent, kind: string) => {
    event.dataTransfer.setData(dragMime, kind);
    event.dataTransfer.effectAllowed = 'copy';
  };
  return (
    <aside className="palette" aria-label="Step palette">
      {paletteGroups().map((category) => {
        return (
          <section key={category.id} data-category={category.id}>
            <h3>{category.label}</h3>
            {category.kinds.map((type) => (
              <div
                key={type}
                className={`palette-item category-${category.id}`}
                data-kind={type}
                draggable
                title={stepKinds[type].meta.description}
                onDragStart={(event) => onDragStart(event, type)}
                onDoubleClick={() => onAdd(type)}
              >
                {stepKinds[type].meta.label}
              </div>
            ))}
          </section>
        );
      })}
    </aside>
  );
}

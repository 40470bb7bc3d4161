import { stepKinds, stepTypes, type StepCategory } from '@runwright/runbook';
import type { DragEvent } from 'react';

export const dragMime = 'application/x-runwright-step-kind';

const categories: { id: StepCategory; label: string }[] = [
  { id: 'actions', label: 'Actions' },
  { id: 'control', label: 'Control' },
  { id: 'human', label: 'Human' },
];

/** Every step kind of the registry, grouped by category; drag one onto the canvas (or click to add). */
export function Palette({ onAdd }: { onAdd(kind: string): void }) {
  const onDragStart = (event: DragEvent, kind: string) => {
    event.dataTransfer.setData(dragMime, kind);
    event.dataTransfer.effectAllowed = 'copy';
  };
  return (
    <aside className="palette" aria-label="Step palette">
      {categories.map((category) => {
        const kinds = stepTypes.filter((type) => stepKinds[type].category === category.id);
        if (kinds.length === 0) return null;
        return (
          <section key={category.id} data-category={category.id}>
            <h3>{category.label}</h3>
            {kinds.map((type) => (
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

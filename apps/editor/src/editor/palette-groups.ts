import { stepKinds, stepTypes, type StepCategory, type StepType } from '@runwright/runbook';

export interface PaletteGroup {
  id: StepCategory;
  label: string;
  kinds: StepType[];
}

const categories: { id: StepCategory; label: string }[] = [
  { id: 'actions', label: 'Actions' },
  { id: 'control', label: 'Control' },
  { id: 'human', label: 'Human' },
];

/** Every step kind of the registry, grouped by its category in registry order; empty groups are left out. */
export function paletteGroups(): PaletteGroup[] {
  return categories
    .map((category) => ({ ...category, kinds: stepTypes.filter((type) => stepKinds[type].category === category.id) }))
    .filter((group) => group.kinds.length > 0);
}

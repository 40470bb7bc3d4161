import { escapeMarkdown as md } from '../escape.js';
import type { PrintableField, PrintableRunbook, PrintableStep } from './printable-runbook.js';

const blank = '\\_\\_\\_\\_\\_\\_\\_\\_\\_\\_\\_\\_';

/** Inline code that survives any backticks in the text: the fence is longer than the longest run inside it. */
function code(text: string): string {
  const longest = Math.max(0, ...(text.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(longest + 1);
  const pad = text.startsWith('`') || text.endsWith('`') ? ' ' : '';
  return `${fence}${pad}${text.replace(/\r?\n/g, ' ')}${pad}${fence}`;
}

/**
 * A fenced block that no line of the text can close early; one entry per line, so a block inside
 * a list item (a rollback's script) is indented line by line and stays inside it.
 */
function block(text: string): string[] {
  const longest = Math.max(2, ...(text.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(longest + 1);
  return [fence, ...text.split('\n'), fence];
}

function field(f: PrintableField): string[] {
  const value = f.value;
  if (value.type === 'text') return [`- **${md(f.label)}**: ${code(value.text)}`];
  if (value.type === 'code') return [`- **${md(f.label)}**:`, '', ...block(value.text), ''];
  return [
    `- **${md(f.label)}** (tick each, or write the answer):`,
    ...value.items.map((item) => `  - [ ] ${md(item.label)}${item.answer === 'tick' ? '' : `: ${blank} (${item.answer})`}${item.required ? '' : ' — optional'}`),
  ];
}

function step(s: PrintableStep, level: number): string[] {
  const heading = '#'.repeat(Math.min(level, 6));
  const facts = [
    s.after.length > 0 ? `after ${s.after.map(md).join(', ')}` : 'first',
    ...(s.alongside.length > 0 ? [`at the same time as ${s.alongside.map(md).join(', ')}`] : []),
  ];
  const lines = [
    `${heading} Step ${s.number}: ${md(s.title)} (${code(s.id)})`,
    '',
    `*${md(s.kind)}* — ${facts.join('; ')}`,
    '',
    ...(s.description ? [md(s.description), ''] : []),
    ...(s.condition ? [`- **Only if**: ${code(s.condition)} (otherwise skip it)`] : []),
    ...(s.runsOn ? [`- **Run it on**: a machine of ${code(s.runsOn)}`] : []),
    ...(s.timeout ? [`- **Give up after**: ${md(s.timeout)}${s.attempts ? `; **tries**: up to ${s.attempts}` : ''}`] : []),
    `- **If it fails**: ${md(s.onFailure)}`,
    ...s.fields.flatMap(field),
    ...s.paths.map((p) => `- **If the answer is ${code(p.label)}**: go on with ${md(p.to)}`),
    ...(s.rollback ? [`- **To undo it** (${md(s.rollback.kind)}):`, ...s.rollback.fields.flatMap(field).map((line) => (line ? `  ${line}` : line))] : []),
    '',
  ];
  if (s.body.length > 0) {
    lines.push(`For **each item**, do steps ${s.body[0]!.number} to ${s.body.at(-1)!.number}; items done: ${blank}`, '');
    for (const inner of s.body) lines.push(...step(inner, level + 1));
  }
  lines.push(
    s.human ? `- [ ] Approved  - [ ] Rejected — by ${blank} at ${blank}` : `- [ ] Done at ${blank} by ${blank}`,
    `- Notes: ${blank}`,
    '',
  );
  return lines;
}

/** The printable runbook as Markdown, for a wiki or to print. Every value from the runbook is escaped or fenced. */
export function printableMarkdown(p: PrintableRunbook): string {
  const lines = [
    `# ${md(p.title)}`,
    '',
    `Runbook ${code(p.id)}, plan ${code(p.planHash)}${p.owners.length ? `; owners: ${p.owners.map(md).join(', ')}` : ''}${p.tags.length ? `; tags: ${p.tags.map(md).join(', ')}` : ''}`,
    '',
    ...(p.description ? [md(p.description), ''] : []),
    '> Printed to be followed by hand when Runwright is down. Do the steps in order, ticking each. ' +
      '`{{ params.NAME }}` stands for the value of parameter NAME you write in the table below; `{{ steps.ID.output… }}` for what step ID gave; ' +
      '`{{ item }}` for the item in hand inside a "for each"; `{ secret: NAME }` for the secret NAME from your secret store (never printed here).',
    '',
    '## Before you start',
    '',
    ...(p.concurrency ? [`- [ ] Nobody else is running this for the same ${code(p.concurrency.key)}: only one run at a time per key (${md(p.concurrency.second)})`] : []),
    ...p.objectives.map((o) => `- Objective: ${md(o)}`),
    `- Started at ${blank} by ${blank}; ticket ${blank}`,
    '',
  ];
  if (p.parameters.length > 0) {
    lines.push('## Parameters', '', '| Parameter | Type | Default | Meaning | Rule | Value for this run |', '| --- | --- | --- | --- | --- | --- |');
    for (const param of p.parameters) lines.push(`| ${code(param.name)} | ${md(param.type)} | ${md(param.default)} | ${md(param.description)} | ${md(param.rule)} |  |`);
    lines.push('');
  }
  lines.push('## Steps', '', `Unless a step says otherwise, if it fails: ${md(p.onFailure)}.`, '');
  for (const s of p.steps) lines.push(...step(s, 3));
  lines.push('## Rolling back', '');
  if (p.rollback.length === 0) lines.push('No step has a rollback action: undo by hand what was done.', '');
  else {
    lines.push('Undo in this order, newest first, only the steps that were done:', '');
    for (const r of p.rollback) lines.push(`- [ ] Undo ${md(r.step)}, ${md(r.title)} (${md(r.kind)})${r.perItem ? ', for each item it was done for' : ''}:`, ...r.fields.flatMap(field).map((line) => (line ? `  ${line}` : line)));
    lines.push('');
  }
  lines.push('## Finished', '', `- Finished at ${blank}: - [ ] succeeded  - [ ] rolled back  - [ ] aborted`, `- Tell: ${blank}`, '');
  return `${lines.join('\n')}\n`;
}

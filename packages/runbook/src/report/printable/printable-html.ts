import { escapeHtml as h } from '../escape.js';
import type { PrintableField, PrintableRunbook, PrintableStep } from './printable-runbook.js';

// Inline and static, like the drill report: it must open from a saved file with no scripts, and print cleanly.
const style = `body{font:14px/1.45 system-ui,sans-serif;margin:2rem auto;max-width:60rem;padding:0 1rem;color:#1d2330}
table{border-collapse:collapse;width:100%;margin:.5rem 0 1.5rem}th,td{border:1px solid #c5cad3;padding:.3rem .5rem;text-align:left;vertical-align:top}
th{background:#f3f5f8}pre{background:#f6f7f9;border:1px solid #d5d9e0;padding:.5rem;white-space:pre-wrap;word-break:break-all}
code{font-family:ui-monospace,monospace}.note{border-left:4px solid #8a6d00;padding:.3rem .8rem;background:#fffbe6}
.step{border-top:2px solid #1d2330;margin-top:1.2rem;padding-top:.4rem}.kind{color:#555}.box{font-size:1.2em;margin-right:.3rem}
.blank{display:inline-block;min-width:9rem;border-bottom:1px solid #1d2330;height:1em}ul.checks{list-style:none;padding-left:.5rem}
.params td:last-child,.params th:last-child{width:12rem}.body{margin-left:1.5rem;border-left:3px solid #d5d9e0;padding-left:1rem}
@media print{body{margin:0;max-width:none}.step{break-inside:avoid}a{color:inherit}}`;

const box = '<span class="box">☐</span>';
const blank = '<span class="blank"></span>';

function field(f: PrintableField): string {
  const value = f.value;
  if (value.type === 'text') return `<li><strong>${h(f.label)}</strong>: <code>${h(value.text)}</code></li>`;
  if (value.type === 'code') return `<li><strong>${h(f.label)}</strong>:<pre><code>${h(value.text)}</code></pre></li>`;
  const items = value.items.map((item) => `<li>${box}${h(item.label)}${item.answer === 'tick' ? '' : `: ${blank} <small>(${h(item.answer)})</small>`}${item.required ? '' : ' <small>— optional</small>'}</li>`);
  return `<li><strong>${h(f.label)}</strong> (tick each, or write the answer):<ul class="checks">${items.join('')}</ul></li>`;
}

function step(s: PrintableStep, level: number): string {
  const tag = `h${Math.min(level, 6)}`;
  const facts = [s.after.length > 0 ? `after ${s.after.map(h).join(', ')}` : 'first', ...(s.alongside.length > 0 ? [`at the same time as ${s.alongside.map(h).join(', ')}`] : [])];
  const rows = [
    ...(s.condition ? [`<li><strong>Only if</strong>: <code>${h(s.condition)}</code> (otherwise skip it)</li>`] : []),
    ...(s.runsOn ? [`<li><strong>Run it on</strong>: a machine of <code>${h(s.runsOn)}</code></li>`] : []),
    ...(s.timeout ? [`<li><strong>Give up after</strong>: ${h(s.timeout)}${s.attempts ? `; <strong>tries</strong>: up to ${s.attempts}` : ''}</li>`] : []),
    `<li><strong>If it fails</strong>: ${h(s.onFailure)}</li>`,
    ...s.fields.map(field),
    ...s.paths.map((p) => `<li><strong>If the answer is <code>${h(p.label)}</code></strong>: go on with ${h(p.to)}</li>`),
    ...(s.rollback ? [`<li><strong>To undo it</strong> (${h(s.rollback.kind)}):<ul>${s.rollback.fields.map(field).join('')}</ul></li>`] : []),
  ];
  const body =
    s.body.length > 0
      ? `<p>For <strong>each item</strong>, do steps ${h(s.body[0]!.number)} to ${h(s.body.at(-1)!.number)}; items done: ${blank}</p><div class="body">${s.body.map((inner) => step(inner, level + 1)).join('\n')}</div>`
      : '';
  const sign = s.human ? `<p>${box}Approved ${box}Rejected — by ${blank} at ${blank}</p>` : `<p>${box}Done at ${blank} by ${blank}</p>`;
  return `<section class="step" id="step-${h(s.id)}"><${tag}>Step ${h(s.number)}: ${h(s.title)} <small>(<code>${h(s.id)}</code>)</small></${tag}>
<p class="kind"><em>${h(s.kind)}</em> — ${facts.join('; ')}</p>
${s.description ? `<p>${h(s.description)}</p>` : ''}<ul>${rows.join('\n')}</ul>
${body}${sign}<p>Notes: ${blank}</p></section>`;
}

/** The printable runbook as one self-contained HTML page. Every value from the runbook is escaped. */
export function printableHtml(p: PrintableRunbook): string {
  const parameters =
    p.parameters.length === 0
      ? ''
      : `<h2>Parameters</h2><table class="params"><thead><tr><th>Parameter</th><th>Type</th><th>Default</th><th>Meaning</th><th>Rule</th><th>Value for this run</th></tr></thead><tbody>
${p.parameters.map((param) => `<tr><td><code>${h(param.name)}</code></td><td>${h(param.type)}</td><td>${h(param.default)}</td><td>${h(param.description)}</td><td>${h(param.rule)}</td><td></td></tr>`).join('\n')}
</tbody></table>`;
  const rollback =
    p.rollback.length === 0
      ? '<p>No step has a rollback action: undo by hand what was done.</p>'
      : `<p>Undo in this order, newest first, only the steps that were done:</p><ul class="checks">${p.rollback.map((r) => `<li>${box}Undo ${h(r.step)}, ${h(r.title)} (${h(r.kind)})${r.perItem ? ', for each item it was done for' : ''}:<ul>${r.fields.map(field).join('')}</ul></li>`).join('\n')}</ul>`;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${h(p.title)} — printed runbook</title><style>${style}</style></head>
<body>
<h1>${h(p.title)}</h1>
<p>Runbook <code>${h(p.id)}</code>, plan <code>${h(p.planHash)}</code>${p.owners.length ? `; owners: ${p.owners.map(h).join(', ')}` : ''}${p.tags.length ? `; tags: ${p.tags.map(h).join(', ')}` : ''}</p>
${p.description ? `<p>${h(p.description)}</p>` : ''}
<p class="note">Printed to be followed by hand when Runwright is down. Do the steps in order, ticking each. <code>{{ params.NAME }}</code> stands for the value of parameter NAME you write in the table below; <code>{{ steps.ID.output… }}</code> for what step ID gave; <code>{{ item }}</code> for the item in hand inside a "for each"; <code>{ secret: NAME }</code> for the secret NAME from your secret store (never printed here).</p>
<h2>Before you start</h2>
<ul class="checks">${p.concurrency ? `<li>${box}Nobody else is running this for the same <code>${h(p.concurrency.key)}</code>: only one run at a time per key (${h(p.concurrency.second)})</li>` : ''}${p.objectives.map((o) => `<li>Objective: ${h(o)}</li>`).join('')}<li>Started at ${blank} by ${blank}; ticket ${blank}</li></ul>
${parameters}
<h2>Steps</h2>
<p>Unless a step says otherwise, if it fails: ${h(p.onFailure)}.</p>
${p.steps.map((s) => step(s, 3)).join('\n')}
<h2>Rolling back</h2>
${rollback}
<h2>Finished</h2>
<p>Finished at ${blank}: ${box}succeeded ${box}rolled back ${box}aborted</p><p>Tell: ${blank}</p>
</body></html>
`;
}

import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { loadRunbook, printableHtml, printableMarkdown, printableRunbook, type PrintableRunbook, type PrintableStep } from '@runwright/runbook';
import { escapeHtml, escapeMarkdown } from '../../../packages/runbook/src/report/escape.js';
import { runbooksFolder } from '../../support/runbooks.js';

const shipped = readdirSync(runbooksFolder).filter((name) => name.endsWith('.yaml')).sort();

function printed(source: string): PrintableRunbook {
  const result = printableRunbook(source);
  if (!result.ok) throw new Error(JSON.stringify(result.problems));
  return result.printable;
}

function flatten(steps: PrintableStep[]): PrintableStep[] {
  return steps.flatMap((step) => [step, ...flatten(step.body)]);
}

/** Every string of a config that is more than one line (a script, SQL): it must be printed exactly as written. */
function multiLineStrings(value: unknown): string[] {
  if (typeof value === 'string') return value.includes('\n') ? [value.trimEnd()] : [];
  if (Array.isArray(value)) return value.flatMap(multiLineStrings);
  if (value && typeof value === 'object') return Object.values(value).flatMap(multiLineStrings);
  return [];
}

/** Checklist labels at any depth of a config (a checkpoint's, or a forEach gate's). */
function checklistLabels(value: unknown): string[] {
  if (Array.isArray(value)) return value.flatMap(checklistLabels);
  if (!value || typeof value !== 'object') return [];
  const record = value as Record<string, unknown>;
  const own = Array.isArray(record.checklist) ? (record.checklist as { label: string }[]).map((item) => item.label) : [];
  return [...own, ...Object.entries(record).filter(([key]) => key !== 'checklist').flatMap(([, inner]) => checklistLabels(inner))];
}

describe('printable runbooks: every shipped runbook', () => {
  it.each(shipped)('%s prints every step once, after the steps it waits for, with its commands as written, its checklists and its rollback', (name) => {
    const source = readFileSync(join(runbooksFolder, name), 'utf8');
    const loaded = loadRunbook(source);
    if (!loaded.ok) throw new Error(name);
    const { runbook } = loaded;
    const document = parse(source) as { nodes: { id: string; config: unknown; rollback?: unknown }[] };
    const printable = printed(source);
    const steps = flatten(printable.steps);

    // Each node once, and never before a node it has an edge from.
    expect(steps.map((s) => s.id).sort()).toEqual(runbook.nodes.map((n) => n.id).sort());
    const position = new Map(steps.map((s, index) => [s.id, index]));
    for (const edge of runbook.edges) expect(position.get(edge.from)!, `${edge.from} → ${edge.to}`).toBeLessThan(position.get(edge.to)!);

    const markdown = printableMarkdown(printable);
    const html = printableHtml(printable);
    // The steps' headings come in that order in both documents.
    const headings = (text: string) => steps.map((s) => text.indexOf(`Step ${s.number}: `));
    for (const text of [markdown, html]) {
      const at = headings(text);
      expect(at.every((i) => i >= 0)).toBe(true);
      expect([...at].sort((a, b) => a - b)).toEqual(at);
    }

    for (const parameter of Object.keys(runbook.parameters)) expect(markdown).toContain(`| \`${parameter}\` |`);
    for (const node of document.nodes) {
      for (const text of multiLineStrings([node.config])) {
        expect(markdown, `${node.id}: a script or statement as written`).toContain(`\n${text}\n`);
        expect(html).toContain(escapeHtml(text));
      }
      // A rollback's block sits inside its list item: every line indented alike.
      for (const text of multiLineStrings([node.rollback])) {
        expect(markdown, `${node.id}: its rollback's script as written`).toContain(`\n${text.split('\n').map((line) => (line ? `  ${line}` : line)).join('\n')}\n`);
        expect(html).toContain(escapeHtml(text));
      }
      for (const label of checklistLabels(node.config)) {
        expect(markdown, `${node.id}: checklist item ${label}`).toMatch(new RegExp(`- \\[ \\] ${escapeMarkdown(label).replace(/[\\^$.*+?()[\]{}|]/g, '\\$&')}`));
        expect(html).toContain(`☐</span>${escapeHtml(label)}`);
      }
    }

    // Rolling back: every rollback action, newest first.
    const withRollback = steps.filter((s) => s.rollback).map((s) => s.id);
    expect(printable.rollback.map((r) => r.step)).toEqual(
      withRollback.reverse().map((id) => `step ${steps.find((s) => s.id === id)!.number} (${id})`),
    );
    const rollingBack = markdown.slice(markdown.indexOf('## Rolling back'));
    for (const id of withRollback) expect(rollingBack).toContain(escapeMarkdown(`(${id})`));
    // Human decisions get a signature line; a page has no script.
    expect(steps.filter((s) => s.human).length).toBe(runbook.nodes.filter((n) => n.kind === 'checkpoint').length);
    expect(html).not.toMatch(/<script/i);
  });

  it('prints the failover with its argv, SQL and URL templates as written, and the fence rollback', () => {
    const markdown = printableMarkdown(printed(readFileSync(join(runbooksFolder, 'postgres-failover.yaml'), 'utf8')));
    expect(markdown).toContain('["ssh", "-o", "BatchMode=yes", "-o", "ConnectTimeout=10", "--", "{{ params.primaryHost }}", "sudo", "systemctl", "{action}", "{service}"]');
    expect(markdown).toContain('max(pg_replication_lag_seconds{cluster="{{ params.cluster }}"}) <= {{ params.maxLagSeconds }}');
    expect(markdown).toContain('- **Prometheus URL**: `{{ params.prometheusUrl }}`');
    expect(markdown).toContain('  - [ ] Incident ticket: \\_\\_\\_\\_\\_\\_\\_\\_\\_\\_\\_\\_ (text)');
    expect(markdown).toContain('- [ ] Nobody else is running this for the same `pg-{{ params.cluster }}`');
    expect(markdown).toContain('- **If it fails**: decide: retry, skip, roll back or abort — a person chooses');
  });
});

describe('printable runbooks: hostile text and broken plans', () => {
  const hostile = [
    'id: hostile',
    'title: "<script>alert(1)</script> `tick` **bold**"',
    'nodes:',
    '  - id: run',
    '    kind: shell',
    '    title: "</h3><img src=x onerror=alert(1)>"',
    '    config:',
    '      script: |',
    '        echo "```"',
    '        echo "</code></pre><script>alert(2)</script>"',
    '  - id: ok',
    '    kind: checkpoint',
    '    config:',
    '      title: Go?',
    '      checklist:',
    '        - { id: a, label: "<b>ticked</b> ```" }',
    'edges:',
    '  - { from: run, to: ok }',
  ].join('\n');

  it('escapes every value in HTML and keeps Markdown code fences closed', () => {
    const printable = printed(hostile);
    const html = printableHtml(printable);
    expect(html).not.toMatch(/<script|<img|<b>/i);
    expect(html).toContain('&lt;/code&gt;&lt;/pre&gt;&lt;script&gt;alert(2)&lt;/script&gt;');
    const markdown = printableMarkdown(printable);
    // The script's own ``` cannot close its block: the fence is longer.
    expect(markdown).toContain('````\necho "```"\necho "</code></pre><script>alert(2)</script>"\n````');
    // Code shows as code; everywhere else no tag survives.
    const prose = markdown.replace(/^(`{3,})\n[\s\S]*?\n\1$/gm, '').replace(/(`+) ?[^`][\s\S]*? ?\1/g, '');
    expect(prose).not.toMatch(/<script|<img|<b>/i);
    expect(prose).toContain('&lt;script&gt;');
  });

  it('prints no document for a runbook with problems, only the problems', () => {
    expect(printableRunbook('id: broken\ntitle: B\nnodes: []\n')).toEqual({ ok: false, problems: [{ path: 'nodes', message: 'a runbook needs at least one node' }] });
  });
});

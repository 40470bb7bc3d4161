// How long loading (YAML parse + schema + graph + template checks) and hashing take as
// runbooks grow. Prints figures; asserts nothing.
import { stringify } from 'yaml';
import { loadRunbook, planHash } from '@runwright/runbook';
import { largeRunbookDocument } from './large-runbook.js';

function measure(label: string, iterations: number, work: () => void): void {
  for (let i = 0; i < Math.min(3, iterations); i++) work();
  const started = process.hrtime.bigint();
  for (let i = 0; i < iterations; i++) work();
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  console.log(`${label.padEnd(40)} ${(ms / iterations).toFixed(3).padStart(9)} ms/op  ${(iterations / (ms / 1000)).toFixed(1).padStart(9)} ops/s`);
}

export function run(): void {
  for (const size of [10, 100, 300, 1000]) {
    const text = stringify(largeRunbookDocument(size));
    const iterations = Math.max(5, Math.round(2000 / size));
    measure(`load ${size} nodes (${(text.length / 1024).toFixed(0)} KiB)`, iterations, () => {
      const result = loadRunbook(text);
      if (!result.ok) throw new Error(JSON.stringify(result.problems.slice(0, 3)));
    });
    const loaded = loadRunbook(text);
    if (!loaded.ok) throw new Error('large runbook does not load');
    measure(`planHash ${size} nodes`, iterations, () => planHash(loaded.runbook));
  }
}

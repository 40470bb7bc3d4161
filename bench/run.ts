// `npm run bench`: runs every benchmark in this folder (or the ones named on the command line)
// and prints its figures. Benchmarks never assert timings.
import { readdirSync } from 'node:fs';

const only = process.argv.slice(2);
const files = readdirSync(import.meta.dirname)
  .filter((f) => f.endsWith('.bench.ts'))
  .filter((f) => only.length === 0 || only.some((o) => f.includes(o)))
  .sort();
for (const file of files) {
  console.log(`\n== ${file}`);
  const bench = (await import(`./${file}`)) as { run: () => void | Promise<void> };
  await bench.run();
}

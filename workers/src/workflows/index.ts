export { runbookInterpreter } from './interpreter.js';
export { forEachBatch } from './for-each-batch.js';
export { concurrencyLock } from './concurrency-lock.js';

export { runbookInterpreter } from './interpreter.js';

#!/usr/bin/env node
// The `runwright` command: the CLI is TypeScript, run through tsx like the rest of the API.
import { register } from 'tsx/esm/api';

register();
await import('../src/cli/main.ts');

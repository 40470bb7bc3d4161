import { defineConfig } from 'vitest/config';

// `npm run test:soak`: what is too long or too repetitive for `npm test` (files named
// `*.soak.test.ts`): the shipped plans with minute-long soaks, repeated. Same global setup.
export default defineConfig({
  test: {
    pool: 'forks',
    include: ['test/**/*.soak.test.ts'],
    globalSetup: ['test/setup/temporal-server.ts'],
    testTimeout: 3_600_000,
    hookTimeout: 300_000,
    teardownTimeout: 60_000,
  },
});

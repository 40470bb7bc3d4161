import { configDefaults, defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // The Temporal SDK's native bridge does not work in worker threads.
    pool: 'forks',
    include: ['test/**/*.test.ts'],
    // Long and repeated variants run with `npm run test:soak` (vitest.soak.config.ts).
    exclude: [...configDefaults.exclude, 'test/**/*.soak.test.ts'],
    globalSetup: ['test/setup/temporal-server.ts'],
    testTimeout: 90_000,
    hookTimeout: 180_000,
    teardownTimeout: 30_000,
  },
});

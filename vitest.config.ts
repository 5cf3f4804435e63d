import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // tree-sitter is a native addon: forks keep one parser per process, as in production.
    pool: 'forks',
    testTimeout: 20_000,
    reporters: ['default', './test/support/summary-reporter.ts'],
  },
});

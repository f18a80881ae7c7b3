import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    // End-to-end runs go through SQLite files and the whole Qinyuan plan.
    testTimeout: 60_000,
  },
});

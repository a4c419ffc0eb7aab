import { defineConfig } from 'vitest/config';

// Browser tests drive the built web app in Debian's Chromium; one file at a time, since
// each starts a server and a browser.
export default defineConfig({
  test: {
    include: ['web/**/*.browser.test.ts', 'workflows/**/*.browser.test.ts'],
    exclude: ['**/node_modules/**'],
    testTimeout: 120_000,
    hookTimeout: 300_000,
    pool: 'forks',
    fileParallelism: false,
  },
});

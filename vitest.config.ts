import { defineConfig } from 'vitest/config';

// Test tiers (see README "Tests"):
//   small            pure domain functions, next to the code (src/**/*.test.ts)
//   medium-pglite    services and routes against the embedded database
//   medium-pg        the same medium tests against PostgreSQL (DATABASE_URL or 127.0.0.1:5432/test)
//   e2e              CLI and web journeys in headless Debian Chromium
//   conformance      real inputs from ../shared/refdata when present
export default defineConfig({
  test: {
    projects: [
      { test: { name: 'small', include: ['src/**/*.test.ts', 'web/src/**/*.test.ts'], testTimeout: 20_000 } },
      {
        test: {
          name: 'medium-pglite',
          include: ['tests/medium/**/*.test.ts'],
          env: { ANJIAN_TEST_DB: 'pglite' },
          testTimeout: 60_000,
          hookTimeout: 120_000,
          fileParallelism: false,
        },
      },
      {
        test: {
          name: 'medium-pg',
          include: ['tests/medium/**/*.test.ts'],
          env: { ANJIAN_TEST_DB: 'pg' },
          testTimeout: 60_000,
          hookTimeout: 120_000,
          fileParallelism: false,
        },
      },
      {
        test: {
          name: 'e2e',
          include: ['tests/e2e/**/*.test.ts'],
          testTimeout: 180_000,
          hookTimeout: 300_000,
          fileParallelism: false,
        },
      },
      {
        test: {
          name: 'conformance',
          include: ['tests/conformance/**/*.test.ts'],
          testTimeout: 120_000,
          hookTimeout: 120_000,
        },
      },
    ],
  },
});

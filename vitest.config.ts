import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    projects: [
      {
        extends: true,
        test: {
          name: 'packages',
          include: [
            'packages/*/test/**/*.test.ts',
            'subgraphs/*/test/**/*.test.ts',
            'gateway/test/**/*.test.ts',
            'deploy/test/**/*.test.ts',
          ],
        },
      },
      {
        extends: true,
        test: {
          name: 'supergraph',
          include: ['test/**/*.test.ts'],
          // One stack (services, migrations, demo data, 5 subgraphs, gateway) serves every file.
          globalSetup: ['test/support/global-setup.ts'],
        },
      },
    ],
    // The JSON report is what CI checks (scripts/check-test-report.mjs): every test file ran.
    reporters: ['default', 'json'],
    outputFile: { json: '.pathway/test-report.json' },
    testTimeout: 30_000,
    hookTimeout: 180_000,
    pool: 'forks',
  },
});

#!/usr/bin/env node
// Re-records what tfguard prints for each examples/<name>/plan.json into examples/<name>/tfguard-output.txt,
// run in a fresh clone as a README reader would (test/e2e/examples.test.ts does the work; it fails when a
// recorded output no longer matches, so the examples stay true). Build first: npm run build.
import { spawnSync } from 'node:child_process';

const result = spawnSync('npx', ['vitest', 'run', 'test/e2e/examples.test.ts'], {
  stdio: 'inherit',
  env: { ...process.env, UPDATE_EXAMPLES: '1', TFGUARD_SKIP_BUILD: '1' },
});
process.exit(result.status ?? 1);

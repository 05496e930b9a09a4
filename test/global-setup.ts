import { execFileSync } from 'node:child_process';

/**
 * The end-to-end tests run the built CLI as a user would; build it once before any test.
 * TFGUARD_SKIP_BUILD=1 reuses the dist/ already there (for running one test file while editing).
 */
export default function setup(): void {
  if (process.env.TFGUARD_SKIP_BUILD === '1') return;
  execFileSync(process.execPath, ['scripts/build.mjs'], { stdio: 'inherit' });
}

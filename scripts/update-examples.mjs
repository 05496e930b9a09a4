#!/usr/bin/env node
// Re-records what tfguard prints for each examples/<name>/plan.json into examples/<name>/tfguard-output.txt.
// test/e2e/examples.test.ts fails when a recorded output no longer matches, so the examples stay true.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

for (const name of readdirSync('examples')) {
  const plan = join('examples', name, 'plan.json');
  if (!existsSync(plan)) continue;
  const args = ['dist/cli.js', plan];
  const result = spawnSync(process.execPath, args, { encoding: 'utf8', env: { PATH: process.env.PATH, NO_COLOR: '1' } });
  const recorded = `$ tfguard ${plan}\n${result.stdout}${result.stderr}[exit code ${result.status}]\n`;
  writeFileSync(join('examples', name, 'tfguard-output.txt'), recorded);
  console.log(`recorded examples/${name}/tfguard-output.txt (exit ${result.status})`);
}

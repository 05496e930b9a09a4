// Writes test/golden/<name>.report.json from real fixtures through the built CLI, so the renderer
// golden tests start from reports tfguard really produced. Run after `npm run build`, then
// `UPDATE_GOLDEN=1 npx vitest run test/unit/render/golden.test.ts` and read the diff.
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
const cases = {
  'environment-recreation': ['examples/environment-recreation/plan.json'],
  'safe-change': ['examples/safe-change/plan.json'],
  'protection-downgrade': ['test/fixtures/derived/protection-downgrade.json'],
  'errored-plan': ['test/fixtures/plans/errored-prevent-destroy.json'],
  'deposed-and-imports': ['test/fixtures/plans/tainted-and-deposed.json'],
  'destroy-mode-human': ['--provenance', 'human', 'test/fixtures/plans/destroy-mode.json'],
  'strict-policy': ['--policy', 'policies/examples/strict.hcl', 'examples/environment-recreation/plan.json'],
};
for (const [name, args] of Object.entries(cases)) {
  const result = spawnSync(process.execPath, [join(root, 'dist/cli.js'), '--format', 'json', ...args], { cwd: root, encoding: 'utf8' });
  const report = JSON.parse(result.stdout);
  writeFileSync(join(root, 'test/golden', `${name}.report.json`), `${JSON.stringify(report, null, 2)}\n`);
}
// A hostile report: control, bidi and zero-width characters in every string a plan author controls.
const hostile = JSON.parse(readFileSync(join(root, 'test/golden/environment-recreation.report.json'), 'utf8'));
const evil = '\u001b[2J\u0007\u202e\u2066\u200b\u009b\u007f';
for (const change of hostile.changes) change.address = `${change.address}["${evil}"]`;
for (const finding of hostile.findings) if (finding.address) finding.address = `${finding.address}["${evil}"]`;
hostile.plan.source = `plan${evil}.json`;
writeFileSync(join(root, 'test/golden', 'hostile-strings.report.json'), `${JSON.stringify(hostile, null, 2)}\n`);
console.log(`${Object.keys(cases).length + 1} golden reports written to test/golden/`);

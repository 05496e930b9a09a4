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
// AI evidence from a real git history: a repository whose one commit carries Claude Code's co-author trailer.
{
  const { mkdtempSync, copyFileSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const dir = mkdtempSync(join(tmpdir(), 'tfguard-golden-'));
  const git = (...args) => spawnSync('git', args, { cwd: dir, encoding: 'utf8', env: { PATH: process.env.PATH, HOME: dir, GIT_CONFIG_NOSYSTEM: '1' } });
  git('init', '-q', '-b', 'main');
  git('-c', 'user.name=Jane Doe', '-c', 'user.email=jane@example.com', 'commit', '-q', '--allow-empty', '-m', 'Base');
  copyFileSync(join(root, 'examples/environment-recreation/plan.json'), join(dir, 'plan.json'));
  git('add', 'plan.json');
  git('-c', 'user.name=Jane Doe', '-c', 'user.email=jane@example.com', 'commit', '-q', '-m', 'Recreate the environment\n\nCo-Authored-By: Claude <noreply@anthropic.com>');
  const result = spawnSync(process.execPath, [join(root, 'dist/cli.js'), '--format', 'json', '--base', 'HEAD~1', 'plan.json'], { cwd: dir, encoding: 'utf8', env: { PATH: process.env.PATH } });
  const report = JSON.parse(result.stdout);
  report.provenance.range.base = 'b'.repeat(40);
  report.provenance.range.head = 'c'.repeat(40);
  for (const item of report.provenance.evidence) if (item.where.sha) item.where.sha = 'c'.repeat(40);
  writeFileSync(join(root, 'test/golden', 'ai-evidence.report.json'), `${JSON.stringify(report, null, 2)}\n`);
}
// A hostile report: control, bidi and zero-width characters in every string a plan author controls.
const hostile = JSON.parse(readFileSync(join(root, 'test/golden/environment-recreation.report.json'), 'utf8'));
const evil = '\u001b[2J\u0007\u202e\u2066\u200b\u009b\u007f';
for (const change of hostile.changes) change.address = `${change.address}["${evil}"]`;
for (const finding of hostile.findings) if (finding.address) finding.address = `${finding.address}["${evil}"]`;
hostile.provenance = { ai: true, basis: 'evidence', reason: null, evidence: [{ signal: 'claude-code.co-author', tool: `Claude${evil}`, kind: 'trailer', where: { type: 'label', label: `ai${evil}` }, text: `Co-Authored-By: x${evil}` }], authors: [{ name: `Mallory${evil}`, email: `m${evil}@example.com`, roles: ['commit-author'] }], range: { base: `b${evil}`, head: 'HEAD', commits: 1, source: 'git' } };
hostile.plan.source = `plan${evil}.json`;
writeFileSync(join(root, 'test/golden', 'hostile-strings.report.json'), `${JSON.stringify(hostile, null, 2)}\n`);
console.log(`${Object.keys(cases).length + 2} golden reports written to test/golden/`);

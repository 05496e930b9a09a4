// Records what a build of tfguard prints for every committed input, so a refactor can prove that
// nothing it prints changed: run once with the old build, once with the new, and diff the folders.
//
//   node scripts/compare-outputs.mjs record <cli.js> <out-dir>
//
// Inputs: every plan fixture, derived plan, not-a-plan, example and example policy test, and every
// file of ../shared/corpus/public when it is there; each in text and JSON, plus `digest`.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';

const [command, cli, out] = process.argv.slice(2);
if (command !== 'record' || !cli || !out) {
  console.error('usage: node scripts/compare-outputs.mjs record <cli.js> <out-dir>');
  process.exit(2);
}
const root = resolve(import.meta.dirname, '..');
const files = (dir, filter = () => true) =>
  existsSync(dir)
    ? readdirSync(dir, { recursive: true }).map((name) => join(dir, String(name))).filter((path) => statSync(path).isFile() && filter(path)).sort()
    : [];
const json = (path) => path.endsWith('.json') && !path.endsWith('.mapping.json');
const inputs = [
  ...files(join(root, 'test/fixtures/plans'), json),
  ...files(join(root, 'test/fixtures/derived'), json),
  ...files(join(root, 'test/fixtures/not-plans')),
  ...files(join(root, 'test/fixtures/binary')),
  ...files(join(root, 'examples'), (path) => path.endsWith('plan.json')),
  ...files(resolve(root, '../shared/corpus/public'), (path) => !/SOURCES\.(md|json)$/.test(path)),
];
const runs = [];
for (const input of inputs) {
  runs.push(['text', [input]]);
  runs.push(['json', ['--format', 'json', input]]);
  runs.push(['digest', ['digest', input]]);
}
for (const example of files(join(root, 'examples'), (path) => path.endsWith('plan.json'))) {
  for (const policy of files(join(root, 'policies/examples'), (path) => path.endsWith('.hcl') && !path.includes('tests'))) {
    runs.push(['text-policy', ['--policy', 'builtin:default', '--policy', policy, example]]);
    runs.push(['json-policy', ['--format', 'json', '--policy', 'builtin:default', '--policy', policy, example]]);
  }
  runs.push(['text-human', ['--provenance', 'human', example]]);
  runs.push(['text-env', ['--environment', 'prod', example]]);
}
runs.push(['policy-test', ['policy', 'test', 'policies/examples/tests']]);
runs.push(['policy-validate', ['policy', 'validate', 'policies/default.hcl', 'policies/examples/strict.hcl']]);
runs.push(['policy-print', ['policy', 'print', '--policy', 'builtin:default', '--policy', 'policies/examples/strict.hcl']]);
runs.push(['no-args', []]);
runs.push(['bad-format', ['--format', 'yaml', 'x.json']]);

mkdirSync(out, { recursive: true });
for (const [label, args] of runs) {
  const result = spawnSync(process.execPath, [resolve(cli), ...args], {
    cwd: root,
    encoding: 'utf8',
    env: { PATH: process.env.PATH, HOME: process.env.HOME },
    maxBuffer: 512 * 1024 * 1024,
  });
  const name = `${label}--${args.map((arg) => relative(root, resolve(root, arg)).replace(/[^A-Za-z0-9._-]+/g, '_')).join('__')}`.slice(0, 240);
  writeFileSync(join(out, `${name}.out`), `exit ${result.status}\n--- stdout\n${result.stdout}--- stderr\n${result.stderr}`);
}
console.log(`${runs.length} runs recorded in ${out}`);

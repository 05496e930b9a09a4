// Records what a build of tfguard prints for every committed input, so a refactor can prove that
// nothing it prints changed: run once with the old build, once with the new, and diff the folders.
//
//   node scripts/compare-outputs.mjs record <cli.js> <out-dir>
//   node scripts/compare-outputs.mjs compare <before-dir> <after-dir> [--added path,path]
//
// compare: every output must be byte-identical, except that a JSON report in <after-dir> may carry
// the fields named with --added (additive report fields, e.g. `rules,summary.approvals_needed,
// findings[].change_index`); they are removed before the byte comparison, so key order counts too.
//
// Inputs: every plan fixture, derived plan, not-a-plan, example and example policy test, and every
// file of ../shared/corpus/public when it is there; each in text and JSON, plus `digest`.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';

const [command, cli, out, ...rest] = process.argv.slice(2);
if (command === 'compare' && cli && out) compare(cli, out, rest[0] === '--added' ? (rest[1] ?? '').split(',').filter(Boolean) : []);
if (command !== 'record' || !cli || !out) {
  console.error('usage: node scripts/compare-outputs.mjs record <cli.js> <out-dir> | compare <before> <after> [--added path,…]');
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
runs.push(['help', ['--help']]);
runs.push(['version', ['--version']]);
runs.push(['check-help', ['check', '--help']]);
runs.push(['policy-help', ['policy', '--help']]);
runs.push(['policy-none', ['policy']]);
runs.push(['unknown-option', ['--frobnicate', 'x.json']]);
runs.push(['repeated-format', ['--format', 'json', '--format', 'text', 'x.json']]);
runs.push(['missing-file', ['no-such-plan.json']]);
runs.push(['stdin-empty', ['-']]);
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

function compare(before, after, added) {
  const names = readdirSync(before).sort();
  const missing = readdirSync(after).filter((name) => !names.includes(name));
  let differ = 0;
  for (const name of names) {
    const old = readFileSync(join(before, name), 'utf8');
    let now = existsSync(join(after, name)) ? readFileSync(join(after, name), 'utf8') : '(missing)';
    if (old !== now && added.length > 0) now = withoutAdded(now, added);
    if (old !== now) {
      differ += 1;
      console.log(`differs: ${name}`);
    }
  }
  for (const name of missing) console.log(`only in ${after}: ${name}`);
  console.log(`${names.length} outputs compared: ${names.length - differ} identical, ${differ} differ, ${missing.length} new`);
  process.exit(differ > 0 || missing.length > 0 ? 1 : 0);
}

/** The recorded output with the named fields removed from a JSON report on stdout. */
function withoutAdded(recorded, added) {
  const match = /^(exit \d+\n--- stdout\n)(\{.*\})\n(--- stderr\n[\s\S]*)$/s.exec(recorded);
  if (!match) return recorded;
  const report = JSON.parse(match[2]);
  for (const path of added) drop(report, path.split('.'));
  return `${match[1]}${JSON.stringify(report)}\n${match[3]}`;
}

function drop(value, steps) {
  if (value === null || typeof value !== 'object') return;
  const [step, ...rest] = steps;
  const list = step.endsWith('[]');
  const key = list ? step.slice(0, -2) : step;
  if (rest.length === 0 && !list) {
    delete value[key];
    return;
  }
  const child = value[key];
  for (const item of list ? (Array.isArray(child) ? child : []) : [child]) drop(item, rest);
}

#!/usr/bin/env node
// npm run bench: generates plans of about 1, 10 and 100 MB from a real plan's entries, then times
//   tfguard --format json <plan>      against   node -e 'JSON.parse(readFileSync(plan))'
// (both as whole processes, median of several runs), and tfguard's start-up on a small plan.
// Figures are printed and written to bench/out/results.json; nothing here asserts a time.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const OUT = 'bench/out';
const CLI = 'dist/cli.js';
const SOURCE = 'examples/environment-recreation/plan.json';
const SIZES_MB = (process.env.BENCH_SIZES ?? '1,10,100').split(',').map(Number);

if (!existsSync(CLI)) {
  console.error('bench: dist/cli.js is missing; run `npm run build` first');
  process.exit(2);
}
mkdirSync(OUT, { recursive: true });

/**
 * A plan of about `megabytes` MB: the real plan's entries repeated under fresh module addresses.
 * mix "worst": every copy keeps the real actions (90% of entries destructive). mix "typical":
 * one copy in 20 keeps them and the others become no-ops (before = after), as in a large
 * environment where a change touches a few resources.
 */
function generatePlan(megabytes, mix) {
  const real = JSON.parse(readFileSync(SOURCE, 'utf8'));
  const entries = real.resource_changes;
  const priorResources = real.prior_state.values.root_module.resources;
  const entryBytes = JSON.stringify(entries).length + JSON.stringify(priorResources).length;
  const copies = Math.max(1, Math.round((megabytes * 1024 * 1024) / entryBytes));
  const resource_changes = [];
  const child_modules = [];
  for (let copy = 0; copy < copies; copy += 1) {
    const module = `module.app["m${copy}"]`;
    const keep = mix === 'worst' || copy % 20 === 0;
    for (const entry of entries) {
      const change = keep || entry.change.before === null ? entry.change : { ...entry.change, actions: ['no-op'], after: entry.change.before, after_unknown: {}, after_sensitive: entry.change.before_sensitive };
      const { action_reason, ...rest } = entry;
      resource_changes.push({ ...(keep ? entry : rest), change, address: `${module}.${entry.address}`, module_address: module });
    }
    child_modules.push({ address: module, resources: priorResources.map((resource) => ({ ...resource, address: `${module}.${resource.address}` })) });
  }
  const plan = { ...real, resource_changes, prior_state: { ...real.prior_state, values: { root_module: { child_modules } } } };
  const path = join(OUT, `plan-${megabytes}mb-${mix}.json`);
  writeFileSync(path, JSON.stringify(plan));
  return { path, bytes: statSync(path).size, changes: resource_changes.length };
}

function time(args, runs) {
  const samples = [];
  for (let run = 0; run < runs; run += 1) {
    const start = process.hrtime.bigint();
    const result = spawnSync(process.execPath, args, { stdio: ['ignore', 'ignore', 'pipe'], maxBuffer: 1 << 30 });
    samples.push(Number(process.hrtime.bigint() - start) / 1e6);
    if (result.status !== 0 && result.status !== 1) throw new Error(`${args.join(' ')} exited ${result.status}: ${result.stderr}`);
  }
  samples.sort((a, b) => a - b);
  return { median: samples[Math.floor(samples.length / 2)], p10: samples[Math.floor(samples.length * 0.1)], p90: samples[Math.min(samples.length - 1, Math.floor(samples.length * 0.9))] };
}

const BARE = "JSON.parse(require('node:fs').readFileSync(process.argv[1], 'utf8'))";
const results = { node: process.version, cpus: (await import('node:os')).cpus().length, sizes: [], startup: {} };
console.log(`node ${process.version}; medians of repeated whole-process runs\n`);
console.log('| plan | mix | changes | destructive | bare read + JSON.parse | tfguard --format json | ratio |');
console.log('| --- | --- | --- | --- | --- | --- | --- |');
for (const megabytes of SIZES_MB) {
  for (const mix of ['typical', 'worst']) {
    const { path, bytes, changes } = generatePlan(megabytes, mix);
    const runs = megabytes >= 100 ? 5 : 11;
    const bare = time(['-e', BARE, path], runs);
    const tfguard = time([CLI, '--format', 'json', path], runs);
    const destructive = JSON.parse(spawnSync(process.execPath, [CLI, '--format', 'json', path], { encoding: 'utf8', maxBuffer: 1 << 30 }).stdout).summary.destructive;
    const ratio = tfguard.median / bare.median;
    results.sizes.push({ megabytes: bytes / 2 ** 20, mix, changes, destructive, bare_ms: bare, tfguard_ms: tfguard, ratio });
    console.log(`| ${(bytes / 2 ** 20).toFixed(1)} MB | ${mix} | ${changes} | ${destructive} | ${bare.median.toFixed(0)} ms | ${tfguard.median.toFixed(0)} ms | ${ratio.toFixed(2)}× |`);
  }
}

const floor = time(['-e', ''], 21);
const startup = time([CLI, 'test/fixtures/plans/delete.json'], 21);
const version = time([CLI, '--version'], 21);
writeFileSync(join(OUT, 'policy.json'), JSON.stringify({ rule: { all: { enforcement: 'advisory' } } }));
const jsonPolicy = time([CLI, '--policy', join(OUT, 'policy.json'), 'test/fixtures/plans/delete.json'], 21);
const hclPolicy = time([CLI, '--policy', 'policies/default.hcl', 'test/fixtures/plans/delete.json'], 11);
results.startup = { node_floor_ms: floor, small_plan_ms: startup, version_ms: version, json_policy_ms: jsonPolicy, hcl_policy_ms: hclPolicy };
console.log(`\nstart-up on a small plan (median, p10-p90):`);
console.log(`  built-in policy   ${startup.median.toFixed(0)} ms (${startup.p10.toFixed(0)}-${startup.p90.toFixed(0)})`);
console.log(`  a JSON policy     ${jsonPolicy.median.toFixed(0)} ms (${jsonPolicy.p10.toFixed(0)}-${jsonPolicy.p90.toFixed(0)})`);
console.log(`  an HCL policy     ${hclPolicy.median.toFixed(0)} ms (${hclPolicy.p10.toFixed(0)}-${hclPolicy.p90.toFixed(0)}): loads @cdktf/hcl2json's WebAssembly`);
console.log(`  --version         ${version.median.toFixed(0)} ms; bare node ${floor.median.toFixed(0)} ms`);
writeFileSync(join(OUT, 'results.json'), `${JSON.stringify(results, null, 2)}\n`);

#!/usr/bin/env node
// node bench/provenance.mjs: builds a repository of 1,000 commits over a base in a temp folder (with
// git fast-import), then times the provenance scan of BASE..HEAD — collectProvenanceFacts (one
// git log call) plus matching and resolving — as the median of several runs. The provenance
// modules are bundled from src/ with esbuild into the temp folder, so dist/ is neither needed nor
// touched. Figures are printed; nothing here asserts a time. BENCH_COMMITS changes the count.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';

const COMMITS = Number(process.env.BENCH_COMMITS ?? 1000);
const RUNS = Number(process.env.BENCH_RUNS ?? 7);
const work = mkdtempSync(join(tmpdir(), 'tfguard-bench-provenance-'));
const repo = join(work, 'repo');
const env = { ...process.env, GIT_CONFIG_GLOBAL: '/dev/null', GIT_CONFIG_NOSYSTEM: '1' };

try {
  execFileSync('git', ['init', '-q', '-b', 'main', repo], { env });
  execFileSync('git', ['-C', repo, 'fast-import', '--quiet'], { env, input: fastImportStream(COMMITS) });
  const base = execFileSync('git', ['-C', repo, 'rev-parse', 'base'], { env, encoding: 'utf8' }).trim();

  const entry = join(work, 'entry.ts');
  writeFileSync(
    entry,
    [
      `export { collectProvenanceFacts } from ${JSON.stringify(join(process.cwd(), 'src/provenance/collect.ts'))};`,
      `export { resolveProvenance } from ${JSON.stringify(join(process.cwd(), 'src/provenance/resolve.ts'))};`,
      `export { compileSignals } from ${JSON.stringify(join(process.cwd(), 'src/provenance/signals.ts'))};`,
    ].join('\n'),
  );
  const bundle = join(work, 'provenance.mjs');
  await build({ entryPoints: [entry], bundle: true, platform: 'node', format: 'esm', target: 'node20', outfile: bundle, logLevel: 'error', external: ['@octokit/*'] });
  const { collectProvenanceFacts, resolveProvenance, compileSignals } = await import(pathToFileURL(bundle).href);

  const signals = compileSignals();
  const settings = { unknown: 'ai', noEvidence: 'human' };
  const times = [];
  let result;
  for (let run = 0; run < RUNS; run += 1) {
    const started = process.hrtime.bigint();
    const collected = await collectProvenanceFacts({ cwd: repo, base, env: {}, signals });
    result = resolveProvenance({ declared: undefined, collected, settings, signals });
    times.push(Number(process.hrtime.bigint() - started) / 1e6);
  }
  times.sort((a, b) => a - b);
  const median = times[Math.floor(times.length / 2)];
  console.log(`provenance scan of ${result.range?.commits ?? 0} commits (collect + match + resolve): median ${median.toFixed(1)} ms, min ${times[0].toFixed(1)} ms, max ${times.at(-1).toFixed(1)} ms over ${RUNS} runs`);
  console.log(`  basis ${result.basis}, ${result.evidence.length} evidence items, ${result.authors.length} authors`);
} finally {
  rmSync(work, { recursive: true, force: true });
}

/** A base commit on refs/heads/base, then `count` commits on main with the mix of messages a real change has. */
function fastImportStream(count) {
  const parts = [];
  const time = 1_750_000_000;
  const data = (text) => `data ${Buffer.byteLength(text)}\n${text}\n`;
  const people = [
    'Jane Doe <jane@example.com>',
    'John Roe <john@example.com>',
    'Copilot <198982749+Copilot@users.noreply.github.com>',
    'Ann Lee (aider) <ann@example.com>',
  ];
  parts.push(`commit refs/heads/base\nmark :1\nauthor ${people[0]} ${time} +0000\ncommitter ${people[0]} ${time} +0000\n${data('Initial infrastructure\n')}M 644 inline main.tf\n${data('# base\n')}`);
  for (let index = 1; index <= count; index += 1) {
    const who = people[index % 7 === 0 ? 2 : index % 11 === 0 ? 3 : index % 2];
    const body = [
      `Change ${index}: adjust the storage module`,
      '',
      'Longer explanation of the change, wrapped at seventy-two characters so it looks',
      'like a real commit body, with a second line for good measure.',
      '',
      index % 13 === 0 ? 'Co-Authored-By: Claude Opus 4.7 <noreply@anthropic.com>' : 'Co-authored-by: John Roe <john@example.com>',
      'Signed-off-by: Jane Doe <jane@example.com>',
      '',
    ].join('\n');
    parts.push(
      `commit refs/heads/main\nmark :${index + 1}\nauthor ${who} ${time + index} +0000\ncommitter ${who} ${time + index} +0000\n${data(body)}from :${index}\nM 644 inline main.tf\n${data(`# change ${index}\n`)}`,
    );
  }
  return parts.join('');
}

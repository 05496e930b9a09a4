import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CORPUS, corpusPresent } from '../helpers/paths.js';
import { runMain } from '../helpers/run-main.js';
import { runCli } from '../helpers/run-cli.js';

/**
 * Every file of the public corpus (../shared/corpus/public): tfguard's destructive change set
 * must equal the one in the file's own resource_changes, computed here independently from the
 * raw JSON; files that are not readable plans must get exit 2 with one line on stderr.
 */
const SAFE_ACTIONS = new Set(['no-op', 'create', 'read', 'update']);

function corpusFiles(): string[] {
  const files: string[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else if (name.endsWith('.json') && name !== 'SOURCES.json') files.push(path);
    }
  };
  walk(CORPUS);
  return files.sort();
}

type Expectation = { refused: true; why: string } | { refused: false; destructive: string[]; errored: boolean };

/**
 * Corpus files with a key doubled inside a resource change (hand-edited test data; Terraform never
 * writes one), found by reading them: JSON.parse would keep the last value, so tfguard refuses them.
 */
const DOUBLED_KEYS = new Map([
  ['GoogleCloudPlatform__terraform-validator/test__read_planned_assets__tf1_0plan.applied.json', 'uniform_bucket_level_access twice in resource_changes[8].change.before'],
]);

function expectationFor(path: string): Expectation {
  const doubled = DOUBLED_KEYS.get(relative(CORPUS, path));
  if (doubled) return { refused: true, why: doubled };
  let document: Record<string, unknown>;
  try {
    document = JSON.parse(readFileSync(path, 'utf8'));
  } catch {
    return { refused: true, why: 'not one JSON document' };
  }
  if (typeof document.format_version !== 'string' && typeof document.plan_format_version !== 'string') {
    return { refused: true, why: 'no format version' };
  }
  const entries = (document.resource_changes ?? []) as { address: string; mode: string; deposed?: string; change: { actions?: string[] } }[];
  if (entries.some((entry) => !Array.isArray(entry.change?.actions) || entry.change.actions.length === 0)) {
    return { refused: true, why: 'a resource change without actions' };
  }
  const destructive = entries
    .filter((entry) => entry.mode === 'managed')
    .filter((entry) => {
      const actions = entry.change.actions!;
      // The rule: delete or forget, or anything but the four known safe actions.
      return actions.includes('delete') || actions.includes('forget') || !SAFE_ACTIONS.has(actions.join(','));
    })
    .map((entry) => `${entry.address}|${entry.deposed ?? ''}|${entry.change.actions!.join(',')}`)
    .sort();
  return { refused: false, destructive, errored: document.errored === true };
}

describe.skipIf(!corpusPresent)('public corpus conformance', () => {
  const files = corpusPresent ? corpusFiles() : [];

  it('finds the corpus', async () => {
    expect(files.length).toBeGreaterThan(50);
  });

  it.each(files.map((file) => [relative(CORPUS, file), file]))('%s', async (_name, file) => {
    const expected = expectationFor(file);
    const result = (await runMain(['--format', 'json', file]));
    if (expected.refused) {
      expect(result.status, result.stderr).toBe(2);
      expect(result.stdout).toBe('');
      expect(result.stderr.trim().split('\n')).toHaveLength(1);
      expect(result.stderr).toMatch(/^tfguard: error: /);
      return;
    }
    const report = JSON.parse(result.stdout);
    const found = (report.changes as { address: string; deposed?: string; actions: string[] }[])
      .map((change) => `${change.address}|${change.deposed ?? ''}|${change.actions.join(',')}`)
      .sort();
    expect(found).toEqual(expected.destructive);
    expect(result.status).toBe(expected.errored ? 2 : report.verdict === 'block' ? 1 : 0);
    expect(result.stderr === '').toBe(!expected.errored);
  });
});

if (!corpusPresent) {
  describe('public corpus conformance', () => {
    it.skip(`SKIPPED: the public corpus was not found at ${CORPUS}`, () => {});
  });
  console.warn(`\n*** public corpus not found at ${CORPUS}: the conformance test is skipped ***\n`);
}

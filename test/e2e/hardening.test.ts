import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { UNSAFE_CHARACTERS } from '../../src/shared/escape.js';
import { example, plan } from '../helpers/paths.js';
import { runMain } from '../helpers/run-main.js';
import { runCli } from '../helpers/run-cli.js';

/** One regression test per class of the hardening issue, each on a plan derived from a real one. */
const real = (name: string) => JSON.parse(readFileSync(plan(name), 'utf8'));
const check = (document: unknown, ...args: string[]) => runMain(['--provenance', 'ai', ...args, '-'], { input: typeof document === 'string' ? document : JSON.stringify(document) });
const SECRET = 'hunter2-correct-horse-battery';

function expectRefused(result: { status: number | null; stdout: string; stderr: string }, pattern: RegExp): void {
  expect(result.status, result.stderr).toBe(2);
  expect(result.stdout).toBe('');
  expect(result.stderr.trimEnd().split('\n')).toHaveLength(1);
  expect(result.stderr).toMatch(pattern);
  expect(result.stderr).not.toMatch(/internal error|\n\s+at /);
}

describe('secrets without a sensitive mark where they are printed', () => {
  it('an import ID equal to a value marked sensitive is not shown (random_password imports its result)', async () => {
    const document = real('import-then-replace');
    const entry = document.resource_changes.find((item: { change: { importing?: unknown } }) => item.change.importing);
    entry.change.importing.id = SECRET;
    entry.change.after.input = SECRET;
    entry.change.after_sensitive = { input: true };
    for (const format of ['text', 'json']) {
      const result = await check(document, '--format', format);
      expect(result.status).toBe(0);
      expect(result.stdout).toContain(format === 'json' ? '"importing"' : 'imported');
      expect(result.stdout + result.stderr).not.toContain(SECRET);
    }
    // The same import ID, marked nowhere, is shown: the check is not a blanket ban.
    entry.change.after_sensitive = {};
    expect((await check(document)).stdout).toContain(`(id ${SECRET})`);
  });

  it.each([
    ['invalid JSON', `{"resource_changes": [{"address": ${SECRET}}]}`],
    ['a file that is not JSON at all', `db_password = "${SECRET}"\n`],
    ['a truncated plan', `{"format_version":"1.2","variables":{"db_password":{"value":"${SECRET}"`],
  ])('%s: the error names the position, never the bytes', async (_name, text) => {
    const result = await check(text);
    expectRefused(result, /(line \d+, column \d+|byte \d+)/);
    expect(result.stderr).not.toContain(SECRET);
    expect(result.stderr).not.toContain('hunter');
  });
});

describe('text that reaches a terminal raw', () => {
  it('bidi overrides and isolates, zero-width characters, C1 controls and DEL never appear raw, in text or JSON', async () => {
    // The for_each key "with space" becomes a hostile one everywhere in the plan, as Terraform would write it.
    const evil = '\u202e\u2066\u200b\u200f\u0085\u009b\u007f\u2028';
    const document = readFileSync(plan('for-each-shrink'), 'utf8').replaceAll('with space', JSON.stringify(`with${evil}space`).slice(1, -1));
    for (const format of ['text', 'json']) {
      const result = await check(document, '--format', format);
      expect(result.stdout.length).toBeGreaterThan(100);
      expect((result.stdout + result.stderr).replaceAll('\n', '').match(UNSAFE_CHARACTERS)).toBeNull();
      if (format === 'json') expect(JSON.parse(result.stdout).changes.map((change: { address: string }) => change.address)).toContain(`terraform_data.bucket["with${evil}space"]`);
    }
  });
});

describe('crashes', () => {
  it('a destroy plan with 50,000 destroyed instances renders in text and JSON', async () => {
    const document = real('destroy-mode');
    const entry = document.resource_changes.find((item: { change: { actions: string[] } }) => item.change.actions.includes('delete'));
    document.resource_changes = Array.from({ length: 50_000 }, (_, index) => ({ ...entry, address: `${entry.type}.n${index}`, name: `n${index}` }));
    document.prior_state.values.root_module = { resources: document.resource_changes.map(({ address }: { address: string }) => ({ address, mode: 'managed' })) };
    delete document.planned_values;
    const text = await check(document);
    expect(text.stderr).toBe('');
    expect(text.stdout).toMatch(/50000 destructive/);
    const json = await check(document, '--format', 'json');
    expect(JSON.parse(json.stdout).changes).toHaveLength(50_000);
  });

  it('endless input: a device is refused at once', () => {
    expectRefused(
      runCli(['/dev/zero']),
      /\/dev\/zero: is a device, not a plan file or a pipe/,
    );
  });

  it.each([
    ['a null entry in resource_drift', (d: any) => (d.resource_drift = [null]), /resource_drift\[0\] is not an object/],
    ['prior_state resources that are not a list', (d: any) => (d.prior_state.values.root_module.resources = 'x'), /prior_state\.values\.root_module\.resources is not a list/],
    ['child_modules of the wrong type', (d: any) => (d.prior_state.values.root_module.child_modules = {}), /child_modules is not a list/],
    ['a provider_name that is not a string', (d: any) => (d.resource_changes[0].provider_name = 7), /provider_name` that is not a string/],
    ['replace_paths nested too deep', (d: any) => (d.resource_changes[0].change.replace_paths = [[[['deep']]]]), /replace_paths` that are not lists/],
    ['an importing that is a string', (d: any) => (d.resource_changes[0].change.importing = 'id'), /importing` that is not an object/],
  ])('%s: one line saying what is wrong where', async (_name, mutate, pattern) => {
    const document = real('delete');
    mutate(document);
    expectRefused(await check(document), pattern);
  });

  it('child_modules nested 100,000 deep: no recursion grows with the input', async () => {
    // Built as text: JSON.stringify itself recurses.
    const depth = 100_000;
    const nested = `${'{"resources":[],"child_modules":['.repeat(depth)}{"resources":[]}${']}'.repeat(depth)}`;
    const text = readFileSync(plan('delete'), 'utf8').replace('"planned_values":{', `"planned_values":{"child_modules_probe":0,`).replace('"root_module":{', `"root_module":{"child_modules":[${nested}],`);
    const result = await check(text);
    expect(result.stderr).not.toMatch(/internal error|stack/i);
    expect([0, 1, 2]).toContain(result.status);
  });
});

describe('plans that pass because something unknown was dropped', () => {
  const deleting = () => {
    const document = real('delete');
    return { document, entry: document.resource_changes.find((item: { change: { actions: string[] } }) => item.change.actions.includes('delete')) };
  };

  it.each(['Managed', 'resource', ''])('mode %j is refused, not left out', async (mode) => {
    const { document, entry } = deleting();
    entry.mode = mode;
    expectRefused(await check(document), mode === '' ? /has no `mode`/ : /neither "managed" nor "data"/);
  });

  it.each(['constructor', 'toString', '__proto__', 'hasOwnProperty'])('an action named %s is unknown, so destructive', async (action) => {
    const { document, entry } = deleting();
    entry.change.actions = [action];
    const report = JSON.parse((await check(document, '--format', 'json')).stdout);
    expect(report.changes.map((change: { kind: string }) => change.kind)).toEqual(['unknown']);
    expect(report.findings.length).toBeGreaterThan(0);
    expect(report.notices.map((notice: { kind: string }) => notice.kind)).toContain('unknown-actions');
  });

  it('duplicate keys that would hide a delete are refused: two actions, two resource_changes', async () => {
    const text = readFileSync(plan('delete'), 'utf8');
    expectRefused(await check(text.replace('"actions":["delete"]', '"actions":["delete"],"actions":["no-op"]')), /a key appears twice in one object, at resource_changes\[\d+\]\.change\.actions \(line 1, column \d+, byte \d+\)/);
    expectRefused(await check(text.replace('{"format_version"', '{"resource_changes":[],"format_version"')), /a key appears twice .* at resource_changes /);
  });

  it('a duplicate key inside a value names the section, not the key (it could be a secret map key)', async () => {
    const text = readFileSync(plan('delete'), 'utf8').replace('"before":{', `"before":{"${SECRET}":1,"${SECRET}":2,`);
    const result = await check(text);
    expectRefused(result, /at resource_changes\[\d+\]\.change\.before\.…/);
    expect(result.stderr).not.toContain(SECRET);
  });

  it('a plan without resource_changes whose prior_state holds what planned_values no longer does is refused', async () => {
    const document = JSON.parse(readFileSync(example('environment-recreation'), 'utf8'));
    const db = 'aws_db_instance.main';
    delete document.resource_changes;
    delete document.resource_drift;
    // Everything else stays: only the database is gone from planned_values.
    document.planned_values.root_module.resources = document.prior_state.values.root_module.resources.filter((item: { address: string }) => item.address !== db);
    expectRefused(await check(document), /contradicts itself: prior_state holds aws_db_instance\.main, but neither/);
  });

  it('a change that says no-op while planned_values no longer holds the object is refused', async () => {
    const document = JSON.parse(readFileSync(example('environment-recreation'), 'utf8'));
    const entry = document.resource_changes.find((item: { change: { actions: string[] } }) => item.change.actions.join() === 'delete');
    entry.change.actions = ['no-op'];
    expectRefused(await check(document), new RegExp(`contradicts itself: resource_changes keeps ${entry.address.replace(/[.[\]"]/g, '\\$&')}`));
  });
});

describe('found by the property suite', () => {
  it('UTF-16 with an odd number of bytes is one clear line, not an internal error', async () => {
    for (const bom of [[0xfe, 0xff], [0xff, 0xfe]]) {
      expectRefused(await runMain(['-'], { input: Buffer.from([...bom, 0x00]) }), /UTF-16 text .* odd number of bytes \(3\)|the plan is empty/);
    }
    expectRefused(await runMain(['-'], { input: Buffer.from([0xfe, 0xff, 0x00]) }), /odd number of bytes/);
  });

  it.each(['prior_state', 'planned_values'])('a %s resource whose mode is neither managed nor data is refused, so nothing goes away unseen', async (section) => {
    const document = real('no-changes');
    const root = section === 'prior_state' ? document.prior_state.values.root_module : document.planned_values.root_module;
    root.resources[0].mode = '##[warning]planted';
    expectRefused(await check(document), /mode` "#\\u0023\[warning\]planted", neither "managed" nor "data"/);
  });
});

import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Ajv2020 from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import packageJson from '../../package.json' with { type: 'json' };
import { CORPUS, corpusPresent, derived, example, plan, PLANS, ROOT } from '../helpers/paths.js';
import { runMain } from '../helpers/run-main.js';
import { runCli, type CliResult } from '../helpers/run-cli.js';

const scratch = mkdtempSync(join(tmpdir(), 'tfguard-cli-'));
const write = (name: string, content: string | Buffer) => {
  const path = join(scratch, name);
  writeFileSync(path, content);
  return path;
};
const deleteJson = readFileSync(plan('delete'), 'utf8');
const FAKE_TERRAFORM = join(ROOT, 'test', 'helpers', 'fake-terraform.mjs');
const SECRET = 's3cr3t-DO-NOT-PRINT-7f3a';

/** Exit 2, nothing on stdout, one line on stderr that names the input, no stack trace. */
function expectOneLineError(result: CliResult, pattern: RegExp): void {
  expect(result.status, result.stderr).toBe(2);
  expect(result.stdout).toBe('');
  const lines = result.stderr.trimEnd().split('\n');
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(/^tfguard: error: /);
  expect(lines[0]).toMatch(pattern);
  expect(result.stderr).not.toMatch(/\n\s+at /);
}

// In process, through the same main() the binary runs; test/e2e/process.test.ts spawns the built CLI for what only a process shows.
describe('bad input is exit 2 with one clear line', () => {
  it.each([
    ['empty.json', '', /empty/],
    ['blank.json', '\n\n  \n', /empty/],
    ['truncated.json', deleteJson.slice(0, Math.floor(deleteJson.length / 2)), /truncated/],
    ['wrapper.json', `[command]/home/runner/work/_temp/abc/terraform-bin show -json plan.tfplan\n${deleteJson}`, /terraform_wrapper: false/],
    ['terragrunt.json', `${deleteJson}${deleteJson}`, /2 JSON documents/],
    ['not-json.txt', 'hello', /not JSON/],
    ['array.json', '[]', /a JSON array, not a plan/],
    ['future.json', deleteJson.replace('"format_version":"1.2"', '"format_version":"2.0"'), /format_version "2\.0"/],
    ['untrimmed.json', JSON.stringify({ resource_changes: JSON.parse(deleteJson).resource_changes }), /without `format_version`/],
  ])('%s', async (name, content, pattern) => {
    const path = write(name, content);
    const result = (await runMain([path]));
    expectOneLineError(result, pattern);
    expect(result.stderr).toContain(path);
  });

  it.each([
    ['terraform.tfstate', /state file/],
    ['state-show.json', /JSON of a state/],
    ['empty-state-show.json', /empty state/],
    ['plan-text.txt', /text rendering of `terraform plan`/],
    ['providers-schema.json', /providers schema/],
  ])('real Terraform output that is not a plan: %s', async (name, pattern) => {
    expectOneLineError((await runMain([join('test/fixtures/not-plans', name)])), pattern);
  });

  it('a missing file, a directory', async () => {
    expectOneLineError((await runMain(['no/such/plan.json'])), /no\/such\/plan\.json: no such file/);
    expectOneLineError((await runMain(['test'])), /is a directory/);
  });

  it('usage errors: no plan, an unknown option, a bad format or provenance', async () => {
    expectOneLineError((await runMain([])), /command line: .*tfguard --help/);
    expectOneLineError((await runMain([plan('delete'), '--frobnicate'])), /Unknown argument/i);
    expectOneLineError((await runMain([plan('delete'), '--format', 'yaml'])), /Invalid values/i);
    expectOneLineError((await runMain([plan('delete'), '--provenance', 'robot'])), /Invalid values/i);
    expectOneLineError((await runMain([plan('delete'), '--provenance', 'ai', '--provenance', 'ai'])), /--provenance is given more than once/);
    expectOneLineError((await runMain([plan('delete'), '--format', 'json', '--format', 'json'])), /--format is given more than once/);
  });
});

describe('inputs', () => {
  it('reads a plan from stdin with -', async () => {
    const result = (await runMain(['--format', 'json', '-'], { input: deleteJson }));
    expect(result.status).toBe(0);
    const report = JSON.parse(result.stdout);
    expect(report.plan.source).toBe('<stdin>');
    expect(report.changes.map((change: { address: string }) => change.address)).toEqual(['terraform_data.database']);
  });

  it('reads empty stdin as an empty plan error', async () => {
    expectOneLineError((await runMain(['-'], { input: '' })), /<stdin>: the plan is empty/);
  });

  it('reads UTF-16 plans as Windows PowerShell writes them', async () => {
    const path = write('utf16.json', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(deleteJson, 'utf16le')]));
    const result = (await runMain(['--format', 'json', path]));
    expect(result.status).toBe(0);
    expect(JSON.parse(result.stdout).changes).toHaveLength(1);
  });
});

describe('outputs', () => {
  it('--output writes the report to a file and nothing to stdout', async () => {
    const out = join(scratch, 'report.json');
    const result = (await runMain(['--format', 'json', '--output', out, example('environment-recreation')]));
    expect(result.status).toBe(1);
    expect(result.stdout).toBe('');
    expect(JSON.parse(readFileSync(out, 'utf8')).verdict).toBe('block');
    expectOneLineError((await runMain(['--output', join(scratch, 'missing-dir', 'r.txt'), plan('delete')])), /cannot write the report/);
  });

  it('--version and --help', async () => {
    expect((await runMain(['--version'])).stdout.trim()).toBe(packageJson.version);
    const help = (await runMain(['--help']));
    expect(help.status).toBe(0);
    expect(help.stdout).toMatch(/Exit codes: 0 allowed/);
  });

  it('digest prints the same digest as the report, and exits 2 on an errored plan', async () => {
    const digest = (await runMain(['digest', example('environment-recreation')]));
    expect(digest.status).toBe(0);
    const report = JSON.parse((await runMain(['--format', 'json', example('environment-recreation')])).stdout);
    expect(digest.stdout).toBe(`${report.plan.digest}\n`);
    expect((await runMain(['digest', plan('errored-prevent-destroy')])).status).toBe(2);
  });

  it('the digest is stable across re-plans that change nothing destructive and differs when something does', async () => {
    const digestOf = async (content: string) => {
      const result = (await runMain(['digest', '-'], { input: content }));
      expect(result.status, result.stderr).toBe(0);
      expect(result.stdout).toMatch(/^sha256:[0-9a-f]{64}\n$/);
      return result.stdout;
    };
    const original = JSON.parse(deleteJson);
    const replanned = { ...original, timestamp: '2030-01-01T00:00:00Z', resource_changes: [...original.resource_changes].reverse() };
    expect((await digestOf(JSON.stringify(replanned)))).toBe((await digestOf(deleteJson)));
    expect((await digestOf(readFileSync(plan('count-shrink'), 'utf8')))).not.toBe((await digestOf(deleteJson)));
  });
});

describe('secrets and untrusted strings', () => {
  it.each([plan('sensitive-values'), derived('sensitive-replace')])('never prints a sensitive value: %s', async (file) => {
    expect(readFileSync(file, 'utf8')).toContain(SECRET);
    for (const format of ['text', 'json']) {
      const result = (await runMain(['--format', format, file], { env: { FORCE_COLOR: '1' } }));
      expect(result.stdout.length).toBeGreaterThan(100);
      expect(result.stdout + result.stderr).not.toContain(SECRET);
    }
  });

  it('shows a replace path into a sensitive value only up to the sensitive attribute', async () => {
    const report = JSON.parse((await runMain(['--format', 'json', plan('sensitive-values')])).stdout);
    const paths = report.changes.flatMap((change: { replace_paths: unknown[] | null }) => change.replace_paths ?? []);
    expect(paths).toContainEqual(['triggers_replace']);
  });
});

describe('every JSON report matches schemas/report-v1.schema.json', () => {
  const schema = JSON.parse(readFileSync(join(ROOT, 'schemas', 'report-v1.schema.json'), 'utf8'));
  const validate = new Ajv2020.default({ allErrors: true, strict: true, allowUnionTypes: true }).compile(schema);
  const files = [
    ...readdirSync(PLANS).map((name) => join(PLANS, name)),
    derived('protection-downgrade'),
    derived('sensitive-replace'),
    example('environment-recreation'),
    example('safe-change'),
    ...(corpusPresent ? [join(CORPUS, 'hashicorp__terraform/internal__cloud__testdata__plan-json-full__plan-redacted.json')] : []),
  ];
  it.each(files)('%s', async (file) => {
    const result = (await runMain(['--format', 'json', file]));
    const report = JSON.parse(result.stdout);
    const valid = validate(report);
    expect(validate.errors ?? []).toEqual([]);
    expect(valid).toBe(true);
    expect(result.status).toBe(report.exit_code);
  });
});

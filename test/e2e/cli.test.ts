import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Ajv2020 from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import packageJson from '../../package.json' with { type: 'json' };
import { CORPUS, corpusPresent, derived, example, plan, PLANS, ROOT } from '../helpers/paths.js';
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
  ])('%s', (name, content, pattern) => {
    const path = write(name, content);
    const result = runCli([path]);
    expectOneLineError(result, pattern);
    expect(result.stderr).toContain(path);
  });

  it.each([
    ['terraform.tfstate', /state file/],
    ['state-show.json', /JSON of a state/],
    ['empty-state-show.json', /empty state/],
    ['plan-text.txt', /text rendering of `terraform plan`/],
    ['providers-schema.json', /providers schema/],
  ])('real Terraform output that is not a plan: %s', (name, pattern) => {
    expectOneLineError(runCli([join('test/fixtures/not-plans', name)]), pattern);
  });

  it('a missing file, a directory', () => {
    expectOneLineError(runCli(['no/such/plan.json']), /no\/such\/plan\.json: no such file/);
    expectOneLineError(runCli(['test']), /is a directory/);
  });

  it('usage errors: no plan, an unknown option, a bad format or provenance', () => {
    expectOneLineError(runCli([]), /command line: .*tfguard --help/);
    expectOneLineError(runCli([plan('delete'), '--frobnicate']), /Unknown argument/i);
    expectOneLineError(runCli([plan('delete'), '--format', 'yaml']), /Invalid values/i);
    expectOneLineError(runCli([plan('delete'), '--provenance', 'robot']), /Invalid values/i);
    expectOneLineError(runCli([plan('delete'), '--provenance', 'ai', '--provenance', 'ai']), /--provenance is given more than once/);
    expectOneLineError(runCli([plan('delete'), '--format', 'json', '--format', 'json']), /--format is given more than once/);
  });
});

describe('inputs', () => {
  it('reads a plan from stdin with -', () => {
    const result = runCli(['--format', 'json', '-'], { input: deleteJson });
    expect(result.status).toBe(0);
    const report = JSON.parse(result.stdout);
    expect(report.plan.source).toBe('<stdin>');
    expect(report.changes.map((change: { address: string }) => change.address)).toEqual(['terraform_data.database']);
  });

  it('reads empty stdin as an empty plan error', () => {
    expectOneLineError(runCli(['-'], { input: '' }), /<stdin>: the plan is empty/);
  });

  it('reads UTF-16 plans as Windows PowerShell writes them', () => {
    const path = write('utf16.json', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(deleteJson, 'utf16le')]));
    const result = runCli(['--format', 'json', path]);
    expect(result.status).toBe(0);
    expect(JSON.parse(result.stdout).changes).toHaveLength(1);
  });

  it('turns a binary plan into JSON with --terraform-bin', () => {
    const result = runCli(['--format', 'json', '--terraform-bin', FAKE_TERRAFORM, 'test/fixtures/binary/delete.tfplan'], {
      env: { FAKE_TERRAFORM_JSON: plan('delete') },
    });
    expect(result.status, result.stderr).toBe(0);
    expect(JSON.parse(result.stdout).changes.map((change: { address: string }) => change.address)).toEqual(['terraform_data.database']);
  });

  it('says why a binary plan cannot be read', () => {
    expectOneLineError(
      runCli(['--terraform-bin', FAKE_TERRAFORM, 'test/fixtures/binary/delete.tfplan'], { env: { FAKE_TERRAFORM_FAIL: '1' } }),
      /could not read this binary plan \(Error: Failed to read the given file as a state or plan file\)/,
    );
    expectOneLineError(runCli(['--terraform-bin', '/nonexistent/terraform', 'test/fixtures/binary/delete.tfplan']), /--terraform-bin \/nonexistent\/terraform was not found/);
    expectOneLineError(runCli(['test/fixtures/binary/delete.tfplan'], { env: { PATH: '/nonexistent' } }), /neither `terraform` nor `tofu` is on PATH/);
    expectOneLineError(runCli(['-'], { input: readFileSync('test/fixtures/binary/delete.tfplan') }), /binary plan file arrived on stdin/);
  });

  const terraform = spawnSync('terraform', ['version'], { encoding: 'utf8' });
  it.skipIf(terraform.status !== 0)('reads the real binary plan with the real terraform when it is installed', () => {
    const result = runCli(['--format', 'json', 'test/fixtures/binary/delete.tfplan'], { env: { TF_CLI_CONFIG_FILE: '/dev/null' } });
    expect(result.status, result.stderr).toBe(0);
    expect(JSON.parse(result.stdout).changes.map((change: { address: string }) => change.address)).toEqual(['terraform_data.database']);
  });
});

describe('outputs', () => {
  it('--output writes the report to a file and nothing to stdout', () => {
    const out = join(scratch, 'report.json');
    const result = runCli(['--format', 'json', '--output', out, example('environment-recreation')]);
    expect(result.status).toBe(1);
    expect(result.stdout).toBe('');
    expect(JSON.parse(readFileSync(out, 'utf8')).verdict).toBe('block');
    expectOneLineError(runCli(['--output', join(scratch, 'missing-dir', 'r.txt'), plan('delete')]), /cannot write the report/);
  });

  it('--version and --help', () => {
    expect(runCli(['--version']).stdout.trim()).toBe(packageJson.version);
    const help = runCli(['--help']);
    expect(help.status).toBe(0);
    expect(help.stdout).toMatch(/Exit codes: 0 allowed/);
  });

  it('digest prints the same digest as the report, and exits 2 on an errored plan', () => {
    const digest = runCli(['digest', example('environment-recreation')]);
    expect(digest.status).toBe(0);
    const report = JSON.parse(runCli(['--format', 'json', example('environment-recreation')]).stdout);
    expect(digest.stdout).toBe(`${report.plan.digest}\n`);
    expect(runCli(['digest', plan('errored-prevent-destroy')]).status).toBe(2);
  });

  it('the digest is stable across re-plans that change nothing destructive and differs when something does', () => {
    const digestOf = (content: string) => {
      const result = runCli(['digest', '-'], { input: content });
      expect(result.status, result.stderr).toBe(0);
      expect(result.stdout).toMatch(/^sha256:[0-9a-f]{64}\n$/);
      return result.stdout;
    };
    const original = JSON.parse(deleteJson);
    const replanned = { ...original, timestamp: '2030-01-01T00:00:00Z', resource_changes: [...original.resource_changes].reverse() };
    expect(digestOf(JSON.stringify(replanned))).toBe(digestOf(deleteJson));
    expect(digestOf(readFileSync(plan('count-shrink'), 'utf8'))).not.toBe(digestOf(deleteJson));
  });

  it('colours only when asked: never with NO_COLOR, not when piped, with FORCE_COLOR', () => {
    expect(runCli([plan('delete')]).stdout).not.toMatch(/\u001b\[/);
    expect(runCli([plan('delete')], { env: { FORCE_COLOR: '1' } }).stdout).toMatch(/\u001b\[/);
    expect(runCli([plan('delete')], { env: { FORCE_COLOR: '1', NO_COLOR: '1' } }).stdout).not.toMatch(/\u001b\[/);
  });
});

describe('secrets and untrusted strings', () => {
  it.each([plan('sensitive-values'), derived('sensitive-replace')])('never prints a sensitive value: %s', (file) => {
    expect(readFileSync(file, 'utf8')).toContain(SECRET);
    for (const format of ['text', 'json']) {
      const result = runCli(['--format', format, file], { env: { FORCE_COLOR: '1' } });
      expect(result.stdout.length).toBeGreaterThan(100);
      expect(result.stdout + result.stderr).not.toContain(SECRET);
    }
  });

  it('shows a replace path into a sensitive value only up to the sensitive attribute', () => {
    const report = JSON.parse(runCli(['--format', 'json', plan('sensitive-values')]).stdout);
    const paths = report.changes.flatMap((change: { replace_paths: unknown[] | null }) => change.replace_paths ?? []);
    expect(paths).toContainEqual(['triggers_replace']);
  });

  it('escapes control characters in addresses for the terminal', () => {
    const hostile = readFileSync(plan('for-each-shrink'), 'utf8').replaceAll('with space', 'with\\u001b[2J\\u0007space');
    const result = runCli(['-'], { input: hostile, env: { FORCE_COLOR: '1' } });
    expect(result.stdout).toContain('with\\u001b[2J\\u0007space');
    expect(result.stdout).not.toMatch(/\u001b\[2J|\u0007/);
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
  it.each(files)('%s', (file) => {
    const result = runCli(['--format', 'json', file]);
    const report = JSON.parse(result.stdout);
    const valid = validate(report);
    expect(validate.errors ?? []).toEqual([]);
    expect(valid).toBe(true);
    expect(result.status).toBe(report.exit_code);
  });
});

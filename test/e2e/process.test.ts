import { spawn, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import packageJson from '../../package.json' with { type: 'json' };
import { CLI, example, plan, ROOT } from '../helpers/paths.js';
import { runCli, type CliResult } from '../helpers/run-cli.js';

/** What only a real process shows: exit codes, stdin and pipes, colours, terminal bytes, binary plans. */
const deleteJson = readFileSync(plan('delete'), 'utf8');
const FAKE_TERRAFORM = join(ROOT, 'test', 'helpers', 'fake-terraform.mjs');

function expectOneLineError(result: CliResult, pattern: RegExp): void {
  expect(result.status, result.stderr).toBe(2);
  expect(result.stdout).toBe('');
  const lines = result.stderr.trimEnd().split('\n');
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(pattern);
  expect(result.stderr).not.toMatch(/\n\s+at /);
}

describe('the built CLI as a process', () => {
  it('exit codes: 0 allowed, 1 blocked, 2 error', () => {
    expect(runCli([example('safe-change')]).status).toBe(0);
    expect(runCli([example('environment-recreation')]).status).toBe(1);
    expect(runCli([plan('errored-prevent-destroy')]).status).toBe(2);
    expect(runCli(['no/such/plan.json']).status).toBe(2);
  });

  it('--version and --help go to stdout', () => {
    expect(runCli(['--version']).stdout).toBe(`${packageJson.version}\n`);
    const help = runCli(['--help']);
    expect(help.status).toBe(0);
    expect(help.stdout).toMatch(/Exit codes: 0 allowed/);
  });

  it('reads a plan from stdin with -, and empty stdin is an error', () => {
    const result = runCli(['--format', 'json', '-'], { input: deleteJson });
    expect(result.status).toBe(0);
    expect(JSON.parse(result.stdout).plan.source).toBe('<stdin>');
    expectOneLineError(runCli(['-'], { input: '' }), /<stdin>: the plan is empty/);
  });

  it('colours only when asked: never with NO_COLOR, not when piped, with FORCE_COLOR', () => {
    expect(runCli([plan('delete')]).stdout).not.toMatch(/\u001b\[/);
    expect(runCli([plan('delete')], { env: { FORCE_COLOR: '1' } }).stdout).toMatch(/\u001b\[/);
    expect(runCli([plan('delete')], { env: { FORCE_COLOR: '1', NO_COLOR: '1' } }).stdout).not.toMatch(/\u001b\[/);
  });

  it('escapes control characters in addresses: no raw escape byte reaches the terminal', () => {
    const hostile = readFileSync(plan('for-each-shrink'), 'utf8').replaceAll('with space', 'with\\u001b[2J\\u0007space');
    const result = runCli(['-'], { input: hostile, env: { FORCE_COLOR: '1' } });
    expect(result.stdout).toContain('with\\u001b[2J\\u0007space');
    expect(result.stdout).not.toMatch(/\u001b\[2J|\u0007/);
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

/** Runs the CLI with stdout into a pipe whose reader closes after the first bytes (`tfguard … | head -c 1`). */
function runIntoClosedPipe(args: string[]): Promise<{ status: number | null; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI, ...args], { cwd: ROOT, env: { PATH: process.env.PATH }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    child.stdout.once('data', () => child.stdout.destroy());
    child.on('close', (status) => resolve({ status, stderr }));
  });
}

describe('endless input', () => {
  it('a stream on stdin that never ends is refused at the size limit, one line and exit 2', async () => {
    const result = await new Promise<{ status: number | null; stderr: string }>((resolve) => {
      const child = spawn(process.execPath, [CLI, '-'], { cwd: ROOT, env: { PATH: process.env.PATH, TFGUARD_MAX_INPUT_BYTES: String(2 ** 20) }, stdio: ['pipe', 'pipe', 'pipe'] });
      let stderr = '';
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
      const block = Buffer.alloc(64 * 1024, 0x20);
      const feed = () => {
        while (child.stdin.writable && child.stdin.write(block));
      };
      child.stdin.on('drain', feed);
      child.stdin.on('error', () => undefined);
      feed();
      child.on('close', (status) => resolve({ status, stderr }));
    });
    expect(result.status).toBe(2);
    expect(result.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(result.stderr).toMatch(/<stdin>: the input is larger than 1 MiB, more than tfguard reads from one input \(or an endless stream\)/);
  });
});

describe('an output that cannot be written', () => {
  // A plan whose JSON report is large enough that the pipe fills before the reader goes away.
  const big = JSON.parse(readFileSync(plan('mass-deletion'), 'utf8'));
  const entry = big.resource_changes.find((item: { change: { actions: string[] } }) => item.change.actions.includes('delete'));
  big.resource_changes = Array.from({ length: 20_000 }, (_, index) => ({ ...entry, address: `${entry.type}.n${index}`, name: `n${index}` }));
  big.prior_state.values.root_module = { resources: big.resource_changes.map(({ address }: { address: string }) => ({ address, mode: 'managed' })) };

  it.each(['text', 'json'])('a closed pipe (%s) is one line and exit 2, never a stack trace or "blocked"', async (format) => {
    const path = join(ROOT, '.tmp', `closed-pipe-${format}.json`);
    const { writeFileSync, mkdirSync } = await import('node:fs');
    mkdirSync(join(ROOT, '.tmp'), { recursive: true });
    writeFileSync(path, JSON.stringify(big));
    const result = await runIntoClosedPipe(['--format', format, path]);
    expect(result.status).toBe(2);
    expect(result.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(result.stderr).toMatch(/^tfguard: error: stdout: cannot write the report \(EPIPE\)/);
  });

  it('a full disk (/dev/full) is one line and exit 2', () => {
    const result = runCli(['--output', '/dev/full', example('safe-change')]);
    expectOneLineError(result, /\/dev\/full: cannot write the report \(ENOSPC\)\. The disk is full/);
  });
});

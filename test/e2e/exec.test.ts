import { spawn } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { runExec } from '../../src/commands/exec.js';
import { CLI, derived, example, plan } from '../helpers/paths.js';
import { captureOutput, runMain } from '../helpers/run-main.js';
import { seniorApprover, standInTerraform, type StandIn } from './stand-in-terraform.js';

const BLOCKED = example('environment-recreation');
const ALLOWED = example('safe-change');
const AGENT = { CLAUDECODE: '1' };

let standIn: StandIn;
beforeEach(() => {
  standIn = standInTerraform();
});

/** `tfguard exec [options] -- ARGV` in process, in the scratch directory, with the stand-ins on PATH. */
function exec(argv: string[], options: { env?: NodeJS.ProcessEnv; tfguard?: string[]; planJson?: string } = {}) {
  return runMain(['exec', ...(options.tfguard ?? []), '--', ...argv], {
    cwd: standIn.work,
    env: standIn.env({ STANDIN_PLAN_JSON: options.planJson ?? ALLOWED, ...options.env }),
  });
}

/** A saved plan file in the scratch directory (the stand-in's show prints it). */
function savedPlan(json: string, name = 'tfplan'): string {
  const path = join(standIn.work, name);
  mkdirSync(dirname(path), { recursive: true });
  copyFileSync(json, path);
  return name;
}

const terraformRuns = () => standIn.runs().filter((run) => run.tool !== 'git');
const tempPlanDirs = () => readdirSync(tmpdir()).filter((name) => name.startsWith('tfguard-exec-'));

describe('tfguard exec -- terraform apply PLANFILE', () => {
  it('checks the saved plan and applies it, with the user\'s arguments, when the check allows it', async () => {
    savedPlan(ALLOWED);
    const result = await exec(['terraform', 'apply', '-no-color', 'tfplan'], { env: AGENT });
    expect(result.status, result.stderr).toBe(0);
    const [show, apply, ...rest] = standIn.runs().filter((run) => run.tool === 'terraform');
    // A private copy of the saved plan is what is shown and applied: nothing can swap it in between.
    const copy = show!.argv.at(-1)!;
    expect(copy).toMatch(/tfguard-exec-[^/]+\/plan\.tfplan$/);
    expect(show).toMatchObject({ argv: ['show', '-json', copy], cwd: standIn.work, automation: '1' });
    expect(apply).toMatchObject({ argv: ['apply', '-no-color', copy] });
    expect(rest).toEqual([]);
    expect(existsSync(copy)).toBe(false);
    expect(result.stderr).toContain('ALLOWED WITH WARNINGS');
    expect(result.stderr).toContain('AI-generated (declared)');
    expect(result.stdout).toContain('stand-in: Apply complete!');
  });

  it('blocked: exit 1, and apply never starts', async () => {
    savedPlan(BLOCKED);
    const result = await exec(['terraform', 'apply', 'tfplan'], { env: AGENT });
    expect(result.status).toBe(1);
    expect(standIn.runsOf('show')).toHaveLength(1);
    expect(standIn.runsOf('apply')).toEqual([]);
    expect(result.stderr).toContain('BLOCKED');
    expect(result.stderr).toContain('tfguard exec: blocked, so tfplan was not applied.');
  });

  it('the plan file is resolved where -chdir puts it', async () => {
    savedPlan(ALLOWED, 'infra/tfplan');
    const result = await exec(['terraform', '-chdir=infra', 'apply', 'tfplan']);
    expect(result.status, result.stderr).toBe(0);
    const copy = standIn.runsOf('show')[0]!.argv.at(-1)!;
    expect(standIn.runsOf('show')[0]?.argv).toEqual(['-chdir=infra', 'show', '-json', copy]);
    expect(standIn.runsOf('apply')[0]?.argv).toEqual(['-chdir=infra', 'apply', copy]);
  });

  it('OpenTofu is run as tofu at every step', async () => {
    savedPlan(ALLOWED);
    expect((await exec(['tofu', 'apply', 'tfplan'])).status).toBe(0);
    expect(standIn.runs().filter((run) => run.tool !== 'git').map((run) => run.tool)).toEqual(['tofu', 'tofu']);
  });
});

describe('tfguard exec -- terraform apply (no saved plan), destroy', () => {
  it('plans to a private temporary file with the user\'s arguments, checks it, and applies exactly that file', async () => {
    const before = tempPlanDirs();
    const result = await exec(['terraform', 'apply', '-auto-approve', '-var', 'size=2', '-target=aws_s3_bucket.logs'], { env: AGENT });
    expect(result.status, result.stderr).toBe(0);
    const [planRun, showRun, applyRun] = standIn.runs().filter((run) => run.tool === 'terraform');
    const out = planRun!.argv.at(-1)!;
    expect(out).toMatch(/^-out=.*tfguard-exec-.*plan\.tfplan$/);
    const planFile = out.slice('-out='.length);
    expect(planRun).toMatchObject({ argv: ['plan', '-var', 'size=2', '-target=aws_s3_bucket.logs', out], automation: '1' });
    expect(showRun?.argv).toEqual(['show', '-json', planFile]);
    expect(applyRun?.argv).toEqual(['apply', '-auto-approve', planFile]);
    expect(existsSync(dirname(planFile))).toBe(false);
    expect(tempPlanDirs()).toEqual(before);
  });

  it('the temporary directory is private to the user while terraform plans into it', async () => {
    expect((await exec(['terraform', 'apply', '-auto-approve'])).status).toBe(0);
    expect(standIn.runsOf('plan')[0]?.outDirMode).toBe(0o700);
  });

  it('blocked: the plan is not applied and its temporary file is gone', async () => {
    const before = tempPlanDirs();
    const result = await exec(['terraform', 'apply', '-auto-approve'], { env: AGENT, planJson: BLOCKED });
    expect(result.status).toBe(1);
    expect(standIn.runsOf('plan')).toHaveLength(1);
    expect(standIn.runsOf('show')).toHaveLength(1);
    expect(standIn.runsOf('apply')).toEqual([]);
    expect(result.stderr).toContain('tfguard exec: blocked, so the plan was not applied.');
    expect(result.stderr).toMatch(/to approve change set sha256:[0-9a-f]{64}, a senior engineer plans the same change/);
    expect(tempPlanDirs()).toEqual(before);
  });

  it('destroy plans with -destroy and is checked as a destroy plan', async () => {
    const result = await exec(['terraform', 'destroy', '-auto-approve', '-var-file=prod.tfvars'], { planJson: plan('destroy-mode') });
    expect(result.status).toBe(1);
    expect(standIn.runsOf('plan')[0]?.argv.slice(0, 3)).toEqual(['plan', '-destroy', '-var-file=prod.tfvars']);
    expect(standIn.runsOf('apply')).toEqual([]);
    expect(standIn.runsOf('destroy')).toEqual([]);
    expect(result.stderr).toContain('BLOCKED');
  });

  it('a destroy the check allows applies exactly the checked destroy plan', async () => {
    const result = await exec(['terraform', 'destroy', '-auto-approve'], { planJson: plan('create-only') });
    expect(result.status, result.stderr).toBe(0);
    const planFile = standIn.runsOf('plan')[0]!.argv.at(-1)!.slice('-out='.length);
    expect(standIn.runsOf('apply')[0]?.argv).toEqual(['apply', '-auto-approve', planFile]);
  });

  it('without -auto-approve and no terminal to confirm on, nothing is applied', async () => {
    const result = await exec(['terraform', 'apply'], { planJson: ALLOWED });
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('there is no terminal to ask on; nothing was applied. Pass -auto-approve');
    expect(standIn.runsOf('apply')).toEqual([]);
  });
});

describe('tfguard exec: a senior\'s approval', () => {
  it('a blocked plan applies once an approval of its change set is recorded', async () => {
    const alice = seniorApprover(standIn.work);
    savedPlan(derived('protection-downgrade'));
    expect((await exec(['terraform', 'apply', 'tfplan'], { env: AGENT })).status).toBe(1);
    const approved = await runMain(['approve', 'tfplan', '--as', 'alice', '--key', alice], { cwd: standIn.work, env: standIn.env() });
    expect(approved.status, approved.stderr).toBe(0);
    const result = await exec(['terraform', 'apply', 'tfplan'], { env: AGENT });
    expect(result.status, result.stderr).toBe(0);
    expect(result.stderr).toContain('alice');
    expect(standIn.runsOf('apply')).toHaveLength(1);
  });
});

describe('tfguard exec: the confirmation an apply without -auto-approve asks for', () => {
  const run = (answer: boolean) =>
    runExec({
      argv: ['terraform', 'apply'],
      cwd: standIn.work,
      env: standIn.env({ STANDIN_PLAN_JSON: ALLOWED }),
      policy: [],
      io: { messages: captureOutput(), terraform: { stdout: captureOutput(), stderr: captureOutput() }, confirm: () => Promise.resolve(answer) },
    });

  it('"yes" applies exactly the checked plan', async () => {
    expect((await run(true)).exitCode).toBe(0);
    const planFile = standIn.runsOf('plan')[0]!.argv.at(-1)!.slice('-out='.length);
    expect(standIn.runsOf('apply')[0]?.argv).toEqual(['apply', planFile]);
  });

  it('anything else cancels: exit 1, nothing applied', async () => {
    expect((await run(false)).exitCode).toBe(1);
    expect(standIn.runsOf('apply')).toEqual([]);
  });
});

describe('tfguard exec: a failure at any step stops before apply', () => {
  it('the saved plan does not exist: exit 2', async () => {
    const result = await exec(['terraform', 'apply', 'missing.tfplan']);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('tfguard: error: missing.tfplan: cannot be read (no such file); nothing was applied');
    expect(terraformRuns()).toEqual([]);
  });

  it('show fails: exit 2', async () => {
    savedPlan(ALLOWED);
    const result = await exec(['terraform', 'apply', 'tfplan'], { env: { STANDIN_FAIL: 'show' } });
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/terraform show -json tfplan: exited with code 1 \(Error: stand-in show failed\); nothing was applied/);
    expect(standIn.runsOf('apply')).toEqual([]);
  });

  it('plan fails: exit 2, nothing shown or applied', async () => {
    const result = await exec(['terraform', 'apply', '-auto-approve'], { env: { STANDIN_FAIL: 'plan' } });
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('Error: stand-in plan failed'); // terraform's own output, passed through
    expect(result.stderr).toContain('tfguard: error: terraform plan: exited with code 1; nothing was applied');
    expect(standIn.runsOf('show')).toEqual([]);
    expect(standIn.runsOf('apply')).toEqual([]);
  });

  it('plan ended by a signal: exit 2', async () => {
    const result = await exec(['terraform', 'destroy', '-auto-approve'], { env: { STANDIN_KILL: 'plan' } });
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/terraform plan: was ended by SIGKILL; nothing was applied/);
    expect(standIn.runsOf('apply')).toEqual([]);
  });

  it('the check throws (show printed something that is not a plan): exit 2', async () => {
    savedPlan(ALLOWED);
    const garbage = await exec(['terraform', 'apply', 'tfplan'], { env: { STANDIN_SHOW_OUTPUT: '{"format_version": "1.2", "resource_changes": [' } });
    expect(garbage.status).toBe(2);
    expect(garbage.stderr).toMatch(/tfguard: error: the output of `terraform show -json tfplan`: /);
    const empty = await exec(['terraform', 'apply', 'tfplan'], { env: { STANDIN_SHOW_OUTPUT: '' } });
    expect(empty.status).toBe(2);
    expect(standIn.runsOf('apply')).toEqual([]);
  });

  it('an errored plan: exit 2', async () => {
    savedPlan(plan('errored-prevent-destroy'));
    const result = await exec(['terraform', 'apply', 'tfplan']);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('the plan errored, so it was not applied');
    expect(standIn.runsOf('apply')).toEqual([]);
  });

  it('a malformed policy: exit 2 before terraform runs at all', async () => {
    writeFileSync(join(standIn.work, 'bad.hcl'), 'rule "x" { enforcement = "sometimes" }\n');
    savedPlan(ALLOWED);
    for (const argv of [['terraform', 'apply', 'tfplan'], ['terraform', 'apply', '-auto-approve']]) {
      const result = await exec(argv, { tfguard: ['--policy', 'bad.hcl'] });
      expect(result.status).toBe(2);
      expect(result.stderr).toContain('bad.hcl');
    }
    expect(standIn.runs().filter((run) => run.tool !== 'git')).toEqual([]);
  });

  it('apply itself fails: its exit code', async () => {
    savedPlan(ALLOWED);
    const result = await exec(['terraform', 'apply', 'tfplan'], { env: { STANDIN_FAIL: 'apply' } });
    expect(result.status).toBe(1);
    expect(standIn.runsOf('apply')).toHaveLength(1);
  });

  it('terraform is not installed: exit 2', async () => {
    const result = await runMain(['exec', '--', 'terraform', 'apply', '-auto-approve'], { cwd: standIn.work, env: { PATH: '/nonexistent' } });
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('the program was not found');
  });
});

describe('tfguard exec: everything else passes straight through', () => {
  it('with terraform\'s output and exit code', async () => {
    const init = await exec(['terraform', 'init', '-upgrade']);
    expect(init).toMatchObject({ status: 0, stdout: 'stand-in: init\n' });
    expect(standIn.runs().filter((run) => run.tool === 'terraform')).toEqual([expect.objectContaining({ argv: ['init', '-upgrade'], automation: null })]);
    for (const command of [['plan', '-out=p'], ['validate'], ['output', '-json'], ['fmt', '-check'], ['version'], ['state', 'list'], ['show']]) {
      expect((await exec(['terraform', ...command])).status, command.join(' ')).toBe(0);
    }
    expect((await exec(['terraform', 'validate'], { env: { STANDIN_FAIL: 'validate' } })).status).toBe(1);
    expect((await exec(['terraform', 'output'], { env: { STANDIN_EXIT: '3' } })).status).toBe(3);
  });

  it('refuses what is not terraform, tofu or terragrunt, and an empty command', async () => {
    expect((await exec(['rm', '-rf', 'state'])).status).toBe(2);
    expect((await runMain(['exec', '--'], { cwd: standIn.work, env: standIn.env() })).status).toBe(2);
    expect(standIn.runs().filter((run) => run.tool !== 'git')).toEqual([]);
  });
});

describe('tfguard exec: state surgery', () => {
  it('refused for an AI-generated run, with what to do instead', async () => {
    const result = await exec(['terraform', 'state', 'rm', 'aws_db_instance.main'], { env: AGENT });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('refused `terraform state rm`');
    expect(result.stderr).toContain('Claude Code runs it: CLAUDECODE=1');
    expect(result.stderr).toContain('removed { from = ADDRESS  lifecycle { destroy = false } }');
    for (const argv of [['workspace', 'delete', 'prod'], ['force-unlock', '-force', 'id'], ['import', 'aws_s3_bucket.x', 'name'], ['state', 'mv', 'a', 'b'], ['state', 'push', 's'], ['state', 'replace-provider', 'a', 'b']]) {
      expect((await exec(['terraform', ...argv], { env: AGENT })).status, argv.join(' ')).toBe(1);
    }
    // An agent cannot declare itself a person.
    expect((await exec(['terraform', 'state', 'rm', 'x'], { env: AGENT, tfguard: ['--provenance', 'human'] })).status).toBe(1);
    expect(standIn.runs().filter((run) => run.tool !== 'git')).toEqual([]);
  });

  it('a policy that allows a state command for agents (agents.allow_state_surgery) lets exactly that one through', async () => {
    const { writeFileSync } = await import('node:fs');
    const { join } = await import('node:path');
    const policy = join(standIn.work, 'agents-policy.hcl');
    writeFileSync(policy, 'agents {\n  allow_state_surgery = ["state mv"]\n}\nrule "all" {\n  enforcement = "advisory"\n}\n');
    expect((await exec(['terraform', 'state', 'mv', 'a', 'b'], { env: AGENT, tfguard: ['--policy', policy] })).status).toBe(0);
    expect((await exec(['terraform', 'state', 'rm', 'a'], { env: AGENT, tfguard: ['--policy', policy] })).status).toBe(1);
    expect(standIn.runs().filter((run) => run.tool === 'terraform').map((run) => run.argv)).toEqual([['state', 'mv', 'a', 'b']]);
  });

  it('unknown provenance counts as AI under the built-in default; a person who declares it runs it', async () => {
    expect((await exec(['terraform', 'state', 'rm', 'x'])).status).toBe(1);
    const human = await exec(['terraform', 'state', 'rm', 'x'], { tfguard: ['--provenance', 'human'] });
    expect(human.status).toBe(0);
    expect(standIn.runs().filter((run) => run.tool === 'terraform').map((run) => run.argv)).toEqual([['state', 'rm', 'x']]);
  });
});

describe('tfguard exec -- terragrunt', () => {
  it('a module: plan, check and apply exactly that file, terragrunt\'s own flags at every step', async () => {
    const result = await exec(['terragrunt', '--working-dir', 'live/prod', 'apply', '-auto-approve'], { env: AGENT });
    expect(result.status, result.stderr).toBe(0);
    const [planRun, showRun, applyRun] = standIn.runs().filter((run) => run.tool === 'terragrunt');
    const planFile = planRun!.argv.at(-1)!.slice('-out='.length);
    expect(planRun!.argv.slice(0, 3)).toEqual(['--working-dir', 'live/prod', 'plan']);
    expect(showRun?.argv).toEqual(['--working-dir', 'live/prod', 'show', '-json', planFile]);
    expect(applyRun?.argv).toEqual(['--working-dir', 'live/prod', 'apply', '-auto-approve', planFile]);
  });

  it('run-all apply cannot be checked: refused, nothing runs', async () => {
    for (const argv of [['run-all', 'apply'], ['run', '--all', '--', 'apply'], ['run-all', 'destroy'], ['apply', '--all']]) {
      const result = await exec(['terragrunt', ...argv]);
      expect(result.status, argv.join(' ')).toBe(2);
      expect(result.stderr).toContain('no single plan file is what gets applied');
    }
    expect(standIn.runs().filter((run) => run.tool !== 'git')).toEqual([]);
    expect((await exec(['terragrunt', 'run-all', 'plan'])).status).toBe(0);
  });
});

describe('tfguard exec as a process', () => {
  it('passes terraform\'s output through the terminal streams', async () => {
    savedPlan(ALLOWED);
    const result = await runProcess(['exec', '--', 'terraform', 'apply', 'tfplan'], standIn.env());
    expect(result.status, result.stderr).toBe(0);
    expect(result.stdout).toBe('stand-in: Apply complete!\n');
    expect(result.stderr).toContain('tfguard exec: allowed with warnings; applying tfplan.');
  });

  it('a SIGTERM while terraform plans: passed on to terraform, and nothing is applied', async () => {
    const child = spawn(process.execPath, [CLI, 'exec', '--', 'terraform', 'apply', '-auto-approve'], {
      cwd: standIn.work,
      env: standIn.env({ STANDIN_PLAN_JSON: ALLOWED, STANDIN_SLEEP_MS: '5000' }),
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    await waitFor(() => standIn.runsOf('plan').length === 1);
    child.kill('SIGTERM');
    const status = await new Promise<number | null>((done) => child.on('close', (code) => done(code)));
    expect(status).toBe(2);
    expect(stderr).toContain('stand-in: plan interrupted');
    expect(stderr).toMatch(/interrupted by SIGTERM during plan; nothing was applied|was ended|exited with code 143/);
    expect(standIn.runsOf('show')).toEqual([]);
    expect(standIn.runsOf('apply')).toEqual([]);
  });
});

function runProcess(args: string[], env: NodeJS.ProcessEnv): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((done) => {
    const child = spawn(process.execPath, [CLI, ...args], { cwd: standIn.work, env: { STANDIN_PLAN_JSON: ALLOWED, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('close', (status) => done({ status, stdout, stderr }));
  });
}

async function waitFor(condition: () => boolean, timeoutMs = 10_000): Promise<void> {
  const start = Date.now();
  while (!condition()) {
    if (Date.now() - start > timeoutMs) throw new Error('timed out waiting');
    await new Promise((done) => setTimeout(done, 20));
  }
}


import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { CLI, derived, example } from '../helpers/paths.js';
import { runMain } from '../helpers/run-main.js';
import { seniorApprover, standInTerraform, type StandIn } from './stand-in-terraform.js';

const BLOCKED = example('environment-recreation');
const ALLOWED = example('safe-change');

let standIn: StandIn;
beforeEach(() => {
  standIn = standInTerraform();
});

/** What Claude Code sends a PreToolUse hook for a Bash call (https://code.claude.com/docs/en/hooks#pretooluse-input). */
function claudeInput(command: string, cwd = standIn.work, extra: Record<string, unknown> = {}): string {
  return JSON.stringify({
    session_id: 'abc123',
    transcript_path: '/tmp/transcript.jsonl',
    cwd,
    permission_mode: 'default',
    hook_event_name: 'PreToolUse',
    tool_name: 'Bash',
    tool_input: { command, description: 'run it' },
    tool_use_id: 'toolu_01',
    ...extra,
  });
}

async function claude(command: string, options: { cwd?: string; env?: NodeJS.ProcessEnv; input?: string; args?: string[] } = {}) {
  const result = await runMain(['hook', 'claude-code', ...(options.args ?? [])], {
    cwd: standIn.work,
    input: options.input ?? claudeInput(command, options.cwd),
    env: standIn.env({ CLAUDECODE: '1', CLAUDE_PROJECT_DIR: standIn.work, ...options.env }),
  });
  const decision = result.stdout === '' ? undefined : (JSON.parse(result.stdout) as { hookSpecificOutput: { hookEventName: string; permissionDecision: string; permissionDecisionReason: string } }).hookSpecificOutput;
  return { ...result, decision, reason: decision?.permissionDecisionReason ?? '' };
}

function savedPlan(json: string, name: string): void {
  const path = join(standIn.work, name);
  mkdirSync(dirname(path), { recursive: true });
  copyFileSync(json, path);
}

const terraformRuns = () => standIn.runs().filter((run) => run.tool !== 'git');

describe('tfguard hook claude-code: commands that do not run terraform', () => {
  it('pass untouched: no output, exit 0, no terraform and no git', async () => {
    for (const command of ['ls -la', 'npm test && git status', 'cat main.tf | grep bucket', 'echo "$(date)"', 'git commit -m "plan the terraform apply later"']) {
      const result = await claude(command);
      expect(result, command).toMatchObject({ status: 0, stdout: '', stderr: '' });
    }
    expect(standIn.runs()).toEqual([]);
  });

  it('terraform commands that change nothing pass too, unread', async () => {
    for (const command of ['terraform init', 'cd infra && terraform plan -out=tfplan', 'terraform show -json tfplan | jq .', 'terraform validate && terraform fmt -check', 'tofu output -json']) {
      expect(await claude(command), command).toMatchObject({ status: 0, stdout: '' });
    }
    expect(standIn.runs()).toEqual([]);
  });

  it('other tools and events are none of its business', async () => {
    const edit = await claude('', { input: JSON.stringify({ hook_event_name: 'PreToolUse', tool_name: 'Edit', tool_input: { file_path: '/x/main.tf' }, cwd: standIn.work }) });
    expect(edit).toMatchObject({ status: 0, stdout: '' });
    const post = await claude('', { input: claudeInput('terraform apply -auto-approve', standIn.work, { hook_event_name: 'PostToolUse' }) });
    expect(post).toMatchObject({ status: 0, stdout: '' });
  });
});

describe('tfguard hook claude-code: apply with a saved plan is checked', () => {
  it('denies a blocked plan with the JSON decision and exit 0, telling the agent what would pass and which approval is missing', async () => {
    savedPlan(BLOCKED, 'infra/tfplan');
    const result = await claude('cd infra && terraform apply tfplan');
    expect(result.status).toBe(0);
    expect(result.decision).toMatchObject({ hookEventName: 'PreToolUse', permissionDecision: 'deny' });
    expect(result.reason).toContain(`tfguard blocked \`terraform apply tfplan\` in ${join(standIn.work, 'infra')}`);
    expect(result.reason).toContain('aws_db_instance.main: replace (aws_db_instance, database)');
    expect(result.reason).toContain('What would pass: Keep engine as it is');
    expect(result.reason).toMatch(/senior approvals? of change set sha256:[0-9a-f]{64}/);
    expect(result.reason).toContain('tfguard approve tfplan');
    expect(result.reason).toContain('Do not work around this check');
    expect(standIn.runsOf('show')).toEqual([expect.objectContaining({ argv: ['show', '-json', 'tfplan'], cwd: join(standIn.work, 'infra'), automation: '1' })]);
    expect(standIn.runsOf('apply')).toEqual([]);
  });

  it('a senior\'s recorded approval of the change set lets the plan through', async () => {
    const alice = seniorApprover(standIn.work);
    savedPlan(derived('protection-downgrade'), 'tfplan');
    const blocked = await claude('terraform apply tfplan');
    expect(blocked.reason).toContain('1 more senior approval of change set');
    expect(blocked.reason).toContain('tfguard approve tfplan --as alice');
    expect(blocked.reason).toContain('do not create or sign an approval yourself');
    expect((await runMain(['approve', 'tfplan', '--as', 'alice', '--key', alice], { cwd: standIn.work, env: standIn.env() })).status).toBe(0);
    expect(await claude('terraform apply tfplan')).toMatchObject({ status: 0, stdout: '' });
  });

  it('lets an allowed plan through without a decision: the normal permission flow goes on', async () => {
    savedPlan(ALLOWED, 'tfplan');
    const result = await claude('terraform apply tfplan');
    expect(result).toMatchObject({ status: 0, stdout: '' });
    expect(standIn.runsOf('show')).toHaveLength(1);
  });

  it('reads the command the shell would run: quotes, env prefixes, sh -c, -chdir, cd chains, wrappers', async () => {
    savedPlan(BLOCKED, 'infra/my plan');
    savedPlan(BLOCKED, 'infra/tfplan');
    const commands = [
      `cd infra && terraform apply "my plan"`,
      `TF_VAR_region=eu-west-1 TF_IN_AUTOMATION=1 terraform -chdir=infra apply tfplan`,
      `sh -c 'cd infra && terraform apply tfplan'`,
      `bash -lc "cd infra; terraform apply tfplan 2>&1 | tee apply.log"`,
      `cd /tmp && cd ${standIn.work}/infra && terraform apply tfplan`,
      `env -C infra terraform apply tfplan`,
      `timeout 600 terraform -chdir=infra apply tfplan`,
      `(cd infra && nohup terraform apply tfplan &)`,
      `git pull; cd infra\nterraform apply tfplan`,
    ];
    for (const command of commands) {
      const result = await claude(command);
      expect(result.decision?.permissionDecision, command).toBe('deny');
      expect(result.reason, command).toContain('tfguard blocked');
    }
  });

  it('denies when it cannot tell which plan file would be applied', async () => {
    savedPlan(ALLOWED, 'tfplan');
    const cases: [string, RegExp][] = [
      ['terraform plan -out=tfplan && terraform apply tfplan', /the same command writes that plan file first/],
      ['cd $INFRA && terraform apply tfplan', /cannot tell which plan file that is/],
      ['terraform apply $PLAN', /cannot tell which plan file that is/],
      ['echo $(terraform apply tfplan)', /inside a command substitution/],
    ];
    for (const [command, reason] of cases) {
      const result = await claude(command);
      expect(result.decision?.permissionDecision, command).toBe('deny');
      expect(result.reason, command).toMatch(reason);
    }
  });

  it('a plan file show cannot read is denied, never passed', async () => {
    const result = await claude('terraform apply no-such.tfplan');
    expect(result.decision?.permissionDecision).toBe('deny');
    expect(result.reason).toMatch(/tfguard could not check `terraform apply no-such\.tfplan`, so it may not run: terraform show -json no-such\.tfplan: exited with code 1/);
  });
});

describe('tfguard hook claude-code: apply and destroy without a saved plan go through tfguard exec', () => {
  it('denies them before anything runs, with the tfguard exec command that would check and apply the same plan', async () => {
    const cases: [string, string][] = [
      ['terraform apply -auto-approve', 'tfguard exec -- terraform apply -auto-approve'],
      ['cd infra && terraform apply -var size=2', "tfguard exec -- terraform apply -var size=2 -auto-approve"],
      ['TF_VAR_x=1 terraform destroy', 'tfguard exec -- terraform destroy -auto-approve'],
      [`sh -c 'tofu apply -auto-approve -target="module.db"'`, 'tfguard exec -- tofu apply -auto-approve -target=module.db'],
      ['terraform apply -destroy -auto-approve', 'tfguard exec -- terraform apply -destroy -auto-approve'],
      ['terragrunt apply', 'tfguard exec -- terragrunt apply -auto-approve'],
    ];
    for (const [command, suggestion] of cases) {
      const result = await claude(command);
      expect(result.decision?.permissionDecision, command).toBe('deny');
      expect(result.reason, command).toContain('so the checked plan is the applied plan');
      expect(result.reason, command).toContain(suggestion);
    }
    expect(standIn.runs()).toEqual([]);
  });

  it('tfguard exec itself passes (it checks on its own), unless the command hides the agent from it', async () => {
    expect(await claude('tfguard exec -- terraform apply -auto-approve')).toMatchObject({ status: 0, stdout: '' });
    expect(await claude('npx --no-install tfguard exec --policy org.hcl -- terraform destroy -auto-approve')).toMatchObject({ status: 0, stdout: '' });
    for (const command of ['CLAUDECODE= tfguard exec -- terraform apply -auto-approve', 'env -u CLAUDECODE tfguard exec -- terraform apply -auto-approve']) {
      const result = await claude(command);
      expect(result.decision?.permissionDecision, command).toBe('deny');
      expect(result.reason).toContain('`CLAUDECODE`');
    }
  });
});

describe('tfguard hook claude-code: state surgery and stacks', () => {
  it('refuses state surgery, saying what to do instead', async () => {
    const cases: [string, string][] = [
      ['terraform state rm aws_db_instance.main', 'removed { from = ADDRESS'],
      ['cd infra && terraform state mv a b', 'moved { from = OLD  to = NEW }'],
      ['terraform workspace delete -force staging', 'destroy them with a checked plan first'],
      ['terraform force-unlock -force 1234', 'Wait for the run that holds the lock'],
      ['terraform import aws_s3_bucket.logs my-logs', 'import { to = ADDRESS'],
      ['tofu state push old.tfstate', 'version history'],
    ];
    for (const [command, instead] of cases) {
      const result = await claude(command);
      expect(result.decision?.permissionDecision, command).toBe('deny');
      expect(result.reason, command).toContain('destroys or forgets without a plan');
      expect(result.reason, command).toContain(instead);
    }
    expect(terraformRuns()).toEqual([]);
  });

  it('refuses terragrunt applies across a stack', async () => {
    for (const command of ['terragrunt run-all apply', 'cd live && terragrunt run --all -- apply -auto-approve']) {
      const result = await claude(command);
      expect(result.decision?.permissionDecision, command).toBe('deny');
      expect(result.reason).toContain('Plan and apply one module at a time');
    }
    expect(await claude('terragrunt run-all plan')).toMatchObject({ stdout: '' });
  });

  it('a state command the policy allows for agents passes; the others are still denied', async () => {
    const { writeFileSync } = await import('node:fs');
    const { join } = await import('node:path');
    const policy = join(standIn.work, 'agents-allow.hcl');
    writeFileSync(policy, 'agents {\n  allow_state_surgery = ["state mv"]\n}\nrule "all" {\n  enforcement = "advisory"\n}\n');
    expect(await claude('terraform state mv a b', { args: ['--policy', policy] })).toMatchObject({ stdout: '', status: 0 });
    expect((await claude('terraform state rm a', { args: ['--policy', policy] })).decision?.permissionDecision).toBe('deny');
  });

  it('every denial of a compound command is in the reason', async () => {
    const result = await claude('terraform state rm x; terraform destroy -auto-approve');
    expect(result.reason).toContain('terraform state rm');
    expect(result.reason).toContain('tfguard exec -- terraform destroy -auto-approve');
  });
});

describe('tfguard hook claude-code fails closed', () => {
  it('input that is not the hook JSON: the deny JSON and exit 2 (exit 1 would let the command run)', async () => {
    for (const input of ['', 'not json', '[]', JSON.stringify({ hook_event_name: 'PreToolUse', tool_name: 'Bash', tool_input: {} })]) {
      const result = await claude('', { input });
      expect(result.status, input).toBe(2);
      expect(result.decision?.permissionDecision).toBe('deny');
      expect(result.stderr).toMatch(/^tfguard: error: hook input/);
    }
  });

  it('a malformed policy denies the apply it would have checked', async () => {
    savedPlan(ALLOWED, 'tfplan');
    writeFileSync(join(standIn.work, 'bad.hcl'), 'rule "x" { enforcement = "sometimes" }\n');
    const result = await claude('terraform apply tfplan', { args: ['--policy', 'bad.hcl'] });
    expect(result.decision?.permissionDecision).toBe('deny');
    expect(result.reason).toContain('bad.hcl');
  });

  it('as a process: exit 2 with the deny JSON on stdout', () => {
    const result = spawnSync(process.execPath, [CLI, 'hook', 'claude-code'], { input: '{', encoding: 'utf8', env: standIn.env() });
    expect(result.status).toBe(2);
    expect(JSON.parse(result.stdout).hookSpecificOutput.permissionDecision).toBe('deny');
    const unrelated = spawnSync(process.execPath, [CLI, 'hook', 'claude-code'], { input: claudeInput('ls'), encoding: 'utf8', env: standIn.env() });
    expect(unrelated).toMatchObject({ status: 0, stdout: '', stderr: '' });
  });
});

describe('tfguard hook gemini-cli', () => {
  /** What Gemini CLI sends a BeforeTool hook for its shell tool (docs/hooks/reference.md). */
  const geminiInput = (command: string, dirPath?: string) =>
    JSON.stringify({
      session_id: 's1',
      transcript_path: '/tmp/t.json',
      cwd: standIn.work,
      hook_event_name: 'BeforeTool',
      timestamp: '2026-01-01T00:00:00Z',
      tool_name: 'run_shell_command',
      tool_input: { command, description: 'x', ...(dirPath !== undefined ? { dir_path: dirPath } : {}) },
    });
  const gemini = (input: string) => runMain(['hook', 'gemini-cli'], { cwd: standIn.work, input, env: standIn.env({ GEMINI_CLI: '1', GEMINI_PROJECT_DIR: standIn.work }) });

  it('denies a blocked plan with {"decision":"deny"} and exit 0, in the directory dir_path names', async () => {
    savedPlan(BLOCKED, 'infra/tfplan');
    const result = await gemini(geminiInput('terraform apply tfplan', 'infra'));
    expect(result.status).toBe(0);
    const output = JSON.parse(result.stdout) as { decision: string; reason: string };
    expect(output.decision).toBe('deny');
    expect(output.reason).toContain('(a change Gemini CLI makes counts as AI-generated)');
    expect(standIn.runsOf('show')[0]?.cwd).toBe(join(standIn.work, 'infra'));
  });

  it('passes what it need not stop, with nothing on stdout', async () => {
    expect(await gemini(geminiInput('ls -la'))).toMatchObject({ status: 0, stdout: '' });
    expect(await gemini(JSON.stringify({ hook_event_name: 'BeforeTool', tool_name: 'read_file', tool_input: { file_path: 'x' } }))).toMatchObject({ status: 0, stdout: '' });
  });

  it('sends an apply without a plan through tfguard exec', async () => {
    const output = JSON.parse((await gemini(geminiInput('terraform apply -auto-approve'))).stdout) as { decision: string; reason: string };
    expect(output.decision).toBe('deny');
    expect(output.reason).toContain('tfguard exec -- terraform apply -auto-approve');
  });

  it('fails closed with exit 2 and the reason on stderr (Gemini CLI reads stdout only on exit 0)', async () => {
    const result = await gemini('nope');
    expect(result).toMatchObject({ status: 2, stdout: '' });
    expect(result.stderr).toMatch(/tfguard could not decide about this command, so it blocks it: hook input: is not JSON/);
  });
});

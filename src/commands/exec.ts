import { spawn, type ChildProcess, type StdioOptions } from 'node:child_process';
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { constants, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { loadPolicy } from '../policy/load-policy.js';
import type { Policy } from '../policy/model.js';
import { inputLimit } from '../plan/read-input.js';
import { collectProvenanceFacts } from '../provenance/collect.js';
import { environmentFacts } from '../provenance/environment.js';
import type { Evidence } from '../provenance/evidence.js';
import { matchEnvironment } from '../provenance/match.js';
import { resolveProvenance, type Declaration } from '../provenance/resolve.js';
import { compileSignals } from '../provenance/signals.js';
import { textRenderer } from '../render/text.js';
import { choosePalette } from '../render/palette.js';
import { renderToString } from '../render/renderer.js';
import type { Report } from '../report/report.js';
import { TfguardError } from '../shared/errors.js';
import { terminalSafe } from '../shared/escape.js';
import { runCheck, type CheckOutcome, type CheckRequest } from './check.js';
import { renderOptionsFor } from './render-options.js';
import { firstDiagnosticLine } from '../plan/read-input.js';
import {
  surgeryOf,
  chdirOf,
  classifyInvocation,
  parseInvocation,
  terragruntFlagsOf,
  type Invocation,
  type Step,
} from './terraform-invocation.js';

/** Where text is written: the CLI's Output (src/output.ts) fits; commands sit below the shell and do not import it. */
export interface TextOutput {
  readonly isTTY: boolean;
  write(text: string): Promise<void>;
}

/** Where terraform's own output goes: the process's streams (a terminal can answer its prompts), or captured ones. */
export type TerraformOutput = 'inherit' | { stdout: TextOutput; stderr: TextOutput };

export interface ExecIo {
  /** tfguard's report and messages: stderr, so terraform's stdout (`-json` included) stays terraform's. */
  messages: TextOutput;
  terraform: TerraformOutput;
  /** Asks the person at the terminal; absent when nobody can answer. */
  confirm?: (question: string) => Promise<boolean>;
}

export interface ExecRequest {
  /** Everything after `--`: the terraform, tofu or terragrunt command line, program first. */
  argv: readonly string[];
  cwd: string;
  env: NodeJS.ProcessEnv;
  /** --policy specs ([] = discovery from cwd). */
  policy: readonly string[];
  approvals?: readonly string[];
  /** auto (default) decides from the evidence; a coding agent's environment always counts as AI, whatever is declared. */
  provenance?: Declaration | 'auto';
  environmentName?: string;
  now?: Date;
  io: ExecIo;
}

export interface ExecOutcome {
  exitCode: number;
  /** Errors to print after the report (an errored plan); other failures are thrown as TfguardError. */
  errors: TfguardError[];
  report?: Report;
}

/**
 * `tfguard exec -- terraform …`: the plan that gets applied is the plan that was checked. A saved
 * plan is read with `show -json` and checked, and only an allowed verdict lets `apply PLANFILE` run;
 * an apply or destroy without a plan first plans to a private temporary file, and applies exactly
 * that file. Anything that fails — show, plan, the check, the policy, a signal — stops before apply.
 */
export async function runExec(request: ExecRequest): Promise<ExecOutcome> {
  const argv = request.argv;
  if (argv.length === 0) throw new TfguardError('tfguard exec', 'no command after --', 'Give the command to run: tfguard exec -- terraform apply plan.tfplan');
  const invocation = parseInvocation(argv);
  if (invocation === undefined) {
    throw new TfguardError('tfguard exec', `${terminalSafe(argv[0]!)} is not terraform, tofu or terragrunt`, 'Give the terraform, tofu or terragrunt command line after --');
  }
  const step = classifyInvocation(invocation);
  const interrupts = new Interrupts();
  interrupts.start();
  try {
    return await runStep(request, invocation, step, interrupts);
  } finally {
    interrupts.stop();
  }
}

async function runStep(request: ExecRequest, invocation: Invocation, step: Step, interrupts: Interrupts): Promise<ExecOutcome> {
  const say = (text: string) => request.io.messages.write(`tfguard exec: ${text}\n`);
  switch (step.kind) {
    case 'pass-through':
      return passThrough(request, invocation, interrupts);
    case 'all-modules':
      throw new TfguardError(
        'tfguard exec',
        `\`${step.operation}\` applies every module of the stack, and no single plan file is what gets applied, so it cannot be checked; nothing was run`,
        'Plan and apply each module through tfguard: cd MODULE && tfguard exec -- terragrunt apply',
      );
    case 'state-surgery': {
      const policy = await loadPolicy(request.policy, request.cwd);
      const ai = await aiRun(request, policy);
      if (ai.ai && !policy.agents.allowStateSurgery.includes(surgeryOf(step.operation))) {
        await say(`refused \`${step.operation}\`: it destroys or forgets without a plan, so nothing could check it, and this run counts as AI-generated (${terminalSafe(ai.why)}); nothing was run.`);
        await say(`${step.instead}.`);
        return { exitCode: 1, errors: [] };
      }
      return passThrough(request, invocation, interrupts);
    }
    case 'saved-plan':
    case 'plan-first':
      return checkThenApply(request, invocation, step, interrupts);
  }
}

/** Runs the command as given, with terraform's own output and exit code. */
async function passThrough(request: ExecRequest, invocation: Invocation, interrupts: Interrupts): Promise<ExecOutcome> {
  const result = await runChild(request.argv, childOptions(request, interrupts, request.io.terraform));
  if (result.error && result.code === null && result.signal === null) throw stepFailed(invocation.program, result, 'Install it or put it on PATH');
  return { exitCode: exitCodeOf(result, 2), errors: [] };
}

async function checkThenApply(
  request: ExecRequest,
  invocation: Invocation,
  step: Extract<Step, { kind: 'saved-plan' | 'plan-first' }>,
  interrupts: Interrupts,
): Promise<ExecOutcome> {
  const say = (text: string) => request.io.messages.write(`tfguard exec: ${text}\n`);
  // Read and validate the policy before anything runs: a malformed policy stops here, not after a long plan.
  const policy = await loadPolicy(request.policy, request.cwd);
  // A saved plan is copied here first (terragrunt's excepted: it finds plan files in its own cache),
  // so no other process can swap the file between the check and the apply.
  const copyPlan = step.kind === 'saved-plan' && invocation.tool !== 'terragrunt';
  const workDir = step.kind === 'plan-first' || copyPlan ? mkdtempSync(join(tmpdir(), 'tfguard-exec-')) : undefined;
  try {
    let planFile: string;
    let source: string;
    let applyArgv: string[];
    if (step.kind === 'plan-first') {
      planFile = join(workDir!, 'plan.tfplan');
      source = `<${invocation.tool} plan>`;
      const planArgv = [invocation.program, ...invocation.prefix, 'plan', ...step.planArgs, `-out=${planFile}`];
      const planned = await runChild(planArgv, childOptions(request, interrupts, request.io.terraform, { automation: true }));
      stopIfInterrupted(interrupts, 'plan');
      if (planned.error || planned.code !== 0) throw stepFailed(`${invocation.tool} plan`, planned, 'Fix what it printed above and run the command again');
      applyArgv = [invocation.program, ...invocation.prefix, 'apply', ...step.applyArgs, planFile];
    } else {
      source = step.planFile;
      planFile = copyPlan ? copyPlanFile(resolvePlanPath(request.cwd, chdirOf(invocation), step.planFile), step.planFile, workDir!) : step.planFile;
      const args = [...invocation.args];
      args[step.planIndex] = planFile;
      applyArgv = [invocation.program, ...invocation.prefix, ...(invocation.command !== undefined ? [invocation.command] : []), ...args];
    }

    const json = await showPlanJson(invocation, planFile, { cwd: request.cwd, env: request.env, interrupts, shownAs: source });
    stopIfInterrupted(interrupts, 'show');
    const agent = agentEvidence(request.env, policy);
    const outcome = await checkShownPlan(json, `${invocation.tool} show -json ${source}`, {
      source,
      policy: request.policy,
      provenance: agent.length > 0 ? 'ai' : (request.provenance ?? 'auto'),
      env: request.env,
      cwd: request.cwd,
      ...(request.approvals !== undefined ? { approvals: request.approvals } : {}),
      ...(request.environmentName !== undefined ? { environmentName: request.environmentName } : {}),
      ...(request.now !== undefined ? { now: request.now } : {}),
    });
    const { report } = outcome;
    const palette = choosePalette(request.io.messages.isTTY, request.env);
    await request.io.messages.write(renderToString(textRenderer, report, renderOptionsFor('text', report, { palette, cwd: request.cwd, plan: '-' })));
    stopIfInterrupted(interrupts, 'the check');

    if (report.verdict === 'error') {
      await say('the plan errored, so it was not applied.');
      return { exitCode: 2, errors: outcome.errors, report };
    }
    if (report.verdict === 'block') {
      await say(`blocked, so ${step.kind === 'plan-first' ? 'the plan was not applied' : `${terminalSafe(source)} was not applied`}.`);
      if (step.kind === 'plan-first' && report.summary.hard_mandatory_blocking === 0) {
        await say(
          `to approve change set ${report.plan.digest}, a senior engineer plans the same change (\`${invocation.tool} plan -out=plan.tfplan\` with the same arguments) and runs \`tfguard approve plan.tfplan\`; the digest stays the same while the destructive changes do.`,
        );
      }
      return { exitCode: 1, errors: outcome.errors, report };
    }

    if (step.kind === 'plan-first' && !step.autoApprove) {
      if (request.io.confirm === undefined) {
        throw new TfguardError('tfguard exec', 'apply without -auto-approve asks for confirmation, and there is no terminal to ask on; nothing was applied', 'Pass -auto-approve (the plan is checked either way)');
      }
      const confirmed = await request.io.confirm(
        `\nDo you want to perform these actions?\n  ${invocation.tool} will apply the plan tfguard checked above.\n  Only 'yes' will be accepted to approve.\n\n  Enter a value: `,
      );
      stopIfInterrupted(interrupts, 'the confirmation');
      if (!confirmed) {
        await say('apply cancelled; nothing was applied.');
        return { exitCode: 1, errors: [], report };
      }
    }

    await say(`${report.verdict === 'warn' ? 'allowed with warnings' : 'allowed'}; applying ${step.kind === 'plan-first' ? 'exactly the plan checked above' : terminalSafe(source)}.`);
    const applied = await runChild(applyArgv, childOptions(request, interrupts, request.io.terraform));
    return { exitCode: exitCodeOf(applied, 2), errors: [], report };
  } finally {
    if (workDir !== undefined) rmSync(workDir, { recursive: true, force: true });
  }
}

/** The saved plan copied into tfguard's private directory; the copy is what is shown and applied. */
function copyPlanFile(path: string, given: string, workDir: string): string {
  const copy = join(workDir, 'plan.tfplan');
  try {
    copyFileSync(path, copy);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new TfguardError(terminalSafe(given), `cannot be read (${code === 'ENOENT' ? 'no such file' : (code ?? (error as Error).message)}); nothing was applied`, 'Check the path; create the plan with `terraform plan -out=plan.tfplan`');
  }
  return copy;
}

/**
 * The check of a plan read with `show -json`: runCheck on the JSON, with errors about it named after
 * the show command that printed it rather than `<stdin>`.
 */
export async function checkShownPlan(json: Buffer, shownBy: string, request: Omit<CheckRequest, 'plan' | 'stdin'>): Promise<CheckOutcome> {
  try {
    return await runCheck({ ...request, plan: '-', stdin: () => json });
  } catch (error) {
    if (error instanceof TfguardError && error.where === '<stdin>') throw new TfguardError(`the output of \`${terminalSafe(shownBy)}\``, error.message, error.fix);
    throw error;
  }
}

export interface ShowOptions {
  cwd: string;
  env: NodeJS.ProcessEnv;
  interrupts?: Interrupts;
  /** How messages name the plan file (the user's name for a copy). */
  shownAs?: string;
}

/**
 * `terraform show -json PLANFILE` with the invocation's own program and global options (so `-chdir`
 * and terragrunt's working directory resolve the file as apply would), its output captured: the
 * JSON plan the check reads. The hooks call it too.
 */
export async function showPlanJson(invocation: Invocation, planFile: string, options: ShowOptions): Promise<Buffer> {
  const argv = [invocation.program, ...invocation.prefix, 'show', ...terragruntFlagsOf(invocation), '-json', planFile];
  const shown = await runChild(argv, { cwd: options.cwd, env: { ...options.env, TF_IN_AUTOMATION: '1' }, output: 'capture', interrupts: options.interrupts, limit: inputLimit(options.env) });
  const name = terminalSafe(options.shownAs ?? planFile);
  if (shown.tooLarge) {
    throw new TfguardError(name, `\`${invocation.tool} show -json\` printed more than tfguard reads from one plan; nothing was applied`, 'Split the configuration into smaller root modules');
  }
  if (shown.error || shown.code !== 0) {
    throw stepFailed(`${invocation.tool} show -json ${name}`, shown, 'Check that the plan file exists and was made in this working directory with this Terraform version');
  }
  return shown.stdout ?? Buffer.alloc(0);
}

/** The coding agent the environment shows (CLAUDECODE=1, GEMINI_CLI=1 …), as the evidence the shipped and policy signals find. */
export function agentEvidence(env: NodeJS.ProcessEnv, policy: Policy): Evidence[] {
  const signals = compileSignals(policy.provenance.aiSignatures);
  return matchEnvironment(environmentFacts(env, signals), signals);
}

/**
 * Whether this run counts as AI-generated, decided as the check decides it: an agent's environment
 * is AI whatever is declared; otherwise the declaration, else the evidence of the commits.
 */
async function aiRun(request: ExecRequest, policy: Policy): Promise<{ ai: boolean; why: string }> {
  const agent = agentEvidence(request.env, policy);
  if (agent.length > 0) return { ai: true, why: `${agent[0]!.tool} runs it: ${agent[0]!.text}` };
  if (request.provenance === 'ai' || request.provenance === 'human') return { ai: request.provenance === 'ai', why: `declared ${request.provenance}` };
  const signals = compileSignals(policy.provenance.aiSignatures);
  const collected = await collectProvenanceFacts({ cwd: request.cwd, env: request.env, signals });
  const resolved = resolveProvenance({ declared: undefined, collected, settings: policy.provenance, signals });
  return { ai: resolved.ai, why: resolved.reason ?? `provenance: ${resolved.basis}` };
}

interface ChildOptions {
  cwd: string;
  env: NodeJS.ProcessEnv;
  output: TerraformOutput | 'capture';
  interrupts?: Interrupts | undefined;
  /** capture: the most stdout bytes kept. */
  limit?: number;
}

interface ChildResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  error?: NodeJS.ErrnoException;
  stdout?: Buffer;
  stderr?: string;
  tooLarge?: boolean;
}

function childOptions(request: ExecRequest, interrupts: Interrupts, output: TerraformOutput, options: { automation?: boolean } = {}): ChildOptions {
  return { cwd: request.cwd, env: options.automation ? { ...request.env, TF_IN_AUTOMATION: '1' } : request.env, output, interrupts };
}

/** Runs a program with an argument array, never a shell, and waits for it to end. */
function runChild(argv: readonly string[], options: ChildOptions): Promise<ChildResult> {
  return new Promise((done) => {
    const stdio: StdioOptions = options.output === 'inherit' ? 'inherit' : ['ignore', 'pipe', 'pipe'];
    let child: ChildProcess;
    try {
      child = spawn(argv[0]!, argv.slice(1), { cwd: options.cwd, env: options.env, stdio, shell: false, windowsHide: true });
    } catch (error) {
      done({ code: null, signal: null, error: error as NodeJS.ErrnoException });
      return;
    }
    options.interrupts?.track(child);
    const stdout: Buffer[] = [];
    let stdoutBytes = 0;
    let stderr = '';
    let tooLarge = false;
    let forwarding = Promise.resolve();
    const forward = (output: TextOutput, chunk: Buffer) => {
      forwarding = forwarding.then(() => output.write(chunk.toString('utf8'))).catch(() => undefined);
    };
    const output = options.output;
    if (output === 'capture') {
      child.stdout?.on('data', (chunk: Buffer) => {
        stdoutBytes += chunk.length;
        if (stdoutBytes > (options.limit ?? Number.MAX_SAFE_INTEGER)) {
          tooLarge = true;
          child.kill('SIGTERM');
          return;
        }
        stdout.push(chunk);
      });
      child.stderr?.on('data', (chunk: Buffer) => {
        if (stderr.length < 64 * 1024) stderr += chunk.toString('utf8');
      });
    } else if (output !== 'inherit') {
      child.stdout?.on('data', (chunk: Buffer) => forward(output.stdout, chunk));
      child.stderr?.on('data', (chunk: Buffer) => forward(output.stderr, chunk));
    }
    let failure: NodeJS.ErrnoException | undefined;
    child.on('error', (error) => {
      failure ??= error;
    });
    child.on('close', (code, signal) => {
      options.interrupts?.untrack(child);
      void forwarding.then(() =>
        done({
          code,
          signal,
          ...(failure ? { error: failure } : {}),
          ...(output === 'capture' ? { stdout: Buffer.concat(stdout), stderr, tooLarge } : {}),
        }),
      );
    });
  });
}

/** A child's exit code as the process's: its own code, 128 + the signal that ended it, or `fallback` when it never ran. */
function exitCodeOf(result: ChildResult, fallback: number): number {
  if (result.code !== null) return result.code;
  if (result.signal !== null) return 128 + (constants.signals[result.signal] ?? 0);
  return fallback;
}

function stepFailed(what: string, result: ChildResult, fix: string): TfguardError {
  if (result.error?.code === 'ENOENT') {
    return new TfguardError(what, 'the program was not found, so nothing was applied', 'Install it or put it on PATH');
  }
  const how =
    result.error ? `could not run (${result.error.code ?? result.error.message})`
    : result.signal !== null ? `was ended by ${result.signal}`
    : `exited with code ${result.code}`;
  const detail = firstDiagnosticLine(result.stderr ?? '');
  return new TfguardError(what, `${how}${detail !== '' ? ` (${terminalSafe(detail)})` : ''}; nothing was applied`, fix);
}


function stopIfInterrupted(interrupts: Interrupts, after: string): void {
  if (interrupts.received !== undefined) {
    throw new TfguardError('tfguard exec', `interrupted by ${interrupts.received} during ${after}; nothing was applied`, 'Run the command again when you want it applied');
  }
}

/**
 * Signals while tfguard waits for terraform: tfguard records them and keeps waiting, so it never
 * moves on to apply after one. A terminal's Ctrl-C already reaches terraform (same process group);
 * SIGTERM and SIGHUP, sent to tfguard alone, are passed on to the running child.
 */
export class Interrupts {
  received: NodeJS.Signals | undefined;
  private readonly children = new Set<ChildProcess>();
  private readonly handlers = new Map<NodeJS.Signals, () => void>();

  start(): void {
    for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
      const handler = () => {
        this.received ??= signal;
        if (signal !== 'SIGINT') for (const child of this.children) child.kill(signal);
      };
      this.handlers.set(signal, handler);
      process.on(signal, handler);
    }
  }

  stop(): void {
    for (const [signal, handler] of this.handlers) process.off(signal, handler);
    this.handlers.clear();
  }

  track(child: ChildProcess): void {
    this.children.add(child);
  }

  untrack(child: ChildProcess): void {
    this.children.delete(child);
  }
}

/** Where a relative plan file of an invocation lives: the working directory, then `-chdir`. */
export function resolvePlanPath(cwd: string, chdir: string | undefined, planFile: string): string {
  return resolve(cwd, chdir ?? '.', planFile);
}

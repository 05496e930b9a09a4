import { realpathSync } from 'node:fs';
import { resolve } from 'node:path';
import yargs from 'yargs';
import { runCheck } from './commands/check.js';
import { runApprove, type ApproveOutcome } from './commands/approve.js';
import { runDigest } from './commands/digest.js';
import { renderOptionsFor } from './commands/render-options.js';
import { loadPolicy } from './policy/load-policy.js';
import { repositoryOf } from './provenance/repository.js';
import { runPolicyPrint, runPolicyTest, runPolicyValidate } from './commands/policy.js';
import { writeFilePieces, writePieces, type Output } from './output.js';
import { FORMATS, loadRenderer, type Format } from './render/formats.js';
import { choosePalette, PLAIN } from './render/palette.js';
import { renderPolicyTests, renderPolicyValidation } from './render/policy-results.js';
import { TfguardError, TfguardErrors } from './shared/errors.js';
import { terminalSafe } from './shared/escape.js';
import { VERSION } from './shared/version.js';

/** What the shell reads and writes: the process's, or a test's. */
export interface CliIo {
  stdout: Output;
  stderr: Output;
  env: NodeJS.ProcessEnv;
  cwd: string;
  stdin?: () => Buffer;
}

// yargs-parser turns a bare `-` into an empty string, so stdin travels through it under another name.
const STDIN_ARG = '\u0000stdin';
const planArg = (value: unknown): string => (value === STDIN_ARG ? '-' : String(value));
const policyList = (value: string | string[] | undefined): string[] => (value === undefined ? [] : Array.isArray(value) ? value : [value]);

const planOptions = {
  'terraform-bin': {
    type: 'string',
    describe: 'Program that turns a binary plan file into JSON (default: terraform, then tofu)',
  },
} as const;

const policyOption = {
  // Not `array: true`: that would also swallow the plan path after `--policy a.hcl`.
  // yargs turns a repeated --policy into a list by itself.
  policy: {
    alias: 'p',
    type: 'string',
    describe: 'Policy file or directory (.hcl or .json), or builtin:default; repeat to layer, later ones on top. Default: the built-in default, with .tfguard.hcl or .tfguard.json from here layered on top',
  },
} as const;

/**
 * The yargs shell: parses the command line, runs a command of src/commands/, and prints its result.
 * Returns the exit code; never exits the process and never throws.
 */
export async function main(argv: readonly string[], io: CliIo): Promise<number> {
  const debug = argv.includes('--debug');
  let exitCode = 0;
  const out = (text: string) => writePieces(io.stdout, [text]);
  try {
    const parser = yargs()
      .scriptName('tfguard')
      .usage('$0 [check] <plan> [options]\n\nGate destructive Terraform/OpenTofu plan changes on stateful resources.')
      .command(
        ['check <plan>', '$0 <plan>'],
        'Check a plan (JSON from `terraform show -json`, a binary plan file, or - for stdin)',
        (command) =>
          command
            .positional('plan', { type: 'string', demandOption: true, describe: 'Plan file, or - for stdin' })
            .option('format', { alias: 'f', choices: FORMATS, default: 'text' as Format, describe: 'Report format' })
            .option('output', { alias: 'o', type: 'string', describe: 'Write the report to this file instead of stdout' })
            .option('provenance', { choices: ['auto', 'ai', 'human'] as const, default: 'auto' as const, describe: 'auto: decide from the evidence the change carries (commits, the pull request, the environment); ai/human: declare it' })
            .option('base', { type: 'string', describe: 'The commits under review are BASE..HEAD (default: the pull request base from the GitHub event, else the merge-base with the upstream or default branch)' })
            .option('head', { type: 'string', describe: 'The last commit under review (default: HEAD)' })
            .option('approvals', { type: 'string', describe: 'Approval record file or directory; repeat for more (default: .tfguard/approvals/ when it exists)' })
            .option('github-token', { type: 'string', describe: 'Token for the GitHub API (default: $GITHUB_TOKEN); reads the pull request\'s commits, so a shallow checkout still gets the whole range' })
            .option('environment', { alias: 'e', type: 'string', describe: 'Environment or workspace name, for rules scoped with match.environments (default: $TF_WORKSPACE)' })
            .option('policy-ref', { type: 'string', describe: 'Read the policy files from this git ref (the base branch, e.g. origin/main) instead of the working tree, so the change under review cannot name its own approvers' })
            .options(policyOption)
            .options(planOptions),
        async (args) => {
          const outcome = await runCheck({
            ...(args['policy-ref'] ? { policyRef: args['policy-ref'] } : {}),
            plan: planArg(args.plan),
            policy: policyList(args.policy),
            provenance: args.provenance,
            base: args.base,
            head: args.head,
            githubToken: args['github-token'] || undefined,
            env: io.env,
            ...(args.approvals !== undefined ? { approvals: policyList(args.approvals) } : {}),
            environmentName: args.environment ?? (io.env.TF_WORKSPACE || undefined),
            terraformBin: args['terraform-bin'],
            cwd: io.cwd,
            stdin: io.stdin,
          });
          const format = args.format as Format;
          const renderer = await loadRenderer(format);
          const palette = args.output !== undefined ? PLAIN : choosePalette(io.stdout.isTTY, io.env);
          const options = renderOptionsFor(format, outcome.report, { palette, cwd: io.cwd, plan: planArg(args.plan) });
          if (args.output !== undefined) writeFilePieces(resolve(io.cwd, args.output), renderer.render(outcome.report, options), args.output);
          else await writePieces(io.stdout, renderer.render(outcome.report, options));
          await printErrors(io, outcome.errors, debug);
          exitCode = outcome.exitCode;
        },
      )
      .command(
        'digest <plan>',
        'Print the change-set digest an approval must cover',
        (command) => command.positional('plan', { type: 'string', demandOption: true }).options(planOptions),
        async (args) => {
          const outcome = await runDigest({ plan: planArg(args.plan), terraformBin: args['terraform-bin'], stdin: io.stdin, cwd: io.cwd });
          await out(`${outcome.digest}\n`);
          exitCode = outcome.exitCode;
        },
      )
      .command(
        'approve <plan>',
        'Record a senior\'s approval of the plan\'s change set: a payload file and its SSH signature (ssh-keygen -Y sign format)',
        (command) =>
          command
            .positional('plan', { type: 'string', demandOption: true, describe: 'Plan file, or - for stdin' })
            .option('as', { type: 'string', demandOption: true, describe: 'Your approver id in the policy' })
            .option('key', { type: 'string', describe: 'Your SSH private key (unencrypted); or --unsigned and sign with ssh-keygen' })
            .option('unsigned', { type: 'boolean', default: false, describe: 'Write only the payload, to sign with `ssh-keygen -Y sign -n tfguard FILE` (an agent, a hardware key)' })
            .option('reason', { type: 'string', describe: 'Why this is safe, kept in the record' })
            .option('expires', { type: 'string', describe: 'How long the approval counts: 30m, 72h, 7d (default 24h, at most 30d)' })
            .option('environment', { alias: 'e', type: 'string', describe: 'The environment it is for (default: $TF_WORKSPACE); a record for staging never approves production' })
            .option('repository', { type: 'string', describe: 'owner/name it is for (default: $GITHUB_REPOSITORY, else the origin remote)' })
            .option('output', { alias: 'o', type: 'string', describe: 'The record file (default: .tfguard/approvals/<id>-<digest>.json); the signature goes to FILE.sig' })
            .options(policyOption)
            .options(planOptions),
        async (args) => {
          const policy = await loadPolicy(policyList(args.policy), io.cwd);
          const environment = args.environment ?? (io.env.TF_WORKSPACE || undefined);
          const repository = args.repository ?? (await repositoryOf({ cwd: io.cwd, env: io.env }));
          const outcome = await runApprove({
            plan: planArg(args.plan),
            approverId: args.as,
            unsigned: args.unsigned,
            policy,
            cwd: io.cwd,
            stdin: io.stdin,
            ...(args.key !== undefined ? { keyPath: args.key } : {}),
            ...(args.reason !== undefined ? { reason: args.reason } : {}),
            ...(args.expires !== undefined ? { expires: args.expires } : {}),
            ...(environment !== undefined ? { environment } : {}),
            ...(repository !== null ? { repository } : {}),
            ...(args.output !== undefined ? { output: args.output } : {}),
            ...(args['terraform-bin'] !== undefined ? { terraformBin: args['terraform-bin'] } : {}),
          });
          await out(renderApproveOutcome(outcome));
          exitCode = outcome.exitCode;
        },
      )
      .command(
        'exec',
        'Run terraform, tofu or terragrunt so that the plan applied is the plan checked: tfguard exec [options] -- terraform apply …',
        (command) =>
          command
            .parserConfiguration({ 'populate--': true })
            .usage('$0 exec [options] -- terraform|tofu|terragrunt COMMAND [args]\n\napply PLANFILE: check the plan, apply it only when allowed. apply/destroy without a plan: plan to a private file, check it, apply exactly it. State surgery (state rm, workspace delete, force-unlock, import …) is refused for AI-generated runs. Everything else runs as given.')
            .options(policyOption)
            .option('approvals', { type: 'string', describe: 'Approval record file or directory; repeat for more (default: .tfguard/approvals/ when it exists)' })
            .option('provenance', { choices: ['auto', 'ai', 'human'] as const, default: 'auto' as const, describe: 'auto: decide from the evidence; ai/human: declare it. A coding agent\'s environment (CLAUDECODE=1 …) always counts as AI' })
            .option('environment', { alias: 'e', type: 'string', describe: 'Environment or workspace name, for rules scoped with match.environments (default: $TF_WORKSPACE)' }),
        async (args) => {
          const { runExec } = await import('./commands/exec.js');
          const terraformArgv = ((args['--'] ?? []) as unknown[]).map((arg) => planArg(arg));
          const outcome = await runExec({
            argv: terraformArgv,
            cwd: io.cwd,
            env: io.env,
            policy: policyList(args.policy),
            ...(args.approvals !== undefined ? { approvals: policyList(args.approvals) } : {}),
            provenance: args.provenance,
            ...((args.environment ?? (io.env.TF_WORKSPACE || undefined)) !== undefined ? { environmentName: args.environment ?? io.env.TF_WORKSPACE! } : {}),
            io: {
              messages: io.stderr,
              // The binary's own process: terraform gets the terminal, so it can prompt. Tests capture it instead.
              terraform: io.stdin === undefined ? 'inherit' : { stdout: io.stdout, stderr: io.stderr },
              ...(io.stdin === undefined && process.stdin.isTTY ? { confirm: terminalConfirm } : {}),
            },
          });
          await printErrors(io, outcome.errors, debug);
          exitCode = outcome.exitCode;
        },
      )
      .command('hook <command>', 'Pre-command hooks for coding agents: claude-code, gemini-cli, install', (command) =>
        command
          .command(
            'claude-code',
            'Claude Code PreToolUse hook for the Bash tool: reads the hook JSON on stdin, denies a terraform apply the check blocks',
            (sub) => sub.options(policyOption).option('approvals', { type: 'string', describe: 'Approval record file or directory; repeat for more' }),
            async (args) => {
              const { runClaudeCodeHook } = await import('./agents/claude-code.js');
              exitCode = await writeHookResult(io, await runClaudeCodeHook(await hookRun(io, args)));
            },
          )
          .command(
            'gemini-cli',
            'Gemini CLI BeforeTool hook for run_shell_command: reads the hook JSON on stdin, denies a terraform apply the check blocks',
            (sub) => sub.options(policyOption).option('approvals', { type: 'string', describe: 'Approval record file or directory; repeat for more' }),
            async (args) => {
              const { runGeminiCliHook } = await import('./agents/gemini-cli.js');
              exitCode = await writeHookResult(io, await runGeminiCliHook(await hookRun(io, args)));
            },
          )
          .command(
            'install <agent>',
            "Add tfguard's hook to the project's agent settings (.claude/settings.json, .gemini/settings.json), leaving the rest as it is",
            (sub) =>
              sub
                .positional('agent', { choices: ['claude-code', 'gemini-cli'] as const, demandOption: true })
                .option('dry-run', { type: 'boolean', default: false, describe: 'Print the change as a diff and write nothing' })
                .option('command', { type: 'string', describe: 'The hook command to write (default: tfguard from the project\'s node_modules, else this CLI\'s path)' }),
            async (args) => {
              const { installHook } = await import('./agents/install.js');
              const outcome = installHook({
                agent: args.agent,
                projectDir: io.cwd,
                dryRun: args['dry-run'],
                ...(args.command !== undefined ? { command: args.command } : {}),
                ...(runningCliPath() !== undefined ? { cliPath: runningCliPath()! } : {}),
              });
              await out(renderInstallOutcome(outcome, args['dry-run']));
              exitCode = 0;
            },
          )
          .demandCommand(1, 'Give a hook command: claude-code, gemini-cli or install'),
      )
      .command('policy <command>', 'Validate, test or print policy files', (command) =>
        command
          .command(
            'validate <files..>',
            'Check policy files or directories against the schema and each other (layered in the order given); exit 0, or 2 with every error',
            (sub) => sub.positional('files', { type: 'string', array: true, demandOption: true }),
            async (args) => {
              const outcome = await runPolicyValidate(args.files as string[], io.cwd);
              await out(renderPolicyValidation(outcome));
              exitCode = outcome.exitCode;
            },
          )
          .command(
            'test <dirs..>',
            'Run policy test cases (*.test.hcl, *.test.json); exit 1 when one fails',
            (sub) => sub.positional('dirs', { type: 'string', array: true, demandOption: true }).options(policyOption),
            async (args) => {
              const outcome = await runPolicyTest(args.dirs as string[], policyList(args.policy));
              await out(renderPolicyTests(outcome, choosePalette(io.stdout.isTTY, io.env)));
              exitCode = outcome.exitCode;
            },
          )
          .command(
            'print',
            'Print the effective (layered) policy as JSON',
            (sub) => sub.options(policyOption),
            async (args) => {
              await out(`${JSON.stringify(await runPolicyPrint(policyList(args.policy), io.cwd), null, 2)}\n`);
              exitCode = 0;
            },
          )
          .demandCommand(1, 'Give a policy command: validate, test or print'),
      )
      .option('debug', { type: 'boolean', describe: 'Show stack traces of internal errors' })
      .check((args) => {
        // yargs turns a repeated option into a list; only --policy may be given more than once.
        const repeated = ['format', 'output', 'provenance', 'environment', 'terraform-bin', 'base', 'head', 'github-token', 'as', 'key', 'reason', 'expires', 'repository', 'policy-ref'].filter((name) => Array.isArray(args[name]));
        if (repeated.length > 0) throw new TfguardError('command line', `--${repeated[0]} is given more than once`, 'Give it once (only --policy may be repeated)');
        return true;
      })
      .epilogue('Exit codes: 0 allowed (warnings included), 1 blocked by policy, 2 error (bad input, unreadable or errored plan).')
      .strict()
      .demandCommand(1, 'Give a plan file: tfguard plan.json')
      .version(VERSION)
      .alias('h', 'help')
      .wrap(Math.min(100, io.stdout.columns ?? 100))
      .exitProcess(false)
      .fail((message, error) => {
        if (error) throw error;
        usageError(message ?? 'invalid arguments');
      });
    // With a parse callback yargs hands --help and --version text over instead of printing it.
    let shown = '';
    await parser.parseAsync(argv.map((arg) => (arg === '-' ? STDIN_ARG : arg)), {}, (_error, _argv, output) => {
      shown = output;
    });
    if (shown !== '') await out(`${shown}\n`);
  } catch (error) {
    await printErrors(io, [error], debug);
    return 2;
  }
  return exitCode;
}

/** What `tfguard approve` wrote, and the one step left when the record is unsigned. */
function renderApproveOutcome(outcome: ApproveOutcome): string {
  const lines = [
    `${outcome.unchanged ? 'Already recorded' : 'Recorded'} an approval of change set ${outcome.digest}, valid until ${outcome.expiresAt}:`,
    `  ${terminalSafe(outcome.file)}`,
  ];
  if (outcome.signatureFile) lines.push(`  ${terminalSafe(outcome.signatureFile)}`);
  if (outcome.signCommand) lines.push('', 'Sign it with the key listed for you in the policy:', `  ${terminalSafe(outcome.signCommand)}`);
  lines.push('', 'Commit the record (and its .sig) to the change under review; `tfguard check` verifies it.');
  return `${lines.join('\n')}\n`;
}

/** One hook call from the CLI: the agent's JSON from stdin, the options given in the hook command. */
async function hookRun(io: CliIo, args: { policy?: string | string[]; approvals?: string | string[] }): Promise<import('./agents/hook-input.js').HookRun> {
  const { readHookInput } = await import('./agents/hook-input.js');
  return {
    readInput: () => readHookInput(io.stdin),
    env: io.env,
    cwd: io.cwd,
    policy: policyList(args.policy),
    ...(args.approvals !== undefined ? { approvals: policyList(args.approvals) } : {}),
  };
}

/** Prints a hook's answer exactly as its agent reads it; the exit code is the agent's protocol, not tfguard's usual one. */
async function writeHookResult(io: CliIo, result: import('./agents/hook-input.js').HookResult): Promise<number> {
  try {
    if (result.stdout !== '') await writePieces(io.stdout, [result.stdout]);
    if (result.stderr !== '') await writePieces(io.stderr, [result.stderr], 'stderr');
  } catch {
    return 2; // the answer could not be written: block
  }
  return result.exitCode;
}

function renderInstallOutcome(outcome: import('./agents/install.js').InstallOutcome, dryRun: boolean): string {
  const lines: string[] = [];
  if (dryRun) lines.push(outcome.changed ? outcome.diff.trimEnd() : `${outcome.file}: nothing to change`, '');
  if (outcome.changed) lines.push(`${dryRun ? 'Would add' : 'Added'} tfguard's hook to ${outcome.file}${outcome.created ? ' (a new file)' : ''}: ${outcome.command}`);
  for (const note of outcome.notes) lines.push(note);
  return `${lines.join('\n')}\n`;
}

/** The CLI file that is running (dist/cli.js), for a hook command when tfguard is not a dependency of the project. */
function runningCliPath(): string | undefined {
  const script = process.argv[1];
  if (script === undefined) return undefined;
  try {
    return realpathSync(script);
  } catch {
    return undefined;
  }
}

/** Asks on the terminal, as terraform does before an apply: only "yes" approves. */
async function terminalConfirm(question: string): Promise<boolean> {
  const { createInterface } = await import('node:readline/promises');
  const prompt = createInterface({ input: process.stdin, output: process.stderr });
  const cancel = new AbortController();
  prompt.on('SIGINT', () => cancel.abort()); // Ctrl-C at the prompt: no
  try {
    return (await prompt.question(question, { signal: cancel.signal })).trim() === 'yes';
  } catch {
    return false;
  } finally {
    prompt.close();
  }
}

function usageError(message: string): never {
  throw new TfguardError('command line', message.replace(/\s+/g, ' ').trim(), 'Run `tfguard --help` for usage');
}

/** Each error as one line on stderr; anything that is not a TfguardError is a bug, said so. */
async function printErrors(io: CliIo, errors: readonly unknown[], debug: boolean): Promise<void> {
  const lines: string[] = [];
  for (const error of errors) {
    if (error instanceof TfguardErrors) {
      for (const item of error.errors) lines.push(`tfguard: error: ${item.oneLine()}\n`);
    } else if (error instanceof TfguardError) {
      lines.push(`tfguard: error: ${error.oneLine()}\n`);
    } else {
      const message = error instanceof Error ? error.message : String(error);
      lines.push(`tfguard: internal error: ${terminalSafe(message.split('\n')[0] ?? '')} (this is a bug in tfguard; --debug shows the stack)\n`);
    }
    if (debug && error instanceof Error && error.stack) lines.push(`${error.stack}\n`);
  }
  try {
    await writePieces(io.stderr, lines, 'stderr');
  } catch {
    // Nowhere left to say it; the exit code still does.
  }
}

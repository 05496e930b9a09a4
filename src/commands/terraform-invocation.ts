import { basename } from 'node:path';
import type { StateSurgery } from '../policy/document.js';

/**
 * What a `terraform`, `tofu` or `terragrunt` command line does, read the way those programs read
 * their arguments: shared by `tfguard exec` (which runs it) and the agent hooks (which decide on
 * it before the agent runs it). Pure: no file system, no processes.
 */

export type TerraformTool = 'terraform' | 'tofu' | 'terragrunt';

export interface Invocation {
  tool: TerraformTool;
  /** The program as written (`terraform`, `/usr/local/bin/tofu`). */
  program: string;
  /** What stands between the program and the command word: `-chdir=DIR`, terragrunt's own flags, `run [flags] --`. Every step tfguard runs keeps it. */
  prefix: string[];
  /** The Terraform command (`apply`, `state`, …); undefined when there is none (`terraform -version`). */
  command: string | undefined;
  args: string[];
  /** terragrunt: the command runs in every module of a stack (`run-all`, `run --all`, `--all`, `--graph`, `stack run`). */
  allModules: boolean;
}

/**
 * What tfguard does with an invocation:
 * - pass-through: nothing to check (init, plan, show, validate, output, fmt, version …);
 * - saved-plan: `apply PLANFILE` — check that file, then apply it;
 * - plan-first: `apply` without a plan, `destroy`, `refresh` — plan to a file, check it, apply exactly it;
 * - state-surgery: destroys or forgets without a plan, so there is nothing to check;
 * - all-modules: terragrunt across a stack, where no one plan file is what gets applied.
 */
export type Step =
  | { kind: 'pass-through' }
  | { kind: 'saved-plan'; planFile: string; /** Where the plan file stands in `args`. */ planIndex: number }
  | { kind: 'plan-first'; mode: 'apply' | 'destroy' | 'refresh-only'; planArgs: string[]; applyArgs: string[]; autoApprove: boolean }
  | { kind: 'state-surgery'; operation: string; instead: string }
  | { kind: 'all-modules'; operation: string };

const TOOLS: ReadonlySet<string> = new Set(['terraform', 'tofu', 'terragrunt']);

/** The tool a program name stands for (`/opt/bin/terraform`, `tofu.exe`), if any. */
export function toolOf(program: string): TerraformTool | undefined {
  const name = basename(program.replaceAll('\\', '/')).replace(/\.exe$/i, '').toLowerCase();
  return TOOLS.has(name) ? (name as TerraformTool) : undefined;
}

/** Splits a command line (argv[0] included) into program, prefix, command and arguments; undefined when argv[0] is not one of the tools. */
export function parseInvocation(argv: readonly string[]): Invocation | undefined {
  const program = argv[0];
  if (program === undefined) return undefined;
  const tool = toolOf(program);
  if (tool === undefined) return undefined;
  const rest = argv.slice(1);
  return tool === 'terragrunt' ? parseTerragrunt(program, rest) : parseTerraform(tool, program, rest);
}

/** Terraform and OpenTofu: global options (`-chdir=DIR`, `-version`, `-help`) come before the command. */
function parseTerraform(tool: TerraformTool, program: string, rest: string[]): Invocation {
  let index = 0;
  while (index < rest.length && rest[index]!.startsWith('-')) index += 1;
  return { tool, program, prefix: rest.slice(0, index), command: rest[index], args: rest.slice(index + 1), allModules: false };
}

/** Terragrunt's own flags that take a separate value (`--working-dir DIR`); both the current names and the legacy `--terragrunt-*` ones. */
const TERRAGRUNT_VALUE_FLAGS: ReadonlySet<string> = new Set([
  'working-dir', 'config', 'tf-path', 'download-dir', 'iam-assume-role', 'iam-assume-role-session-name', 'source', 'source-map',
  'log-level', 'log-format', 'parallelism', 'queue-include-dir', 'queue-exclude-dir', 'queue-excludes-file', 'filter', 'out-dir',
  'json-out-dir', 'provider-cache-dir', 'feature', 'units-that-include', 'inputs-debug',
]);
const TERRAGRUNT_ALL_FLAGS: ReadonlySet<string> = new Set(['all', 'a', 'graph']);

function terragruntFlagName(token: string): string | undefined {
  if (!token.startsWith('-') || token === '-' || token === '--') return undefined;
  const name = token.replace(/^--?/, '').split('=')[0]!;
  return name.startsWith('terragrunt-') ? name.slice('terragrunt-'.length) : name;
}

/** Whether a terragrunt flag token takes the next token as its value. */
function takesTerragruntValue(token: string): boolean {
  const name = terragruntFlagName(token);
  return name !== undefined && !token.includes('=') && TERRAGRUNT_VALUE_FLAGS.has(name);
}

/** Index of the first positional token at or after `from`, skipping terragrunt flags and their values. */
function firstPositional(tokens: readonly string[], from: number): number {
  let index = from;
  while (index < tokens.length) {
    const token = tokens[index]!;
    if (token === '--' || !token.startsWith('-')) return index;
    index += takesTerragruntValue(token) ? 2 : 1;
  }
  return index;
}

const LEGACY_ALL_COMMANDS: Readonly<Record<string, string>> = { 'apply-all': 'apply', 'destroy-all': 'destroy', 'plan-all': 'plan', 'output-all': 'output', 'validate-all': 'validate' };

/**
 * Terragrunt: `terragrunt [flags] COMMAND [args]`, `terragrunt run-all COMMAND`, `terragrunt run [--all] [--] COMMAND`,
 * `terragrunt stack run COMMAND`; anything it does not know it forwards to Terraform.
 */
function parseTerragrunt(program: string, rest: string[]): Invocation {
  const at = firstPositional(rest, 0);
  const word = rest[at];
  const hasAllFlag = (tokens: readonly string[]) => {
    const end = tokens.indexOf('--');
    return (end < 0 ? tokens : tokens.slice(0, end)).some((token) => TERRAGRUNT_ALL_FLAGS.has(terragruntFlagName(token) ?? ''));
  };
  if (word === 'run-all' || word === 'run' || word === 'stack') {
    let start = at + 1;
    if (word === 'stack') start = rest[start] === 'run' ? start + 1 : start;
    let inner = firstPositional(rest, start);
    if (rest[inner] === '--') inner += 1;
    const prefix = rest.slice(0, inner);
    const args = rest.slice(inner + 1);
    return { tool: 'terragrunt', program, prefix, command: rest[inner], args, allModules: word !== 'run' || hasAllFlag(prefix) || hasAllFlag(args) };
  }
  if (word !== undefined && LEGACY_ALL_COMMANDS[word] !== undefined) {
    return { tool: 'terragrunt', program, prefix: rest.slice(0, at), command: LEGACY_ALL_COMMANDS[word], args: rest.slice(at + 1), allModules: true };
  }
  const args = rest.slice(at + 1);
  return { tool: 'terragrunt', program, prefix: rest.slice(0, at), command: word, args, allModules: hasAllFlag(rest.slice(0, at)) || hasAllFlag(args) };
}

/** Terraform flags of plan/apply/destroy that take a separate value (`-var 'a=b'`); every other flag is a boolean, as Go's flag package reads them. */
const VALUE_FLAGS: ReadonlySet<string> = new Set([
  'var', 'var-file', 'target', 'target-file', 'exclude', 'exclude-file', 'replace', 'parallelism', 'lock-timeout', 'state', 'state-out',
  'backup', 'out', 'generate-config-out',
]);
/** Flags `apply` accepts together with a saved plan file: the rest shaped the plan and stay with `plan`. */
const APPLY_WITH_PLAN_FLAGS: ReadonlySet<string> = new Set(['compact-warnings', 'input', 'json', 'lock', 'lock-timeout', 'no-color', 'parallelism', 'state', 'state-out', 'backup', 'concise', 'show-sensitive']);

interface ParsedFlag {
  name: string;
  value: string | undefined;
  tokens: string[];
  terragrunt: boolean;
}

/**
 * Reads `[flags] [positionals]` as Go's flag package does: flags until the first positional or `--`;
 * everything after that is positional. For terragrunt, its own flags may stand among them too.
 */
function parseFlags(args: readonly string[], tool: TerraformTool): { flags: ParsedFlag[]; positionals: string[] } {
  const flags: ParsedFlag[] = [];
  let index = 0;
  while (index < args.length) {
    const token = args[index]!;
    if (token === '--') return { flags, positionals: args.slice(index + 1) };
    if (!token.startsWith('-') || token === '-') break;
    const body = token.replace(/^--?/, '');
    const equals = body.indexOf('=');
    const name = equals < 0 ? body : body.slice(0, equals);
    const terragrunt = tool === 'terragrunt' && token.startsWith('--') && (name.startsWith('terragrunt-') || TERRAGRUNT_VALUE_FLAGS.has(name) || isTerragruntBooleanFlag(name));
    const separateValue = equals < 0 && (terragrunt ? TERRAGRUNT_VALUE_FLAGS.has(name.replace(/^terragrunt-/, '')) : VALUE_FLAGS.has(name));
    if (separateValue && index + 1 < args.length) {
      flags.push({ name, value: args[index + 1], tokens: [token, args[index + 1]!], terragrunt });
      index += 2;
    } else {
      flags.push({ name, value: equals < 0 ? undefined : body.slice(equals + 1), tokens: [token], terragrunt });
      index += 1;
    }
  }
  return { flags, positionals: args.slice(index) };
}

const TERRAGRUNT_BOOLEAN_FLAGS: ReadonlySet<string> = new Set(['non-interactive', 'no-auto-init', 'no-auto-retry', 'no-auto-approve', 'source-update', 'no-color', 'log-disable', 'all', 'graph']);
function isTerragruntBooleanFlag(name: string): boolean {
  return TERRAGRUNT_BOOLEAN_FLAGS.has(name);
}

/** A boolean flag's setting: `-destroy`, `-destroy=true` on; `-destroy=false` off; absent undefined. */
function booleanFlag(flags: readonly ParsedFlag[], name: string): boolean | undefined {
  let setting: boolean | undefined;
  for (const flag of flags) {
    if (flag.name === name && !flag.terragrunt) setting = flag.value === undefined || !/^(false|0|f)$/i.test(flag.value);
  }
  return setting;
}

const HELP_FLAGS: ReadonlySet<string> = new Set(['help', 'h']);

/** What tfguard does with this invocation (see Step). */
export function classifyInvocation(invocation: Invocation): Step {
  const { command, args, tool } = invocation;
  if (command === undefined) return { kind: 'pass-through' };
  const { flags, positionals } = parseFlags(args, tool);
  if (flags.some((flag) => HELP_FLAGS.has(flag.name))) return { kind: 'pass-through' };
  const surgery = stateSurgery(invocation);
  const changesInfrastructure = command === 'apply' || command === 'destroy' || command === 'refresh';
  if (invocation.allModules && (changesInfrastructure || surgery !== undefined)) {
    return { kind: 'all-modules', operation: describeInvocation(invocation) };
  }
  if (surgery !== undefined) return surgery;
  if (!changesInfrastructure) return { kind: 'pass-through' };

  if (command === 'apply' && positionals.length > 0) return { kind: 'saved-plan', planFile: positionals[0]!, planIndex: args.length - positionals.length };
  const mode = command === 'destroy' || booleanFlag(flags, 'destroy') === true ? 'destroy' : command === 'refresh' || booleanFlag(flags, 'refresh-only') === true ? 'refresh-only' : 'apply';
  const autoApprove = command === 'refresh' || booleanFlag(flags, 'auto-approve') === true;
  const modeFlags = ['destroy', 'refresh-only'];
  const planArgs = [
    ...(mode === 'destroy' ? ['-destroy'] : mode === 'refresh-only' ? ['-refresh-only'] : []),
    ...flags.filter((flag) => flag.name !== 'auto-approve' && !(modeFlags.includes(flag.name) && !flag.terragrunt)).flatMap((flag) => flag.tokens),
    ...positionals,
  ];
  const applyArgs = [
    ...(autoApprove ? ['-auto-approve'] : []),
    ...flags.filter((flag) => flag.terragrunt || APPLY_WITH_PLAN_FLAGS.has(flag.name)).flatMap((flag) => flag.tokens),
  ];
  return { kind: 'plan-first', mode, planArgs, applyArgs, autoApprove };
}

/** The tokens to give `show` after the prefix: terragrunt's own flags of the original command line, so it runs in the same place. */
export function terragruntFlagsOf(invocation: Invocation): string[] {
  if (invocation.tool !== 'terragrunt') return [];
  return parseFlags(invocation.args, 'terragrunt').flags.filter((flag) => flag.terragrunt).flatMap((flag) => flag.tokens);
}

/**
 * Commands that destroy or forget without a plan — nothing tfguard could check before they act — and
 * what to do instead, so the change shows in a plan that is checked and reviewed.
 */
function stateSurgery(invocation: Invocation): Step | undefined {
  const { command, args } = invocation;
  const sub = args.find((arg) => !arg.startsWith('-'));
  const operation = (words: string) => `${invocation.tool} ${words}`;
  if (command === 'state') {
    switch (sub) {
      case 'rm':
        return {
          kind: 'state-surgery',
          operation: operation('state rm'),
          instead: 'To stop managing a resource without destroying it, remove it from the configuration with a `removed { from = ADDRESS  lifecycle { destroy = false } }` block and plan: the forget shows in the plan, which tfguard checks and a senior engineer reviews',
        };
      case 'mv':
        return {
          kind: 'state-surgery',
          operation: operation('state mv'),
          instead: 'To rename or move a resource, write a `moved { from = OLD  to = NEW }` block and plan: the move shows in the plan (and nothing is destroyed), which tfguard checks',
        };
      case 'push':
        return {
          kind: 'state-surgery',
          operation: operation('state push'),
          instead: 'State is written by apply; to restore an earlier state, a senior engineer uses the backend\'s version history',
        };
      case 'replace-provider':
        return {
          kind: 'state-surgery',
          operation: operation('state replace-provider'),
          instead: 'It rewrites the provider of every matching resource in the state, outside any plan; a senior engineer runs it, and the next plan shows whether anything would be replaced',
        };
      default:
        return undefined;
    }
  }
  if (command === 'workspace' && sub === 'delete') {
    return {
      kind: 'state-surgery',
      operation: operation('workspace delete'),
      instead: 'Deleting a workspace drops its state, and with -force the resources it still tracks leave management; destroy them with a checked plan first (`tfguard exec -- terraform destroy`), and a senior engineer deletes the empty workspace',
    };
  }
  if (command === 'force-unlock') {
    return {
      kind: 'state-surgery',
      operation: operation('force-unlock'),
      instead: 'Wait for the run that holds the lock to finish; if it is stuck, a person confirms that nothing is running and unlocks the state',
    };
  }
  if (command === 'import') {
    return {
      kind: 'state-surgery',
      operation: operation('import'),
      instead: 'Write an `import { to = ADDRESS  id = "ID" }` block and plan: the import shows in the plan, with whether it would replace the imported object, which tfguard checks',
    };
  }
  return undefined;
}

/** `terraform apply`, `terragrunt run-all apply`: how a message names the invocation. */
export function describeInvocation(invocation: Invocation): string {
  const words = [invocation.tool, ...(invocation.allModules && invocation.tool === 'terragrunt' ? ['run --all'] : []), invocation.command ?? ''];
  const sub = invocation.command === 'state' || invocation.command === 'workspace' ? invocation.args.find((arg) => !arg.startsWith('-')) : undefined;
  return [...words, ...(sub !== undefined ? [sub] : [])].filter((word) => word !== '').join(' ');
}

/** The value of a `-out` flag of a `plan` invocation: where it writes its plan file. */
export function planOutputOf(invocation: Invocation): string | undefined {
  if (invocation.command !== 'plan') return undefined;
  const { flags } = parseFlags(invocation.args, invocation.tool);
  return flags.filter((flag) => flag.name === 'out' && !flag.terragrunt).at(-1)?.value;
}

/** The directory Terraform works in, relative to where it is started: `-chdir=DIR`. */
export function chdirOf(invocation: Invocation): string | undefined {
  return invocation.tool === 'terragrunt' ? undefined : invocation.prefix.filter((token) => token.startsWith('-chdir=')).at(-1)?.slice('-chdir='.length);
}

/** `terraform state rm` → `state rm`: the name a policy's agents.allow_state_surgery uses. */
export function surgeryOf(operation: string): StateSurgery {
  return operation.split(' ').slice(1).join(' ') as StateSurgery;
}

import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { createTwoFilesPatch } from 'diff';
import { TfguardError } from '../shared/errors.js';
import { shellLine } from './shell-command.js';

/**
 * `tfguard hook install <agent> [--dry-run]`: adds tfguard's pre-command hook to the project's agent
 * settings, leaving everything else in the file as it was. Running it again changes nothing.
 */

export type AgentName = 'claude-code' | 'gemini-cli';

/** Where and how one agent registers a pre-command hook. */
interface HookTarget {
  /** As the hook subcommand names it. */
  agent: AgentName;
  settingsFile: string;
  event: string;
  matcher: string;
  /** The hook command when tfguard is a dependency of the project: every checkout has the same path. */
  projectCommand: string;
  handler: (command: string) => Record<string, unknown>;
}

const TARGETS: Record<AgentName, HookTarget> = {
  // https://code.claude.com/docs/en/hooks#configuration — a command hook's default timeout (600 s) is
  // kept: a timed-out PreToolUse hook lets the command run, so a shorter one would only fail open.
  'claude-code': {
    agent: 'claude-code',
    settingsFile: '.claude/settings.json',
    event: 'PreToolUse',
    matcher: 'Bash',
    projectCommand: 'node "${CLAUDE_PROJECT_DIR}/node_modules/tfguard/dist/cli.js" hook claude-code',
    handler: (command) => ({ type: 'command', command }),
  },
  // https://github.com/google-gemini/gemini-cli/blob/main/docs/hooks/index.md — Gemini CLI replaces
  // $GEMINI_PROJECT_DIR with the quoted directory itself, so it stands unquoted here. Its default
  // timeout is 60 s, and a timed-out hook lets the command run: give `show -json` and the check time.
  'gemini-cli': {
    agent: 'gemini-cli',
    settingsFile: '.gemini/settings.json',
    event: 'BeforeTool',
    matcher: 'run_shell_command',
    projectCommand: 'node $GEMINI_PROJECT_DIR/node_modules/tfguard/dist/cli.js hook gemini-cli',
    handler: (command) => ({
      name: 'tfguard',
      type: 'command',
      command,
      timeout: 600000,
      description: 'tfguard: checks terraform, tofu and terragrunt applies before they run',
    }),
  },
};

export const AGENTS = Object.keys(TARGETS) as AgentName[];

export interface InstallRequest {
  agent: AgentName;
  /** The project root: the settings file is read and written under it. */
  projectDir: string;
  dryRun: boolean;
  /** The hook command to write, instead of the one tfguard chooses. */
  command?: string;
  /** The running CLI (dist/cli.js), for the command when tfguard is not a dependency of the project. */
  cliPath?: string;
}

export interface InstallOutcome {
  /** The settings file, relative to the project. */
  file: string;
  changed: boolean;
  created: boolean;
  /** The change as a unified diff; empty when nothing changes. */
  diff: string;
  command: string;
  notes: string[];
}

export function installHook(request: InstallRequest): InstallOutcome {
  const target = TARGETS[request.agent];
  const path = join(request.projectDir, target.settingsFile);
  const exists = existsSync(path);
  const before = exists ? readFileSync(path, 'utf8') : '';
  const settings = exists ? parseSettings(before, target.settingsFile) : {};
  const { command, notes } = hookCommand(target, request);

  const hooks = objectField(settings, 'hooks', target.settingsFile);
  const groups = arrayField(hooks, target.event, `${target.settingsFile}: hooks`);
  const present = groups.some((group) => isOurs(group, target));
  if (present) {
    return { file: target.settingsFile, changed: false, created: false, diff: '', command, notes: ['tfguard\'s hook is already there; nothing changed'] };
  }
  groups.push({ matcher: target.matcher, hooks: [target.handler(command)] });
  const after = `${JSON.stringify(settings, null, indentOf(before))}\n`;
  // Without the `=====` banner createTwoFilesPatch starts with: the plain unified diff `git diff` shows.
  const diff = createTwoFilesPatch(exists ? target.settingsFile : '/dev/null', target.settingsFile, before, after, undefined, undefined, { context: 3 }).replace(/^=+\n/, '');
  if (!request.dryRun) writeAtomically(path, after);
  return { file: target.settingsFile, changed: true, created: !exists, diff, command, notes };
}

/**
 * The command the agent runs. tfguard in the project's node_modules gives a path every checkout
 * shares; otherwise the CLI that is running now, by its absolute path (this machine's). Never a
 * package lookup such as `npx tfguard`, which can fetch whatever the registry holds under that name.
 */
function hookCommand(target: HookTarget, request: InstallRequest): { command: string; notes: string[] } {
  if (request.command !== undefined) return { command: request.command, notes: [] };
  if (existsSync(join(request.projectDir, 'node_modules', 'tfguard', 'dist', 'cli.js'))) return { command: target.projectCommand, notes: [] };
  if (request.cliPath === undefined) {
    throw new TfguardError('tfguard hook install', 'tfguard is not installed in this project and the running CLI\'s path is unknown', 'Add tfguard as a dev dependency (npm install --save-dev tfguard), or give the command with --command');
  }
  return {
    command: `${shellLine(['node', request.cliPath])} hook ${target.agent}`,
    notes: [
      `The hook runs ${request.cliPath}, a path on this machine. Add tfguard as a dev dependency of the project for a command every checkout shares, then run this again.`,
    ],
  };
}

/** A handler group that already runs tfguard's hook for this agent (whatever path it uses). */
function isOurs(group: unknown, target: HookTarget): boolean {
  if (typeof group !== 'object' || group === null) return false;
  const handlers = (group as { hooks?: unknown }).hooks;
  if (!Array.isArray(handlers)) return false;
  return handlers.some((handler) => {
    const command = typeof handler === 'object' && handler !== null ? (handler as { command?: unknown }).command : undefined;
    return typeof command === 'string' && command.includes('tfguard') && command.includes(`hook ${target.agent}`);
  });
}

function parseSettings(text: string, file: string): Record<string, unknown> {
  if (text.trim() === '') return {};
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new TfguardError(file, `is not valid JSON (${(error as Error).message}), so tfguard leaves it alone`, 'Fix the file, then run tfguard hook install again');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new TfguardError(file, 'does not hold a JSON object, so tfguard leaves it alone', 'Fix the file, then run tfguard hook install again');
  }
  return value as Record<string, unknown>;
}

function objectField(parent: Record<string, unknown>, name: string, where: string): Record<string, unknown> {
  const value = parent[name];
  if (value === undefined) {
    const created: Record<string, unknown> = {};
    parent[name] = created;
    return created;
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new TfguardError(where, `"${name}" is not an object, so tfguard leaves the file alone`, 'Fix the file, then run tfguard hook install again');
  }
  return value as Record<string, unknown>;
}

function arrayField(parent: Record<string, unknown>, name: string, where: string): unknown[] {
  const value = parent[name];
  if (value === undefined) {
    const created: unknown[] = [];
    parent[name] = created;
    return created;
  }
  if (!Array.isArray(value)) throw new TfguardError(where, `"${name}" is not a list, so tfguard leaves the file alone`, 'Fix the file, then run tfguard hook install again');
  return value;
}

/** The file's own indentation, so rewriting it changes only what was added. */
function indentOf(text: string): string | number {
  const match = /\n([ \t]+)\S/.exec(text);
  return match ? match[1]! : 2;
}

function writeAtomically(path: string, text: string): void {
  mkdirSync(dirname(path), { recursive: true });
  const temporary = join(dirname(path), `.${relative(dirname(path), path)}.tfguard-${process.pid}`);
  writeFileSync(temporary, text, { encoding: 'utf8', flag: 'wx' });
  renameSync(temporary, path);
}

import { TfguardError, TfguardErrors } from '../shared/errors.js';
import { terminalSafe } from '../shared/escape.js';

/** More than any shell command an agent sends; a hook's input beyond it is refused, not read forever. */
const MAX_INPUT_BYTES = 16 * 2 ** 20;

/**
 * The JSON an agent writes to a hook's stdin: from the test's stdin, or the process's read to its end.
 * A terminal on stdin means no agent is calling: say so instead of waiting.
 */
export async function readHookInput(stdin: (() => Buffer) | undefined): Promise<string> {
  if (stdin !== undefined) return stdin().toString('utf8');
  if (process.stdin.isTTY) {
    throw new TfguardError('stdin', 'a hook reads the JSON its agent sends on stdin, and stdin is a terminal', 'Let the agent run it (see `tfguard hook install`), or pipe the JSON in');
  }
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of process.stdin) {
    const buffer = typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer);
    total += buffer.length;
    if (total > MAX_INPUT_BYTES) throw new TfguardError('stdin', 'the hook input is larger than 16 MiB', 'Send one tool call at a time');
    chunks.push(buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** The hook input as an object, or a TfguardError: malformed input must deny, never pass. */
export function parseHookInput(text: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new TfguardError('hook input', 'is not JSON', 'The agent sends one JSON object on stdin');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new TfguardError('hook input', 'is not a JSON object', 'The agent sends one JSON object on stdin');
  return value as Record<string, unknown>;
}

export function stringField(object: unknown, name: string): string | undefined {
  if (typeof object !== 'object' || object === null) return undefined;
  const value = (object as Record<string, unknown>)[name];
  return typeof value === 'string' ? value : undefined;
}

/** One hook call: the input the agent sent and where tfguard runs. */
export interface HookRun {
  /** Reads what the agent sent (stdin); a failure to read denies like any other. */
  readInput: () => Promise<string>;
  env: NodeJS.ProcessEnv;
  /** The hook process's directory: the fallback when the input names none. */
  cwd: string;
  policy: readonly string[];
  approvals?: readonly string[];
  now?: Date;
}

/** What the hook process prints and exits with, in the agent's protocol. */
export interface HookResult {
  stdout: string;
  stderr: string;
  exitCode: 0 | 2;
}

export const NO_DECISION: HookResult = { stdout: '', stderr: '', exitCode: 0 };

/** An error's one line, for a reason: TfguardErrors each on their own, anything else named as a bug. */
export function errorText(error: unknown): string {
  if (error instanceof TfguardErrors) return error.errors.map((item) => item.oneLine()).join('; ');
  if (error instanceof TfguardError) return error.oneLine();
  const message = error instanceof Error ? error.message : String(error);
  return `internal error: ${terminalSafe(message.split('\n')[0] ?? '')} (a bug in tfguard)`;
}

/** A command that names none of the tools is passed without being parsed or loading the check: no plan read, no git. */
export function mayRunTerraform(command: string): boolean {
  return /terraform|tofu|terragrunt/i.test(command);
}

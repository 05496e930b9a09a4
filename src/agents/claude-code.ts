import { isAbsolute, resolve } from 'node:path';
import { TfguardError } from '../shared/errors.js';
import { jsonSafe } from '../shared/escape.js';
import { errorText, mayRunTerraform, NO_DECISION, parseHookInput, stringField, type HookResult, type HookRun } from './hook-input.js';

/**
 * `tfguard hook claude-code`: a Claude Code PreToolUse hook for the Bash tool.
 *
 * Protocol (https://code.claude.com/docs/en/hooks): the hook gets one JSON object on stdin —
 * `hook_event_name: "PreToolUse"`, `tool_name: "Bash"`, `tool_input.command`, `cwd` (follows the
 * agent's `cd`), `session_id` …. It denies by printing
 * `{"hookSpecificOutput":{"hookEventName":"PreToolUse","permissionDecision":"deny","permissionDecisionReason":…}}`
 * and exiting 0; Claude sees the reason. Exit 0 with no output is no decision: the normal permission
 * flow goes on, so an allowed command is never approved on the user's behalf. Exit 1 (and any code
 * but 2) is a non-blocking error that lets the command run, so tfguard never uses it here: when it
 * cannot decide, it prints the same deny and exits 2, which blocks whatever the JSON says.
 */
export async function runClaudeCodeHook(run: HookRun): Promise<HookResult> {
  try {
    const input = parseHookInput(await run.readInput());
    const event = stringField(input, 'hook_event_name');
    if (event !== undefined && event !== 'PreToolUse') return NO_DECISION;
    if (stringField(input, 'tool_name') !== 'Bash') return NO_DECISION;
    const command = stringField(input.tool_input, 'command');
    if (command === undefined) throw new TfguardError('hook input', 'tool_input.command is missing or not a string', 'Register the hook for the Bash tool (matcher "Bash")');
    const given = stringField(input, 'cwd');
    // Claude Code runs hooks in its current directory, so that is the command's when the input names none.
    const cwd = given === undefined ? run.cwd : isAbsolute(given) ? given : resolve(run.cwd, given);
    if (!mayRunTerraform(command)) return NO_DECISION;
    const { guardCommand } = await import('./guard.js');
    const decision = await guardCommand({
      command,
      cwd,
      projectDir: run.env.CLAUDE_PROJECT_DIR || cwd,
      env: run.env,
      policy: run.policy,
      ...(run.approvals !== undefined ? { approvals: run.approvals } : {}),
      ...(run.now !== undefined ? { now: run.now } : {}),
      agent: 'Claude Code',
    });
    return decision.decision === 'pass' ? NO_DECISION : { stdout: denial(decision.reason), stderr: '', exitCode: 0 };
  } catch (error) {
    const text = errorText(error);
    return { stdout: denial(`tfguard could not decide about this command, so it blocks it: ${text}`), stderr: `tfguard: error: ${text}\n`, exitCode: 2 };
  }
}

function denial(reason: string): string {
  return `${jsonSafe(JSON.stringify({ hookSpecificOutput: { hookEventName: 'PreToolUse', permissionDecision: 'deny', permissionDecisionReason: reason } }))}\n`;
}

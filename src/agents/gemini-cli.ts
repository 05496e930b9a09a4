import { isAbsolute, resolve } from 'node:path';
import { TfguardError } from '../shared/errors.js';
import { jsonSafe } from '../shared/escape.js';
import { errorText, mayRunTerraform, NO_DECISION, parseHookInput, stringField, type HookResult, type HookRun } from './hook-input.js';

/**
 * `tfguard hook gemini-cli`: a Gemini CLI BeforeTool hook for its shell tool.
 *
 * Protocol (https://github.com/google-gemini/gemini-cli/blob/main/docs/hooks/reference.md, and
 * packages/core/src/hooks/hookRunner.ts): one JSON object on stdin — `hook_event_name: "BeforeTool"`,
 * `tool_name: "run_shell_command"`, `tool_input.command`, `tool_input.dir_path` (relative to the
 * project), `cwd` (the project directory). It denies by printing `{"decision":"deny","reason":…}` and
 * exiting 0; the reason goes to the agent as the tool's error. stdout must hold nothing but that JSON
 * (anything else is read as "allow"), and Gemini CLI parses it only on exit 0. Exit 2 blocks with
 * stderr as the reason, which is how tfguard fails closed; any other code is a warning and the
 * command runs.
 */
export async function runGeminiCliHook(run: HookRun): Promise<HookResult> {
  try {
    const input = parseHookInput(await run.readInput());
    const event = stringField(input, 'hook_event_name');
    if (event !== undefined && event !== 'BeforeTool') return NO_DECISION;
    if (stringField(input, 'tool_name') !== 'run_shell_command') return NO_DECISION;
    const command = stringField(input.tool_input, 'command');
    if (command === undefined) throw new TfguardError('hook input', 'tool_input.command is missing or not a string', 'Register the hook for the shell tool (matcher "run_shell_command")');
    const given = stringField(input, 'cwd');
    const projectDir = given === undefined ? run.env.GEMINI_PROJECT_DIR || run.cwd : isAbsolute(given) ? given : resolve(run.cwd, given);
    const dirPath = stringField(input.tool_input, 'dir_path');
    if (!mayRunTerraform(command)) return NO_DECISION;
    const { guardCommand } = await import('./guard.js');
    const decision = await guardCommand({
      command,
      cwd: dirPath === undefined ? projectDir : resolve(projectDir, dirPath),
      projectDir: run.env.GEMINI_PROJECT_DIR || projectDir,
      env: run.env,
      policy: run.policy,
      ...(run.approvals !== undefined ? { approvals: run.approvals } : {}),
      ...(run.now !== undefined ? { now: run.now } : {}),
      agent: 'Gemini CLI',
    });
    if (decision.decision === 'pass') return NO_DECISION;
    return { stdout: `${jsonSafe(JSON.stringify({ decision: 'deny', reason: decision.reason }))}\n`, stderr: '', exitCode: 0 };
  } catch (error) {
    return { stdout: '', stderr: `tfguard could not decide about this command, so it blocks it: ${errorText(error)}\n`, exitCode: 2 };
  }
}

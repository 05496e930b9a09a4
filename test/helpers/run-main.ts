import { main } from '../../src/cli.js';
import type { Output } from '../../src/output.js';
import type { CliResult } from './run-cli.js';
import { ROOT } from './paths.js';

/** A captured Output: what a command wrote, as one string. */
export function captureOutput(isTTY = false): Output & { text: string } {
  const capture = {
    isTTY,
    text: '',
    write(piece: string) {
      capture.text += piece;
      return Promise.resolve();
    },
  };
  return capture;
}

/**
 * Runs the CLI in this process through the same `main` the binary calls, with captured stdout and
 * stderr: for tests that look at what tfguard prints, not at what only a process shows.
 */
export async function runMain(args: string[], options: { input?: string | Buffer; env?: NodeJS.ProcessEnv; cwd?: string } = {}): Promise<CliResult> {
  const stdout = captureOutput();
  const stderr = captureOutput();
  const input = options.input ?? '';
  const status = await main(args, {
    stdout,
    stderr,
    env: { ...options.env },
    cwd: options.cwd ?? ROOT,
    stdin: () => (typeof input === 'string' ? Buffer.from(input, 'utf8') : input),
  });
  return { status, stdout: stdout.text, stderr: stderr.text };
}

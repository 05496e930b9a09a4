import { closeSync, openSync, writeSync } from 'node:fs';
import { TfguardError } from './shared/errors.js';

/** Where a shell writes: the process's stdout/stderr, or a capture in tests. */
export interface Output {
  readonly isTTY: boolean;
  readonly columns?: number;
  write(text: string): Promise<void>;
}

/**
 * A process stream as an Output. Errors (EPIPE when the reader closed the pipe, ENOSPC) reject the
 * write instead of becoming an unhandled 'error' event with a stack trace.
 */
export function streamOutput(stream: NodeJS.WriteStream): Output {
  let failure: Error | undefined;
  stream.on('error', (error) => {
    failure ??= error;
  });
  return {
    isTTY: stream.isTTY === true,
    ...(stream.columns !== undefined ? { columns: stream.columns } : {}),
    write: (text) =>
      new Promise((resolve, reject) => {
        if (failure) return reject(failure);
        stream.write(text, (error) => (error ? reject(error) : resolve()));
      }),
  };
}

/** Writes every piece in order, or throws one TfguardError naming where the output could not go. */
export async function writePieces(output: Output, pieces: Iterable<string>, where = 'stdout'): Promise<void> {
  try {
    for (const piece of pieces) await output.write(piece);
  } catch (error) {
    throw cannotWrite(where, error);
  }
}

/** Writes every piece to a file (created or truncated), or throws one TfguardError. */
export function writeFilePieces(path: string, pieces: Iterable<string>, shownAs = path): void {
  let fd: number | undefined;
  try {
    fd = openSync(path, 'w');
    for (const piece of pieces) writeSync(fd, piece);
    closeSync(fd);
  } catch (error) {
    throw cannotWrite(shownAs, error);
  }
}

function cannotWrite(where: string, error: unknown): TfguardError {
  const code = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
  const hint =
    code === 'EPIPE' ? 'the reader closed the pipe before the report was written; read the whole output, or write it to a file with --output'
    : code === 'ENOSPC' ? 'the disk is full; free space or write the report elsewhere'
    : 'check that the directory exists and is writable';
  return new TfguardError(where, `cannot write the report (${code})`, hint.charAt(0).toUpperCase() + hint.slice(1));
}

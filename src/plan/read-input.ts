import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { resolve } from 'node:path';
import { TfguardError } from '../shared/errors.js';

/** The longest string V8 can hold: a plan beyond it cannot be read in one piece. */
export const MAX_TEXT_BYTES = 0x1fffffe8;

/**
 * The most tfguard reads from one input: MAX_TEXT_BYTES, or less when TFGUARD_MAX_INPUT_BYTES
 * says so (it can only lower the limit, e.g. to bound a CI step's memory).
 */
export function inputLimit(env: NodeJS.ProcessEnv = process.env): number {
  const asked = Number(env.TFGUARD_MAX_INPUT_BYTES);
  return Number.isSafeInteger(asked) && asked > 0 ? Math.min(asked, MAX_TEXT_BYTES) : MAX_TEXT_BYTES;
}
const CHUNK_BYTES = 8 * 2 ** 20;

export interface PlanText {
  text: string;
  /** How the input is named in messages and reports. */
  source: string;
}

export interface ReadOptions {
  /** --terraform-bin: the program that turns a binary plan into JSON. */
  terraformBin?: string;
  stdin?: () => Buffer;
  /** Relative paths are read from here (default: the process's working directory); messages keep the path as given. */
  cwd?: string;
}

/**
 * Reads a plan given as a JSON file, `-` for stdin, or a binary plan file (a zip), which is
 * turned into JSON by `terraform show -json` (or `tofu show -json`). Only reads; never writes.
 */
export async function readPlanText(spec: string, options: ReadOptions = {}): Promise<PlanText> {
  const source = spec === '-' ? '<stdin>' : spec;
  const path = options.cwd === undefined ? spec : resolve(options.cwd, spec);
  const bytes = spec === '-' ? (options.stdin ?? readStdin)() : readFile(path, source);
  if (isZip(bytes)) {
    if (spec === '-') {
      throw new TfguardError(source, 'a binary plan file arrived on stdin', 'Pass the plan file path instead, or pipe `terraform show -json plan.tfplan`');
    }
    return { text: await showBinaryPlan(path, source, options.terraformBin), source };
  }
  return { text: decode(bytes, source), source };
}

function readFile(path: string, source: string): Buffer {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new TfguardError(source, 'no such file', 'Check the path; create the plan with `terraform plan -out=plan.tfplan`');
    if (code === 'EISDIR') throw new TfguardError(source, 'is a directory, not a plan file', 'Give the path of the plan file inside it');
    if (code === 'EACCES') throw new TfguardError(source, 'permission denied', 'Make the file readable by this user');
    throw new TfguardError(source, `cannot be read (${code ?? (error as Error).message})`, 'Check the file');
  }
  try {
    const stat = fstatSync(fd);
    if (stat.isDirectory()) throw new TfguardError(source, 'is a directory, not a plan file', 'Give the path of the plan file inside it');
    if (!stat.isFile() && !stat.isFIFO() && !stat.isSocket()) {
      throw new TfguardError(source, 'is a device, not a plan file or a pipe, so it could be endless', 'Give the path of a plan file, or pipe the plan into `tfguard -`');
    }
    if (stat.isFile() && stat.size > inputLimit()) throw tooLarge(source);
    return readBounded(fd, source);
  } finally {
    closeSync(fd);
  }
}

function readStdin(): Buffer {
  return readBounded(0, '<stdin>');
}

/**
 * Reads until the end, but never past MAX_TEXT_BYTES: an endless stream (`yes |`, a device)
 * is refused instead of filling memory.
 */
function readBounded(fd: number, source: string): Buffer {
  const limit = inputLimit();
  const chunks: Buffer[] = [];
  let total = 0;
  for (;;) {
    const chunk = Buffer.allocUnsafe(Math.min(CHUNK_BYTES, limit + 1 - total));
    let read: number;
    try {
      read = readSync(fd, chunk, 0, chunk.length, null);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      // A non-blocking stdin with nothing yet to read: wait a moment and read again.
      if (code === 'EAGAIN') {
        Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 10);
        continue;
      }
      if (code === 'EOF') break;
      if (code === 'EISDIR') throw new TfguardError(source, 'is a directory, not a plan file', 'Give the path of the plan file inside it');
      throw new TfguardError(source, `cannot be read (${code ?? (error as Error).message})`, 'Pipe the plan JSON into tfguard, or pass a file path');
    }
    if (read === 0) break;
    total += read;
    if (total > limit) throw tooLarge(source);
    chunks.push(read === chunk.length ? chunk : chunk.subarray(0, read));
  }
  return Buffer.concat(chunks, total);
}

function isZip(bytes: Buffer): boolean {
  return bytes.length >= 4 && bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 0x03 && bytes[3] === 0x04;
}

/** UTF-8 by default; UTF-16 with a BOM as Windows PowerShell 5 writes with `>`. */
function decode(bytes: Buffer, source: string): string {
  if (bytes.length > inputLimit()) throw tooLarge(source);
  const utf16 = (bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff);
  if (utf16 && bytes.length % 2 !== 0) {
    throw new TfguardError(source, `UTF-16 text (it starts with a byte-order mark) with an odd number of bytes (${bytes.length}), so it is cut off`, 'Re-create it with `terraform show -json plan.tfplan > plan.json`, and make sure the write finished');
  }
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return bytes.subarray(2).toString('utf16le');
  if (bytes[0] === 0xfe && bytes[1] === 0xff) {
    const swapped = Buffer.from(bytes.subarray(2));
    swapped.swap16();
    return swapped.toString('utf16le');
  }
  return bytes.toString('utf8');
}

function formatLimit(bytes: number): string {
  return bytes >= 2 ** 20 ? `${Math.floor(bytes / 2 ** 20)} MiB` : `${bytes} bytes`;
}

function tooLarge(source: string): TfguardError {
  return new TfguardError(
    source,
    `the input is larger than ${formatLimit(inputLimit())}, more than tfguard reads from one input (or an endless stream)`,
    'Split the configuration into smaller root modules, or plan with -target per part',
  );
}

async function showBinaryPlan(path: string, source: string, terraformBin: string | undefined): Promise<string> {
  // Loaded only for binary plans: most runs read JSON and need no child processes.
  const { spawnSync } = await import('node:child_process');
  const candidates = terraformBin !== undefined ? [terraformBin] : ['terraform', 'tofu'];
  for (const bin of candidates) {
    const result = spawnSync(bin, ['show', '-json', path], {
      encoding: 'buffer',
      maxBuffer: MAX_TEXT_BYTES,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, TF_IN_AUTOMATION: '1' },
    });
    const code = (result.error as NodeJS.ErrnoException | undefined)?.code;
    if (code === 'ENOENT') continue;
    if (code === 'ENOBUFS') throw tooLarge(source);
    if (result.error) {
      throw new TfguardError(source, `running \`${bin} show -json\` failed (${result.error.message})`, 'Check --terraform-bin, or convert the plan yourself with `terraform show -json`');
    }
    if (result.status !== 0) {
      const detail = firstDiagnosticLine(result.stderr.toString('utf8')) || `exit code ${result.status}`;
      throw new TfguardError(
        source,
        `\`${bin} show -json\` could not read this binary plan (${detail})`,
        'Run tfguard in the initialised working directory the plan was made in (same Terraform/OpenTofu version), or give it the JSON from `terraform show -json`',
      );
    }
    return decode(result.stdout, source);
  }
  throw new TfguardError(
    source,
    terraformBin !== undefined
      ? `a binary plan file, and --terraform-bin ${terraformBin} was not found`
      : 'a binary plan file, and neither `terraform` nor `tofu` is on PATH to read it',
    'Install Terraform or OpenTofu, pass --terraform-bin, or give tfguard the output of `terraform show -json plan.tfplan`',
  );
}

/** The first line of Terraform's (or OpenTofu's) stderr that has words in it, without borders or colours. */
export function firstDiagnosticLine(text: string): string {
  // Terraform's diagnostics start with box-drawing borders; keep the first line with words in it.
  return (
    text
      .split(/\r?\n/)
      .map((line) => line.replace(/^[\s│╷╵]+/, '').trim())
      .find((line) => /[A-Za-z]/.test(line)) ?? ''
  ).replace(/\u001b\[[0-9;]*m/g, '');
}

/**
 * Reading approval records from disk: the I/O edge of approvals. Nothing here decides whether a
 * record counts (verify.ts does); a file that cannot be read is returned as unreadable, so the
 * report names it and it approves nothing.
 */
import { closeSync, constants, fstatSync, openSync, readdirSync, readSync, realpathSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { ApprovalRecordFile } from './verify.js';

/** Where `tfguard approve` writes records and `tfguard check` looks when no path is given. */
export const DEFAULT_APPROVALS_DIRECTORY = '.tfguard/approvals';
/** A record or signature larger than this is refused unread: a real one is a few kilobytes. */
export const MAX_RECORD_BYTES = 1024 * 1024;

const RECORD_SUFFIX = '.json';
const SIGNATURE_SUFFIX = '.sig';
const STRICT_UTF8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

type Read = { ok: true; bytes: Buffer } | { ok: false; missing: boolean; reason: string };

/**
 * The records under `paths` (files, or directories whose `*.json` files are read in name order,
 * not recursively), each with `FILE.sig` beside it. With no paths, DEFAULT_APPROVALS_DIRECTORY when
 * it exists under `cwd`, else nothing. A file given twice (directly and through its directory) is read once.
 */
export function loadApprovalRecords(paths: readonly string[], cwd = process.cwd()): ApprovalRecordFile[] {
  const specs = paths.length > 0 ? paths : isDirectory(resolve(cwd, DEFAULT_APPROVALS_DIRECTORY)) ? [DEFAULT_APPROVALS_DIRECTORY] : [];
  const seen = new Set<string>();
  const records: ApprovalRecordFile[] = [];
  for (const spec of specs) {
    for (const file of recordFiles(spec, cwd)) {
      if (file.problem !== undefined) {
        records.push(unreadable(file.path, file.problem));
        continue;
      }
      const identity = realPath(resolve(cwd, file.path));
      if (seen.has(identity)) continue;
      seen.add(identity);
      records.push(readRecord(file.path, cwd));
    }
  }
  return records;
}

/** A path to read, or one that already failed, and why. */
type Listed = { path: string; problem?: string };

function recordFiles(spec: string, cwd: string): Listed[] {
  const absolute = resolve(cwd, spec);
  let stat;
  try {
    stat = statSync(absolute);
  } catch (error) {
    return [{ path: spec, problem: describeError(error) }];
  }
  if (!stat.isDirectory()) {
    if (spec.endsWith(SIGNATURE_SUFFIX)) {
      return [{ path: spec, problem: `this is a signature file; give the record it signs (${spec.slice(0, -SIGNATURE_SUFFIX.length)})` }];
    }
    return [{ path: spec }];
  }
  let names: string[];
  try {
    names = readdirSync(absolute);
  } catch (error) {
    return [{ path: spec, problem: `the directory cannot be listed (${describeError(error)})` }];
  }
  return names
    .filter((name) => name.endsWith(RECORD_SUFFIX))
    .sort()
    .map((name) => ({ path: join(spec, name) }));
}

function readRecord(path: string, cwd: string): ApprovalRecordFile {
  const payload = readBounded(resolve(cwd, path));
  if (!payload.ok) return unreadable(path, `the record cannot be read: ${payload.reason}`);
  const signaturePath = `${path}${SIGNATURE_SUFFIX}`;
  const signature = readBounded(resolve(cwd, signaturePath));
  if (!signature.ok) {
    return signature.missing ? { file: path, payload: payload.bytes } : unreadable(path, `its signature ${signaturePath} cannot be read: ${signature.reason}`);
  }
  try {
    return { file: path, payload: payload.bytes, signature: STRICT_UTF8.decode(signature.bytes) };
  } catch {
    return unreadable(path, `its signature ${signaturePath} is not text (an armored SSH signature is ASCII)`);
  }
}

/** A regular file's bytes, at most MAX_RECORD_BYTES; devices and pipes are refused. */
function readBounded(path: string): Read {
  let fd: number;
  try {
    // Non-blocking, so a FIFO named like a record cannot hang the check before fstat refuses it.
    fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (error) {
    return { ok: false, missing: (error as NodeJS.ErrnoException).code === 'ENOENT', reason: describeError(error) };
  }
  try {
    const stat = fstatSync(fd);
    if (stat.isDirectory()) return { ok: false, missing: false, reason: 'it is a directory' };
    if (!stat.isFile()) return { ok: false, missing: false, reason: 'it is not a regular file' };
    if (stat.size > MAX_RECORD_BYTES) return { ok: false, missing: false, reason: `it is ${stat.size} bytes, more than the ${MAX_RECORD_BYTES} a record may have` };
    // Read one byte past the limit, so a file that grows after the stat is caught too.
    const buffer = Buffer.alloc(MAX_RECORD_BYTES + 1);
    let length = 0;
    for (;;) {
      const read = readSync(fd, buffer, length, buffer.length - length, null);
      if (read === 0) break;
      length += read;
      if (length > MAX_RECORD_BYTES) return { ok: false, missing: false, reason: `it is more than the ${MAX_RECORD_BYTES} bytes a record may have` };
    }
    return { ok: true, bytes: Buffer.from(buffer.subarray(0, length)) };
  } catch (error) {
    return { ok: false, missing: false, reason: describeError(error) };
  } finally {
    closeSync(fd);
  }
}

function unreadable(file: string, reason: string): ApprovalRecordFile {
  return { file, payload: Buffer.alloc(0), unreadable: reason };
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

function realPath(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return path;
  }
}

function describeError(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return 'no such file or directory';
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  if (code === 'EISDIR') return 'it is a directory';
  return code ?? (error instanceof Error ? error.message : String(error));
}

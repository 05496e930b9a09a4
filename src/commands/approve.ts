import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { changeSetDigest } from '../approval/digest.js';
import { DEFAULT_APPROVALS_DIRECTORY } from '../approval/load-records.js';
import {
  APPROVAL_NAMESPACE,
  DEFAULT_EXPIRY,
  buildApprovalPayload,
  checkEnvironmentName,
  checkReason,
  checkRepository,
  coveredChanges,
  formatTimestamp,
  parseExpiry,
} from '../approval/record.js';
import { readOpenSshPrivateKey, signSshSignature, verifySshSignature, type SshSigningKey } from '../approval/sshsig.js';
import { builtinCatalogue } from '../catalogue/data.js';
import { planChanges } from '../plan/changes.js';
import { loadPlan } from '../plan/load-plan.js';
import type { Approver, Policy } from '../policy/model.js';
import { TfguardError } from '../shared/errors.js';
import { parseSshPublicKey } from '../shared/ssh-key.js';

export interface ApproveRequest {
  /** A plan file (JSON or binary), or `-` for stdin. */
  plan: string;
  /** --as: the id of an approver block of the policy. */
  approverId: string;
  /** --key: the private key to sign with (unencrypted OpenSSH or PEM). Required unless `unsigned`. */
  keyPath?: string;
  /** --unsigned: write only the payload, for the approver to sign with ssh-keygen. */
  unsigned: boolean;
  reason?: string;
  /** --expires: `30m`, `72h`, `7d` (default DEFAULT_EXPIRY). */
  expires?: string;
  /** The environment the approval is for (the CLI passes --environment, else TF_WORKSPACE). */
  environment?: string;
  /** `owner/name`, when known. */
  repository?: string;
  /** --output: the payload file; the signature goes beside it as FILE.sig. */
  output?: string;
  now?: Date;
  policy: Policy;
  stdin?: () => Buffer;
  terraformBin?: string;
  /** Where the default directory is (default: the process's working directory). */
  cwd?: string;
}

export interface ApproveOutcome {
  /** The payload file, as given or relative to `cwd`. */
  file: string;
  signatureFile?: string;
  digest: string;
  /** With `unsigned`: what the approver runs to sign the record. */
  signCommand?: string;
  expiresAt: string;
  /** Nothing was written: the same record (and signature) was already there. */
  unchanged: boolean;
  exitCode: 0;
}

/**
 * `tfguard approve`: records an approval of the plan's change set by one of the policy's approvers,
 * as a payload file and (unless `unsigned`) its SSH signature, exactly as `ssh-keygen -Y sign -n
 * tfguard FILE` would write it. Throws TfguardError for anything that would give a record
 * `tfguard check` refuses.
 */
export async function runApprove(request: ApproveRequest): Promise<ApproveOutcome> {
  const approver = approverOf(request.policy, request.approverId);
  if (request.unsigned && request.keyPath !== undefined) {
    throw new TfguardError('--unsigned', 'cannot be combined with --key', 'Give --key to sign now, or --unsigned to sign yourself with ssh-keygen');
  }
  if (!request.unsigned && request.keyPath === undefined) {
    throw new TfguardError('--key', 'no signing key given', `Give --key ~/.ssh/id_ed25519 (one of ${approver.id}'s keys in the policy), or --unsigned to sign with ssh-keygen or an ssh-agent`);
  }
  const signingKey = request.keyPath === undefined ? undefined : approverKey(request.keyPath, approver);
  const scope = checkedScope(request);
  const expiresIn = parseExpiry(request.expires ?? DEFAULT_EXPIRY);

  const { checked } = await loadPlan(request.plan, { terraformBin: request.terraformBin, stdin: request.stdin, ...(request.cwd !== undefined ? { cwd: request.cwd } : {}) });
  if (checked.raw.errored === true) {
    throw new TfguardError(request.plan, 'the plan errored (errored: true), so its change set is incomplete and cannot be approved', 'Fix the errors `terraform plan` printed and plan again');
  }
  const changes = planChanges(checked.raw);
  const catalogue = builtinCatalogue();
  const covered = coveredChanges(changes, catalogue);
  if (covered.changes.length === 0 && covered.downgrades.length === 0) {
    throw new TfguardError(request.plan, 'the plan has no destructive change and lowers no protection, so there is nothing to approve', 'Approve the plan whose check asked for approval');
  }
  const digest = changeSetDigest(changes, catalogue);

  const createdAt = new Date(Math.floor((request.now ?? new Date()).getTime() / 1000) * 1000);
  const expiresAt = new Date(createdAt.getTime() + expiresIn);
  const payload = buildApprovalPayload({ digest, ...covered, approver: approver.id, createdAt, expiresAt, ...scope });
  const payloadBytes = Buffer.from(payload, 'utf8');
  // Signed before anything is written, so a key that cannot sign leaves no unsigned record behind.
  const signature = signingKey && signSshSignature({ message: payloadBytes, namespace: APPROVAL_NAMESPACE, privateKey: signingKey.privateKey, publicKey: signingKey.publicKey });

  const cwd = request.cwd ?? process.cwd();
  const file = request.output ?? join(DEFAULT_APPROVALS_DIRECTORY, `${approver.id}-${digest.slice('sha256:'.length, 'sha256:'.length + 12)}.json`);
  const path = resolve(cwd, file);
  mkdirSync(dirname(path), { recursive: true });
  const wrotePayload = writeOnce(path, file, payloadBytes, (existing) => existing.equals(payloadBytes));
  const outcome = { file, digest, expiresAt: formatTimestamp(expiresAt), exitCode: 0 as const };
  if (!signingKey || signature === undefined) return { ...outcome, signCommand: signCommandFor(file), unchanged: !wrotePayload };

  const signatureFile = `${file}.sig`;
  // ECDSA signatures differ on every run: an existing signature of the same payload by the same key is as good.
  const sameSignature = (existing: Buffer): boolean =>
    verifySshSignature({ message: payloadBytes, armoredSignature: existing.toString('utf8'), namespace: APPROVAL_NAMESPACE, publicKey: signingKey.publicKey }).ok;
  const wroteSignature = writeOnce(`${path}.sig`, signatureFile, Buffer.from(signature, 'utf8'), sameSignature);
  return { ...outcome, signatureFile, unchanged: !wrotePayload && !wroteSignature };
}

function approverOf(policy: Policy, id: string): Approver {
  const approver = policy.approvers.find((candidate) => candidate.id === id);
  if (approver) return approver;
  const known = policy.approvers.map((candidate) => candidate.id);
  throw new TfguardError(
    '--as',
    `"${id}" is not an approver of the policy${known.length > 0 ? ` (its approvers: ${known.join(', ')})` : ' (it lists no approvers)'}`,
    'Give the id of an `approver "…" { … }` block of the policy in use (tfguard policy print shows them)',
  );
}

function approverKey(keyPath: string, approver: Approver): SshSigningKey {
  const path = keyPath === '~' || keyPath.startsWith('~/') ? join(homedir(), keyPath.slice(1)) : keyPath;
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new TfguardError(keyPath, code === 'ENOENT' ? 'no such key file' : `the key file cannot be read (${code ?? (error as Error).message})`, 'Give the path of your private key, e.g. ~/.ssh/id_ed25519');
  }
  const key = readOpenSshPrivateKey(text, keyPath);
  const listed = approver.sshKeys.some((line) => {
    const parsed = parseSshPublicKey(line);
    return parsed.ok && parsed.key.blob.equals(key.publicKey.blob);
  });
  if (!listed) {
    throw new TfguardError(
      keyPath,
      `the key ${key.publicKey.fingerprint} is not one of ${approver.id}'s ssh_keys in the policy, so a record it signs would not count`,
      approver.sshKeys.length === 0 ? `Add the key's .pub line to ssh_keys of approver "${approver.id}"` : `Sign with the key whose .pub line is in approver "${approver.id}"`,
    );
  }
  return key;
}

function checkedScope(request: ApproveRequest): { environment: string | null; repository: string | null; reason: string | null } {
  const check = (flag: string, value: string | undefined, problemOf: (text: string) => string | undefined): string | null => {
    if (value === undefined) return null;
    const problem = problemOf(value);
    if (problem) throw new TfguardError(flag, problem);
    return value;
  };
  return {
    environment: check('--environment', request.environment, checkEnvironmentName),
    repository: check('--repository', request.repository, checkRepository),
    reason: check('--reason', request.reason, checkReason),
  };
}

/** Writes a file that must not exist yet; an existing one is kept when `same` says it is equivalent. Returns whether it wrote. */
function writeOnce(path: string, shown: string, bytes: Buffer, same: (existing: Buffer) => boolean): boolean {
  try {
    writeFileSync(path, bytes, { flag: 'wx' });
    return true;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== 'EEXIST') throw new TfguardError(shown, `cannot be written (${code ?? (error as Error).message})`, 'Check the directory exists and is writable');
  }
  let existing: Buffer;
  try {
    existing = readFileSync(path);
  } catch (error) {
    throw new TfguardError(shown, `exists and cannot be read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`, 'Remove it or give another --output');
  }
  if (same(existing)) return false;
  throw new TfguardError(shown, 'already exists with other content, and an approval record is never overwritten', 'Remove it first if it is yours to replace, or give another --output');
}

/** The command that signs the record with ssh-keygen, with the file quoted for a POSIX shell when it needs it. */
function signCommandFor(file: string): string {
  const quoted = /^[A-Za-z0-9_./@%+=:,-]+$/.test(file) ? file : `'${file.replace(/'/g, `'\\''`)}'`;
  return `ssh-keygen -Y sign -f ~/.ssh/id_ed25519 -n ${APPROVAL_NAMESPACE} ${quoted}`;
}

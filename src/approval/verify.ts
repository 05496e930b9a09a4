/**
 * Checking signed approval records against the policy's approvers and the plan being checked.
 * Pure: the files are read by load-records.ts. Every record gets an outcome, and a record that
 * fails any check approves nothing.
 */
import { createHash } from 'node:crypto';
import type { Approver } from '../policy/model.js';
import type { Author } from '../provenance/evidence.js';
import { parseSshPublicKey, type SshPublicKey } from '../shared/ssh-key.js';
import { APPROVAL_NAMESPACE, formatTimestamp, parseApprovalPayload, type ApprovalRecord } from './record.js';
import { verifySshSignature } from './sshsig.js';

/** How far a record's created_at may be ahead of this machine's clock (the two clocks differ a little). */
export const CLOCK_SKEW_MS = 5 * 60_000;

/** Why a record does not count; each reason text starts with its label (`bad signature: …`). */
export type RecordRejection =
  | 'malformed'
  | 'no-signature'
  | 'unknown-approver'
  | 'key-not-approvers'
  | 'bad-signature'
  | 'self-approval'
  | 'other-change-set'
  | 'other-environment'
  | 'other-repository'
  | 'not-yet-valid'
  | 'expired';

export const REJECTION_LABELS: Record<RecordRejection, string> = {
  malformed: 'malformed',
  'no-signature': 'no signature',
  'unknown-approver': 'unknown approver',
  'key-not-approvers': "key not the approver's",
  'bad-signature': 'bad signature',
  'self-approval': 'self-approval',
  'other-change-set': 'another change set',
  'other-environment': 'another environment',
  'other-repository': 'another repository',
  'not-yet-valid': 'not yet valid',
  expired: 'expired',
};

export interface ApprovalRecordFile {
  /** How the record is named in the report (the path as found). */
  file: string;
  /** The payload file's exact bytes. */
  payload: Buffer | string;
  /** The text of `FILE.sig`; absent when there is no such file. */
  signature?: string;
  /** Set by the loader when the record or its signature could not be read: it is then malformed. */
  unreadable?: string;
}

export interface ApprovalContext {
  /** The change-set digest of the plan being checked. */
  digest: string;
  environment: string | null;
  /** `owner/name`, compared case-insensitively as GitHub does. */
  repository: string | null;
  now: Date;
  approvers: readonly Approver[];
  /** The change's human authors: none of them may approve it. */
  authors: readonly Author[];
}

export interface ApprovalCheck {
  /** The approver id the record names (unverified when the record is not valid); null when unreadable. */
  approver: string | null;
  via: 'ssh';
  file: string;
  valid: boolean;
  /** Why it does not count, starting with its label; null when valid. */
  reason: string | null;
  rejection: RecordRejection | null;
  /** The key that made the signature, when the signature verified. */
  fingerprint?: string;
  /** When a readable record stops counting. */
  expiresAt?: string;
  /** The approver's own reason, from the record. */
  comment?: string;
}

/** One outcome per record, in the order given. */
export function checkApprovalRecords(records: readonly ApprovalRecordFile[], context: ApprovalContext): ApprovalCheck[] {
  return records.map((record) => checkRecord(record, context));
}

function checkRecord(input: ApprovalRecordFile, context: ApprovalContext): ApprovalCheck {
  const base = { via: 'ssh' as const, file: input.file };
  const reject = (approver: string | null, rejection: RecordRejection, detail: string, extra: Partial<ApprovalCheck> = {}): ApprovalCheck => ({
    ...base,
    approver,
    valid: false,
    reason: `${REJECTION_LABELS[rejection]}: ${detail}`,
    rejection,
    ...extra,
  });

  if (input.unreadable !== undefined) return reject(null, 'malformed', input.unreadable);
  const payload = typeof input.payload === 'string' ? Buffer.from(input.payload, 'utf8') : input.payload;
  const parsed = parseApprovalPayload(payload);
  if (!parsed.ok) return reject(null, 'malformed', parsed.reason);
  const { record } = parsed;
  const about: Partial<ApprovalCheck> = { expiresAt: record.expiresAt, ...(record.reason === null ? {} : { comment: record.reason }) };
  const claimed = record.approver;

  if (input.signature === undefined) return reject(claimed, 'no-signature', `there is no ${input.file}.sig beside the record; sign it with \`ssh-keygen -Y sign -f KEY -n ${APPROVAL_NAMESPACE} ${input.file}\``, about);
  const approver = context.approvers.find((candidate) => candidate.id === claimed);
  if (!approver) return reject(claimed, 'unknown-approver', `the policy has no approver "${claimed}"`, about);

  const signature = checkSignature(payload, input.signature, approver, context.approvers);
  if (!signature.ok) return reject(claimed, signature.rejection, signature.detail, about);
  const signed = { ...about, fingerprint: signature.fingerprint };

  const author = authorMatching(approver, context.authors);
  if (author) return reject(claimed, 'self-approval', `${claimed} is one of the change's authors (${author}), and nobody approves their own change`, signed);
  const binding = bindingProblem(record, context);
  if (binding) return reject(claimed, binding.rejection, binding.detail, signed);
  return { ...base, approver: claimed, valid: true, reason: null, rejection: null, ...signed };
}

type SignatureOutcome = { ok: true; fingerprint: string } | { ok: false; rejection: 'key-not-approvers' | 'bad-signature'; detail: string };

/**
 * The signature must verify, in the tfguard namespace over the exact payload bytes, with one of the
 * approver's own keys. A signature by any other key — another approver's, or one the policy does
 * not list — is told apart from one that is broken.
 */
function checkSignature(payload: Buffer, armoredSignature: string, approver: Approver, approvers: readonly Approver[]): SignatureOutcome {
  const keys = publicKeys(approver);
  if (keys.length === 0) return { ok: false, rejection: 'key-not-approvers', detail: `the policy lists no SSH key for ${approver.id}, so no signature can be theirs` };
  const signer = signingKeyBlob(armoredSignature);
  const key = signer ? keys.find((candidate) => candidate.blob.equals(signer)) : keys[0];
  if (!key) {
    const fingerprint = fingerprintOf(signer!);
    const owner = approvers.find((other) => other.id !== approver.id && publicKeys(other).some((candidate) => candidate.blob.equals(signer!)));
    const whose = owner ? `a key of approver ${owner.id}` : 'a key the policy does not list';
    return { ok: false, rejection: 'key-not-approvers', detail: `signed with ${fingerprint}, ${whose}, not one of ${approver.id}'s` };
  }
  const result = verifySshSignature({ message: payload, armoredSignature, namespace: APPROVAL_NAMESPACE, publicKey: key });
  return result.ok ? { ok: true, fingerprint: result.fingerprint } : { ok: false, rejection: 'bad-signature', detail: result.reason };
}

function publicKeys(approver: Approver): SshPublicKey[] {
  // The policy's keys were validated when it was read; one that does not parse can sign nothing.
  return approver.sshKeys.flatMap((line) => {
    const parsed = parseSshPublicKey(line);
    return parsed.ok ? [parsed.key] : [];
  });
}

/**
 * The public key an armored SSH signature says it was made with (PROTOCOL.sshsig: "SSHSIG",
 * uint32 version, string publickey, …), only to tell whose key it is; verifySshSignature checks the
 * rest. Undefined when the signature is too broken to say.
 */
function signingKeyBlob(armored: string): Buffer | undefined {
  const body = /-----BEGIN SSH SIGNATURE-----([A-Za-z0-9+/=\s]*)-----END SSH SIGNATURE-----/.exec(armored)?.[1];
  if (body === undefined) return undefined;
  const blob = Buffer.from(body.replace(/\s+/g, ''), 'base64');
  if (blob.length < 14 || blob.toString('latin1', 0, 6) !== 'SSHSIG') return undefined;
  const length = blob.readUInt32BE(10);
  return 14 + length <= blob.length ? blob.subarray(14, 14 + length) : undefined;
}

const fingerprintOf = (blob: Buffer): string => `SHA256:${createHash('sha256').update(blob).digest('base64').replace(/=+$/, '')}`;

/**
 * The author an approver is, described, or undefined: an approver's e-mail address equal to an
 * author's, or their GitHub login equal to an author's login (both case-insensitively).
 */
export function authorMatching(approver: Approver, authors: readonly Author[]): string | undefined {
  const emails = new Set(approver.emails.map((email) => email.toLowerCase()));
  const login = approver.github?.toLowerCase();
  for (const author of authors) {
    const roles = author.roles.length > 0 ? author.roles.join(', ') : 'author';
    if (author.email !== undefined && emails.has(author.email.toLowerCase())) return `${roles} ${author.email}`;
    if (login !== undefined && author.login?.toLowerCase() === login) return `${roles} @${author.login}`;
  }
  return undefined;
}

function bindingProblem(record: ApprovalRecord, context: ApprovalContext): { rejection: RecordRejection; detail: string } | undefined {
  if (record.digest !== context.digest) {
    return { rejection: 'other-change-set', detail: `the record approves ${record.digest}, this plan's change set is ${context.digest}` };
  }
  if (record.environment !== context.environment) {
    return { rejection: 'other-environment', detail: `the record is for ${scope(record.environment, 'environment')}, this check is for ${scope(context.environment, 'environment')}` };
  }
  if (record.repository?.toLowerCase() !== context.repository?.toLowerCase()) {
    return { rejection: 'other-repository', detail: `the record is for ${scope(record.repository, 'repository')}, this check is for ${scope(context.repository, 'repository')}` };
  }
  const now = context.now.getTime();
  if (Date.parse(record.createdAt) > now + CLOCK_SKEW_MS) {
    return { rejection: 'not-yet-valid', detail: `the record was created at ${record.createdAt}, later than now (${formatTimestamp(context.now)})` };
  }
  if (now >= Date.parse(record.expiresAt)) {
    return { rejection: 'expired', detail: `the record expired at ${record.expiresAt}` };
  }
  return undefined;
}

const scope = (value: string | null, what: string): string => (value === null ? `no particular ${what}` : `${what} "${value}"`);

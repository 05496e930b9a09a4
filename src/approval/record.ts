/**
 * The approval record: what a senior signs (docs/approvals.md). One line of canonical JSON, ASCII
 * only, with no line break anywhere, so neither git's line-ending conversion nor an encoding
 * conversion can change a byte of what was signed.
 */
import { createHash } from 'node:crypto';
import type { Catalogue } from '../catalogue/catalogue.js';
import { findDowngrades } from '../catalogue/protection.js';
import type { Change } from '../plan/changes.js';
import { TfguardError } from '../shared/errors.js';
import { terminalSafe } from '../shared/escape.js';
import { findDuplicateKeys } from '../shared/json-duplicates.js';
import { jsonSyntaxProblem } from '../shared/json-syntax.js';

export const APPROVAL_FORMAT = 'tfguard-approval-v1';
/** The SSH signature namespace of every record (`ssh-keygen -Y sign -n tfguard`). */
export const APPROVAL_NAMESPACE = 'tfguard';

/** `--expires` when it is not given. */
export const DEFAULT_EXPIRY = '24h';
/** The longest `--expires`; a record whose expiry is further from its creation is malformed. */
export const MAX_EXPIRY = '30d';

const DURATION_UNITS: Record<string, number> = { m: 60_000, h: 3_600_000, d: 86_400_000 };
export const MAX_EXPIRY_MS = 30 * DURATION_UNITS.d!;

export const MAX_REASON_LENGTH = 2000;
export const MAX_ENVIRONMENT_LENGTH = 256;

/** A destructive change the record covers: the digest's `change` entry. */
export interface CoveredChange {
  address: string;
  deposed?: string;
  type: string;
  actions: string[];
}

/** A protection downgrade the record covers: the digest's `downgrade` entry. */
export interface CoveredDowngrade {
  address: string;
  deposed?: string;
  type: string;
  attribute: string;
}

export interface ApprovalRecord {
  format: typeof APPROVAL_FORMAT;
  digest: string;
  approver: string;
  environment: string | null;
  /** `owner/name`. */
  repository: string | null;
  /** ISO-8601 UTC, to the second: `2025-01-31T09:30:00Z`. */
  createdAt: string;
  expiresAt: string;
  /** Why the approver approved, in their words. */
  reason: string | null;
  changes: CoveredChange[];
  downgrades: CoveredDowngrade[];
}

export interface ApprovalPayloadInput {
  digest: string;
  changes: readonly CoveredChange[];
  downgrades: readonly CoveredDowngrade[];
  approver: string;
  reason: string | null | undefined;
  createdAt: Date;
  expiresAt: Date;
  environment: string | null | undefined;
  repository: string | null | undefined;
}

export type ParsedApproval = { ok: true; record: ApprovalRecord } | { ok: false; reason: string };

const DIGEST_PATTERN = /^sha256:[0-9a-f]{64}$/;
// The same as an approver id in a policy (policies/policy.schema.json), so it is also a safe file name.
const APPROVER_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_.@-]*$/;
const REPOSITORY_PATTERN = /^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+$/;
const TIMESTAMP_PATTERN = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})Z$/;

const RECORD_KEYS = ['format', 'digest', 'approver', 'environment', 'repository', 'created_at', 'expires_at', 'reason', 'changes', 'downgrades'];
const CHANGE_KEYS = ['address', 'deposed', 'type', 'actions'];
const DOWNGRADE_KEYS = ['address', 'deposed', 'type', 'attribute'];

// ---------------------------------------------------------------------------------------------
// Durations

/**
 * `--expires`: a whole number of minutes, hours or days (`30m`, `72h`, `7d`), at least one minute
 * and at most MAX_EXPIRY. Returns milliseconds.
 */
export function parseExpiry(text: string): number {
  const match = /^([1-9][0-9]{0,5})([mhd])$/.exec(text);
  if (!match) {
    throw new TfguardError('--expires', `"${sample(text)}" is not a duration`, `Write a whole number of minutes, hours or days, e.g. 30m, 72h or 7d (default ${DEFAULT_EXPIRY}, at most ${MAX_EXPIRY})`);
  }
  const milliseconds = Number(match[1]) * DURATION_UNITS[match[2]!]!;
  if (milliseconds > MAX_EXPIRY_MS) {
    throw new TfguardError('--expires', `${text} is longer than the maximum of ${MAX_EXPIRY}`, 'Approve for a shorter time, and again when it expires');
  }
  return milliseconds;
}

/** A Date as the record writes it: UTC, to the second. */
export function formatTimestamp(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

// ---------------------------------------------------------------------------------------------
// What a record covers

/**
 * The destructive changes and protection downgrades of a plan, as a record lists them: exactly the
 * entries of the change-set digest (docs/digest.md), sorted and de-duplicated the same way.
 */
export function coveredChanges(changes: readonly Change[], catalogue: Catalogue): { changes: CoveredChange[]; downgrades: CoveredDowngrade[] } {
  const covered = new Map<string, CoveredChange>();
  const downgraded = new Map<string, CoveredDowngrade>();
  for (const change of changes) {
    const deposed = change.deposed === undefined ? {} : { deposed: change.deposed };
    if (change.destructive) {
      const entry: CoveredChange = { address: change.address, ...deposed, type: change.type, actions: [...change.actions] };
      covered.set(changeLine(entry), entry);
    }
    const stateful = change.kind === 'update' ? catalogue.stateful.get(change.type) : undefined;
    for (const downgrade of stateful ? findDowngrades(change, stateful) : []) {
      const entry: CoveredDowngrade = { address: change.address, ...deposed, type: change.type, attribute: downgrade.attribute };
      downgraded.set(downgradeLine(entry), entry);
    }
  }
  return { changes: sortedValues(covered), downgrades: sortedValues(downgraded) };
}

const changeLine = (entry: CoveredChange): string => JSON.stringify(['change', entry.address, entry.deposed ?? '', entry.type, entry.actions]);
const downgradeLine = (entry: CoveredDowngrade): string => JSON.stringify(['downgrade', entry.address, entry.deposed ?? '', entry.type, entry.attribute]);

function sortedValues<T>(entries: Map<string, T>): T[] {
  return [...entries.keys()].sort().map((key) => entries.get(key)!);
}

/**
 * The change-set digest of the entries a record lists, computed as docs/digest.md says. A record
 * whose list does not give its own digest is malformed: what it shows a reader is not what it approves.
 */
export function digestOfCovered(changes: readonly CoveredChange[], downgrades: readonly CoveredDowngrade[]): string {
  const lines = new Set([...changes.map(changeLine), ...downgrades.map(downgradeLine)]);
  const text = ['tfguard-digest-v1', ...[...lines].sort()].join('\n');
  return `sha256:${createHash('sha256').update(text, 'utf8').digest('hex')}`;
}

// ---------------------------------------------------------------------------------------------
// Writing

/**
 * The payload file's exact text: one line of JSON with a fixed key order, every non-ASCII
 * character escaped, no trailing newline. Throws TfguardError for anything a valid record cannot hold.
 */
export function buildApprovalPayload(input: ApprovalPayloadInput): string {
  if (Number.isNaN(input.createdAt.getTime()) || Number.isNaN(input.expiresAt.getTime())) {
    throw new TfguardError('approval record', 'its creation or expiry time is not a valid date', 'Nothing was written');
  }
  const document = {
    format: APPROVAL_FORMAT,
    digest: input.digest,
    approver: input.approver,
    environment: input.environment ?? null,
    repository: input.repository ?? null,
    created_at: formatTimestamp(input.createdAt),
    expires_at: formatTimestamp(input.expiresAt),
    reason: input.reason ?? null,
    changes: input.changes.map((entry) => ({ address: entry.address, ...(entry.deposed === undefined ? {} : { deposed: entry.deposed }), type: entry.type, actions: [...entry.actions] })),
    downgrades: input.downgrades.map((entry) => ({ address: entry.address, ...(entry.deposed === undefined ? {} : { deposed: entry.deposed }), type: entry.type, attribute: entry.attribute })),
  };
  const text = asciiJson(document);
  // The record is read back with the same checks every verifier uses: tfguard never writes one it would refuse.
  const parsed = parseApprovalPayload(text);
  if (!parsed.ok) throw new TfguardError('approval record', parsed.reason, 'Nothing was written');
  return text;
}

/** JSON.stringify escapes only C0 controls; everything from DEL up is written as \uXXXX too. */
function asciiJson(value: unknown): string {
  return JSON.stringify(value).replace(/[\u007f-\uffff]/g, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

// ---------------------------------------------------------------------------------------------
// Reading

class Malformed extends Error {}

function fail(reason: string): never {
  throw new Malformed(reason);
}

const STRICT_UTF8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/**
 * Reads a payload strictly: JSON with no repeated key, the format marker, exactly the known fields
 * with their types, timestamps, an expiry within MAX_EXPIRY of the creation, and a digest that
 * the listed changes give. Never throws; says why a payload is malformed.
 */
export function parseApprovalPayload(payload: string | Uint8Array): ParsedApproval {
  try {
    return { ok: true, record: parseOrFail(payload) };
  } catch (error) {
    if (error instanceof Malformed) return { ok: false, reason: error.message };
    throw error;
  }
}

function parseOrFail(payload: string | Uint8Array): ApprovalRecord {
  const text = typeof payload === 'string' ? payload : decode(payload);
  if (text.charCodeAt(0) === 0xfeff) fail('it starts with a byte-order mark; tfguard never writes one (was the file re-saved by an editor?)');
  if (text.trim() === '') fail('the file is empty');
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch (error) {
    const problem = jsonSyntaxProblem(text, error as Error);
    fail(`not JSON: ${problem.detail}${problem.line === undefined ? '' : ` at line ${problem.line}, column ${problem.column}`}`);
  }
  const [duplicate] = findDuplicateKeys(text, 1);
  if (duplicate) fail(`the key "${sample(String(duplicate.path[duplicate.path.length - 1]))}" appears twice in one object (line ${duplicate.line}, column ${duplicate.column})`);

  const fields = object(document, 'the record', RECORD_KEYS);
  if (fields.format !== APPROVAL_FORMAT) {
    fail(typeof fields.format === 'string' ? `unknown format "${sample(fields.format)}"; this tfguard reads "${APPROVAL_FORMAT}"` : `not a tfguard approval record: "format" must be "${APPROVAL_FORMAT}"`);
  }
  const digest = matching(fields.digest, 'digest', DIGEST_PATTERN, 'sha256: and 64 lower-case hex digits');
  const approver = matching(fields.approver, 'approver', APPROVER_PATTERN, 'an approver id of letters, digits, "_", ".", "@" and "-"');
  const environment = nullable(fields.environment, 'environment', checkEnvironmentName);
  const repository = nullable(fields.repository, 'repository', checkRepository);
  const createdAt = timestamp(fields.created_at, 'created_at');
  const expiresAt = timestamp(fields.expires_at, 'expires_at');
  const lifetime = Date.parse(expiresAt) - Date.parse(createdAt);
  if (lifetime <= 0) fail('expires_at is not after created_at');
  if (lifetime > MAX_EXPIRY_MS) fail(`expires_at is more than ${MAX_EXPIRY} after created_at (the longest an approval may last)`);
  const reason = nullable(fields.reason, 'reason', checkReason);
  const changes = list(fields.changes, 'changes').map((entry, index) => coveredChange(entry, `changes[${index}]`));
  const downgrades = list(fields.downgrades, 'downgrades').map((entry, index) => coveredDowngrade(entry, `downgrades[${index}]`));
  if (changes.length === 0 && downgrades.length === 0) fail('it covers no change: "changes" and "downgrades" are both empty');
  if (digestOfCovered(changes, downgrades) !== digest) fail('the digest is not the digest of the changes and downgrades the record lists');
  return { format: APPROVAL_FORMAT, digest, approver, environment, repository, createdAt, expiresAt, reason, changes, downgrades };
}

function decode(bytes: Uint8Array): string {
  try {
    return STRICT_UTF8.decode(bytes);
  } catch {
    fail('the file is not UTF-8 text');
  }
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  return typeof value === 'object' ? 'an object' : typeof value === 'string' ? 'a string' : `${typeof value} ${String(value)}`;
}

function object(value: unknown, what: string, keys: readonly string[]): Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) fail(`${what} must be a JSON object, found ${describe(value)}`);
  const unknown = Object.keys(value).find((key) => !keys.includes(key));
  if (unknown !== undefined) fail(`${what} has an unknown field "${sample(unknown)}"`);
  return value as Record<string, unknown>;
}

function string(value: unknown, field: string): string {
  if (typeof value !== 'string') fail(`"${field}" must be a string, found ${value === undefined ? 'nothing' : describe(value)}`);
  if (value === '') fail(`"${field}" is empty`);
  return value;
}

function matching(value: unknown, field: string, pattern: RegExp, expected: string): string {
  const text = string(value, field);
  if (!pattern.test(text)) fail(`"${field}" must be ${expected}, found "${sample(text)}"`);
  return text;
}

function nullable(value: unknown, field: string, check: (text: string) => string | undefined): string | null {
  if (value === null) return null;
  if (typeof value !== 'string') fail(`"${field}" must be a string or null, found ${value === undefined ? 'nothing' : describe(value)}`);
  const problem = check(value);
  if (problem) fail(`"${field}": ${problem}`);
  return value;
}

function timestamp(value: unknown, field: string): string {
  const text = string(value, field);
  const match = TIMESTAMP_PATTERN.exec(text);
  if (!match) fail(`"${field}" must be an ISO-8601 UTC time like 2025-01-31T09:30:00Z, found "${sample(text)}"`);
  const [year, month, day, hour, minute, second] = match.slice(1).map(Number) as [number, number, number, number, number, number];
  const date = new Date(Date.UTC(year, month - 1, day, hour, minute, second));
  // Date.UTC rolls 2025-02-30 over into March: a calendar date that does not exist is refused.
  if (formatTimestamp(date) !== text) fail(`"${field}" is not a real time: "${sample(text)}"`);
  return text;
}

function list(value: unknown, field: string): unknown[] {
  if (!Array.isArray(value)) fail(`"${field}" must be a list, found ${value === undefined ? 'nothing' : describe(value)}`);
  return value;
}

function optionalDeposed(fields: Record<string, unknown>, where: string): { deposed?: string } {
  return fields.deposed === undefined ? {} : { deposed: string(fields.deposed, `${where}.deposed`) };
}

function coveredChange(value: unknown, where: string): CoveredChange {
  const fields = object(value, where, CHANGE_KEYS);
  const actions = list(fields.actions, `${where}.actions`).map((action, index) => string(action, `${where}.actions[${index}]`));
  if (actions.length === 0) fail(`"${where}.actions" is empty`);
  return { address: string(fields.address, `${where}.address`), ...optionalDeposed(fields, where), type: string(fields.type, `${where}.type`), actions };
}

function coveredDowngrade(value: unknown, where: string): CoveredDowngrade {
  const fields = object(value, where, DOWNGRADE_KEYS);
  return {
    address: string(fields.address, `${where}.address`),
    ...optionalDeposed(fields, where),
    type: string(fields.type, `${where}.type`),
    attribute: string(fields.attribute, `${where}.attribute`),
  };
}

// ---------------------------------------------------------------------------------------------
// Scope values, shared with `tfguard approve`'s flags

/** Why an environment name cannot go into a record, or undefined when it can. */
export function checkEnvironmentName(name: string): string | undefined {
  if (name === '') return 'the environment name is empty';
  if (name.length > MAX_ENVIRONMENT_LENGTH) return `the environment name is longer than ${MAX_ENVIRONMENT_LENGTH} characters`;
  // Controls, line separators, bidi and zero-width characters: never part of a name a reader compares.
  if (terminalSafe(name) !== name) return 'the environment name contains a control or invisible character';
  return undefined;
}

/** Why a repository cannot go into a record (it must be `owner/name`), or undefined when it can. */
export function checkRepository(name: string): string | undefined {
  return REPOSITORY_PATTERN.test(name) ? undefined : `the repository must be "owner/name" (letters, digits, "_", "." and "-"), found "${sample(name)}"`;
}

/** Why an approver's reason cannot go into a record, or undefined when it can. */
export function checkReason(reason: string): string | undefined {
  if (reason.trim() === '') return 'the reason is empty';
  if (reason.length > MAX_REASON_LENGTH) return `the reason is longer than ${MAX_REASON_LENGTH} characters`;
  return undefined;
}

/** Untrusted text echoed in a reason: at most 40 characters, unsafe characters made visible. */
function sample(text: string): string {
  const chars = [...text];
  return `${terminalSafe(chars.slice(0, 40).join('')).replace(/"/g, '\\"')}${chars.length > 40 ? '...' : ''}`;
}

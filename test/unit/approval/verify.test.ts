import { execFileSync } from 'node:child_process';
import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { changeSetDigest } from '../../../src/approval/digest.js';
import { DEFAULT_APPROVALS_DIRECTORY, MAX_RECORD_BYTES, loadApprovalRecords } from '../../../src/approval/load-records.js';
import { buildApprovalPayload, coveredChanges, type ApprovalPayloadInput } from '../../../src/approval/record.js';
import { formatSshPublicKey, readOpenSshPrivateKey, signSshSignature, sshPublicKeyFromKeyObject } from '../../../src/approval/sshsig.js';
import {
  CLOCK_SKEW_MS,
  REJECTION_LABELS,
  checkApprovalRecords,
  type ApprovalCheck,
  type ApprovalContext,
  type ApprovalRecordFile,
  type RecordRejection,
} from '../../../src/approval/verify.js';
import { builtinCatalogue } from '../../../src/catalogue/data.js';
import { planChanges } from '../../../src/plan/changes.js';
import { checkPlanText } from '../../../src/plan/load-plan.js';
import type { Approver } from '../../../src/policy/model.js';
import type { Author } from '../../../src/provenance/evidence.js';
import { derived, example, plan } from '../../helpers/paths.js';

const catalogue = builtinCatalogue();
const changesOf = (path: string) => planChanges(checkPlanText(readFileSync(path, 'utf8'), path).raw);
const recreation = changesOf(example('environment-recreation'));
const otherPlan = changesOf(plan('delete'));
const DIGEST = changeSetDigest(recreation, catalogue);
const OTHER_DIGEST = changeSetDigest(otherPlan, catalogue);

const HOUR = 3_600_000;
const CREATED = new Date('2025-03-01T10:00:00Z');
const EXPIRES = new Date(CREATED.getTime() + 24 * HOUR);

let dir: string;
interface TestKey {
  /** The private key file (written by ssh-keygen, or PEM for node:crypto keys). */
  path: string;
  publicLine: string;
  privateKey: KeyObject;
  fingerprint: string;
}
type KeyName = 'alice' | 'aliceLaptop' | 'bob' | 'carol' | 'erin' | 'dave' | 'frank' | 'mallory';
let keys: Record<KeyName, TestKey>;

function sshKeygen(name: string, type: string, bits?: number): TestKey {
  const path = join(dir, name);
  execFileSync('ssh-keygen', ['-q', '-t', type, ...(bits ? ['-b', String(bits)] : []), '-N', '', '-C', `${name}@test`, '-f', path]);
  const { publicKey, privateKey } = readOpenSshPrivateKey(readFileSync(path, 'utf8'), path);
  const fingerprint = execFileSync('ssh-keygen', ['-l', '-E', 'sha256', '-f', `${path}.pub`], { encoding: 'utf8' }).split(' ')[1]!;
  return { path, publicLine: readFileSync(`${path}.pub`, 'utf8').trim(), privateKey, fingerprint: fingerprint === publicKey.fingerprint ? fingerprint : `mismatch ${fingerprint}` };
}

function nodeKey(name: string, type: 'ed25519' | 'ec', namedCurve?: string): TestKey {
  const pair = type === 'ec' ? generateKeyPairSync('ec', { namedCurve: namedCurve! }) : generateKeyPairSync('ed25519');
  const publicKey = sshPublicKeyFromKeyObject(pair.publicKey, `${name}@node`);
  const path = join(dir, `${name}.pem`);
  writeFileSync(path, pair.privateKey.export({ type: 'pkcs8', format: 'pem' }));
  return { path, publicLine: formatSshPublicKey(publicKey), privateKey: pair.privateKey, fingerprint: publicKey.fingerprint };
}

const approver = (id: string, sshKeys: string[], extra: Partial<Approver> = {}): Approver => ({ id, sshKeys, emails: [], source: 'test.hcl', ...extra });
let approvers: Approver[];

const AUTHORS: Author[] = [
  { name: 'Junior Dev', email: 'junior@acme.io', roles: ['commit-author', 'committer'] },
  { login: 'junior-dev', roles: ['pr-author'] },
];

function payloadFor(overrides: Partial<ApprovalPayloadInput> = {}): string {
  return buildApprovalPayload({
    digest: DIGEST,
    ...coveredChanges(recreation, catalogue),
    approver: 'alice',
    reason: 'planned migration',
    createdAt: CREATED,
    expiresAt: EXPIRES,
    environment: 'production',
    repository: 'acme/infra',
    ...overrides,
  });
}

const signWith = (key: TestKey, payload: string | Buffer): string => signSshSignature({ message: Buffer.from(payload), namespace: 'tfguard', privateKey: key.privateKey });

function signed(key: TestKey, overrides: Partial<ApprovalPayloadInput> = {}, file = 'approval.json'): ApprovalRecordFile {
  const payload = payloadFor(overrides);
  return { file, payload: Buffer.from(payload), signature: signWith(key, payload) };
}

function context(overrides: Partial<ApprovalContext> = {}): ApprovalContext {
  return { digest: DIGEST, environment: 'production', repository: 'acme/infra', now: new Date(CREATED.getTime() + HOUR), approvers, authors: AUTHORS, ...overrides };
}

const checkOne = (record: ApprovalRecordFile, overrides: Partial<ApprovalContext> = {}): ApprovalCheck => {
  const checks = checkApprovalRecords([record], context(overrides));
  expect(checks).toHaveLength(1);
  return checks[0]!;
};

/** The one check of a record, asserted to be refused for `rejection` with its label first. */
function refused(record: ApprovalRecordFile, rejection: RecordRejection, overrides: Partial<ApprovalContext> = {}): ApprovalCheck {
  const check = checkOne(record, overrides);
  expect(check, check.reason ?? 'valid').toMatchObject({ valid: false, rejection, via: 'ssh', file: record.file });
  expect(check.reason!.startsWith(`${REJECTION_LABELS[rejection]}: `)).toBe(true);
  return check;
}

const seenRejections = new Set<RecordRejection>();
const refusedAndSeen = (record: ApprovalRecordFile, rejection: RecordRejection, overrides: Partial<ApprovalContext> = {}): ApprovalCheck => {
  seenRejections.add(rejection);
  return refused(record, rejection, overrides);
};

function tamper(record: ApprovalRecordFile, edit: (document: Record<string, unknown>) => void): ApprovalRecordFile {
  const document = JSON.parse(String(record.payload)) as Record<string, unknown>;
  edit(document);
  return { ...record, payload: Buffer.from(JSON.stringify(document)) };
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'tfguard-verify-'));
  keys = {
    alice: sshKeygen('alice', 'ed25519'),
    aliceLaptop: sshKeygen('alice-laptop', 'ecdsa', 384),
    bob: sshKeygen('bob', 'ecdsa', 256),
    carol: sshKeygen('carol', 'rsa', 3072),
    erin: sshKeygen('erin', 'ecdsa', 521),
    dave: nodeKey('dave', 'ec', 'P-256'),
    frank: nodeKey('frank', 'ed25519'),
    mallory: sshKeygen('mallory', 'ed25519'),
  };
  approvers = [
    approver('alice', [keys.alice.publicLine, keys.aliceLaptop.publicLine], { github: 'Alice-GH', emails: ['alice@acme.io'] }),
    approver('bob', [keys.bob.publicLine], { github: 'bob-gh', emails: ['bob@acme.io'] }),
    approver('carol', [keys.carol.publicLine]),
    approver('erin', [keys.erin.publicLine]),
    approver('dave', [keys.dave.publicLine]),
    approver('frank', [keys.frank.publicLine]),
    approver('gina', [], { github: 'gina-gh' }),
  ];
});

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('checkApprovalRecords: valid records', () => {
  it.each<[string, string, KeyName]>([
    ['alice', 'ed25519 (ssh-keygen)', 'alice'],
    ['alice', 'ECDSA P-384 (ssh-keygen), her second key', 'aliceLaptop'],
    ['bob', 'ECDSA P-256 (ssh-keygen)', 'bob'],
    ['carol', 'RSA 3072 (ssh-keygen)', 'carol'],
    ['erin', 'ECDSA P-521 (ssh-keygen)', 'erin'],
    ['dave', 'ECDSA P-256 (node:crypto)', 'dave'],
    ['frank', 'ed25519 (node:crypto)', 'frank'],
  ])('counts a record by %s signed with an %s key', (id, _, keyName) => {
    const key = keys[keyName];
    const check = checkOne(signed(key, { approver: id }));
    expect(check).toEqual({
      approver: id,
      via: 'ssh',
      file: 'approval.json',
      valid: true,
      reason: null,
      rejection: null,
      fingerprint: key.fingerprint,
      expiresAt: '2025-03-02T10:00:00Z',
      comment: 'planned migration',
    });
  });

  it('counts a record signed by real `ssh-keygen -Y sign -n tfguard`', () => {
    const file = join(dir, 'keygen-signed.json');
    writeFileSync(file, payloadFor());
    execFileSync('ssh-keygen', ['-q', '-Y', 'sign', '-f', keys.alice.path, '-n', 'tfguard', file]);
    const check = checkOne({ file, payload: readFileSync(file), signature: readFileSync(`${file}.sig`, 'utf8') });
    expect(check).toMatchObject({ valid: true, approver: 'alice', fingerprint: keys.alice.fingerprint });
  });

  it('takes the payload as bytes or as text', () => {
    const record = signed(keys.alice);
    expect(checkOne({ ...record, payload: String(record.payload) }).valid).toBe(true);
  });

  it('still verifies a signature whose lines git turned into CRLF', () => {
    const record = signed(keys.alice);
    expect(checkOne({ ...record, signature: record.signature!.replace(/\n/g, '\r\n') }).valid).toBe(true);
  });

  it('compares repositories case-insensitively, as GitHub does', () => {
    expect(checkOne(signed(keys.alice), { repository: 'ACME/Infra' }).valid).toBe(true);
  });

  it('counts a record with no environment or repository only where none is known', () => {
    const record = signed(keys.alice, { environment: null, repository: null });
    expect(checkOne(record, { environment: null, repository: null }).valid).toBe(true);
  });

  it('omits the comment when the record gives no reason', () => {
    const check = checkOne(signed(keys.alice, { reason: null }));
    expect(check.valid).toBe(true);
    expect(check).not.toHaveProperty('comment');
  });

  it('gives one outcome per record, in order, and does not merge an approver\'s two records', () => {
    const checks = checkApprovalRecords([signed(keys.alice, {}, 'a.json'), signed(keys.mallory, {}, 'b.json'), signed(keys.aliceLaptop, {}, 'c.json')], context());
    expect(checks.map((check) => [check.file, check.valid])).toEqual([['a.json', true], ['b.json', false], ['c.json', true]]);
  });
});

describe('checkApprovalRecords: attacks, each refused for its own reason', () => {
  it('forged: signed with a key the policy does not list', () => {
    const check = refusedAndSeen(signed(keys.mallory), 'key-not-approvers');
    expect(check.reason).toContain(keys.mallory.fingerprint);
    expect(check.reason).toContain('a key the policy does not list');
    expect(check.approver).toBe('alice');
    expect(check).not.toHaveProperty('fingerprint');
  });

  it("another approver's key: bob signs a record that names alice", () => {
    const check = refusedAndSeen(signed(keys.bob), 'key-not-approvers');
    expect(check.reason).toContain('a key of approver bob');
    expect(check.reason).toContain(keys.bob.fingerprint);
  });

  it('an approver whose policy entry lists no SSH key (GitHub reviews only)', () => {
    const check = refusedAndSeen(signed(keys.alice, { approver: 'gina' }), 'key-not-approvers');
    expect(check.reason).toMatch(/lists no SSH key for gina/);
  });

  it('unlisted approver: the record names someone the policy does not know', () => {
    const check = refusedAndSeen(signed(keys.mallory, { approver: 'mallory' }), 'unknown-approver');
    expect(check.approver).toBe('mallory');
    expect(check.reason).toMatch(/no approver "mallory"/);
  });

  it('tampered approver: a record alice signed, renamed to bob, is not bob\'s', () => {
    refusedAndSeen(tamper(signed(keys.alice), (d) => (d.approver = 'bob')), 'key-not-approvers');
  });

  it.each<[string, (d: Record<string, unknown>) => void]>([
    ['environment', (d) => (d.environment = 'staging')],
    ['repository', (d) => (d.repository = 'acme/other')],
    ['created_at', (d) => (d.created_at = '2025-03-01T10:00:01Z')],
    ['expires_at', (d) => (d.expires_at = '2025-03-30T10:00:00Z')],
    ['reason', (d) => (d.reason = 'approved by the CTO')],
    ['reason removed', (d) => (d.reason = null)],
  ])('tampered %s after signing', (_, edit) => {
    const tampered = tamper(signed(keys.alice), edit);
    const check = refusedAndSeen(tampered, 'bad-signature', { environment: null, repository: null });
    expect(check.reason).toMatch(/changed after signing/);
  });

  it('tampered changes and digest after signing (swapped for another plan\'s, consistently)', () => {
    const other = JSON.parse(payloadFor({ digest: OTHER_DIGEST, ...coveredChanges(otherPlan, catalogue) })) as Record<string, unknown>;
    const tampered = tamper(signed(keys.alice), (d) => {
      d.digest = other.digest;
      d.changes = other.changes;
    });
    refusedAndSeen(tampered, 'bad-signature', { digest: OTHER_DIGEST });
  });

  it('tampered downgrades and digest after signing', () => {
    const downgradePlan = changesOf(derived('protection-downgrade'));
    const digest = changeSetDigest(downgradePlan, catalogue);
    const record = signed(keys.alice, { digest, ...coveredChanges(downgradePlan, catalogue) });
    const tampered = tamper(record, (d) => {
      d.downgrades = [];
      d.changes = JSON.parse(payloadFor()).changes;
      d.digest = DIGEST;
    });
    refusedAndSeen(tampered, 'bad-signature');
  });

  it('one byte added after signing (a trailing newline an editor adds)', () => {
    const record = signed(keys.alice);
    refusedAndSeen({ ...record, payload: Buffer.concat([record.payload as Buffer, Buffer.from('\n')]) }, 'bad-signature');
    refused({ ...record, payload: Buffer.from(`${String(record.payload)}\r\n`) }, 'bad-signature');
  });

  it('a signature of another record by the same key', () => {
    const other = payloadFor({ reason: 'something else' });
    refusedAndSeen({ ...signed(keys.alice), signature: signWith(keys.alice, other) }, 'bad-signature');
  });

  it('a signature made for another namespace (ssh-keygen -n git)', () => {
    const file = join(dir, 'git-namespace.json');
    writeFileSync(file, payloadFor());
    execFileSync('ssh-keygen', ['-q', '-Y', 'sign', '-f', keys.alice.path, '-n', 'git', file]);
    const check = refusedAndSeen({ file, payload: readFileSync(file), signature: readFileSync(`${file}.sig`, 'utf8') }, 'bad-signature');
    expect(check.reason).toMatch(/namespace "git"/);
  });

  it.each<[string, (signature: string) => string]>([
    ['truncated', (signature) => signature.slice(0, 120)],
    ['cut after its header', (signature) => signature.split('\n')[0]!],
    ['empty', () => ''],
    ['garbage text', () => 'this is not a signature\n'],
    ['garbage base64 inside the armor', () => '-----BEGIN SSH SIGNATURE-----\nAAAAAAAA\n-----END SSH SIGNATURE-----\n'],
    ['a PGP signature', () => '-----BEGIN PGP SIGNATURE-----\n\niQEzBAABCAAdFiEE\n-----END PGP SIGNATURE-----\n'],
    ['one base64 character changed', (signature) => {
      const lines = signature.split('\n');
      const line = lines[3]!;
      lines[3] = `${line.slice(0, 10)}${line[10] === 'A' ? 'B' : 'A'}${line.slice(11)}`;
      return lines.join('\n');
    }],
  ])('a signature file that is %s', (_, mangle) => {
    const record = signed(keys.alice);
    const check = refusedAndSeen({ ...record, signature: mangle(record.signature!) }, 'bad-signature');
    expect(check.approver).toBe('alice');
  });

  it('no signature file', () => {
    const { signature: _, ...unsigned } = signed(keys.alice);
    const check = refusedAndSeen(unsigned, 'no-signature');
    expect(check.reason).toContain('approval.json.sig');
    expect(check.reason).toContain('ssh-keygen -Y sign');
  });

  it('replayed onto another plan: the digest names another change set', () => {
    const check = refusedAndSeen(signed(keys.alice), 'other-change-set', { digest: OTHER_DIGEST });
    expect(check.reason).toContain(DIGEST);
    expect(check.reason).toContain(OTHER_DIGEST);
    expect(check.fingerprint).toBe(keys.alice.fingerprint);
  });

  it('replayed onto another environment: a staging approval in production', () => {
    const check = refusedAndSeen(signed(keys.alice, { environment: 'staging' }), 'other-environment');
    expect(check.reason).toBe('another environment: the record is for environment "staging", this check is for environment "production"');
  });

  it('an approval for no particular environment does not approve production, nor the reverse', () => {
    refused(signed(keys.alice, { environment: null }), 'other-environment');
    refused(signed(keys.alice), 'other-environment', { environment: null });
    refused(signed(keys.alice, { environment: 'Production' }), 'other-environment');
  });

  it('replayed onto another repository', () => {
    refusedAndSeen(signed(keys.alice, { repository: 'acme/sandbox' }), 'other-repository');
    refused(signed(keys.alice, { repository: null }), 'other-repository');
    refused(signed(keys.alice), 'other-repository', { repository: null });
  });

  it('expired: at its expiry and after', () => {
    const record = signed(keys.alice);
    expect(checkOne(record, { now: new Date(EXPIRES.getTime() - 1000) }).valid).toBe(true);
    const check = refusedAndSeen(record, 'expired', { now: EXPIRES });
    expect(check.reason).toBe('expired: the record expired at 2025-03-02T10:00:00Z');
    refused(record, 'expired', { now: new Date(EXPIRES.getTime() + 365 * 24 * HOUR) });
  });

  it('not yet valid: created further in the future than the clock skew allows', () => {
    const record = signed(keys.alice);
    expect(checkOne(record, { now: new Date(CREATED.getTime() - CLOCK_SKEW_MS) }).valid).toBe(true);
    const check = refusedAndSeen(record, 'not-yet-valid', { now: new Date(CREATED.getTime() - CLOCK_SKEW_MS - 1000) });
    expect(check.reason).toMatch(/created at 2025-03-01T10:00:00Z, later than now \(2025-03-01T09:54:59Z\)/);
  });

  it('self-approved by e-mail: the approver committed the change (case-insensitively)', () => {
    const authors: Author[] = [...AUTHORS, { name: 'Alice', email: 'Alice@ACME.io', roles: ['commit-author'] }];
    const check = refusedAndSeen(signed(keys.alice), 'self-approval', { authors });
    expect(check.reason).toContain('commit-author Alice@ACME.io');
  });

  it('self-approved by login: the approver opened the pull request (case-insensitively)', () => {
    const check = refusedAndSeen(signed(keys.alice), 'self-approval', { authors: [{ login: 'alice-gh', roles: ['pr-author'] }] });
    expect(check.reason).toContain('pr-author @alice-gh');
  });

  it('self-approved: the approver asked an agent for the change', () => {
    refused(signed(keys.bob, { approver: 'bob' }), 'self-approval', { authors: [{ email: 'bob@acme.io', roles: ['requester'] }] });
  });

  it('self-approval outranks replay reasons: approving again would not help', () => {
    refused(signed(keys.alice), 'self-approval', { authors: [{ email: 'alice@acme.io', roles: ['co-author'] }], digest: OTHER_DIGEST, now: EXPIRES });
  });

  it('an author with no e-mail or login of the approver\'s is not the approver', () => {
    expect(checkOne(signed(keys.alice), { authors: [{ name: 'Alice', email: 'alice@elsewhere.io', login: 'alice', roles: ['commit-author'] }] }).valid).toBe(true);
  });

  it.each<[string, string | Buffer]>([
    ['garbage', 'garbage'],
    ['truncated', '{"format":"tfguard-approval-v1","digest":"sha256:'],
    ['empty', ''],
    ['binary', Buffer.from([0, 1, 2, 0xff])],
  ])('a record file that is %s is malformed, and names no approver', (_, payload) => {
    const check = refusedAndSeen({ file: 'x.json', payload, signature: signed(keys.alice).signature! }, 'malformed');
    expect(check.approver).toBeNull();
  });

  it('a record the loader could not read is malformed, whatever its bytes', () => {
    const record = signed(keys.alice);
    const check = refusedAndSeen({ ...record, unreadable: 'permission denied' }, 'malformed');
    expect(check.reason).toBe('malformed: permission denied');
  });

  it('every rejection has been produced by some test above, with a distinct label', () => {
    expect([...seenRejections].sort()).toEqual(Object.keys(REJECTION_LABELS).sort());
    expect(new Set(Object.values(REJECTION_LABELS)).size).toBe(Object.keys(REJECTION_LABELS).length);
  });
});

describe('loadApprovalRecords', () => {
  let root: string;
  const record = (name: string, sign = true): string => {
    const payload = payloadFor();
    writeFileSync(join(root, name), payload);
    if (sign) writeFileSync(join(root, `${name}.sig`), signWith(keys.alice, payload));
    return name;
  };

  beforeAll(() => {
    root = join(dir, 'repo');
    mkdirSync(join(root, DEFAULT_APPROVALS_DIRECTORY), { recursive: true });
  });

  it('reads a directory\'s *.json files in name order, each with FILE.sig beside it', () => {
    const approvals = join(root, 'listing');
    mkdirSync(join(approvals, 'nested.json'), { recursive: true });
    writeFileSync(join(approvals, 'README.md'), 'not a record');
    writeFileSync(join(approvals, 'orphan.json.sig'), 'x');
    for (const name of ['b.json', 'a.json', 'c.json']) record(`listing/${name}`, name !== 'c.json');
    const records = loadApprovalRecords(['listing'], root);
    expect(records.map((item) => item.file)).toEqual(['listing/a.json', 'listing/b.json', 'listing/c.json', 'listing/nested.json']);
    expect(records[0]).toMatchObject({ payload: readFileSync(join(approvals, 'a.json')), signature: readFileSync(join(approvals, 'a.json.sig'), 'utf8') });
    expect(records[2]!.signature).toBeUndefined();
    expect(records[3]!.unreadable).toMatch(/directory/);
    const checks = checkApprovalRecords(records, context());
    expect(checks.map((check) => check.rejection)).toEqual([null, null, 'no-signature', 'malformed']);
  });

  it('reads the default directory when no path is given, and nothing when it does not exist', () => {
    record(`${DEFAULT_APPROVALS_DIRECTORY}/alice.json`);
    expect(loadApprovalRecords([], root).map((item) => item.file)).toEqual([`${DEFAULT_APPROVALS_DIRECTORY}/alice.json`]);
    expect(loadApprovalRecords([], join(root, 'listing'))).toEqual([]);
  });

  it('reads a file given twice, directly and through its directory, once', () => {
    record('twice.json');
    mkdirSync(join(root, 'dup'), { recursive: true });
    record('dup/one.json');
    expect(loadApprovalRecords(['dup', 'dup/one.json', './dup/one.json'], root).map((item) => item.file)).toEqual(['dup/one.json']);
  });

  it('reports a path that does not exist instead of dropping it', () => {
    const records = loadApprovalRecords(['missing.json', 'missing-dir/'], root);
    expect(records.map((item) => [item.file, item.unreadable])).toEqual([
      ['missing.json', 'no such file or directory'],
      ['missing-dir/', 'no such file or directory'],
    ]);
    expect(checkApprovalRecords(records, context()).every((check) => check.rejection === 'malformed')).toBe(true);
  });

  it('points at the record when given its signature file', () => {
    record('given-sig.json');
    const [loaded] = loadApprovalRecords(['given-sig.json.sig'], root);
    expect(loaded!.unreadable).toMatch(/this is a signature file; give the record it signs \(given-sig\.json\)/);
  });

  it('refuses a record or a signature larger than 1 MiB, unread', () => {
    writeFileSync(join(root, 'huge.json'), Buffer.alloc(MAX_RECORD_BYTES + 1, 0x20));
    record('huge-sig.json');
    writeFileSync(join(root, 'huge-sig.json.sig'), Buffer.alloc(MAX_RECORD_BYTES + 1, 0x41));
    writeFileSync(join(root, 'limit.json'), Buffer.alloc(MAX_RECORD_BYTES, 0x20));
    const [huge, hugeSig, limit] = loadApprovalRecords(['huge.json', 'huge-sig.json', 'limit.json'], root);
    expect(huge!.unreadable).toMatch(/the record cannot be read: it is 1048577 bytes, more than the 1048576/);
    expect(hugeSig!.unreadable).toMatch(/its signature huge-sig\.json\.sig cannot be read: it is 1048577 bytes/);
    expect(limit!.unreadable).toBeUndefined();
    expect(checkOne(limit!).rejection).toBe('malformed');
  });

  it('refuses a signature that is not UTF-8 text', () => {
    record('binary-sig.json');
    writeFileSync(join(root, 'binary-sig.json.sig'), Buffer.from([0xff, 0xfe, 0x00]));
    const [loaded] = loadApprovalRecords(['binary-sig.json'], root);
    expect(loaded!.unreadable).toMatch(/is not text/);
  });

  it('refuses a FIFO named like a record without waiting for a writer', () => {
    execFileSync('mkfifo', [join(root, 'fifo.json')]);
    const [loaded] = loadApprovalRecords(['fifo.json'], root);
    expect(loaded!.unreadable).toMatch(/not a regular file/);
  });

  // Root reads every file whatever its mode, so this can only be shown as another user.
  it.skipIf(process.getuid?.() === 0)('refuses a record it may not read', () => {
    record('locked.json');
    execFileSync('chmod', ['000', join(root, 'locked.json')]);
    const [loaded] = loadApprovalRecords(['locked.json'], root);
    expect(loaded!.unreadable).toMatch(/permission denied/);
  });
});

import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { changeSetDigest } from '../../../src/approval/digest.js';
import {
  APPROVAL_FORMAT,
  buildApprovalPayload,
  coveredChanges,
  digestOfCovered,
  formatTimestamp,
  parseApprovalPayload,
  parseExpiry,
  type ApprovalPayloadInput,
  type ApprovalRecord,
} from '../../../src/approval/record.js';
import { builtinCatalogue } from '../../../src/catalogue/data.js';
import { planChanges } from '../../../src/plan/changes.js';
import { checkPlanText } from '../../../src/plan/load-plan.js';
import { TfguardError } from '../../../src/shared/errors.js';
import { DERIVED, EXAMPLES, PLANS, derived, example, plan } from '../../helpers/paths.js';

const catalogue = builtinCatalogue();
const changesOf = (path: string) => planChanges(checkPlanText(readFileSync(path, 'utf8'), path).raw);

const recreation = changesOf(example('environment-recreation'));
const recreationCovered = coveredChanges(recreation, catalogue);
const downgradeCovered = coveredChanges(changesOf(derived('protection-downgrade')), catalogue);

const HOUR = 3_600_000;
const created = new Date('2025-03-01T10:00:00Z');

function input(overrides: Partial<ApprovalPayloadInput> = {}): ApprovalPayloadInput {
  return {
    digest: changeSetDigest(recreation, catalogue),
    ...recreationCovered,
    approver: 'alice',
    reason: 'migration window agreed with the data team',
    createdAt: created,
    expiresAt: new Date(created.getTime() + 24 * HOUR),
    environment: 'production',
    repository: 'acme/infra',
    ...overrides,
  };
}

const parsed = (text: string | Buffer): ApprovalRecord => {
  const result = parseApprovalPayload(text);
  if (!result.ok) throw new Error(result.reason);
  return result.record;
};
const refusal = (text: string | Buffer): string => {
  const result = parseApprovalPayload(text);
  if (result.ok) throw new Error('expected the payload to be refused');
  return result.reason;
};

/** A valid payload's JSON with one edit. */
function edited(change: (document: Record<string, unknown>) => void): string {
  const document = JSON.parse(buildApprovalPayload(input())) as Record<string, unknown>;
  change(document);
  return JSON.stringify(document);
}

describe('buildApprovalPayload', () => {
  const payload = buildApprovalPayload(input());

  it('is one line of ASCII JSON, with no line break and no trailing newline', () => {
    expect(payload).not.toMatch(/[\r\n]/);
    expect(payload).toMatch(/^[\x20-\x7e]+$/);
    expect(payload.endsWith('}')).toBe(true);
  });

  it('writes the fields in a fixed order', () => {
    expect(Object.keys(JSON.parse(payload))).toEqual(['format', 'digest', 'approver', 'environment', 'repository', 'created_at', 'expires_at', 'reason', 'changes', 'downgrades']);
    expect(payload.startsWith(`{"format":"${APPROVAL_FORMAT}","digest":"sha256:`)).toBe(true);
  });

  it('is canonical: the same approval gives the same bytes whatever the order of the plan', () => {
    const reordered = coveredChanges([...recreation].reverse(), catalogue);
    expect(buildApprovalPayload(input({ ...reordered }))).toBe(payload);
  });

  it('round-trips through parseApprovalPayload', () => {
    const record = parsed(payload);
    expect(record).toMatchObject({
      format: APPROVAL_FORMAT,
      approver: 'alice',
      environment: 'production',
      repository: 'acme/infra',
      createdAt: '2025-03-01T10:00:00Z',
      expiresAt: '2025-03-02T10:00:00Z',
      reason: 'migration window agreed with the data team',
    });
    expect(record.changes).toEqual(recreationCovered.changes);
    expect(record.digest).toBe(changeSetDigest(recreation, catalogue));
  });

  it('escapes line breaks, separators and every non-ASCII character, and keeps their meaning', () => {
    const reason = 'line one\nline two\r\u2028 caf\u00e9 \u{1f680} \u202e';
    const text = buildApprovalPayload(input({ reason }));
    expect(text).not.toMatch(/[\r\n\u2028\u0080-\uffff]/);
    expect(text).toContain('\\u2028');
    expect(parsed(text).reason).toBe(reason);
  });

  it('writes null for an unknown environment, repository and reason', () => {
    const record = parsed(buildApprovalPayload(input({ environment: undefined, repository: null, reason: undefined })));
    expect(record).toMatchObject({ environment: null, repository: null, reason: null });
  });

  it('drops milliseconds: times are to the second', () => {
    const record = parsed(buildApprovalPayload(input({ createdAt: new Date('2025-03-01T10:00:00.987Z') })));
    expect(record.createdAt).toBe('2025-03-01T10:00:00Z');
  });

  it('lists protection downgrades with their type and attribute', () => {
    expect(downgradeCovered.downgrades.length).toBeGreaterThan(0);
    const digest = changeSetDigest(changesOf(derived('protection-downgrade')), catalogue);
    const record = parsed(buildApprovalPayload(input({ digest, ...downgradeCovered })));
    expect(record.downgrades).toEqual(downgradeCovered.downgrades);
    for (const downgrade of record.downgrades) expect(Object.keys(downgrade)).toEqual(['address', 'type', 'attribute']);
  });

  it('writes deposed only for deposed objects', () => {
    const covered = coveredChanges(changesOf(plan('deposed')), catalogue);
    const withDeposed = covered.changes.filter((change) => change.deposed !== undefined);
    expect(withDeposed.length).toBeGreaterThan(0);
    const text = buildApprovalPayload(input({ digest: changeSetDigest(changesOf(plan('deposed')), catalogue), ...covered }));
    expect(parsed(text).changes.filter((change) => change.deposed !== undefined)).toEqual(withDeposed);
    expect((text.match(/"deposed":/g) ?? []).length).toBe(withDeposed.length);
  });

  it.each<[string, Partial<ApprovalPayloadInput>, RegExp]>([
    ['a digest that is not one', { digest: 'sha256:abc' }, /"digest" must be sha256:/],
    ['a digest of other changes', { digest: `sha256:${'0'.repeat(64)}` }, /not the digest of the changes/],
    ['an approver id with a slash', { approver: '../alice' }, /"approver" must be an approver id/],
    ['an expiry before creation', { expiresAt: created }, /expires_at is not after created_at/],
    ['an expiry beyond 30 days', { expiresAt: new Date(created.getTime() + 30 * 24 * HOUR + 1000) }, /more than 30d/],
    ['an empty change set', { changes: [], downgrades: [], digest: digestOfCovered([], []) }, /covers no change/],
    ['an environment with a control character', { environment: 'prod\u001b[2J' }, /control or invisible/],
    ['a repository that is not owner/name', { repository: 'https://github.com/acme/infra' }, /"owner\/name"/],
    ['an empty reason', { reason: '   ' }, /the reason is empty/],
    ['an invalid date', { createdAt: new Date(Number.NaN) }, /not a valid date/],
  ])('refuses %s (TfguardError, nothing written)', (_, overrides, message) => {
    expect(() => buildApprovalPayload(input(overrides))).toThrow(TfguardError);
    expect(() => buildApprovalPayload(input(overrides))).toThrow(message);
  });
});

describe('coveredChanges and digestOfCovered', () => {
  const plans = [
    ...readdirSync(PLANS).filter((name) => name.endsWith('.json')).map((name) => join(PLANS, name)),
    ...readdirSync(DERIVED).filter((name) => name.endsWith('.json') && !name.endsWith('.mapping.json')).map((name) => join(DERIVED, name)),
    ...readdirSync(EXAMPLES).map((name) => example(name)).filter((path) => existsSync(path)),
  ];

  it.each(plans.map((path) => [path.slice(path.lastIndexOf('/', path.lastIndexOf('/') - 1) + 1), path]))(
    'the listed entries give the change-set digest of %s',
    (_, path) => {
      const changes = changesOf(path);
      const covered = coveredChanges(changes, catalogue);
      expect(digestOfCovered(covered.changes, covered.downgrades)).toBe(changeSetDigest(changes, catalogue));
    },
  );

  it('lists only destructive changes, with the plan\'s actions in their order', () => {
    const destructive = recreation.filter((change) => change.destructive);
    expect(recreationCovered.changes).toHaveLength(destructive.length);
    const sample = destructive[0]!;
    expect(recreationCovered.changes).toContainEqual({ address: sample.address, type: sample.type, actions: sample.actions });
  });
});

describe('parseApprovalPayload', () => {
  it('accepts a payload that is not byte-canonical (it is the signature that binds the bytes)', () => {
    const spaced = JSON.stringify(JSON.parse(buildApprovalPayload(input())), null, 2);
    expect(parsed(spaced).approver).toBe('alice');
  });

  it.each<[string, string | Buffer, RegExp]>([
    ['an empty file', '', /the file is empty/],
    ['bytes that are not UTF-8', Buffer.from([0x7b, 0xff, 0xfe, 0x7d]), /not UTF-8/],
    ['a byte-order mark', `\ufeff${buildApprovalPayload(input())}`, /byte-order mark/],
    ['text that is not JSON', 'approved by alice', /^not JSON/],
    ['a truncated record', buildApprovalPayload(input()).slice(0, 120), /^not JSON: /],
    ['a JSON list', '[]', /the record must be a JSON object, found a list/],
    ['JSON null', 'null', /must be a JSON object, found null/],
  ])('refuses %s', (_, text, message) => {
    expect(refusal(text)).toMatch(message);
  });

  it('refuses a key given twice (JSON.parse would keep the last one without a word)', () => {
    const payload = buildApprovalPayload(input());
    const doubled = payload.replace('"approver":"alice"', '"approver":"alice","approver":"bob"');
    expect(refusal(doubled)).toMatch(/the key "approver" appears twice/);
  });

  it('checks the format marker', () => {
    expect(refusal(edited((d) => (d.format = 'tfguard-approval-v2')))).toMatch(/unknown format "tfguard-approval-v2"/);
    expect(refusal(edited((d) => delete d.format))).toMatch(/not a tfguard approval record/);
    expect(refusal(edited((d) => (d.format = 1)))).toMatch(/not a tfguard approval record/);
  });

  it('refuses unknown fields, at the top and inside entries', () => {
    expect(refusal(edited((d) => (d.approved = true)))).toMatch(/the record has an unknown field "approved"/);
    expect(refusal(edited((d) => ((d.changes as Record<string, unknown>[])[0]!.note = 'x')))).toMatch(/changes\[0\] has an unknown field "note"/);
    const extraField = edited((d) => {
      (d.downgrades as unknown[]).push({ address: 'a', type: 't', attribute: 'x', before: true });
    });
    expect(refusal(extraField)).toMatch(/downgrades\[0\] has an unknown field "before"/);
  });

  it.each<[string, (d: Record<string, unknown>) => void, RegExp]>([
    ['a missing digest', (d) => delete d.digest, /"digest" must be a string, found nothing/],
    ['an upper-case digest', (d) => (d.digest = String(d.digest).toUpperCase()), /"digest" must be sha256:/],
    ['a numeric approver', (d) => (d.approver = 7), /"approver" must be a string, found number 7/],
    ['an empty approver', (d) => (d.approver = ''), /"approver" is empty/],
    ['a missing environment', (d) => delete d.environment, /"environment" must be a string or null, found nothing/],
    ['an environment list', (d) => (d.environment = ['prod']), /"environment" must be a string or null, found a list/],
    ['a repository without owner', (d) => (d.repository = 'infra'), /"repository": the repository must be "owner\/name"/],
    ['a local time', (d) => (d.created_at = '2025-03-01T10:00:00+01:00'), /"created_at" must be an ISO-8601 UTC time/],
    ['milliseconds', (d) => (d.created_at = '2025-03-01T10:00:00.000Z'), /"created_at" must be an ISO-8601 UTC time/],
    ['a date that does not exist', (d) => (d.expires_at = '2025-02-30T10:00:00Z'), /"expires_at" is not a real time/],
    ['a numeric time', (d) => (d.expires_at = 1740823200), /"expires_at" must be a string, found number/],
    ['an expiry before creation', (d) => (d.expires_at = '2025-03-01T09:59:59Z'), /expires_at is not after created_at/],
    ['a year-long approval', (d) => (d.expires_at = '2026-03-01T10:00:00Z'), /more than 30d after created_at/],
    ['a numeric reason', (d) => (d.reason = 42), /"reason" must be a string or null/],
    ['changes as an object', (d) => (d.changes = {}), /"changes" must be a list, found an object/],
    ['a missing downgrades list', (d) => delete d.downgrades, /"downgrades" must be a list, found nothing/],
    ['a change without actions', (d) => delete (d.changes as Record<string, unknown>[])[0]!.actions, /"changes\[0\]\.actions" must be a list/],
    ['a change with no action', (d) => ((d.changes as Record<string, unknown>[])[0]!.actions = []), /"changes\[0\]\.actions" is empty/],
    ['a numeric action', (d) => ((d.changes as Record<string, unknown>[])[0]!.actions = [1]), /"changes\[0\]\.actions\[0\]" must be a string/],
    ['a null deposed key', (d) => ((d.changes as Record<string, unknown>[])[0]!.deposed = null), /"changes\[0\]\.deposed" must be a string, found null/],
    ['a change that is a string', (d) => ((d.changes as unknown[])[0] = 'aws_db_instance.main'), /changes\[0\] must be a JSON object, found a string/],
  ])('refuses %s', (_, change, message) => {
    expect(refusal(edited(change))).toMatch(message);
  });

  it('refuses a record whose list of changes does not give its digest', () => {
    const dropped = edited((d) => (d.changes as unknown[]).pop());
    expect(refusal(dropped)).toMatch(/the digest is not the digest of the changes and downgrades the record lists/);
    const renamed = edited((d) => ((d.changes as Record<string, unknown>[])[0]!.address = 'aws_db_instance.other'));
    expect(refusal(renamed)).toMatch(/not the digest of the changes/);
  });

  it('shows untrusted text from the record escaped and shortened', () => {
    const reason = refusal(edited((d) => (d.format = `x\u001b[31m${'y'.repeat(80)}`)));
    expect(reason).not.toMatch(/\u001b/);
    expect(reason).toContain('\\u001b');
    expect(reason).toContain('...');
  });
});

describe('parseExpiry', () => {
  it.each([
    ['30m', 30 * 60_000],
    ['1m', 60_000],
    ['72h', 72 * HOUR],
    ['7d', 7 * 24 * HOUR],
    ['30d', 30 * 24 * HOUR],
    ['720h', 720 * HOUR],
  ])('reads %s', (text, milliseconds) => {
    expect(parseExpiry(text)).toBe(milliseconds);
  });

  it.each(['', '0h', '0m', '1w', '1.5h', ' 1h', '1h ', '1H', '-1h', '+1h', '1', 'h', '01h', '1h30m', '1e3m', 'P1D'])('refuses %j', (text) => {
    expect(() => parseExpiry(text)).toThrow(TfguardError);
    expect(() => parseExpiry(text)).toThrow(/is not a duration/);
  });

  it.each(['31d', '721h', '43201m', '999999d'])('refuses %s: longer than the 30d maximum', (text) => {
    expect(() => parseExpiry(text)).toThrow(/longer than the maximum of 30d/);
  });
});

describe('formatTimestamp', () => {
  it('writes UTC to the second', () => {
    expect(formatTimestamp(new Date('2025-12-31T23:59:59.999Z'))).toBe('2025-12-31T23:59:59Z');
  });
});

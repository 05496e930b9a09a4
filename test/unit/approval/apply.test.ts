import { describe, expect, it } from 'vitest';
import { applyApprovals, validApprovals } from '../../../src/approval/apply.js';
import type { Finding } from '../../../src/policy/evaluate.js';

const finding = (rule: string, enforcement: Finding['enforcement'], approvalsRequired: number): Finding => ({
  rule,
  enforcement,
  approvalsRequired,
  approved: false,
  effect: enforcement === 'advisory' || (enforcement === 'soft-mandatory' && approvalsRequired === 0) ? 'warn' : 'block',
  message: `${rule} message`,
});

const twoNeeded = finding('database-destroy', 'soft-mandatory', 2);
const oneNeeded = finding('bucket-destroy', 'soft-mandatory', 1);
const hard = finding('environment-recreation', 'hard-mandatory', 0);
const advisory = finding('heads-up', 'advisory', 0);
const humanChange = finding('database-destroy-human', 'soft-mandatory', 0);

const by = (...approvers: string[]) => approvers.map((approver) => ({ approver }));

describe('applyApprovals', () => {
  it('approves a soft-mandatory finding once enough distinct approvers approved', () => {
    const { findings } = applyApprovals([twoNeeded, oneNeeded], by('alice', 'bob'));
    expect(findings.map((item) => [item.rule, item.approved, item.approvedBy])).toEqual([
      ['database-destroy', true, ['alice', 'bob']],
      ['bucket-destroy', true, ['alice', 'bob']],
    ]);
  });

  it('does not approve it with fewer, and says who counted so far', () => {
    const { findings } = applyApprovals([twoNeeded, oneNeeded], by('alice'));
    expect(findings.map((item) => [item.approved, item.approvedBy])).toEqual([
      [false, ['alice']],
      [true, ['alice']],
    ]);
  });

  it('counts one approver with two records (or a record and a review) once', () => {
    const { findings } = applyApprovals([twoNeeded], by('alice', 'alice', 'alice'));
    expect(findings[0]).toMatchObject({ approved: false, approvedBy: ['alice'] });
  });

  it('never approves a hard-mandatory finding, and says why each valid approval did not count for it', () => {
    const { findings, uncounted } = applyApprovals([hard, oneNeeded], by('alice', 'bob', 'alice'));
    expect(findings[0]).toMatchObject({ rule: 'environment-recreation', approved: false, approvedBy: [] });
    expect(findings[1]).toMatchObject({ approved: true });
    expect(uncounted).toEqual([
      { approver: 'alice', reason: 'hard-mandatory rule', rules: ['environment-recreation'] },
      { approver: 'bob', reason: 'hard-mandatory rule', rules: ['environment-recreation'] },
    ]);
  });

  it('names each hard-mandatory rule once', () => {
    const { uncounted } = applyApprovals([hard, { ...hard }, finding('prevent-destroy', 'hard-mandatory', 0)], by('alice'));
    expect(uncounted).toEqual([{ approver: 'alice', reason: 'hard-mandatory rule', rules: ['environment-recreation', 'prevent-destroy'] }]);
  });

  it('notes nothing when no approval met a hard-mandatory finding', () => {
    expect(applyApprovals([hard], []).uncounted).toEqual([]);
    expect(applyApprovals([oneNeeded], by('alice')).uncounted).toEqual([]);
  });

  it('leaves findings that ask for no approval as they are', () => {
    const { findings } = applyApprovals([advisory, humanChange], by('alice', 'bob'));
    expect(findings.map((item) => [item.approved, item.approvedBy, item.effect])).toEqual([
      [false, [], 'warn'],
      [false, [], 'warn'],
    ]);
  });

  it('approves nothing without valid approvals', () => {
    const { findings } = applyApprovals([twoNeeded, oneNeeded], []);
    expect(findings.every((item) => !item.approved && item.approvedBy.length === 0)).toBe(true);
  });

  it('returns new findings in the given order and changes nothing else', () => {
    const input = [oneNeeded, hard, advisory];
    const { findings } = applyApprovals(input, by('alice'));
    expect(findings.map((item) => item.rule)).toEqual(['bucket-destroy', 'environment-recreation', 'heads-up']);
    expect(findings[0]).not.toBe(oneNeeded);
    expect(oneNeeded.approved).toBe(false);
    const { approved: _approved, approvedBy: _by, ...rest } = findings[0]!;
    const { approved: _original, ...original } = oneNeeded;
    expect(rest).toEqual(original);
  });

  it('gives every finding its own list of approvers', () => {
    const { findings } = applyApprovals([twoNeeded, oneNeeded], by('alice'));
    findings[0]!.approvedBy.push('mallory');
    expect(findings[1]!.approvedBy).toEqual(['alice']);
  });

  it('takes the valid approvals of records and reviews alike', () => {
    const checks = [
      { approver: 'alice', valid: true },
      { approver: 'bob', valid: false },
      { approver: null, valid: false },
      { approver: 'carol', valid: true },
    ];
    expect(validApprovals(checks)).toEqual(by('alice', 'carol'));
    expect(applyApprovals([twoNeeded], validApprovals(checks)).findings[0]).toMatchObject({ approved: true, approvedBy: ['alice', 'carol'] });
  });
});

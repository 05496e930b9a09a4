import { describe, expect, it } from 'vitest';
import { REVIEW_REJECTION_LABELS, checkReviews, type PullRequestReview, type ReviewCheck, type ReviewContext, type ReviewRejection } from '../../../src/approval/github-reviews.js';
import type { Approver } from '../../../src/policy/model.js';

const HEAD = '8d3f1c2a9b7e6d5c4b3a29180f7e6d5c4b3a2918';
const OLD = '1111111111111111111111111111111111111111';

const approvers: Approver[] = [
  { id: 'alice', github: 'Alice-GH', sshKeys: [], emails: ['alice@acme.io'], source: 'policy.hcl' },
  { id: 'bob', github: 'bob-gh', sshKeys: [], emails: [], source: 'policy.hcl' },
  { id: 'carol', sshKeys: ['ssh-ed25519 AAAA'], emails: [], source: 'policy.hcl' },
];

const context = (overrides: Partial<ReviewContext> = {}): ReviewContext => ({
  headSha: HEAD,
  approvers,
  authors: [{ email: 'junior@acme.io', login: 'junior-dev', roles: ['commit-author'] }],
  prAuthor: 'junior-dev',
  ...overrides,
});

let nextId = 100;
/** A review as GET /repos/{owner}/{repo}/pulls/{n}/reviews returns it (the fields GitHub always sends). */
function review(login: string | null, state: string, minute: number, commit: string | null = HEAD, id = nextId++): PullRequestReview {
  const full = {
    id,
    node_id: `PRR_kwDO${id}`,
    user: login === null ? null : { login, id: 1000 + id, type: 'User', site_admin: false },
    body: '',
    state,
    html_url: `https://github.com/acme/infra/pull/7#pullrequestreview-${id}`,
    pull_request_url: 'https://api.github.com/repos/acme/infra/pulls/7',
    author_association: 'MEMBER',
    _links: { html: { href: '' }, pull_request: { href: '' } },
    commit_id: commit,
    ...(state === 'PENDING' ? {} : { submitted_at: `2025-03-01T10:${String(minute).padStart(2, '0')}:00Z` }),
  };
  return full;
}

const outcome = (checks: ReviewCheck[]) => checks.map((check) => [check.review, check.approver, check.valid, check.rejection]);

function refused(checks: ReviewCheck[], index: number, rejection: ReviewRejection): ReviewCheck {
  const check = checks[index]!;
  expect(check, check.reason ?? 'valid').toMatchObject({ valid: false, rejection, via: 'github' });
  expect(check.reason!.startsWith(`${REVIEW_REJECTION_LABELS[rejection]}: `)).toBe(true);
  return check;
}

describe('checkReviews', () => {
  it('counts an APPROVED review on the head commit by a listed approver', () => {
    const approved = review('Alice-GH', 'APPROVED', 1);
    expect(checkReviews([approved], context())).toEqual([
      { approver: 'alice', via: 'github', review: approved.id, reviewer: 'Alice-GH', commit: HEAD, valid: true, reason: null, rejection: null },
    ]);
  });

  it('matches the login case-insensitively, and the head sha whatever its case', () => {
    const checks = checkReviews([review('alice-gh', 'APPROVED', 1, HEAD.toUpperCase())], context());
    expect(checks[0]).toMatchObject({ approver: 'alice', valid: true });
  });

  it('stale: an approval of an earlier commit does not count', () => {
    const check = refused(checkReviews([review('Alice-GH', 'APPROVED', 1, OLD)], context()), 0, 'stale');
    expect(check.reason).toContain('on commit 111111111111');
    expect(check.reason).toContain(`the head is now ${HEAD.slice(0, 12)}`);
    refused(checkReviews([review('Alice-GH', 'APPROVED', 1, null)], context()), 0, 'stale');
  });

  it('an approval of an older commit does not count even when the same reviewer approved the head too; the head one does', () => {
    const old = review('Alice-GH', 'APPROVED', 1, OLD);
    const current = review('Alice-GH', 'APPROVED', 5);
    expect(outcome(checkReviews([current, old], context()))).toEqual([
      [old.id, 'alice', false, 'stale'],
      [current.id, 'alice', true, null],
    ]);
  });

  it('unknown approver: a login no approver has', () => {
    const check = refused(checkReviews([review('mallory', 'APPROVED', 1)], context()), 0, 'unknown-approver');
    expect(check).toMatchObject({ approver: null, reviewer: 'mallory' });
    expect(check.reason).toContain('@mallory is not the GitHub login of any approver');
  });

  it('unknown approver: a review by a deleted account', () => {
    const check = refused(checkReviews([review(null, 'APPROVED', 1)], context()), 0, 'unknown-approver');
    expect(check).toMatchObject({ approver: null, reviewer: null });
    expect(check.reason).toContain('deleted GitHub account');
  });

  it('self-approval: the approver wrote a commit of the change (by e-mail)', () => {
    const authors = [{ name: 'Alice', email: 'ALICE@acme.io', roles: ['commit-author' as const] }];
    const check = refused(checkReviews([review('Alice-GH', 'APPROVED', 1)], context({ authors })), 0, 'self-approval');
    expect(check.reason).toContain('commit-author ALICE@acme.io');
  });

  it('self-approval: the approver is an author by login', () => {
    refused(checkReviews([review('bob-gh', 'APPROVED', 1)], context({ authors: [{ login: 'BOB-GH', roles: ['requester'] }] })), 0, 'self-approval');
  });

  it('self-approval: the approver opened the pull request', () => {
    const check = refused(checkReviews([review('bob-gh', 'APPROVED', 1)], context({ prAuthor: 'Bob-GH', authors: [] })), 0, 'self-approval');
    expect(check.reason).toContain('opened the pull request');
  });

  it('cancelled: a later CHANGES_REQUESTED from the same reviewer withdraws the approval', () => {
    const approved = review('Alice-GH', 'APPROVED', 1);
    const changes = review('alice-gh', 'CHANGES_REQUESTED', 2);
    const check = refused(checkReviews([approved, changes], context()), 0, 'cancelled');
    expect(check.reason).toContain(`a later CHANGES_REQUESTED review (${changes.id})`);
  });

  it('cancelled: a later dismissed review from the same reviewer withdraws it, and the dismissed one is reported', () => {
    const approved = review('Alice-GH', 'APPROVED', 1);
    const dismissed = review('Alice-GH', 'DISMISSED', 3);
    const checks = checkReviews([approved, dismissed], context());
    refused(checks, 0, 'cancelled');
    expect(refused(checks, 1, 'dismissed')).toMatchObject({ approver: 'alice', review: dismissed.id });
  });

  it('dismissed: an approval that was dismissed counts for nothing', () => {
    refused(checkReviews([review('Alice-GH', 'DISMISSED', 1)], context()), 0, 'dismissed');
  });

  it('an approval after a request for changes counts again', () => {
    const first = review('Alice-GH', 'APPROVED', 1);
    const changes = review('Alice-GH', 'CHANGES_REQUESTED', 2);
    const again = review('Alice-GH', 'APPROVED', 3);
    expect(outcome(checkReviews([first, changes, again], context()))).toEqual([
      [first.id, 'alice', false, 'cancelled'],
      [again.id, 'alice', true, null],
    ]);
  });

  it('COMMENTED and PENDING reviews change nothing and are not listed', () => {
    const approved = review('Alice-GH', 'APPROVED', 1);
    const checks = checkReviews([approved, review('Alice-GH', 'COMMENTED', 2), review('Alice-GH', 'PENDING', 3)], context());
    expect(outcome(checks)).toEqual([[approved.id, 'alice', true, null]]);
  });

  it('another reviewer\'s request for changes does not cancel an approval', () => {
    const approved = review('Alice-GH', 'APPROVED', 1);
    const checks = checkReviews([approved, review('bob-gh', 'CHANGES_REQUESTED', 2)], context());
    expect(outcome(checks)).toEqual([[approved.id, 'alice', true, null]]);
  });

  it('orders by submitted_at, whatever order the pages came in', () => {
    const changes = review('Alice-GH', 'CHANGES_REQUESTED', 1);
    const approved = review('Alice-GH', 'APPROVED', 2);
    expect(checkReviews([approved, changes], context())[0]).toMatchObject({ valid: true });
  });

  it('orders reviews of the same second by id', () => {
    const approved = review('Alice-GH', 'APPROVED', 1, HEAD, 500);
    const changes = review('Alice-GH', 'CHANGES_REQUESTED', 1, HEAD, 501);
    refused(checkReviews([changes, approved], context()), 0, 'cancelled');
    const laterApproval = review('Alice-GH', 'APPROVED', 1, HEAD, 503);
    const earlierChanges = review('Alice-GH', 'CHANGES_REQUESTED', 1, HEAD, 502);
    expect(checkReviews([laterApproval, earlierChanges], context())[0]).toMatchObject({ valid: true });
  });

  it('a review without a readable time sorts last, so it can cancel but never be cancelled by accident', () => {
    const approved = review('Alice-GH', 'APPROVED', 5);
    const undated = { ...review('Alice-GH', 'CHANGES_REQUESTED', 1), submitted_at: 'yesterday' };
    refused(checkReviews([approved, undated], context()), 0, 'cancelled');
  });

  it('two approvers approving give two valid entries; one approver approving twice gives two entries of the same approver', () => {
    const checks = checkReviews([review('Alice-GH', 'APPROVED', 1), review('bob-gh', 'APPROVED', 2), review('Alice-GH', 'APPROVED', 3)], context());
    expect(checks.filter((check) => check.valid).map((check) => check.approver)).toEqual(['alice', 'bob', 'alice']);
  });

  it('an approver without a github login never matches a review', () => {
    refused(checkReviews([review('carol', 'APPROVED', 1)], context()), 0, 'unknown-approver');
  });

  it('has a distinct label for every rejection', () => {
    expect(new Set(Object.values(REVIEW_REJECTION_LABELS)).size).toBe(Object.keys(REVIEW_REJECTION_LABELS).length);
  });
});

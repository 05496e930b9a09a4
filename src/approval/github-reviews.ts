/**
 * Pull-request reviews as approvals: which APPROVED reviews count (docs/approvals.md). Pure: the
 * reviews come from GET /repos/{owner}/{repo}/pulls/{number}/reviews, every page of it.
 */
import type { Approver } from '../policy/model.js';
import type { Author } from '../provenance/evidence.js';
import { authorMatching } from './verify.js';

/** The fields of a review object (GitHub's `pull-request-review`) that matter here. */
export interface PullRequestReview {
  id: number;
  /** null when the reviewer's account was deleted. */
  user: { login: string } | null;
  /** APPROVED, CHANGES_REQUESTED, COMMENTED, DISMISSED or PENDING. */
  state: string;
  /** The commit the review was given on; GitHub's schema allows null. */
  commit_id: string | null;
  /** Absent on a PENDING review (not submitted). */
  submitted_at?: string;
}

export interface ReviewContext {
  /** The pull request's head commit now. */
  headSha: string;
  approvers: readonly Approver[];
  /** The change's human authors: none of them may approve it. */
  authors: readonly Author[];
  /** The pull request's author's login. */
  prAuthor?: string;
}

/** Why a review does not count; each reason text starts with its label (`stale: …`). */
export type ReviewRejection = 'unknown-approver' | 'self-approval' | 'stale' | 'cancelled' | 'dismissed';

export const REVIEW_REJECTION_LABELS: Record<ReviewRejection, string> = {
  'unknown-approver': 'unknown approver',
  'self-approval': 'self-approval',
  stale: 'stale',
  cancelled: 'cancelled',
  dismissed: 'dismissed',
};

export interface ReviewCheck {
  /** The policy approver whose `github` login gave the review; null when none is. */
  approver: string | null;
  via: 'github';
  review: number;
  /** The reviewer's login as GitHub returned it; null for a deleted account. */
  reviewer: string | null;
  commit: string | null;
  valid: boolean;
  reason: string | null;
  rejection: ReviewRejection | null;
}

const CANCELLING_STATES = new Set(['CHANGES_REQUESTED', 'DISMISSED']);

/**
 * One outcome per APPROVED or DISMISSED review (a dismissed review may have been an approval), in
 * the order the reviews were given. An APPROVED review counts when it was given on the head commit,
 * by a listed approver's GitHub login (case-insensitively), who is neither an author of the change
 * nor the pull request's author, and no CHANGES_REQUESTED or DISMISSED review from the same
 * reviewer came after it. COMMENTED and PENDING reviews change nothing.
 */
export function checkReviews(reviews: readonly PullRequestReview[], context: ReviewContext): ReviewCheck[] {
  const ordered = [...reviews].filter((review) => review.state !== 'PENDING').sort(chronologically);
  const checks: ReviewCheck[] = [];
  ordered.forEach((review, index) => {
    if (review.state !== 'APPROVED' && review.state !== 'DISMISSED') return;
    const later = ordered.slice(index + 1);
    checks.push(checkReview(review, later, context));
  });
  return checks;
}

/** By submitted_at, then id; a review without a readable time sorts last, so it can cancel but never be cancelled by accident. */
function chronologically(a: PullRequestReview, b: PullRequestReview): number {
  return submittedTime(a) - submittedTime(b) || a.id - b.id;
}

function submittedTime(review: PullRequestReview): number {
  const time = review.submitted_at === undefined ? Number.NaN : Date.parse(review.submitted_at);
  return Number.isNaN(time) ? Number.MAX_SAFE_INTEGER : time;
}

function checkReview(review: PullRequestReview, later: readonly PullRequestReview[], context: ReviewContext): ReviewCheck {
  const login = review.user?.login ?? null;
  const approver = login === null ? undefined : context.approvers.find((candidate) => candidate.github?.toLowerCase() === login.toLowerCase());
  const base = { approver: approver?.id ?? null, via: 'github' as const, review: review.id, reviewer: login, commit: review.commit_id };
  const reject = (rejection: ReviewRejection, detail: string): ReviewCheck => ({
    ...base,
    valid: false,
    reason: `${REVIEW_REJECTION_LABELS[rejection]}: ${detail}`,
    rejection,
  });

  if (review.state === 'DISMISSED') return reject('dismissed', `review ${review.id} was dismissed, so it approves nothing`);
  if (login === null) return reject('unknown-approver', `review ${review.id} is by a deleted GitHub account`);
  if (!approver) return reject('unknown-approver', `@${login} is not the GitHub login of any approver in the policy`);
  const author = authorMatching(approver, context.authors);
  if (author) return reject('self-approval', `${approver.id} is one of the change's authors (${author}), and nobody approves their own change`);
  if (context.prAuthor !== undefined && context.prAuthor.toLowerCase() === login.toLowerCase()) {
    return reject('self-approval', `@${login} opened the pull request, and nobody approves their own change`);
  }
  if (review.commit_id?.toLowerCase() !== context.headSha.toLowerCase()) {
    const given = review.commit_id === null ? 'on no known commit' : `on commit ${review.commit_id.slice(0, 12)}`;
    return reject('stale', `given ${given}, but the head is now ${context.headSha.slice(0, 12)}; ${approver.id} must approve the head commit again`);
  }
  const cancelling = later.find((other) => other.user?.login.toLowerCase() === login.toLowerCase() && CANCELLING_STATES.has(other.state));
  if (cancelling) return reject('cancelled', `a later ${cancelling.state} review (${cancelling.id}) by @${login} withdraws it`);
  return { ...base, valid: true, reason: null, rejection: null };
}

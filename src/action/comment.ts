import type { GitHubClient, IssueComment } from '../github/client.js';

export interface CommentTarget {
  owner: string;
  repo: string;
  number: number;
  /** The hidden marker the body starts with. */
  marker: string;
}

export interface CommentResult {
  action: 'created' | 'updated';
  comment: IssueComment;
}

/**
 * The one comment of this step on the pull request: updated in place when it exists, created once
 * otherwise. Ours is the oldest comment that starts with the marker and was written by a bot account
 * (the workflow token, a GitHub App): a person who pastes the marker into a comment of their own does
 * not get it overwritten, nor can they stand in for the report.
 */
export async function upsertComment(client: GitHubClient, target: CommentTarget, body: string): Promise<CommentResult> {
  const comments = await client.listIssueComments(target.owner, target.repo, target.number);
  const ours = comments.find((comment) => isOurs(comment, target.marker));
  if (ours) return { action: 'updated', comment: await client.updateIssueComment(target.owner, target.repo, ours.id, body) };
  return { action: 'created', comment: await client.createIssueComment(target.owner, target.repo, target.number, body) };
}

export function isOurs(comment: IssueComment, marker: string): boolean {
  return comment.userType === 'Bot' && comment.body.trimStart().startsWith(marker);
}

/**
 * The plain data of provenance: what was read (commits, the pull request, the environment) and what
 * was found in it (evidence, authors). Text from commits, logins and labels is untrusted and kept as
 * it was read; whoever prints it escapes it.
 */

export type SignalKind =
  | 'trailer'
  | 'message-marker'
  | 'author'
  | 'committer'
  | 'bot-login'
  | 'branch-prefix'
  | 'label'
  | 'pr-body-marker'
  | 'environment';

export interface GitIdentity {
  name: string;
  email: string;
  /** The GitHub account behind the identity, when the GitHub API said so. */
  login?: string;
}

export interface CommitFact {
  sha: string;
  /** More than one parent: a merge commit. */
  parents: string[];
  author: GitIdentity;
  committer: GitIdentity;
  /** The full message, subject included. */
  message: string;
}

export interface GitHubUser {
  login: string;
  /** `User`, `Bot` or `Organization` as GitHub reports it. */
  type?: string;
}

export interface PullRequestFact {
  number: number;
  author: GitHubUser;
  assignees: GitHubUser[];
  labels: string[];
  headRef: string;
  headSha: string;
  baseRef: string;
  baseSha: string;
  body: string;
  /** `owner/name`. */
  repository: string;
}

export interface CommitRange {
  base: string;
  head: string;
  commits: number;
  source: 'git' | 'github';
  /** The GitHub API stopped at its 250-commit limit, so later commits were not read. */
  truncated?: boolean;
}

export interface ProvenanceFacts {
  commits: CommitFact[];
  range?: CommitRange;
  pullRequest?: PullRequestFact;
  /** Only the variables some signal names (see environment.ts). */
  environment: Record<string, string>;
}

/**
 * What the collectors produced. `unknown` says why the commit range could not be read; whatever else
 * was read (the pull request, the environment) is still in `facts` and may still carry evidence.
 */
export interface CollectedFacts {
  facts: ProvenanceFacts;
  unknown?: string;
}

export type EvidenceWhere =
  | { type: 'commit'; sha: string; field: 'message'; line: number }
  | { type: 'commit'; sha: string; field: 'author' | 'committer' }
  | { type: 'label'; label: string }
  | { type: 'branch'; branch: string }
  | { type: 'pr-author'; login: string }
  | { type: 'pr-body'; line: number }
  | { type: 'environment'; name: string };

export interface Evidence {
  /** The signal's id (`claude-code.co-author`), or `policy.<list>[<index>]` for a policy signature. */
  signal: string;
  tool: string;
  kind: SignalKind;
  where: EvidenceWhere;
  /** What matched, as it was read (a trailer line, an identity, a login, `NAME=value`). */
  text: string;
}

export type AuthorRole = 'commit-author' | 'committer' | 'co-author' | 'pr-author' | 'requester';

/** A person behind the change. Approvals use these to refuse self-approval. */
export interface Author {
  name?: string;
  email?: string;
  login?: string;
  roles: AuthorRole[];
}

import { TfguardError } from '../shared/errors.js';

/** A commit as the pull-request commits endpoint lists it, in the shape provenance reads (its GitHubCommit). */
export interface GitHubCommit {
  sha: string;
  parents: string[];
  author: { name: string; email: string; login?: string };
  committer: { name: string; email: string; login?: string };
  message: string;
}

/**
 * A small GitHub REST client on @octokit/core with its paginate plugin, loaded with import() on first
 * use so a run without a token never loads them. Honours GITHUB_API_URL (GitHub Enterprise Server),
 * gives every request a timeout, and turns every failure — 401, 403, 404, rate limit, 5xx, network
 * error, timeout, an answer of the wrong shape — into one TfguardError line.
 */

export interface GitHubClientOptions {
  token: string;
  /** Default: GITHUB_API_URL from `env`, else https://api.github.com. */
  baseUrl?: string;
  env?: NodeJS.ProcessEnv;
  /** Per request. Default 30 s. */
  timeoutMs?: number;
}

export interface PullRequestCommits {
  commits: GitHubCommit[];
  /** The endpoint lists at most 250 commits; true when it returned that many. */
  truncated: boolean;
}

export interface PullRequestReview {
  id: number;
  login: string | undefined;
  userType: string | undefined;
  /** APPROVED, CHANGES_REQUESTED, COMMENTED, DISMISSED or PENDING, as GitHub sent it. */
  state: string;
  /** The commit the review was made on; null when GitHub no longer has it. */
  commitId: string | null;
  submittedAt: string | undefined;
}

/** An issue (or pull-request conversation) comment, in the shape the Action's one comment needs. */
export interface IssueComment {
  id: number;
  body: string;
  login: string | undefined;
  /** `Bot` for the workflow token and GitHub Apps, `User` for a person's token. */
  userType: string | undefined;
  htmlUrl: string | undefined;
}

export interface GitHubClient {
  readonly baseUrl: string;
  pullRequestCommits(owner: string, repo: string, number: number): Promise<PullRequestCommits>;
  pullRequestReviews(owner: string, repo: string, number: number): Promise<PullRequestReview[]>;
  /** Every comment of the issue or pull request, oldest first (all pages). */
  listIssueComments(owner: string, repo: string, number: number): Promise<IssueComment[]>;
  createIssueComment(owner: string, repo: string, number: number, body: string): Promise<IssueComment>;
  updateIssueComment(owner: string, repo: string, commentId: number, body: string): Promise<IssueComment>;
}

export const PULL_REQUEST_COMMIT_LIMIT = 250;
const DEFAULT_BASE_URL = 'https://api.github.com';
const DEFAULT_TIMEOUT_MS = 30_000;
const SILENT = { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} };

class GitHubTimeout extends Error {
  constructor(readonly timeoutMs: number) {
    super(`no answer within ${timeoutMs / 1000}s`);
    this.name = 'GitHubTimeout';
  }
}

export async function createGitHubClient(options: GitHubClientOptions): Promise<GitHubClient> {
  const baseUrl = (options.baseUrl ?? options.env?.GITHUB_API_URL ?? DEFAULT_BASE_URL).replace(/\/+$/u, '');
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const [{ Octokit: Core }, { paginateRest }] = await Promise.all([import('@octokit/core'), import('@octokit/plugin-paginate-rest')]);
  const PaginatingOctokit = Core.plugin(paginateRest);
  const octokit = new PaginatingOctokit({
    auth: options.token,
    baseUrl,
    log: SILENT,
    request: { fetch: timedFetch(timeoutMs) },
  });

  const list = async (route: string, params: Record<string, unknown>): Promise<unknown[]> => {
    try {
      return (await octokit.paginate(route, { ...params, per_page: 100 })) as unknown[];
    } catch (error) {
      throw toTfguardError(error, route, params, baseUrl);
    }
  };

  const write = async (route: string, params: Record<string, unknown>): Promise<unknown> => {
    try {
      return (await octokit.request(route, params)).data;
    } catch (error) {
      throw toWriteError(error, route, params, baseUrl);
    }
  };

  return {
    baseUrl,
    async pullRequestCommits(owner, repo, number) {
      const route = 'GET /repos/{owner}/{repo}/pulls/{pull_number}/commits';
      const items = await list(route, { owner, repo, pull_number: number });
      const commits = items.map((item, index) => commitFromApi(item, `${where(route, { owner, repo, pull_number: number })} item ${index}`));
      return { commits, truncated: commits.length >= PULL_REQUEST_COMMIT_LIMIT };
    },
    async pullRequestReviews(owner, repo, number) {
      const route = 'GET /repos/{owner}/{repo}/pulls/{pull_number}/reviews';
      const items = await list(route, { owner, repo, pull_number: number });
      return items.map((item, index) => reviewFromApi(item, `${where(route, { owner, repo, pull_number: number })} item ${index}`));
    },
    async listIssueComments(owner, repo, number) {
      const route = 'GET /repos/{owner}/{repo}/issues/{issue_number}/comments';
      const items = await list(route, { owner, repo, issue_number: number });
      return items.map((item, index) => commentFromApi(item, `${where(route, { owner, repo, issue_number: number })} item ${index}`));
    },
    async createIssueComment(owner, repo, number, body) {
      const route = 'POST /repos/{owner}/{repo}/issues/{issue_number}/comments';
      return commentFromApi(await write(route, { owner, repo, issue_number: number, body }), where(route, { owner, repo, issue_number: number }));
    },
    async updateIssueComment(owner, repo, commentId, body) {
      const route = 'PATCH /repos/{owner}/{repo}/issues/comments/{comment_id}';
      return commentFromApi(await write(route, { owner, repo, comment_id: commentId, body }), where(route, { owner, repo, comment_id: commentId }));
    },
  };
}

/** A refused write needs other advice than a refused read: write permission, and forks' read-only tokens. */
function toWriteError(error: unknown, route: string, params: Record<string, unknown>, baseUrl: string): TfguardError {
  const { body: _text, ...named } = params;
  const at = where(route, named);
  const status = (error as { status?: unknown }).status;
  const response = (error as { response?: { headers?: Record<string, string | undefined>; data?: unknown } }).response;
  const detail = apiMessage(response?.data);
  const rateLimited = response?.headers?.['x-ratelimit-remaining'] === '0' || /rate limit/iu.test(detail);
  if (status === 403 && !rateLimited) {
    return new TfguardError(at, `GitHub refused to write the comment (403${detail})`, 'give the token write access (permissions: pull-requests: write); on pull requests from forks the token is read-only, so set comment: false there');
  }
  if (status === 422) return new TfguardError(at, `GitHub rejected the comment (422${detail})`, 'report it: tfguard keeps its comment within GitHub\'s limits');
  return toTfguardError(error, route, named, baseUrl);
}

/** Each request gets its own timeout; the paginate plugin drops per-call options, so it lives in fetch. */
function timedFetch(timeoutMs: number): typeof fetch {
  return async (input, init) => {
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(new GitHubTimeout(timeoutMs)), timeoutMs);
    try {
      return await fetch(input, { ...init, signal: controller.signal });
    } catch (error) {
      if (controller.signal.aborted) throw controller.signal.reason as GitHubTimeout;
      throw error;
    } finally {
      clearTimeout(timer);
    }
  };
}

function toTfguardError(error: unknown, route: string, params: Record<string, unknown>, baseUrl: string): TfguardError {
  const at = where(route, params);
  const timeout = findCause(error, (cause): cause is GitHubTimeout => cause instanceof GitHubTimeout);
  if (timeout) {
    return new TfguardError(at, `the GitHub API at ${baseUrl} gave no answer within ${timeout.timeoutMs / 1000}s`, 'check GITHUB_API_URL and the network, then retry');
  }
  const status = typeof (error as { status?: unknown }).status === 'number' ? (error as { status: number }).status : undefined;
  const response = (error as { response?: { headers?: Record<string, string | undefined>; data?: unknown } }).response;
  const headers = response?.headers ?? {};
  const detail = apiMessage(response?.data);
  if (response === undefined) {
    const reason = findCause(error, (cause): cause is Error => cause instanceof Error && cause !== error)?.message ?? (error as Error).message;
    return new TfguardError(at, `cannot reach the GitHub API at ${baseUrl} (${reason})`, 'check GITHUB_API_URL and the network');
  }
  if (status === 401) return new TfguardError(at, `GitHub refused the token (401${detail})`, 'check --github-token or GITHUB_TOKEN: it is wrong, expired or revoked');
  if (status === 429 || (status === 403 && (headers['x-ratelimit-remaining'] === '0' || /rate limit/iu.test(detail)))) {
    const reset = Number(headers['x-ratelimit-reset']);
    const when = Number.isFinite(reset) && reset > 0 ? ` until ${new Date(reset * 1000).toISOString()}` : '';
    return new TfguardError(at, `the GitHub API rate limit is used up${when} (${status}${detail})`, 'wait for the limit to reset, or use a token with a higher limit');
  }
  if (status === 403) return new TfguardError(at, `GitHub refused access (403${detail})`, 'give the token read access to pull requests (permissions: pull-requests: read, contents: read)');
  if (status === 404) return new TfguardError(at, `not found, or the token cannot see it (404${detail})`, 'check the repository and pull request, and that the token can read them');
  if (status !== undefined && status >= 500) return new TfguardError(at, `the GitHub API failed (${status}${detail})`, 'retry later; if it persists, check the GitHub status page');
  return new TfguardError(at, `unexpected answer from the GitHub API (${status ?? 'no status'}${detail})`, 'retry; if it persists, report it');
}

function where(route: string, params: Record<string, unknown>): string {
  return `GitHub API ${route.replace(/\{(\w+)\}/gu, (_, name: string) => String(params[name]))}`;
}

function apiMessage(data: unknown): string {
  const message = typeof data === 'object' && data !== null ? (data as { message?: unknown }).message : undefined;
  if (typeof message !== 'string' || message === '') return '';
  return `: ${message.length > 200 ? `${message.slice(0, 200)}…` : message}`;
}

function findCause<T>(error: unknown, test: (cause: unknown) => cause is T): T | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && current !== undefined && current !== null; depth += 1) {
    if (test(current)) return current;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

function commitFromApi(item: unknown, at: string): GitHubCommit {
  const bad = (what: string) => new TfguardError(at, `unexpected commit in the GitHub answer: ${what}`, 'check GITHUB_API_URL points at the GitHub REST API');
  const object = item as Record<string, any> | null;
  if (typeof object?.sha !== 'string') throw bad('no sha');
  const commit = object.commit as Record<string, any> | undefined;
  if (typeof commit?.message !== 'string') throw bad('no commit.message');
  const identity = (git: unknown, account: unknown) => {
    const person = git as { name?: unknown; email?: unknown } | null | undefined;
    const login = (account as { login?: unknown } | null | undefined)?.login;
    const result: GitHubCommit['author'] = { name: typeof person?.name === 'string' ? person.name : '', email: typeof person?.email === 'string' ? person.email : '' };
    if (typeof login === 'string') result.login = login;
    return result;
  };
  const parents = Array.isArray(object.parents) ? object.parents.map((parent: { sha?: unknown }) => parent?.sha).filter((sha: unknown): sha is string => typeof sha === 'string') : [];
  return {
    sha: object.sha,
    parents,
    author: identity(commit.author, object.author),
    committer: identity(commit.committer, object.committer),
    message: commit.message,
  };
}

function reviewFromApi(item: unknown, at: string): PullRequestReview {
  const object = item as Record<string, any> | null;
  if (typeof object?.id !== 'number' || typeof object.state !== 'string') {
    throw new TfguardError(at, 'unexpected review in the GitHub answer: no id or state', 'check GITHUB_API_URL points at the GitHub REST API');
  }
  return {
    id: object.id,
    login: typeof object.user?.login === 'string' ? object.user.login : undefined,
    userType: typeof object.user?.type === 'string' ? object.user.type : undefined,
    state: object.state,
    commitId: typeof object.commit_id === 'string' ? object.commit_id : null,
    submittedAt: typeof object.submitted_at === 'string' ? object.submitted_at : undefined,
  };
}

function commentFromApi(item: unknown, at: string): IssueComment {
  const object = item as Record<string, any> | null;
  if (typeof object?.id !== 'number') {
    throw new TfguardError(at, 'unexpected comment in the GitHub answer: no id', 'check GITHUB_API_URL points at the GitHub REST API');
  }
  return {
    id: object.id,
    body: typeof object.body === 'string' ? object.body : '',
    login: typeof object.user?.login === 'string' ? object.user.login : undefined,
    userType: typeof object.user?.type === 'string' ? object.user.type : undefined,
    htmlUrl: typeof object.html_url === 'string' ? object.html_url : undefined,
  };
}

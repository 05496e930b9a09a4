import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A local stand-in for the GitHub REST API on 127.0.0.1 (port 0): JSON bodies in GitHub's shape,
 * `Link` headers with rel="next"/"last" for pagination, and whatever errors or delays a test asks for.
 * Tests go through the real client code against it.
 */

export interface RecordedRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingMessage['headers'];
}

export interface Reply {
  status?: number;
  headers?: Record<string, string>;
  body?: unknown;
  /** Wait this long before answering (for timeout tests). */
  delayMs?: number;
}

export type Route = (request: RecordedRequest, server: FakeGitHub) => Reply;

export interface FakeGitHub {
  /** http://127.0.0.1:<port> */
  url: string;
  requests: RecordedRequest[];
  close(): Promise<void>;
}

/** Routes are keyed by `METHOD /path` (no query), e.g. `GET /repos/o/r/pulls/1/commits`. */
export async function startGitHubServer(routes: Record<string, Route>): Promise<FakeGitHub> {
  const timers = new Set<NodeJS.Timeout>();
  const fake: FakeGitHub = { url: '', requests: [], close: async () => {} };
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const request: RecordedRequest = { method: req.method ?? 'GET', path: url.pathname, query: url.searchParams, headers: req.headers };
    fake.requests.push(request);
    const route = routes[`${request.method} ${request.path}`];
    const reply: Reply = route ? route(request, fake) : { status: 404, body: { message: 'Not Found', documentation_url: 'https://docs.github.com/rest' } };
    const send = () => {
      if (res.destroyed) return;
      res.writeHead(reply.status ?? 200, { 'content-type': 'application/json; charset=utf-8', ...reply.headers });
      res.end(reply.body === undefined ? '' : JSON.stringify(reply.body));
    };
    if (reply.delayMs) {
      const timer = setTimeout(() => {
        timers.delete(timer);
        send();
      }, reply.delayMs);
      timers.add(timer);
    } else send();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  fake.url = `http://127.0.0.1:${port}`;
  fake.close = () =>
    new Promise<void>((resolve) => {
      for (const timer of timers) clearTimeout(timer);
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return fake;
}

/**
 * One page of `items` as GitHub serves a list: `page` and `per_page` from the query (default 30,
 * at most 100), and a Link header with next/last (and prev/first) relations when there is more.
 */
export function paginated(items: unknown[], request: RecordedRequest, server: FakeGitHub): Reply {
  const perPage = Math.min(Number(request.query.get('per_page') ?? 30), 100);
  const page = Math.max(Number(request.query.get('page') ?? 1), 1);
  const last = Math.max(Math.ceil(items.length / perPage), 1);
  const link = (n: number) => {
    const query = new URLSearchParams(request.query);
    query.set('per_page', String(perPage));
    query.set('page', String(n));
    return `<${server.url}${request.path}?${query.toString()}>`;
  };
  const relations: string[] = [];
  if (page < last) relations.push(`${link(page + 1)}; rel="next"`, `${link(last)}; rel="last"`);
  if (page > 1) relations.push(`${link(page - 1)}; rel="prev"`, `${link(1)}; rel="first"`);
  return {
    body: items.slice((page - 1) * perPage, page * perPage),
    headers: relations.length > 0 ? { link: relations.join(', ') } : {},
  };
}

export interface ApiCommitOptions {
  sha?: string;
  message?: string;
  author?: { name: string; email: string; login?: string; type?: string };
  committer?: { name: string; email: string; login?: string; type?: string };
  parents?: string[];
}

/** A commit as GET /repos/{owner}/{repo}/pulls/{n}/commits lists it. */
export function apiCommit(index: number, options: ApiCommitOptions = {}): unknown {
  const sha = options.sha ?? index.toString(16).padStart(40, '0');
  const author = options.author ?? { name: 'Jane Doe', email: 'jane@example.com', login: 'janedoe' };
  const committer = options.committer ?? author;
  const account = (person: { login?: string; type?: string }) =>
    person.login === undefined ? null : { login: person.login, id: 1000 + index, type: person.type ?? 'User', site_admin: false };
  return {
    sha,
    node_id: `C_${sha.slice(0, 8)}`,
    url: `https://api.github.com/repos/o/r/commits/${sha}`,
    html_url: `https://github.com/o/r/commit/${sha}`,
    commit: {
      author: { name: author.name, email: author.email, date: '2026-01-01T00:00:00Z' },
      committer: { name: committer.name, email: committer.email, date: '2026-01-01T00:00:00Z' },
      message: options.message ?? `commit ${index}`,
      tree: { sha: 'f'.repeat(40), url: 'https://api.github.com/repos/o/r/git/trees/x' },
      comment_count: 0,
      verification: { verified: false, reason: 'unsigned', signature: null, payload: null },
    },
    author: account(author),
    committer: account(committer),
    parents: (options.parents ?? ['e'.repeat(40)]).map((parent) => ({ sha: parent, url: `https://api.github.com/repos/o/r/commits/${parent}` })),
  };
}

/** A request with the body it carried: what the endpoints that write are checked on. */
export interface RecordedRequestWithBody extends RecordedRequest {
  body: string;
}

export type RouteWithBody = (request: RecordedRequestWithBody, server: FakeGitHubWithBodies) => Reply;

export interface FakeGitHubWithBodies extends FakeGitHub {
  requests: RecordedRequestWithBody[];
}

/**
 * startGitHubServer for endpoints that write (POST, PATCH): each request's body is read before its
 * route answers, and recorded with it. Routes written for startGitHubServer work here unchanged;
 * a key may also name a path segment as a placeholder (`PATCH /repos/o/r/issues/comments/{comment_id}`).
 */
export async function startGitHubServerWithBodies(routes: Record<string, RouteWithBody>): Promise<FakeGitHubWithBodies> {
  const fake: FakeGitHubWithBodies = { url: '', requests: [], close: async () => {} };
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      const request: RecordedRequestWithBody = { method: req.method ?? 'GET', path: url.pathname, query: url.searchParams, headers: req.headers, body: Buffer.concat(chunks).toString('utf8') };
      fake.requests.push(request);
      const route = routeFor(routes, `${request.method} ${request.path}`);
      const reply: Reply = route ? route(request, fake) : { status: 404, body: { message: 'Not Found', documentation_url: 'https://docs.github.com/rest' } };
      if (res.destroyed) return;
      res.writeHead(reply.status ?? 200, { 'content-type': 'application/json; charset=utf-8', ...reply.headers });
      res.end(reply.body === undefined ? '' : JSON.stringify(reply.body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  fake.url = `http://127.0.0.1:${port}`;
  fake.close = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return fake;
}

function routeFor<T>(routes: Record<string, T>, key: string): T | undefined {
  if (Object.hasOwn(routes, key)) return routes[key];
  const segments = key.split('/');
  const pattern = Object.keys(routes).find((candidate) => {
    const parts = candidate.split('/');
    return parts.length === segments.length && parts.every((part, index) => /^\{\w+\}$/u.test(part) || part === segments[index]);
  });
  return pattern === undefined ? undefined : routes[pattern];
}

/** An issue comment as GitHub's issue-comment endpoints return it. */
export interface ApiIssueComment {
  id: number;
  node_id: string;
  url: string;
  html_url: string;
  issue_url: string;
  body: string;
  user: { login: string; id: number; type: string };
  created_at: string;
  updated_at: string;
  author_association: string;
}

/** The workflow token's identity: comments it writes are by this bot account. */
export const ACTIONS_BOT = { login: 'github-actions[bot]', id: 41898282, type: 'Bot' };
/** GitHub's limit on a comment body, with the message it answers 422 with. */
export const COMMENT_BODY_LIMIT = 65_536;

/** The comments of one issue or pull request, as the store behind issueCommentRoutes. */
export interface IssueCommentStore {
  comments: ApiIssueComment[];
  nextId: number;
}

export function apiIssueComment(store: IssueCommentStore, owner: string, repo: string, number: number, body: string, user = ACTIONS_BOT): ApiIssueComment {
  const id = store.nextId;
  store.nextId += 1;
  const comment: ApiIssueComment = {
    id,
    node_id: `IC_${id}`,
    url: `https://api.github.com/repos/${owner}/${repo}/issues/comments/${id}`,
    html_url: `https://github.com/${owner}/${repo}/pull/${number}#issuecomment-${id}`,
    issue_url: `https://api.github.com/repos/${owner}/${repo}/issues/${number}`,
    body,
    user: { ...user },
    created_at: '2026-01-01T00:00:00Z',
    updated_at: '2026-01-01T00:00:00Z',
    author_association: user.type === 'Bot' ? 'NONE' : 'MEMBER',
  };
  store.comments.push(comment);
  return comment;
}

/**
 * GET (paginated), POST and PATCH of one pull request's issue comments, answering as GitHub does:
 * 201 with the comment on create, 200 on update, 404 for an unknown comment, 422 for a body that is
 * missing or longer than 65,536 characters. New comments are written by the workflow token's bot.
 */
export function issueCommentRoutes(store: IssueCommentStore, owner: string, repo: string, number: number): Record<string, RouteWithBody> {
  const invalid = (body: unknown): Reply | undefined => {
    if (typeof body !== 'string') return { status: 422, body: { message: 'Invalid request.\n\n"body" wasn\'t supplied.', documentation_url: 'https://docs.github.com/rest' } };
    if (body.length > COMMENT_BODY_LIMIT) {
      return { status: 422, body: { message: 'Validation Failed', errors: [{ resource: 'IssueComment', code: 'custom', field: 'body', message: `body is too long (maximum is ${COMMENT_BODY_LIMIT} characters)` }], documentation_url: 'https://docs.github.com/rest' } };
    }
    return undefined;
  };
  const bodyOf = (request: RecordedRequestWithBody): unknown => {
    try {
      return (JSON.parse(request.body) as { body?: unknown }).body;
    } catch {
      return undefined;
    }
  };
  return {
    [`GET /repos/${owner}/${repo}/issues/${number}/comments`]: (request, server) => paginated(store.comments, request, server),
    [`POST /repos/${owner}/${repo}/issues/${number}/comments`]: (request) => {
      const body = bodyOf(request);
      return invalid(body) ?? { status: 201, body: apiIssueComment(store, owner, repo, number, body as string) };
    },
    [`PATCH /repos/${owner}/${repo}/issues/comments/{comment_id}`]: (request) => {
      const id = Number(request.path.split('/').pop());
      const comment = store.comments.find((item) => item.id === id);
      if (!comment) return { status: 404, body: { message: 'Not Found', documentation_url: 'https://docs.github.com/rest' } };
      const body = bodyOf(request);
      const problem = invalid(body);
      if (problem) return problem;
      comment.body = body as string;
      comment.updated_at = '2026-01-02T00:00:00Z';
      return { status: 200, body: comment };
    },
  };
}

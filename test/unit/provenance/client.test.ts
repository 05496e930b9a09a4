import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { createGitHubClient } from '../../../src/github/client.js';
import { TfguardError } from '../../../src/shared/errors.js';
import { apiCommit, paginated, startGitHubServer, type FakeGitHub } from '../../helpers/github-server.js';

const COMMITS = 'GET /repos/acme/infra/pulls/7/commits';
const REVIEWS = 'GET /repos/acme/infra/pulls/7/reviews';
let server: FakeGitHub | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function failure(promise: Promise<unknown>): Promise<TfguardError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof TfguardError) return error;
    throw error;
  }
  throw new Error('expected a TfguardError');
}

describe('GitHub client against a local GitHub API', () => {
  it('follows Link rel="next" across pages of 100 and maps each commit', async () => {
    const items = Array.from({ length: 230 }, (_, index) =>
      apiCommit(index, index === 5 ? { message: 'Plan\n\nCo-authored-by: Jane Doe <jane@example.com>', author: { name: 'Copilot', email: '198982749+Copilot@users.noreply.github.com', login: 'Copilot', type: 'Bot' } } : {}),
    );
    server = await startGitHubServer({ [COMMITS]: (request, fake) => paginated(items, request, fake) });
    const client = await createGitHubClient({ token: 'ghs_test', baseUrl: server.url });
    const { commits, truncated } = await client.pullRequestCommits('acme', 'infra', 7);
    expect(commits).toHaveLength(230);
    expect(truncated).toBe(false);
    expect(server.requests.map((request) => request.query.get('page') ?? '1')).toEqual(['1', '2', '3']);
    expect(server.requests.every((request) => request.query.get('per_page') === '100')).toBe(true);
    expect(server.requests[0]!.headers.authorization).toBe('token ghs_test');
    expect(commits[5]).toEqual({
      sha: (5).toString(16).padStart(40, '0'),
      parents: ['e'.repeat(40)],
      author: { name: 'Copilot', email: '198982749+Copilot@users.noreply.github.com', login: 'Copilot' },
      committer: { name: 'Copilot', email: '198982749+Copilot@users.noreply.github.com', login: 'Copilot' },
      message: 'Plan\n\nCo-authored-by: Jane Doe <jane@example.com>',
    });
  });

  it('says the listing is truncated when the endpoint returns its 250-commit maximum', async () => {
    const items = Array.from({ length: 250 }, (_, index) => apiCommit(index));
    server = await startGitHubServer({ [COMMITS]: (request, fake) => paginated(items, request, fake) });
    const client = await createGitHubClient({ token: 't', baseUrl: server.url });
    const result = await client.pullRequestCommits('acme', 'infra', 7);
    expect(result.commits).toHaveLength(250);
    expect(result.truncated).toBe(true);
  });

  it('honours GITHUB_API_URL (GitHub Enterprise Server)', async () => {
    server = await startGitHubServer({ 'GET /api/v3/repos/acme/infra/pulls/7/commits': (request, fake) => paginated([apiCommit(1)], request, fake) });
    const client = await createGitHubClient({ token: 't', env: { GITHUB_API_URL: `${server.url}/api/v3/` } });
    expect(client.baseUrl).toBe(`${server.url}/api/v3`);
    expect((await client.pullRequestCommits('acme', 'infra', 7)).commits).toHaveLength(1);
    expect(server.requests.map((request) => request.path)).toEqual(['/api/v3/repos/acme/infra/pulls/7/commits']);
  });

  it('lists reviews, paginated', async () => {
    const reviews = Array.from({ length: 120 }, (_, index) => ({
      id: index + 1,
      user: { login: `reviewer${index}`, type: 'User' },
      state: index === 0 ? 'APPROVED' : 'COMMENTED',
      commit_id: index === 1 ? null : 'c'.repeat(40),
      submitted_at: '2026-01-01T00:00:00Z',
      body: '',
    }));
    server = await startGitHubServer({ [REVIEWS]: (request, fake) => paginated(reviews, request, fake) });
    const client = await createGitHubClient({ token: 't', baseUrl: server.url });
    const listed = await client.pullRequestReviews('acme', 'infra', 7);
    expect(listed).toHaveLength(120);
    expect(listed[0]).toEqual({ id: 1, login: 'reviewer0', userType: 'User', state: 'APPROVED', commitId: 'c'.repeat(40), submittedAt: '2026-01-01T00:00:00Z' });
    expect(listed[1]!.commitId).toBeNull();
  });

  it('a refused token (401) is one clear line', async () => {
    server = await startGitHubServer({ [COMMITS]: () => ({ status: 401, body: { message: 'Bad credentials', documentation_url: 'https://docs.github.com/rest' } }) });
    const client = await createGitHubClient({ token: 'bad', baseUrl: server.url });
    const error = await failure(client.pullRequestCommits('acme', 'infra', 7));
    expect(error.oneLine()).toBe(
      'GitHub API GET /repos/acme/infra/pulls/7/commits: GitHub refused the token (401: Bad credentials). check --github-token or GITHUB_TOKEN: it is wrong, expired or revoked',
    );
    expect(error.oneLine()).not.toContain('\n');
  });

  it('403 without access, and 403/429 rate limits, are told apart', async () => {
    server = await startGitHubServer({
      [COMMITS]: () => ({ status: 403, body: { message: 'Resource not accessible by integration' } }),
      [REVIEWS]: () => ({ status: 403, headers: { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': '1893456000' }, body: { message: 'API rate limit exceeded' } }),
      'GET /repos/acme/infra/pulls/8/commits': () => ({ status: 429, body: { message: 'secondary rate limit' } }),
    });
    const client = await createGitHubClient({ token: 't', baseUrl: server.url });
    expect((await failure(client.pullRequestCommits('acme', 'infra', 7))).oneLine()).toContain('GitHub refused access (403: Resource not accessible by integration). give the token read access');
    expect((await failure(client.pullRequestReviews('acme', 'infra', 7))).message).toBe('the GitHub API rate limit is used up until 2030-01-01T00:00:00.000Z (403: API rate limit exceeded)');
    expect((await failure(client.pullRequestCommits('acme', 'infra', 8))).message).toContain('rate limit is used up (429');
  });

  it('404 and 500 are one clear line each', async () => {
    server = await startGitHubServer({ [COMMITS]: () => ({ status: 500, body: { message: 'Server Error' } }) });
    const client = await createGitHubClient({ token: 't', baseUrl: server.url });
    expect((await failure(client.pullRequestCommits('acme', 'infra', 7))).oneLine()).toBe(
      'GitHub API GET /repos/acme/infra/pulls/7/commits: the GitHub API failed (500: Server Error). retry later; if it persists, check the GitHub status page',
    );
    expect((await failure(client.pullRequestCommits('acme', 'infra', 99))).message).toBe('not found, or the token cannot see it (404: Not Found)');
  });

  it('an API that does not answer in time is a timeout error', async () => {
    server = await startGitHubServer({ [COMMITS]: () => ({ delayMs: 5_000, body: [] }) });
    const client = await createGitHubClient({ token: 't', baseUrl: server.url, timeoutMs: 200 });
    const started = Date.now();
    const error = await failure(client.pullRequestCommits('acme', 'infra', 7));
    expect(Date.now() - started).toBeLessThan(4_000);
    expect(error.message).toBe(`the GitHub API at ${server.url} gave no answer within 0.2s`);
  });

  it('a timeout on a later page is still a timeout error', async () => {
    const items = Array.from({ length: 150 }, (_, index) => apiCommit(index));
    server = await startGitHubServer({ [COMMITS]: (request, fake) => (request.query.get('page') === '2' ? { delayMs: 5_000, body: [] } : paginated(items, request, fake)) });
    const client = await createGitHubClient({ token: 't', baseUrl: server.url, timeoutMs: 300 });
    expect((await failure(client.pullRequestCommits('acme', 'infra', 7))).message).toContain('gave no answer within 0.3s');
  });

  it('an unreachable API is a network error', async () => {
    server = await startGitHubServer({});
    const url = server.url;
    await server.close();
    server = undefined;
    const client = await createGitHubClient({ token: 't', baseUrl: url });
    const error = await failure(client.pullRequestCommits('acme', 'infra', 7));
    expect(error.message).toMatch(new RegExp(`^cannot reach the GitHub API at ${url.replace(/\./gu, '\\.')} \\(`, 'u'));
    expect(error.fix).toBe('check GITHUB_API_URL and the network');
  });

  it('an answer of the wrong shape is refused', async () => {
    server = await startGitHubServer({ [COMMITS]: () => ({ body: [{ sha: 'x' }] }) });
    const client = await createGitHubClient({ token: 't', baseUrl: server.url });
    expect((await failure(client.pullRequestCommits('acme', 'infra', 7))).message).toBe('unexpected commit in the GitHub answer: no commit.message');
  });

  it('loads octokit only with import(), so a run without a token never loads it', () => {
    const source = readFileSync(new URL('../../../src/github/client.ts', import.meta.url), 'utf8');
    expect(source).not.toMatch(/^import [^;]*@octokit/mu);
    expect(source).toContain("import('@octokit/core')");
  });
});

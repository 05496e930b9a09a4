import { execFileSync } from 'node:child_process';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { collectProvenanceFacts } from '../../../src/provenance/collect.js';
import { resolveProvenance } from '../../../src/provenance/resolve.js';
import { compileSignals } from '../../../src/provenance/signals.js';
import { TfguardError } from '../../../src/shared/errors.js';
import { apiCommit, paginated, startGitHubServer, type FakeGitHub } from '../../helpers/github-server.js';
import { pullRequestEvent, writeEvent } from './events.js';
import { GIT_ENV, Repo, removeDir, tempDir } from './repo.js';

const COMMITS = 'GET /repos/acme/infra/pulls/7/commits';
const settings = { unknown: 'ai', noEvidence: 'human' } as const;
const cleanup: string[] = [];
let server: FakeGitHub | undefined;
let repo: Repo;
let base: string;
let head: string;
let eventDir: string;

beforeAll(() => {
  repo = new Repo();
  cleanup.push(repo.dir);
  base = repo.commit('Initial infrastructure\n');
  repo.git('checkout', '-q', '-b', 'feature');
  repo.commit('Add the bucket\n');
  head = repo.commit('Tune the bucket\n\nCo-authored-by: John Roe <john@example.com>\n');
  eventDir = tempDir('events');
  cleanup.push(eventDir);
});
afterAll(() => cleanup.forEach(removeDir));
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const eventEnv = (payload: object, name: string): NodeJS.ProcessEnv => ({ GITHUB_EVENT_NAME: 'pull_request', GITHUB_EVENT_PATH: writeEvent(eventDir, payload, name) });

describe('collectProvenanceFacts', () => {
  it('reads the git range and keeps only the environment variables a signal names', async () => {
    const collected = await collectProvenanceFacts({ cwd: repo.dir, base: 'main', env: { CLAUDECODE: '1', AWS_SECRET_ACCESS_KEY: 'hunter2', PATH: '/bin' } });
    expect(collected.unknown).toBeUndefined();
    expect(collected.facts.environment).toEqual({ CLAUDECODE: '1' });
    expect(collected.facts.range).toEqual({ base, head, commits: 2, source: 'git' });
    const resolved = resolveProvenance({ declared: undefined, collected, settings, signals: compileSignals() });
    expect(resolved).toMatchObject({ ai: true, basis: 'evidence' });
    expect(resolved.evidence.map((item) => item.signal)).toEqual(['claude-code.environment']);
  });

  it('without --base takes the pull request base from the event', async () => {
    const collected = await collectProvenanceFacts({ cwd: repo.dir, env: eventEnv(pullRequestEvent({ baseSha: base, headSha: head }), 'human.json') });
    expect(collected.facts.range).toEqual({ base, head, commits: 2, source: 'git' });
    expect(collected.facts.pullRequest?.author.login).toBe('janedoe');
    const resolved = resolveProvenance({ declared: undefined, collected, settings, signals: compileSignals() });
    expect(resolved).toMatchObject({ ai: false, basis: 'no-evidence' });
    expect(resolved.authors.map((author) => author.email ?? author.login)).toEqual(['jane@example.com', 'john@example.com', 'janedoe']);
  });

  it('a shallow checkout without a token is unknown with the fix, and the event still counts', async () => {
    const clone = tempDir('shallow');
    cleanup.push(clone);
    execFileSync('git', ['clone', '-q', '--depth', '1', '--branch', 'feature', `file://${repo.dir}`, clone], { env: GIT_ENV });
    const env = eventEnv(pullRequestEvent({ baseSha: base, headSha: head, author: { login: 'devin-ai-integration[bot]', type: 'Bot' } }), 'devin.json');
    const collected = await collectProvenanceFacts({ cwd: clone, env });
    expect(collected.unknown).toContain('fetch-depth: 0');
    const resolved = resolveProvenance({ declared: undefined, collected, settings, signals: compileSignals() });
    expect(resolved).toMatchObject({ ai: true, basis: 'evidence' });
    expect(resolved.evidence.map((item) => [item.signal, item.where])).toEqual([['devin.github-app', { type: 'pr-author', login: 'devin-ai-integration[bot]' }]]);
  });

  it('with a token reads the pull request commits from the API, so a shallow checkout still gets them all', async () => {
    const clone = tempDir('shallow-token');
    cleanup.push(clone);
    execFileSync('git', ['clone', '-q', '--depth', '1', '--branch', 'feature', `file://${repo.dir}`, clone], { env: GIT_ENV });
    const items = [
      apiCommit(1, { author: { name: 'Copilot', email: '198982749+Copilot@users.noreply.github.com', login: 'Copilot', type: 'Bot' }, message: 'Initial plan' }),
      apiCommit(2, { message: 'Add the bucket\n\nCo-authored-by: ann-lee <7+ann-lee@users.noreply.github.com>' }),
    ];
    server = await startGitHubServer({ [COMMITS]: (request, fake) => paginated(items, request, fake) });
    const env = {
      ...eventEnv(
        pullRequestEvent({
          baseSha: base,
          headSha: head,
          author: { login: 'Copilot', type: 'Bot' },
          assignees: [
            { login: 'Copilot', type: 'Bot' },
            { login: 'ann-lee', type: 'User' },
          ],
        }),
        'copilot.json',
      ),
      GITHUB_API_URL: server.url,
      GITHUB_TOKEN: 'ghs_from_env',
    };
    const collected = await collectProvenanceFacts({ cwd: clone, env });
    expect(collected.unknown).toBeUndefined();
    expect(collected.facts.range).toEqual({ base, head, commits: 2, source: 'github' });
    expect(server.requests[0]!.headers.authorization).toBe('token ghs_from_env');
    const resolved = resolveProvenance({ declared: undefined, collected, settings, signals: compileSignals() });
    expect(resolved.basis).toBe('evidence');
    expect(resolved.evidence.map((item) => item.where.type)).toEqual(['commit', 'commit', 'pr-author']);
    expect(resolved.authors).toEqual([
      { name: 'Jane Doe', email: 'jane@example.com', login: 'janedoe', roles: ['commit-author', 'committer'] },
      { name: 'ann-lee', email: '7+ann-lee@users.noreply.github.com', login: 'ann-lee', roles: ['co-author', 'requester'] },
    ]);
  });

  it('at the 250-commit limit reads the whole range from git when the history is there', async () => {
    const items = Array.from({ length: 250 }, (_, index) => apiCommit(index));
    server = await startGitHubServer({ [COMMITS]: (request, fake) => paginated(items, request, fake) });
    const env = { ...eventEnv(pullRequestEvent({ baseSha: base, headSha: head }), 'big.json'), GITHUB_API_URL: server.url };
    const collected = await collectProvenanceFacts({ cwd: repo.dir, env, token: 't' });
    expect(collected.facts.range).toEqual({ base, head, commits: 2, source: 'git' });
  });

  it('at the 250-commit limit without the history, says the listing is truncated', async () => {
    const items = Array.from({ length: 250 }, (_, index) => apiCommit(index));
    server = await startGitHubServer({ [COMMITS]: (request, fake) => paginated(items, request, fake) });
    const notARepo = tempDir('not-a-repo');
    cleanup.push(notARepo);
    const env = { ...eventEnv(pullRequestEvent({ baseSha: base, headSha: head }), 'big2.json'), GITHUB_API_URL: server.url };
    const collected = await collectProvenanceFacts({ cwd: notARepo, env, token: 't' });
    expect(collected.facts.range).toEqual({ base, head, commits: 250, source: 'github', truncated: true });
    const resolved = resolveProvenance({ declared: undefined, collected, settings, signals: compileSignals() });
    expect(resolved.basis).toBe('unknown');
    expect(resolved.reason).toContain('at most 250 commits');
  });

  it('a token the API refuses is an error, never a silent fall-back to git', async () => {
    server = await startGitHubServer({ [COMMITS]: () => ({ status: 401, body: { message: 'Bad credentials' } }) });
    const env = { ...eventEnv(pullRequestEvent({ baseSha: base, headSha: head }), 'refused.json'), GITHUB_API_URL: server.url };
    await expect(collectProvenanceFacts({ cwd: repo.dir, env, token: 'bad' })).rejects.toThrow(/GitHub refused the token \(401: Bad credentials\)/u);
  });

  it('a malformed event file is a TfguardError', async () => {
    const env = { GITHUB_EVENT_NAME: 'pull_request', GITHUB_EVENT_PATH: writeEvent(eventDir, 'not json', 'bad.json') };
    await expect(collectProvenanceFacts({ cwd: repo.dir, env })).rejects.toBeInstanceOf(TfguardError);
  });

  it('outside a repository, with no event, is unknown', async () => {
    const dir = tempDir('plain');
    cleanup.push(dir);
    const collected = await collectProvenanceFacts({ cwd: dir, env: {} });
    expect(collected).toEqual({ facts: { commits: [], environment: {} }, unknown: `${dir} is not a git repository` });
  });
});

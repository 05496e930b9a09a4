import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { apiCommit, paginated, startGitHubServer } from '../helpers/github-server.js';
import { example } from '../helpers/paths.js';
import { runMain } from '../helpers/run-main.js';
import { pullRequestEvent, writeEvent } from '../unit/provenance/events.js';
import { Repo, tempDir } from '../unit/provenance/repo.js';

/** Provenance through the CLI: real git repositories, a GitHub event and a local API, and the decision they lead to. */
const repos: Repo[] = [];
afterAll(() => repos.forEach((repo) => repo.remove()));

function repoWithPlan(...messages: string[]): { repo: Repo; base: string } {
  const repo = new Repo();
  repos.push(repo);
  const base = repo.commit('Start');
  copyFileSync(example('environment-recreation'), join(repo.dir, 'plan.json'));
  for (const message of messages) repo.commit(message);
  return { repo, base };
}

const json = async (args: string[], cwd: string, env: NodeJS.ProcessEnv = {}) => {
  const result = await runMain(['--format', 'json', ...args], { cwd, env });
  return { ...result, report: result.stdout ? JSON.parse(result.stdout) : undefined };
};

describe('--provenance auto reads the commits under review', () => {
  it('an AI co-author trailer makes the change AI-generated, shown with where it was found', async () => {
    const { repo, base } = repoWithPlan('Recreate the environment\n\nCo-Authored-By: Claude Opus 4.7 <noreply@anthropic.com>\n');
    const { report, status } = await json(['--base', base, 'plan.json'], repo.dir);
    expect(report.provenance).toMatchObject({ ai: true, basis: 'evidence', range: { base, head: repo.head(), commits: 1, source: 'git' } });
    expect(report.provenance.evidence[0]).toMatchObject({ tool: 'Claude Code', kind: 'trailer', where: { type: 'commit', sha: repo.head(), field: 'message', line: 3 } });
    expect(report.provenance.authors).toContainEqual(expect.objectContaining({ name: 'Jane Doe', email: 'jane@example.com' }));
    expect(status).toBe(1);
    const text = await runMain(['--base', base, 'plan.json'], { cwd: repo.dir });
    expect(text.stdout).toMatch(/Provenance {2}AI-generated \(evidence: Claude Code trailer \(commit [0-9a-f]{7} line 3\)\)/);
    expect(text.stdout).toMatch(/Commits {5}[0-9a-f]{12}\.\.[0-9a-f]{12}: 1 commit read from git/);
  });

  it('a human history with no AI signal counts as human (built-in no_evidence = human): stateful destroys warn', async () => {
    const { repo, base } = repoWithPlan('Recreate the environment, as Claude from the data team suggested\n\nCo-authored-by: Jane Roe <jane.roe@example.com>\n', 'fix cursor pagination');
    const { report, status } = await json(['--base', base, 'plan.json'], repo.dir);
    expect(report.provenance).toMatchObject({ ai: false, basis: 'no-evidence', evidence: [] });
    expect(report.findings.filter((finding: { effect: string }) => finding.effect === 'block').map((finding: { rule: string }) => finding.rule)).toEqual(['whole-environment']);
    expect(status).toBe(1);
  });

  it('the strict example policy counts no evidence as AI', async () => {
    const { repo, base } = repoWithPlan('A human change');
    const { report } = await json(['--base', base, '--policy', join(process.cwd(), 'policies/examples/strict.hcl'), 'plan.json'], repo.dir);
    expect(report.provenance).toMatchObject({ ai: true, basis: 'no-evidence' });
  });

  it('no git repository, or an empty range, is unknown: the policy (built-in: ai) decides', async () => {
    const dir = tempDir('no-repo');
    copyFileSync(example('environment-recreation'), join(dir, 'plan.json'));
    const outside = await json(['plan.json'], dir);
    expect(outside.report.provenance).toMatchObject({ ai: true, basis: 'unknown', range: null });
    expect(outside.report.provenance.reason).toMatch(/not a git repository/);
    const { repo } = repoWithPlan();
    const empty = await json(['--base', 'HEAD', 'plan.json'], repo.dir);
    expect(empty.report.provenance).toMatchObject({ ai: true, basis: 'unknown' });
  });

  it('a declaration wins, and the evidence is still shown', async () => {
    const { repo, base } = repoWithPlan('Change\n\nCo-Authored-By: Claude <noreply@anthropic.com>\n');
    const { report } = await json(['--base', base, '--provenance', 'human', 'plan.json'], repo.dir);
    expect(report.provenance).toMatchObject({ ai: false, basis: 'declared' });
    expect(report.provenance.evidence.length).toBeGreaterThan(0);
  });

  it('inside a coding agent\'s shell the environment is evidence', async () => {
    const { repo, base } = repoWithPlan('A human-looking commit');
    const { report } = await json(['--base', base, 'plan.json'], repo.dir, { CLAUDECODE: '1' });
    expect(report.provenance).toMatchObject({ ai: true, basis: 'evidence' });
    expect(report.provenance.evidence[0].where).toEqual({ type: 'environment', name: 'CLAUDECODE' });
  });
});

describe('a pull request on GitHub', () => {
  it('reads the event and the pull request\'s commits through the API (paginated), so a shallow checkout still sees them', async () => {
    const commits = Array.from({ length: 130 }, (_, index) => apiCommit(index, index === 77 ? { message: 'Tidy\n\nCo-authored-by: Copilot <175728472+Copilot@users.noreply.github.com>' } : {}));
    const server = await startGitHubServer({
      'GET /repos/acme/infra/pulls/7/commits': (request, fake) => paginated(commits, request, fake),
      'GET /repos/acme/infra/pulls/7/reviews': (request, fake) => paginated([], request, fake),
    });
    try {
      const dir = tempDir('pr');
      copyFileSync(example('environment-recreation'), join(dir, 'plan.json'));
      const event = writeEvent(dir, pullRequestEvent({ labels: ['infra'] }));
      const env = { GITHUB_EVENT_NAME: 'pull_request', GITHUB_EVENT_PATH: event, GITHUB_API_URL: server.url, GITHUB_TOKEN: 'test-token' };
      const { report } = await json(['plan.json'], dir, env);
      expect(report.provenance).toMatchObject({ ai: true, basis: 'evidence', range: { commits: 130, source: 'github' } });
      expect(report.provenance.evidence.map((item: { tool: string }) => item.tool)).toContain('GitHub Copilot');
      expect(server.requests.filter((request) => request.path.endsWith('/commits')).length).toBe(2);
    } finally {
      await server.close();
    }
  });

  it('an API that refuses the token is exit 2 with one line, never a silent fall-back to human', async () => {
    const server = await startGitHubServer({ 'GET /repos/acme/infra/pulls/7/commits': () => ({ status: 401, body: { message: 'Bad credentials' } }) });
    try {
      const dir = tempDir('pr-401');
      copyFileSync(example('safe-change'), join(dir, 'plan.json'));
      const event = writeEvent(dir, pullRequestEvent());
      const result = await runMain(['plan.json'], { cwd: dir, env: { GITHUB_EVENT_NAME: 'pull_request', GITHUB_EVENT_PATH: event, GITHUB_API_URL: server.url, GITHUB_TOKEN: 'bad' } });
      expect(result.status).toBe(2);
      expect(result.stdout).toBe('');
      expect(result.stderr.trimEnd().split('\n')).toHaveLength(1);
      expect(result.stderr).toMatch(/^tfguard: error: .*401/);
    } finally {
      await server.close();
    }
  });

  it('a malformed event file is exit 2', async () => {
    const dir = tempDir('bad-event');
    copyFileSync(example('safe-change'), join(dir, 'plan.json'));
    const event = writeEvent(dir, '{"pull_request": ');
    const result = await runMain(['plan.json'], { cwd: dir, env: { GITHUB_EVENT_NAME: 'pull_request', GITHUB_EVENT_PATH: event } });
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/^tfguard: error: /);
  });
});

import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { paginated, startGitHubServer } from '../helpers/github-server.js';
import { example } from '../helpers/paths.js';
import { runMain } from '../helpers/run-main.js';
import { pullRequestEvent, writeEvent } from '../unit/provenance/events.js';
import { Repo } from '../unit/provenance/repo.js';

/**
 * A senior's sign-off end to end through the CLI: keys made by real ssh-keygen, a policy naming the
 * approvers, `tfguard approve`, records committed to a real git repository, and `tfguard check`.
 * The environment-recreation plan needs two approvals (whole-environment) and one (stateful-destroy).
 */
const repos: Repo[] = [];
afterAll(() => repos.forEach((repo) => repo.remove()));

function keygen(dir: string, name: string): { key: string; pub: string } {
  const key = join(dir, name);
  execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', name, '-f', key]);
  return { key, pub: readFileSync(`${key}.pub`, 'utf8').trim() };
}

function setup(options: { aliceEmail?: string } = {}) {
  const repo = new Repo();
  repos.push(repo);
  const keys = join(repo.dir, '..', `${repo.dir.split('/').pop()}-keys`);
  mkdirSync(keys);
  const alice = keygen(keys, 'alice');
  const bob = keygen(keys, 'bob');
  const carol = keygen(keys, 'carol');
  writeFileSync(
    join(repo.dir, '.tfguard.hcl'),
    `approver "alice" {\n  ssh_keys = ["${alice.pub}"]\n  github   = "alice-sre"\n  emails   = ["${options.aliceEmail ?? 'alice@example.com'}"]\n  loosen   = true\n}\napprover "bob" {\n  ssh_keys = ["${bob.pub}"]\n  github   = "bob-sre"\n  loosen   = true\n}\n`,
  );
  copyFileSync(example('environment-recreation'), join(repo.dir, 'plan.json'));
  const base = repo.commit('Start');
  repo.git('add', '.');
  repo.git('commit', '-q', '-m', 'Recreate the environment\n\nCo-Authored-By: Claude <noreply@anthropic.com>');
  return { repo, base, alice, bob, carol };
}

const run = (cwd: string, args: string[], env: NodeJS.ProcessEnv = {}) => runMain(args, { cwd, env });
const check = async (cwd: string, base: string, env: NodeJS.ProcessEnv = {}, ...extra: string[]) => {
  const result = await run(cwd, ['--format', 'json', '--base', base, ...extra, 'plan.json'], env);
  if (result.stdout === '') throw new Error(result.stderr);
  return { ...result, report: JSON.parse(result.stdout) };
};

describe('signed approval records', () => {
  it('two distinct seniors unblock the environment recreation; one is not enough', async () => {
    const { repo, base, alice, bob } = setup();
    expect((await check(repo.dir, base)).status).toBe(1);

    const approved = await run(repo.dir, ['approve', 'plan.json', '--as', 'alice', '--key', alice.key, '--reason', 'planned migration']);
    expect(approved.status, approved.stderr).toBe(0);
    expect(approved.stdout).toMatch(/Recorded an approval of change set sha256:[0-9a-f]{64}/);
    const one = await check(repo.dir, base);
    expect(one.status).toBe(1);
    expect(one.report.summary).toMatchObject({ approvals_needed: 2, approvals_missing: 1 });
    expect(one.report.findings.find((finding: { rule: string }) => finding.rule === 'stateful-destroy')).toMatchObject({ approved: true, approved_by: ['alice'] });
    const text = await run(repo.dir, ['--base', base, 'plan.json']);
    expect(text.stdout).toMatch(/alice {2}signed record \.tfguard\/approvals\/alice-[0-9a-f]{12}\.json: counts/);
    expect(text.stdout).toMatch(/1 more senior approver must approve change set/);

    // The same senior twice still counts once.
    const again = await run(repo.dir, ['approve', 'plan.json', '--as', 'alice', '--key', alice.key, '--output', '.tfguard/approvals/alice-2.json', '--reason', 'again']);
    expect(again.status, again.stderr).toBe(0);
    expect((await check(repo.dir, base)).status).toBe(1);

    expect((await run(repo.dir, ['approve', 'plan.json', '--as', 'bob', '--key', bob.key])).status).toBe(0);
    repo.git('add', '.tfguard');
    repo.git('commit', '-q', '-m', 'Approvals');
    const both = await check(repo.dir, base);
    expect(both.report.verdict).toBe('warn');
    expect(both.status).toBe(0);
    expect(both.report.approvals.filter((approval: { valid: boolean }) => approval.valid).map((approval: { approver: string }) => approval.approver).sort()).toEqual(['alice', 'alice', 'bob']);
  });

  it('a record signed with another key, for another environment, or by the change\'s own author never counts', async () => {
    const { repo, base, alice, carol } = setup({ aliceEmail: 'jane@example.com' });
    // alice's git identity is the author of the change: her approval is a self-approval.
    expect((await run(repo.dir, ['approve', 'plan.json', '--as', 'alice', '--key', alice.key])).status).toBe(0);
    let report = (await check(repo.dir, base)).report;
    expect(report.approvals[0]).toMatchObject({ approver: 'alice', valid: false });
    expect(report.approvals[0].reason).toMatch(/^self-approval/);

    // bob's record signed with carol's key: tfguard approve refuses it, so forge it by hand.
    const forged = await run(repo.dir, ['approve', 'plan.json', '--as', 'bob', '--key', carol.key]);
    expect(forged.status).toBe(2);
    expect(forged.stderr).toMatch(/^tfguard: error: /);

    // A staging approval does not approve production.
    const staging = await run(repo.dir, ['approve', 'plan.json', '--as', 'bob', '--unsigned', '--environment', 'staging', '--output', 'bob-staging.json']);
    expect(staging.status, staging.stderr).toBe(0);
    expect(staging.stdout).toMatch(/ssh-keygen -Y sign -f .* -n tfguard /);
    const bobKey = alice.key.replace(/alice$/, 'bob');
    execFileSync('ssh-keygen', ['-q', '-Y', 'sign', '-f', bobKey, '-n', 'tfguard', join(repo.dir, 'bob-staging.json')]);
    report = (await check(repo.dir, base, { TF_WORKSPACE: 'production' }, '--approvals', 'bob-staging.json')).report;
    expect(report.approvals[0]).toMatchObject({ approver: 'bob', valid: false });
    expect(report.approvals[0].reason).toMatch(/^another environment/);
    // In staging it counts: the signature made by real ssh-keygen verifies.
    report = (await check(repo.dir, base, { TF_WORKSPACE: 'staging' }, '--approvals', 'bob-staging.json')).report;
    expect(report.approvals[0]).toMatchObject({ approver: 'bob', valid: true, reason: null });
  });

  it('a record for another change set does not count, and a garbage record is reported, not ignored', async () => {
    const { repo, base, bob } = setup();
    writeFileSync(join(repo.dir, 'other.json'), readFileSync(example('safe-change')));
    expect((await run(repo.dir, ['approve', 'other.json', '--as', 'bob', '--key', bob.key])).status).toBe(0);
    const dir = join(repo.dir, '.tfguard', 'approvals');
    writeFileSync(join(dir, 'zz-garbage.json'), '{"format": "tfguard-approval-v1", "digest": ');
    const { report, status } = await check(repo.dir, base);
    expect(status).toBe(1);
    const reasons = report.approvals.map((approval: { reason: string }) => approval.reason);
    expect(reasons).toEqual([expect.stringMatching(/^another change set/), expect.stringMatching(/^malformed/)]);
    expect(readdirSync(dir)).toHaveLength(3);
  });
});

describe('the trust root: the policy that names the approvers', () => {
  it('a policy file added by the change under review is called out; --policy-ref reads the base branch\'s instead', async () => {
    const { repo, base, alice, bob } = setup();
    await run(repo.dir, ['approve', 'plan.json', '--as', 'alice', '--key', alice.key]);
    await run(repo.dir, ['approve', 'plan.json', '--as', 'bob', '--key', bob.key]);
    const fromBranch = await check(repo.dir, base);
    expect(fromBranch.status).toBe(0);
    expect(fromBranch.report.notices[0]).toMatchObject({ kind: 'policy-changed' });
    expect(fromBranch.report.notices[0].message).toMatch(/The policy file \.tfguard\.hcl is new in the change under review .*--policy-ref/);
    const text = await run(repo.dir, ['--base', base, 'plan.json']);
    expect(text.stdout).toMatch(/ℹ Notes[\s\S]*The policy file \.tfguard\.hcl is new in the change under review/);

    // Read from the base, the policy has no approvers: the records name nobody it trusts.
    const fromBase = await check(repo.dir, base, {}, '--policy-ref', base);
    expect(fromBase.status).toBe(1);
    expect(fromBase.report.policy.sources).toEqual(['builtin:default']);
    expect(fromBase.report.approvals.map((approval: { reason: string }) => approval.reason)).toEqual([expect.stringMatching(/^unknown approver/), expect.stringMatching(/^unknown approver/)]);
    expect(fromBase.report.notices.map((notice: { kind: string }) => notice.kind)).not.toContain('policy-changed');

    // Once the policy is on the base branch, reading it from there trusts its approvers.
    const merged = repo.head();
    const ok = await check(repo.dir, merged, {}, '--policy-ref', merged);
    expect(ok.report.policy.sources).toEqual(['builtin:default', '.tfguard.hcl']);
    expect(ok.report.approvals.every((approval: { valid: boolean }) => approval.valid)).toBe(true);
    expect((await run(repo.dir, ['--policy-ref', 'no-such-ref', 'plan.json'])).stderr).toMatch(/^tfguard: error: --policy-ref: no-such-ref is not a commit/);
  });
});

describe('GitHub pull-request reviews', () => {
  it.each(['pull_request', 'pull_request_review'])('%s: an APPROVED review on the head commit by a listed approver counts; a stale one and the author\'s do not', async (eventName) => {
    const { repo, base } = setup();
    const head = repo.head();
    const reviews = [
      { id: 1, user: { login: 'alice-sre', type: 'User' }, state: 'APPROVED', commit_id: 'a'.repeat(40), submitted_at: '2026-12-01T10:00:00Z' },
      { id: 2, user: { login: 'bob-sre', type: 'User' }, state: 'APPROVED', commit_id: head, submitted_at: '2026-12-01T11:00:00Z' },
      { id: 3, user: { login: 'janedoe', type: 'User' }, state: 'APPROVED', commit_id: head, submitted_at: '2026-12-01T12:00:00Z' },
    ];
    const server = await startGitHubServer({
      'GET /repos/acme/infra/pulls/7/commits': (request, fake) => paginated([], request, fake),
      'GET /repos/acme/infra/pulls/7/reviews': (request, fake) => paginated(reviews, request, fake),
    });
    try {
      // A pull_request_review run (how a senior's review re-checks the pull request) carries the same pull_request object, and the review.
      const payload = { ...pullRequestEvent({ headSha: head, baseSha: base }), ...(eventName === 'pull_request_review' ? { action: 'submitted', review: { id: 2, state: 'approved', commit_id: head, user: { login: 'bob-sre' } } } : {}) };
      const event = writeEvent(repo.dir, payload);
      const env = { GITHUB_EVENT_NAME: eventName, GITHUB_EVENT_PATH: event, GITHUB_API_URL: server.url, GITHUB_TOKEN: 't' };
      const { report } = await check(repo.dir, base, env, '--approvals', 'none-here');
      const github = report.approvals.filter((approval: { via: string }) => approval.via === 'github');
      expect(github.map((approval: { review: number; valid: boolean }) => [approval.review, approval.valid])).toEqual([[1, false], [2, true], [3, false]]);
      expect(github[0].reason).toMatch(/^stale/);
      expect(report.findings.find((finding: { rule: string }) => finding.rule === 'stateful-destroy').approved_by).toEqual(['bob']);
    } finally {
      await server.close();
    }
  });
});

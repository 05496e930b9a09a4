import { execFileSync } from 'node:child_process';
import { chmodSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { matchFacts } from '../../../src/provenance/match.js';
import { parseLog, readGitRange } from '../../../src/provenance/git.js';
import { compileSignals } from '../../../src/provenance/signals.js';
import { TfguardError } from '../../../src/shared/errors.js';
import { GIT_ENV, JANE, Repo, removeDir, tempDir } from './repo.js';
import { SAMPLES } from './samples.js';

const signals = compileSignals();
const cleanup: string[] = [];
afterAll(() => cleanup.forEach(removeDir));

/** A repository: main with a base commit; feature with signal commits, negatives, a side branch merged in and a squash commit. */
function buildFeatureRepo() {
  const repo = new Repo();
  cleanup.push(repo.dir);
  const base = repo.commit('Initial infrastructure\n');
  repo.git('checkout', '-q', '-b', 'feature');
  const claude = repo.commit('Add the state bucket\n\nKeeps state in one place.\n\nCo-Authored-By: Claude Opus 4.7 <noreply@anthropic.com>\n');
  const human = repo.commit('Tune the bucket policy\n\nas Claude from the data team suggested\n\nCo-authored-by: John Roe <john@example.com>\n');
  repo.git('checkout', '-q', '-b', 'side', base);
  const side = repo.commit('fix cursor pagination\n', { author: { name: 'Ann Lee', email: 'ann@example.com' } });
  repo.git('checkout', '-q', 'feature');
  repo.git('-c', 'user.name=Jane Doe', 'merge', '-q', '--no-ff', '-m', 'Merge branch side into feature', 'side');
  const merge = repo.head();
  const squash = repo.commit(
    [
      'Rework the network (#12)',
      '',
      '* first try',
      '',
      '* tested with Copilot disabled',
      '',
      '🤖 Generated with [Claude Code](https://claude.com/claude-code)',
      '',
      '---------',
      '',
      'Co-authored-by: Cursor Agent <cursoragent@cursor.com>',
      'Co-authored-by: John Roe <john@example.com>',
      '',
    ].join('\n'),
    { committer: { name: 'GitHub', email: 'noreply@github.com' } },
  );
  const middle = repo.commit('Explain the change\n\nWe talked about\nCo-Authored-By: Claude <noreply@anthropic.com>\nand dropped it.\n');
  return { repo, base, claude, human, side, merge, squash, middle };
}

describe('readGitRange on real repositories', () => {
  let fixture: ReturnType<typeof buildFeatureRepo>;
  beforeAll(() => {
    fixture = buildFeatureRepo();
  });

  it('reads every commit of BASE..HEAD, merge commits included, with full messages and identities', async () => {
    const result = await readGitRange({ cwd: fixture.repo.dir, base: 'main' });
    if (!result.ok) throw new Error(result.reason);
    expect(result.range).toEqual({ base: fixture.base, head: fixture.middle, commits: 6, source: 'git' });
    expect(new Set(result.commits.map((commit) => commit.sha))).toEqual(
      new Set([fixture.claude, fixture.human, fixture.side, fixture.merge, fixture.squash, fixture.middle]),
    );
    const merge = result.commits.find((commit) => commit.sha === fixture.merge)!;
    expect(merge.parents).toHaveLength(2);
    const squash = result.commits.find((commit) => commit.sha === fixture.squash)!;
    expect(squash.committer).toEqual({ name: 'GitHub', email: 'noreply@github.com' });
    expect(squash.message.split('\n')).toHaveLength(12);
    const side = result.commits.find((commit) => commit.sha === fixture.side)!;
    expect(side.author).toEqual({ name: 'Ann Lee', email: 'ann@example.com' });
  });

  it('finds the evidence in the signal commits and the squash merge, and none in the negatives', async () => {
    const result = await readGitRange({ cwd: fixture.repo.dir, base: fixture.base });
    if (!result.ok) throw new Error(result.reason);
    const evidence = matchFacts({ commits: result.commits, environment: {} }, signals);
    const found = evidence.map((item) => JSON.stringify([item.signal, item.where])).sort();
    expect(found).toEqual(
      [
        ['claude-code.co-author', { type: 'commit', sha: fixture.claude, field: 'message', line: 5 }],
        ['cursor.co-author', { type: 'commit', sha: fixture.squash, field: 'message', line: 11 }],
        ['claude-code.generated-with', { type: 'commit', sha: fixture.squash, field: 'message', line: 7 }],
      ]
        .map((entry) => JSON.stringify(entry))
        .sort(),
    );
  });

  it('recognises every commit-borne signal sample once it is a real commit', async () => {
    const repo = new Repo();
    cleanup.push(repo.dir);
    const base = repo.commit('Base\n');
    const expected = new Map<string, string>();
    for (const sample of SAMPLES) {
      for (const commit of sample.facts.commits) {
        const sha = repo.commit(commit.message, { author: commit.author, committer: commit.committer });
        expected.set(sha, sample.signal);
      }
    }
    const result = await readGitRange({ cwd: repo.dir, base });
    if (!result.ok) throw new Error(result.reason);
    expect(result.commits).toHaveLength(expected.size);
    const evidence = matchFacts({ commits: result.commits, environment: {} }, signals);
    for (const [sha, signal] of expected) {
      const here = evidence.filter((item) => item.where.type === 'commit' && item.where.sha === sha).map((item) => item.signal);
      expect(here, `${signal} in ${sha}`).toContain(signal);
    }
  });

  it('takes the merge-base with the default branch when no base is given', async () => {
    const result = await readGitRange({ cwd: fixture.repo.dir });
    if (!result.ok) throw new Error(result.reason);
    expect(result.range.base).toBe(fixture.base);
    expect(result.range.commits).toBe(6);
  });

  it('prefers the upstream, and falls back to the default branch when the upstream holds HEAD', async () => {
    const clone = tempDir('clone');
    cleanup.push(clone);
    execFileSync('git', ['clone', '-q', '--no-hardlinks', `file://${fixture.repo.dir}`, clone], { env: GIT_ENV });
    const repo = new Repo(clone);
    repo.git('checkout', '-q', 'feature');
    const inSync = await readGitRange({ cwd: clone });
    if (!inSync.ok) throw new Error(inSync.reason);
    expect(inSync.range).toMatchObject({ base: fixture.base, head: fixture.middle, commits: 6 });

    const local = repo.commit('Local work\n');
    const ahead = await readGitRange({ cwd: clone });
    if (!ahead.ok) throw new Error(ahead.reason);
    expect(ahead.range).toMatchObject({ base: fixture.middle, head: local, commits: 1 });
  });

  it('calls git log exactly once, whatever the number of commits', async () => {
    const bin = tempDir('bin');
    cleanup.push(bin);
    const log = join(bin, 'calls.log');
    const realGit = execFileSync('sh', ['-c', 'command -v git'], { encoding: 'utf8' }).trim();
    writeFileSync(join(bin, 'git'), `#!/bin/sh\nprintf '%s\\n' "$*" >> "${log}"\nexec "${realGit}" "$@"\n`);
    chmodSync(join(bin, 'git'), 0o755);
    const path = process.env.PATH;
    process.env.PATH = `${bin}:${path}`;
    try {
      const result = await readGitRange({ cwd: fixture.repo.dir, base: 'main' });
      expect(result.ok).toBe(true);
    } finally {
      process.env.PATH = path;
    }
    const calls = readFileSync(log, 'utf8').trim().split('\n');
    expect(calls.filter((call) => / log /u.test(` ${call} `))).toHaveLength(1);
    expect(calls.some((call) => /(?:^|\s)(?:fetch|gc|update-ref|commit|push|reset|checkout|config)(?:\s|$)/u.test(call))).toBe(false);
  });

  it('writes nothing to the repository', async () => {
    const before = snapshot(join(fixture.repo.dir, '.git'));
    await readGitRange({ cwd: fixture.repo.dir });
    await readGitRange({ cwd: fixture.repo.dir, base: 'main', head: 'feature' });
    expect(snapshot(join(fixture.repo.dir, '.git'))).toEqual(before);
  });

  it('an empty range is unknown', async () => {
    const result = await readGitRange({ cwd: fixture.repo.dir, base: 'HEAD' });
    expect(result).toEqual({ ok: false, reason: 'the range HEAD..HEAD holds no commits' });
  });

  it('on the default branch itself, with no base, the range is empty and unknown', async () => {
    const repo = new Repo();
    cleanup.push(repo.dir);
    repo.commit('Only commit\n');
    const result = await readGitRange({ cwd: repo.dir });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.reason).toContain('an empty range');
  });

  it('a folder that is not a repository is unknown', async () => {
    const dir = tempDir('plain');
    cleanup.push(dir);
    expect(await readGitRange({ cwd: dir })).toEqual({ ok: false, reason: `${dir} is not a git repository` });
  });

  it('a repository without commits is unknown', async () => {
    const repo = new Repo();
    cleanup.push(repo.dir);
    expect(await readGitRange({ cwd: repo.dir })).toEqual({ ok: false, reason: 'the repository has no commits' });
  });

  it('a base that is not in a shallow clone is unknown, and says how to fix it', async () => {
    const clone = tempDir('shallow');
    cleanup.push(clone);
    execFileSync('git', ['clone', '-q', '--depth', '1', '--branch', 'feature', `file://${fixture.repo.dir}`, clone], { env: GIT_ENV });
    const result = await readGitRange({ cwd: clone, base: fixture.base });
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.reason).toContain(`base ${fixture.base} is not in this shallow clone`);
      expect(result.reason).toContain('fetch-depth: 0');
      expect(result.reason).toContain('GitHub token');
    }
  });

  it('a shallow clone that ends inside the range is unknown', async () => {
    const clone = tempDir('shallow-cut');
    cleanup.push(clone);
    execFileSync('git', ['clone', '-q', '--depth', '2', '--no-single-branch', '--branch', 'feature', `file://${fixture.repo.dir}`, clone], { env: GIT_ENV });
    const result = await readGitRange({ cwd: clone, base: 'origin/main' });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.reason).toMatch(/shallow clone ends inside the range .*fetch-depth: 0/u);
  });

  it('an unknown base or head is unknown', async () => {
    expect(await readGitRange({ cwd: fixture.repo.dir, base: 'no-such-branch' })).toEqual({ ok: false, reason: 'base no-such-branch is not a commit in this repository' });
    expect(await readGitRange({ cwd: fixture.repo.dir, base: 'main', head: 'nope' })).toEqual({ ok: false, reason: 'head nope is not a commit in this repository' });
  });

  it('refuses a revision that git would read as an option', async () => {
    await expect(readGitRange({ cwd: fixture.repo.dir, base: '--output=/tmp/x' })).rejects.toThrow(TfguardError);
    await expect(readGitRange({ cwd: fixture.repo.dir, head: '-p' })).rejects.toThrow(/is not a git revision/u);
  });

  it('reads messages that contain the field separator and odd text as they are', async () => {
    const repo = new Repo();
    cleanup.push(repo.dir);
    const base = repo.commit('Base\n');
    const odd = repo.commit('Subject with \u001f unit separator\n\nBody \u001b[31mred\u001b[0m\n\nCo-authored-by: Jane Doe <jane@example.com>\n', { author: { name: 'Zoë Ünicode', email: 'zoe@example.com' } });
    const result = await readGitRange({ cwd: repo.dir, base });
    if (!result.ok) throw new Error(result.reason);
    expect(result.commits).toEqual([
      {
        sha: odd,
        parents: [base],
        author: { name: 'Zoë Ünicode', email: 'zoe@example.com' },
        committer: { name: 'Zoë Ünicode', email: 'zoe@example.com' },
        message: 'Subject with \u001f unit separator\n\nBody \u001b[31mred\u001b[0m\n\nCo-authored-by: Jane Doe <jane@example.com>',
      },
    ]);
    expect(JANE.email).toBe('jane@example.com');
  });
});

describe('parseLog', () => {
  it('refuses output that is not git log records', () => {
    expect(parseLog('not a sha\u001f\u001f\u001f\u001f\u001f\u001fmessage\u0000')).toBeUndefined();
    expect(parseLog('deadbeef\u0000')).toBeUndefined();
    expect(parseLog('')).toEqual([]);
  });
});

function snapshot(dir: string): string[] {
  const out: string[] = [];
  const walk = (path: string) => {
    for (const entry of readdirSync(path, { withFileTypes: true })) {
      const full = join(path, entry.name);
      if (entry.isDirectory()) walk(full);
      else {
        const stat = statSync(full);
        out.push(`${full.slice(dir.length)} ${stat.size} ${stat.mtimeMs}`);
      }
    }
  };
  walk(dir);
  return out.sort();
}


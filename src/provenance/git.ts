import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { isAbsolute, join } from 'node:path';
import { TfguardError } from '../shared/errors.js';
import type { CommitFact, CommitRange } from './evidence.js';

/**
 * The commits under review, read from git: `BASE..HEAD`, every commit (merges included) in ONE
 * `git log` call. Read-only: no fetch, no gc, nothing written to the repository. Commands run with an
 * argument array, never through a shell, and user-given refs go after `--end-of-options`.
 */

export interface GitRangeRequest {
  cwd: string;
  base?: string;
  head?: string;
  timeoutMs?: number;
}

export type GitRangeResult = { ok: true; range: CommitRange; commits: CommitFact[] } | { ok: false; reason: string };

/** Tried in order when no base is given; the first whose merge-base with HEAD leaves a non-empty range wins. */
export const DEFAULT_BASE_CANDIDATES = ['@{upstream}', 'origin/HEAD', 'origin/main', 'main', 'origin/master', 'master'] as const;

const SHALLOW_FIX = 'check out the full history (actions/checkout with fetch-depth: 0), or give a GitHub token so the pull request\'s commits are read from the API';
const FIELD = '\u001f';
const FORMAT = ['%H', '%P', '%an', '%ae', '%cn', '%ce', '%B'].join('%x1f');
const MAX_OUTPUT = 512 * 1024 * 1024;

export async function readGitRange(request: GitRangeRequest): Promise<GitRangeResult> {
  const git = runner(request.cwd, request.timeoutMs ?? 60_000);
  for (const [flag, ref] of [['--base', request.base], ['--head', request.head]] as const) {
    if (ref !== undefined && (ref === '' || ref.startsWith('-'))) {
      throw new TfguardError(flag, `${JSON.stringify(ref)} is not a git revision`, `give a branch, tag or commit, e.g. ${flag} origin/main`);
    }
  }

  const gitDir = await git(['rev-parse', '--git-dir']);
  if (!gitDir.ok) {
    return { ok: false, reason: gitDir.missingGit ? 'git is not installed, so the commits could not be read' : `${request.cwd} is not a git repository` };
  }
  const shallow = (await git(['rev-parse', '--is-shallow-repository'])).stdout.trim() === 'true';
  const headRef = request.head ?? 'HEAD';
  const head = await resolveCommit(git, headRef);
  if (head === undefined) {
    return { ok: false, reason: headRef === 'HEAD' ? 'the repository has no commits' : `head ${headRef} is not a commit in this repository` };
  }

  const base = request.base === undefined ? await defaultBase(git, head, shallow) : await givenBase(git, request.base, shallow);
  if (!base.ok) return base;

  const log = await git(['log', '--no-color', '--no-notes', '--encoding=UTF-8', '-z', `--format=${FORMAT}`, '--end-of-options', `${base.sha}..${head}`]);
  if (!log.ok) return { ok: false, reason: `git log ${base.label}..${headRef} failed: ${firstLine(log.stderr)}` };
  const commits = parseLog(log.stdout);
  if (commits === undefined) return { ok: false, reason: 'the output of git log could not be read' };
  if (commits.length === 0) return { ok: false, reason: `the range ${base.label}..${headRef} holds no commits` };

  if (shallow) {
    const cut = await shallowBoundaries(git, request.cwd);
    if (commits.some((commit) => cut.has(commit.sha))) {
      return { ok: false, reason: `this shallow clone ends inside the range ${base.label}..${headRef}, so not every commit can be read; ${SHALLOW_FIX}` };
    }
  }
  return { ok: true, commits, range: { base: base.sha, head, commits: commits.length, source: 'git' } };
}

type Base = { ok: true; sha: string; label: string } | { ok: false; reason: string };

async function givenBase(git: Git, ref: string, shallow: boolean): Promise<Base> {
  const sha = await resolveCommit(git, ref);
  if (sha !== undefined) return { ok: true, sha, label: ref };
  if (shallow) return { ok: false, reason: `base ${ref} is not in this shallow clone; ${SHALLOW_FIX}` };
  return { ok: false, reason: `base ${ref} is not a commit in this repository` };
}

async function defaultBase(git: Git, head: string, shallow: boolean): Promise<Base> {
  let emptyWith: string | undefined;
  for (const candidate of DEFAULT_BASE_CANDIDATES) {
    const tip = await resolveCommit(git, candidate);
    if (tip === undefined) continue;
    const mergeBase = await git(['merge-base', '--end-of-options', head, tip]);
    if (!mergeBase.ok) {
      if (shallow) return { ok: false, reason: `HEAD and ${candidate} have no common commit in this shallow clone; ${SHALLOW_FIX}` };
      continue;
    }
    const sha = mergeBase.stdout.trim();
    if (sha === head) {
      emptyWith ??= candidate;
      continue;
    }
    return { ok: true, sha, label: `merge-base(HEAD, ${candidate})` };
  }
  if (emptyWith !== undefined) return { ok: false, reason: `HEAD holds no commits that ${emptyWith} does not (an empty range); pass --base to name the change's base` };
  const hint = shallow ? `; ${SHALLOW_FIX}` : '';
  return { ok: false, reason: `no base to compare HEAD with: no --base, no upstream branch, and none of origin/HEAD, origin/main, main, origin/master, master${hint}` };
}

async function resolveCommit(git: Git, ref: string): Promise<string | undefined> {
  const result = await git(['rev-parse', '--verify', '--quiet', '--end-of-options', `${ref}^{commit}`]);
  const sha = result.stdout.trim();
  return result.ok && /^[0-9a-f]{40,64}$/u.test(sha) ? sha : undefined;
}

/** The commits whose parents a shallow clone does not have (`.git/shallow`). Read, never written. */
async function shallowBoundaries(git: Git, cwd: string): Promise<Set<string>> {
  const path = (await git(['rev-parse', '--git-path', 'shallow'])).stdout.trim();
  try {
    const text = await readFile(isAbsolute(path) ? path : join(cwd, path), 'utf8');
    return new Set(text.split('\n').map((line) => line.trim()).filter(Boolean));
  } catch {
    return new Set();
  }
}

/** Records are NUL-separated; fields unit-separated, the message last (it may hold anything but NUL). */
export function parseLog(output: string): CommitFact[] | undefined {
  const commits: CommitFact[] = [];
  for (const record of output.split('\u0000')) {
    const trimmed = record.replace(/^\n+/u, '');
    if (trimmed === '') continue;
    const fields = trimmed.split(FIELD);
    if (fields.length < 7) return undefined;
    const [sha, parents, authorName, authorEmail, committerName, committerEmail] = fields as [string, string, string, string, string, string];
    if (!/^[0-9a-f]{40,64}$/u.test(sha)) return undefined;
    commits.push({
      sha,
      parents: parents.split(' ').filter(Boolean),
      author: { name: authorName, email: authorEmail },
      committer: { name: committerName, email: committerEmail },
      message: fields.slice(6).join(FIELD).replace(/\n+$/u, ''),
    });
  }
  return commits;
}

type GitResult = { ok: boolean; stdout: string; stderr: string; missingGit?: boolean };
type Git = (args: string[]) => Promise<GitResult>;

function runner(cwd: string, timeoutMs: number): Git {
  return (args) =>
    new Promise((resolve) => {
      execFile(
        'git',
        ['-C', cwd, '-c', 'core.fsmonitor=false', '-c', 'log.showSignature=false', ...args],
        {
          encoding: 'utf8',
          maxBuffer: MAX_OUTPUT,
          timeout: timeoutMs,
          windowsHide: true,
          env: { ...process.env, GIT_TERMINAL_PROMPT: '0', GIT_OPTIONAL_LOCKS: '0', LC_ALL: 'C' },
        },
        (error, stdout, stderr) => {
          const missingGit = (error as NodeJS.ErrnoException | null)?.code === 'ENOENT';
          resolve({ ok: error === null, stdout: String(stdout ?? ''), stderr: String(stderr ?? ''), missingGit });
        },
      );
    });
}

function firstLine(text: string): string {
  return text.trim().split('\n')[0] ?? '';
}

import { createGitHubClient, type GitHubClient, type GitHubClientOptions } from '../github/client.js';
import type { CollectedFacts, ProvenanceFacts, PullRequestFact } from './evidence.js';
import { environmentFacts } from './environment.js';
import { readGitRange } from './git.js';
import { readPullRequestEvent } from './github-event.js';
import { compileSignals, type CompiledSignals } from './signals.js';

export interface CollectOptions {
  cwd: string;
  /** --base; without it the pull request's base (from the event), else the merge-base with the upstream or default branch. */
  base?: string;
  /** --head, default HEAD. */
  head?: string;
  env: NodeJS.ProcessEnv;
  /** --github-token; without it GITHUB_TOKEN from `env`. */
  token?: string;
  /** Which environment variables to keep; default: the shipped signals. */
  signals?: CompiledSignals;
  /** For tests: build the client some other way. */
  createClient?: (options: GitHubClientOptions) => Promise<GitHubClient>;
}

/**
 * Everything provenance reads, in one place: the GitHub event, the process environment, and the
 * commits under review — from the GitHub API when a token and a pull-request event are there (a
 * shallow checkout then still gets every commit), else from git. A range that cannot be read is
 * `unknown` with the reason; an unreadable event or a refused API call throws a TfguardError.
 */
export async function collectProvenanceFacts(options: CollectOptions): Promise<CollectedFacts> {
  const signals = options.signals ?? compileSignals();
  const pullRequest = readPullRequestEvent(options.env);
  const environment = environmentFacts(options.env, signals);
  const facts: ProvenanceFacts = { commits: [], environment, ...(pullRequest ? { pullRequest } : {}) };
  const token = options.token ?? nonEmpty(options.env.GITHUB_TOKEN);

  if (pullRequest && token !== undefined && options.base === undefined && options.head === undefined) {
    return fromGitHub(options, pullRequest, token, facts);
  }
  const git = await readGitRange({ cwd: options.cwd, base: options.base ?? pullRequest?.baseSha, head: options.head });
  if (!git.ok) return { facts, unknown: git.reason };
  return { facts: { ...facts, commits: git.commits, range: git.range } };
}

async function fromGitHub(options: CollectOptions, pullRequest: PullRequestFact, token: string, facts: ProvenanceFacts): Promise<CollectedFacts> {
  const [owner, repo] = pullRequest.repository.split('/') as [string, string];
  const client = await (options.createClient ?? createGitHubClient)({ token, env: options.env });
  const listed = await client.pullRequestCommits(owner, repo, pullRequest.number);
  const range = { base: pullRequest.baseSha, head: pullRequest.headSha, commits: listed.commits.length, source: 'github' as const };
  if (!listed.truncated) return { facts: { ...facts, commits: listed.commits, range } };

  // The API stops at 250 commits; a full local history can still give the whole range.
  const git = await readGitRange({ cwd: options.cwd, base: pullRequest.baseSha, head: pullRequest.headSha });
  if (git.ok) return { facts: { ...facts, commits: git.commits, range: git.range } };
  return { facts: { ...facts, commits: listed.commits, range: { ...range, truncated: true } } };
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value === '' ? undefined : value;
}

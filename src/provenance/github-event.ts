import { readFileSync } from 'node:fs';
import { TfguardError } from '../shared/errors.js';
import type { GitHubUser, PullRequestFact } from './evidence.js';

/**
 * The events whose payload carries the pull request: a `pull_request_review` run is how a senior's
 * approving review re-checks, and unblocks, the pull request.
 */
export const PULL_REQUEST_EVENTS: ReadonlySet<string> = new Set(['pull_request', 'pull_request_target', 'pull_request_review']);

/**
 * The pull request of a GitHub Actions `pull_request`, `pull_request_target` or `pull_request_review` run, from the file at
 * GITHUB_EVENT_PATH. Other events (or no GitHub Actions at all): undefined. A pull-request event whose
 * file is missing, unreadable or not the expected shape is a TfguardError — never "no pull request".
 */
export function readPullRequestEvent(env: NodeJS.ProcessEnv): PullRequestFact | undefined {
  const eventName = env.GITHUB_EVENT_NAME;
  if (eventName === undefined || !PULL_REQUEST_EVENTS.has(eventName)) return undefined;
  const path = env.GITHUB_EVENT_PATH;
  if (path === undefined || path === '') {
    throw new TfguardError('GITHUB_EVENT_PATH', `GITHUB_EVENT_NAME is ${eventName} but GITHUB_EVENT_PATH is not set`, 'run tfguard in the GitHub Actions job, or unset GITHUB_EVENT_NAME');
  }
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new TfguardError(path, `cannot read the GitHub event file (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`, 'check GITHUB_EVENT_PATH');
  }
  let event: unknown;
  try {
    event = JSON.parse(text);
  } catch (error) {
    throw new TfguardError(path, `the GitHub event file is not valid JSON (${(error as Error).message})`, 'check GITHUB_EVENT_PATH points at the event payload GitHub wrote');
  }
  return pullRequestFromEvent(event, path);
}

/** The pull-request facts of a parsed event payload; `where` names the file in errors. */
export function pullRequestFromEvent(event: unknown, where: string): PullRequestFact {
  const bad = (what: string) =>
    new TfguardError(where, `the GitHub event is not a pull-request event: ${what}`, 'check GITHUB_EVENT_PATH points at the event payload GitHub wrote');
  const payload = asObject(event);
  const pr = asObject(payload?.pull_request);
  if (!payload || !pr) throw bad('no pull_request object');
  const number = pr.number ?? payload.number;
  if (typeof number !== 'number' || !Number.isInteger(number) || number < 1) throw bad('pull_request.number is not a positive integer');
  const author = user(pr.user);
  if (!author) throw bad('pull_request.user.login is missing');
  const head = asObject(pr.head);
  const base = asObject(pr.base);
  if (!head || typeof head.ref !== 'string' || typeof head.sha !== 'string') throw bad('pull_request.head.ref or .sha is missing');
  if (!base || typeof base.ref !== 'string' || typeof base.sha !== 'string') throw bad('pull_request.base.ref or .sha is missing');
  const labels = pr.labels ?? [];
  if (!Array.isArray(labels) || !labels.every((label) => typeof asObject(label)?.name === 'string')) throw bad('pull_request.labels is not a list of labels');
  const assignees = pr.assignees ?? [];
  if (!Array.isArray(assignees)) throw bad('pull_request.assignees is not a list');
  const body = pr.body ?? '';
  if (typeof body !== 'string') throw bad('pull_request.body is not text');
  const repository = asObject(payload.repository)?.full_name ?? asObject(base.repo)?.full_name;
  if (typeof repository !== 'string' || !/^[^/\s]+\/[^/\s]+$/u.test(repository)) throw bad('repository.full_name is missing');

  return {
    number,
    author,
    assignees: assignees.map(user).filter((entry): entry is GitHubUser => entry !== undefined),
    labels: labels.map((label) => asObject(label)!.name as string),
    headRef: head.ref,
    headSha: head.sha,
    baseRef: base.ref,
    baseSha: base.sha,
    body,
    repository,
  };
}

function user(value: unknown): GitHubUser | undefined {
  const object = asObject(value);
  if (!object || typeof object.login !== 'string' || object.login === '') return undefined;
  return typeof object.type === 'string' ? { login: object.login, type: object.type } : { login: object.login };
}

function asObject(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

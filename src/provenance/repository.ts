import { execFile } from 'node:child_process';

/**
 * The repository a change lives in, as `owner/name`, so an approval recorded for one repository
 * never approves another: GITHUB_REPOSITORY in Actions, else the pull request's, else the one
 * the `origin` remote points at (`git@host:owner/name.git`, `https://host/owner/name`). null when
 * none of them says.
 */
export async function repositoryOf(options: { cwd: string; env: NodeJS.ProcessEnv; pullRequestRepository?: string }): Promise<string | null> {
  const fromEnv = options.env.GITHUB_REPOSITORY;
  if (fromEnv !== undefined && isOwnerName(fromEnv)) return fromEnv;
  if (options.pullRequestRepository !== undefined && isOwnerName(options.pullRequestRepository)) return options.pullRequestRepository;
  return ownerNameOfRemote(await originUrl(options.cwd));
}

export function ownerNameOfRemote(url: string | undefined): string | null {
  if (url === undefined) return null;
  const match = /^(?:[a-z+]+:\/\/(?:[^@/]+@)?[^/]+\/|[^@/:]+@[^:/]+:)([^/]+\/[^/]+?)(?:\.git)?\/?$/i.exec(url.trim());
  return match && isOwnerName(match[1]!) ? match[1]! : null;
}

function isOwnerName(value: string): boolean {
  return /^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+$/.test(value);
}

function originUrl(cwd: string): Promise<string | undefined> {
  return new Promise((resolve) => {
    execFile('git', ['-C', cwd, 'config', '--get', 'remote.origin.url'], { timeout: 10_000 }, (error, stdout) => resolve(error ? undefined : stdout.trim() || undefined));
  });
}

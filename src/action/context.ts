import { join, resolve } from 'node:path';

/** Where this run of the Action lives: from the variables the runner sets. */
export interface RunContext {
  /** The working directory, absolute. */
  cwd: string;
  /** The hidden marker that finds this step's pull-request comment again. */
  marker: string;
  /** The run's page, where the job summary (the full report) is; undefined outside Actions. */
  runUrl: string | undefined;
  /** Where the JSON report is written. */
  reportPath: string;
  eventName: string | undefined;
}

export function runContext(env: NodeJS.ProcessEnv, workingDirectory: string, environment: string | undefined): RunContext {
  const workspace = env.GITHUB_WORKSPACE || process.cwd();
  const cwd = resolve(workspace, workingDirectory);
  const key = commentKey(env.GITHUB_JOB, workingDirectory, environment);
  return {
    cwd,
    marker: `<!-- tfguard:${key} -->`,
    runUrl: runUrlOf(env),
    reportPath: join(env.RUNNER_TEMP || cwd, `tfguard-report-${fileSafe(env.GITHUB_ACTION || key)}.json`),
    eventName: env.GITHUB_EVENT_NAME,
  };
}

/**
 * One comment per job, working directory and environment: a matrix over directories or
 * environments keeps one comment each instead of overwriting one another's.
 */
function commentKey(job: string | undefined, workingDirectory: string, environment: string | undefined): string {
  const parts = [job || 'tfguard'];
  const directory = workingDirectory.replace(/\\/gu, '/').replace(/^\.\/+/u, '').replace(/\/+$/u, '');
  if (directory !== '' && directory !== '.') parts.push(directory);
  if (environment !== undefined) parts.push(environment);
  // Inside an HTML comment: nothing that could end it (`--`, `>`) or be read as anything else.
  return parts.join(':').replace(/[^A-Za-z0-9_.:/@+=-]/gu, '_').replace(/-{2,}/gu, '-');
}

function runUrlOf(env: NodeJS.ProcessEnv): string | undefined {
  const { GITHUB_SERVER_URL: server, GITHUB_REPOSITORY: repository, GITHUB_RUN_ID: runId } = env;
  if (!server || !repository || !runId) return undefined;
  if (!/^https?:\/\/[^\s<>"'`]+$/u.test(server) || !/^[\w.-]+\/[\w.-]+$/u.test(repository) || !/^\d+$/u.test(runId)) return undefined;
  const attempt = env.GITHUB_RUN_ATTEMPT && /^\d+$/u.test(env.GITHUB_RUN_ATTEMPT) ? `/attempts/${env.GITHUB_RUN_ATTEMPT}` : '';
  return `${server.replace(/\/+$/u, '')}/${repository}/actions/runs/${runId}${attempt}`;
}

function fileSafe(name: string): string {
  return name.replace(/[^A-Za-z0-9_.-]/gu, '_').slice(0, 100);
}

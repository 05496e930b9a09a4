import * as core from '@actions/core';
import { statSync } from 'node:fs';
import { resolve } from 'node:path';
import { runCheck, type CheckOutcome } from '../commands/check.js';
import { renderOptionsFor } from '../commands/render-options.js';
import { createGitHubClient } from '../github/client.js';
import { writeFilePieces } from '../output.js';
import { PULL_REQUEST_EVENTS, readPullRequestEvent } from '../provenance/github-event.js';
import { RENDERERS, type Format } from '../render/index.js';
import { renderMarkdown } from '../render/markdown.js';
import { PLAIN } from '../render/palette.js';
import { renderToString } from '../render/renderer.js';
import type { Report } from '../report/report.js';
import { TfguardError, TfguardErrors } from '../shared/errors.js';
import { terminalSafe } from '../shared/escape.js';
import { annotationsOf } from './annotations.js';
import { upsertComment } from './comment.js';
import { runContext, type RunContext } from './context.js';
import { errorMarkdown } from './error-markdown.js';
import { COMMENT_LIMIT, fitWithin, SUMMARY_LIMIT } from './fit.js';
import { parseInputs, type ActionInputs } from './inputs.js';
import { logSafe } from './log-safe.js';

/** The outputs action.yml declares; all of them are set on every run, empty when there is no report. */
interface Outputs {
  verdict: string;
  digest: string;
  blocking: string;
  warnings: string;
  report: string;
}

// More of the text report than this in the log only buries the verdict; the JSON report has it all.
const LOG_REPORT_LINES = 2000;

/**
 * The GitHub Action: the same check as `tfguard check` (runCheck decides; this shell only reads
 * inputs and publishes), then outputs, the JSON report, the job summary, annotations and the one
 * pull-request comment. The step fails exactly when the verdict is block or error, or when
 * something it must publish could not be written.
 */
export async function runAction(env: NodeJS.ProcessEnv): Promise<void> {
  let inputs: ActionInputs | undefined;
  let context: RunContext | undefined;
  try {
    inputs = parseInputs((name) => core.getInput(name, { trimWhitespace: false }));
    // Like the CLI: GITHUB_TOKEN from the environment when the input is empty.
    if (inputs.githubToken === undefined && env.GITHUB_TOKEN) inputs = { ...inputs, githubToken: env.GITHUB_TOKEN };
    if (inputs.githubToken !== undefined) core.setSecret(inputs.githubToken);
    context = runContext(env, inputs.workingDirectory, inputs.environment);
    checkDirectory(context.cwd, inputs.workingDirectory);
    const outcome = await runCheck({
      plan: inputs.plan,
      policy: inputs.policy,
      ...(inputs.policyRef !== undefined ? { policyRef: inputs.policyRef } : {}),
      provenance: inputs.provenance,
      base: inputs.base,
      githubToken: inputs.githubToken,
      env,
      ...(inputs.approvals.length > 0 ? { approvals: inputs.approvals } : {}),
      environmentName: inputs.environment ?? (env.TF_WORKSPACE || undefined),
      terraformBin: inputs.terraformBin,
      cwd: context.cwd,
    });
    await publish(outcome, inputs, context, env);
  } catch (error) {
    await publishError(errorLines(error), inputs, context, env);
  }
}

async function publish(outcome: CheckOutcome, inputs: ActionInputs, context: RunContext, env: NodeJS.ProcessEnv): Promise<void> {
  const { report } = outcome;
  const failures = outcome.errors.map(lineOf);
  let reportPath = '';
  try {
    writeFilePieces(context.reportPath, RENDERERS.json.render(report, { palette: PLAIN }));
    reportPath = context.reportPath;
  } catch (error) {
    failures.push(lineOf(error));
  }
  failures.push(...writeExtraReports(report, inputs, context));
  setOutputs({ verdict: report.verdict, digest: report.plan.digest, blocking: String(report.summary.blocking), warnings: String(report.summary.warnings), report: reportPath });

  logReport(report, reportPath);
  annotate(report);
  const summaryFailure = await writeSummary(() => summaryMarkdown(report, reportPath));
  if (summaryFailure !== undefined) failures.push(summaryFailure);
  if (wantsComment(inputs, context)) {
    const failure = await comment(inputs, context, env, () => commentMarkdown(report, context));
    if (failure !== undefined) failures.push(failure);
  }
  finish(report.verdict, failures, report);
}

/** The whole report, unless it outgrows the runner's 1 MiB: then cut, pointing at the JSON report. */
function summaryMarkdown(report: Report, reportPath: string): string {
  const reportLocation = reportPath !== '' ? `the JSON report this step wrote (its report output: ${reportPath})` : undefined;
  return fitWithin((maxLength) => renderMarkdown(report, { maxLength, ...(reportLocation !== undefined ? { reportLocation } : {}) }), SUMMARY_LIMIT, 'job summary');
}

/** The report within GitHub's comment limit, marked so the next run finds it; the run's summary has the rest. */
function commentMarkdown(report: Report, context: RunContext): string {
  const reportLocation = `the job summary of the run${context.runUrl !== undefined ? `: ${context.runUrl}` : ''}`;
  return fitWithin((maxLength) => renderMarkdown(report, { maxLength, marker: context.marker, reportLocation }), COMMENT_LIMIT, 'pull-request comment');
}

/** No report exists (bad input, an unreadable plan or policy): every output still set, verdict error. */
async function publishError(lines: string[], inputs: ActionInputs | undefined, context: RunContext | undefined, env: NodeJS.ProcessEnv): Promise<void> {
  const failures = [...lines];
  try {
    setOutputs({ verdict: 'error', digest: '', blocking: '', warnings: '', report: '' });
  } catch (error) {
    failures.push(lineOf(error));
  }
  const runUrl = context?.runUrl;
  const summaryFailure = await writeSummary(() => errorMarkdown(lines, runUrl !== undefined ? { runUrl } : {}));
  if (summaryFailure !== undefined) failures.push(summaryFailure);
  // A comment that still says "allowed" from an earlier run must not outlive a run that could not check.
  if (inputs !== undefined && context !== undefined && wantsComment(inputs, context)) {
    const marker = context.marker;
    const failure = await comment(inputs, context, env, () => errorMarkdown(lines, { marker, ...(runUrl !== undefined ? { runUrl } : {}) }));
    if (failure !== undefined) failures.push(failure);
  }
  finish('error', failures);
}

function checkDirectory(cwd: string, given: string): void {
  let isDirectory = false;
  try {
    isDirectory = statSync(cwd).isDirectory();
  } catch {
    // reported below
  }
  if (!isDirectory) throw new TfguardError('input working-directory', `${terminalSafe(given)} is not a directory`, 'Give a directory of the checkout (paths in the other inputs are relative to it)');
}

/** The SARIF and JUnit files asked for, rendered as the CLI renders them; each that cannot be written is one failure line. */
function writeExtraReports(report: Report, inputs: ActionInputs, context: RunContext): string[] {
  const wanted: [Format, string | undefined][] = [
    ['sarif', inputs.sarifFile],
    ['junit', inputs.junitFile],
  ];
  const failures: string[] = [];
  for (const [format, file] of wanted) {
    if (file === undefined) continue;
    try {
      const options = renderOptionsFor(format, report, { palette: PLAIN, cwd: context.cwd, plan: inputs.plan });
      writeFilePieces(resolve(context.cwd, file), RENDERERS[format].render(report, options), file);
    } catch (error) {
      failures.push(lineOf(error));
    }
  }
  return failures;
}

function setOutputs(outputs: Outputs): void {
  for (const [name, value] of Object.entries(outputs)) core.setOutput(name, value);
}

/** The text report in the log, every line through logSafe: nothing from the plan can start a workflow command. */
function logReport(report: Report, reportPath: string): void {
  const lines = renderToString(RENDERERS.text, report, { palette: PLAIN }).replace(/\n$/u, '').split('\n');
  core.startGroup('tfguard report');
  for (const line of lines.slice(0, LOG_REPORT_LINES)) log(line);
  if (lines.length > LOG_REPORT_LINES) log(`… ${lines.length - LOG_REPORT_LINES} more lines in the JSON report`);
  core.endGroup();
  log(`verdict ${report.verdict}, change set ${report.plan.digest}${reportPath !== '' ? `, JSON report ${reportPath}` : ''}`);
}

/** Every line this Action prints goes through logSafe. */
function log(text: string): void {
  for (const line of logSafe(text)) core.info(line);
}

function annotate(report: Report): void {
  const { annotations, omitted } = annotationsOf(report);
  for (const annotation of annotations) {
    if (annotation.level === 'error') core.error(annotation.message, { title: annotation.title });
    else core.warning(annotation.message, { title: annotation.title });
  }
  if (omitted.error > 0) core.error(`and ${omitted.error} more blocking findings: see the job summary`, { title: 'tfguard' });
  if (omitted.warning > 0) core.warning(`and ${omitted.warning} more warnings: see the job summary`, { title: 'tfguard' });
}

/** Writes the job summary; undefined when written (or when the runner gives no summary file), else the failure line. */
async function writeSummary(markdown: () => string): Promise<string | undefined> {
  if (!process.env.GITHUB_STEP_SUMMARY) {
    core.warning('no job summary: GITHUB_STEP_SUMMARY is not set', { title: 'tfguard' });
    return undefined;
  }
  try {
    await core.summary.addRaw(markdown()).write();
    return undefined;
  } catch (error) {
    return error instanceof TfguardError ? error.oneLine() : `job summary: cannot write it (${terminalSafe((error as Error).message)})`;
  } finally {
    core.summary.emptyBuffer();
  }
}

function wantsComment(inputs: ActionInputs, context: RunContext): boolean {
  return inputs.comment && context.eventName !== undefined && PULL_REQUEST_EVENTS.has(context.eventName);
}

/** Creates or updates this step's one pull-request comment; undefined when done, else the failure line (fail closed). */
async function comment(inputs: ActionInputs, context: RunContext, env: NodeJS.ProcessEnv, body: () => string): Promise<string | undefined> {
  try {
    if (inputs.githubToken === undefined) {
      throw new TfguardError('input github-token', 'is empty, so the pull-request comment cannot be written', 'Give a token with pull-requests: write (the default is the workflow token), or set comment: false');
    }
    const pullRequest = readPullRequestEvent(env);
    if (pullRequest === undefined) return undefined;
    const [owner, repo] = pullRequest.repository.split('/') as [string, string];
    const client = await createGitHubClient({ token: inputs.githubToken, env });
    const { action, comment: written } = await upsertComment(client, { owner, repo, number: pullRequest.number, marker: context.marker }, body());
    log(`${action} the pull-request comment${written.htmlUrl !== undefined ? ` ${written.htmlUrl}` : ''}`);
    return undefined;
  } catch (error) {
    return lineOf(error);
  }
}

/** The last failure line fails the step (setFailed, once); the others are error annotations before it. */
function finish(verdict: Report['verdict'], failures: readonly string[], report?: Report): void {
  const lines = failures.map((line) => `tfguard: error: ${line}`);
  if (verdict === 'error' && lines.length === 0) lines.push('tfguard: error: the plan could not be checked');
  if (verdict === 'block' && report !== undefined) lines.push(blockedLine(report));
  if (lines.length === 0) {
    log(`tfguard: ${verdict === 'warn' ? 'allowed with warnings' : 'allowed'}`);
    return;
  }
  for (const line of lines.slice(0, -1)) core.error(line);
  core.setFailed(lines[lines.length - 1]!);
  // Like the CLI: 1 when blocked by policy, 2 when tfguard could not check or publish.
  process.exitCode = failures.length > 0 || verdict === 'error' ? 2 : 1;
}

function blockedLine(report: Report): string {
  const { blocking, hard_mandatory_blocking: hard, approvals_missing: missing } = report.summary;
  const what = `${blocking} blocking finding${blocking === 1 ? '' : 's'} without approval`;
  const how =
    hard > 0 ? `${hard} of them under a hard-mandatory rule, which no approval clears: the plan must change`
    : missing > 0 ? `${missing} more senior approval${missing === 1 ? '' : 's'} of change set ${report.plan.digest} needed (see the job summary)`
    : `see the job summary`;
  return `tfguard: blocked: ${what}; ${how}`;
}

/** Each error as one line; anything that is not a TfguardError is a bug, said so. */
function errorLines(error: unknown): string[] {
  if (error instanceof TfguardErrors) return error.errors.map((item) => item.oneLine());
  return [lineOf(error)];
}

function lineOf(error: unknown): string {
  if (error instanceof TfguardError) return error.oneLine();
  if (error instanceof TfguardErrors) return error.errors.map((item) => item.oneLine()).join('; ');
  const message = error instanceof Error ? error.message : String(error);
  return `internal error: ${terminalSafe(message.split('\n')[0] ?? '')} (this is a bug in tfguard)`;
}

await runAction(process.env).catch((error: unknown) => {
  core.setFailed(`tfguard: error: ${lineOf(error)}`);
  process.exitCode = 2;
});

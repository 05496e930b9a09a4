import { spawn } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { marked } from 'marked';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { COMMAND_GUARD, logSafe } from '../../src/action/log-safe.js';
import { RENDERERS } from '../../src/render/index.js';
import {
  ACTIONS_BOT,
  apiCommit,
  apiIssueComment,
  COMMENT_BODY_LIMIT,
  issueCommentRoutes,
  paginated,
  startGitHubServerWithBodies,
  type FakeGitHubWithBodies,
  type IssueCommentStore,
  type RouteWithBody,
} from '../helpers/github-server.js';
import { example, plan, ROOT } from '../helpers/paths.js';

/**
 * The bundled Action (action-dist/index.js, as committed) run as the runner runs it: a node process
 * with INPUT_* variables, GITHUB_OUTPUT / GITHUB_STEP_SUMMARY files, an event payload, and
 * GITHUB_API_URL at a local stand-in for the REST API. Build it first: node scripts/build-action.mjs.
 */

const BUNDLE_DIR = join(ROOT, 'action-dist');
const OWNER = 'o';
const REPO = 'r';
const PR = 7;
const HEAD = 'a'.repeat(40);
const BASE = 'b'.repeat(40);
const TOKEN = 'ghs_testtoken0123456789';
const RUN_URL = `https://github.example/${OWNER}/${REPO}/actions/runs/4242`;
const JOB = 'plan';
const MARKER = `<!-- tfguard:${JOB} -->`;

interface ActionRun {
  status: number | null;
  stdout: string;
  stderr: string;
  outputs: Record<string, string>;
  summary: string;
  lines: string[];
}

interface RunOptions {
  inputs: Record<string, string>;
  event?: string;
  api?: FakeGitHubWithBodies;
  bundle?: string;
  cwd?: string;
}

let scratch: string;
beforeAll(() => {
  if (!existsSync(join(BUNDLE_DIR, 'index.js'))) throw new Error('action-dist/index.js is missing: run node scripts/build-action.mjs');
  scratch = mkdtempSync(join(tmpdir(), 'tfguard-action-'));
});
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

let servers: FakeGitHubWithBodies[] = [];
afterEach(async () => {
  await Promise.all(servers.map((server) => server.close()));
  servers = [];
});

let runs = 0;
/** One step of a job: a fresh runner temp folder, output and summary file, the bundle as a child process. */
async function runAction(options: RunOptions): Promise<ActionRun> {
  runs += 1;
  const temp = join(scratch, `run-${runs}`);
  const workspace = options.cwd ?? join(temp, 'workspace');
  mkdirSync(workspace, { recursive: true });
  mkdirSync(temp, { recursive: true });
  const outputFile = join(temp, 'output');
  const summaryFile = join(temp, 'summary.md');
  const eventFile = join(temp, 'event.json');
  writeFileSync(outputFile, '');
  writeFileSync(summaryFile, '');
  writeFileSync(eventFile, JSON.stringify(pullRequestEvent()));
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    HOME: temp,
    GITHUB_ACTIONS: 'true',
    GITHUB_OUTPUT: outputFile,
    GITHUB_STEP_SUMMARY: summaryFile,
    RUNNER_TEMP: temp,
    GITHUB_WORKSPACE: workspace,
    GITHUB_EVENT_NAME: options.event ?? 'pull_request',
    GITHUB_EVENT_PATH: eventFile,
    GITHUB_REPOSITORY: `${OWNER}/${REPO}`,
    GITHUB_SERVER_URL: 'https://github.example',
    GITHUB_RUN_ID: '4242',
    GITHUB_JOB: JOB,
    GITHUB_ACTION: 'tfguard',
    GITHUB_API_URL: options.api?.url ?? 'http://127.0.0.1:9',
  };
  // The runner's naming: INPUT_ + the name upper-cased, spaces to underscores, dashes kept.
  for (const [name, value] of Object.entries(options.inputs)) env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] = value;
  const child = spawn(process.execPath, [options.bundle ?? join(BUNDLE_DIR, 'index.js')], { cwd: workspace, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  const status = await new Promise<number | null>((resolve) => child.on('close', resolve));
  return { status, stdout, stderr, outputs: parseOutputs(readFileSync(outputFile, 'utf8')), summary: readFileSync(summaryFile, 'utf8'), lines: stdout.split('\n') };
}

/** GITHUB_OUTPUT as @actions/core writes it: `name<<delimiter`, the value, the delimiter. */
function parseOutputs(text: string): Record<string, string> {
  const outputs: Record<string, string> = {};
  for (const match of text.matchAll(/^([^\n<]+)<<(ghadelimiter_[0-9a-f-]+)\n([\s\S]*?)\n?\2$/gm)) outputs[match[1]!] = match[3]!;
  return outputs;
}

function pullRequestEvent(): unknown {
  return {
    action: 'synchronize',
    number: PR,
    pull_request: {
      number: PR,
      state: 'open',
      title: 'Tidy the infrastructure',
      body: '',
      user: { login: 'jane', id: 1, type: 'User' },
      labels: [],
      assignees: [],
      head: { ref: 'tidy', sha: HEAD, repo: { full_name: `${OWNER}/${REPO}` } },
      base: { ref: 'main', sha: BASE, repo: { full_name: `${OWNER}/${REPO}` } },
    },
    repository: { full_name: `${OWNER}/${REPO}` },
    sender: { login: 'jane', id: 1, type: 'User' },
  };
}

/** The pull request's commits and reviews (what runCheck reads), and its comments; `extra` replaces any route. */
async function startApi(store: IssueCommentStore = { comments: [], nextId: 1001 }, extra: Record<string, RouteWithBody> = {}) {
  const server = await startGitHubServerWithBodies({
    [`GET /repos/${OWNER}/${REPO}/pulls/${PR}/commits`]: (request, fake) => paginated([apiCommit(1, { sha: HEAD, message: 'Tidy up\n\nCo-Authored-By: Claude <noreply@anthropic.com>' })], request, fake),
    [`GET /repos/${OWNER}/${REPO}/pulls/${PR}/reviews`]: (request, fake) => paginated([], request, fake),
    ...issueCommentRoutes(store, OWNER, REPO, PR),
    ...extra,
  });
  servers.push(server);
  return { server, store };
}

const commentWrites = (server: FakeGitHubWithBodies) => server.requests.filter((request) => request.method !== 'GET');
const bodyOf = (request: { body: string }): string => (JSON.parse(request.body) as { body: string }).body;
const inputs = (extra: Record<string, string> = {}) => ({ 'github-token': TOKEN, comment: 'true', provenance: 'auto', 'working-directory': '.', ...extra });
const errorCommands = (run: ActionRun) => run.lines.filter((line) => line.startsWith('::error'));

describe('the bundled Action, as the runner runs it', () => {
  it('blocks the environment-recreation plan: exit 1, every output, the summary, annotations, one comment', async () => {
    const { server, store } = await startApi();
    const run = await runAction({ inputs: inputs({ plan: example('environment-recreation') }), api: server });

    expect(run.status).toBe(1);
    expect(run.outputs).toEqual({ verdict: 'block', digest: expect.stringMatching(/^sha256:[0-9a-f]{64}$/), blocking: '7', warnings: '3', report: expect.stringMatching(/tfguard-report-tfguard\.json$/) });
    const report = JSON.parse(readFileSync(run.outputs.report!, 'utf8'));
    expect(report.verdict).toBe('block');
    expect(report.plan.digest).toBe(run.outputs.digest);
    expect(report.provenance.ai).toBe(true);

    expect(run.summary).toContain(run.outputs.digest);
    expect(run.summary).toContain('whole-environment');
    expect(run.lines).toContainEqual(expect.stringMatching(/^::error title=tfguard%3A whole-environment::the plan: Destroys or replaces most of the environment/));
    // The commits carry an AI co-author: the stateful resources block too (one senior), the rest warns.
    expect(run.lines).toContainEqual(expect.stringMatching(/^::error title=tfguard%3A stateful-destroy::aws_db_instance\.main: Destroys a resource that holds data or durable identity \(needs 1 senior approval\) \[soft-mandatory\]$/));
    expect(run.lines).toContainEqual(expect.stringMatching(/^::warning title=tfguard%3A destructive::aws_iam_role\.app: /));
    // setFailed once, last: the blocked line.
    expect(errorCommands(run)).toHaveLength(8);
    expect(errorCommands(run).at(-1)).toMatch(/^::error::tfguard: blocked: 7 blocking findings without approval; 2 more senior approvals of change set sha256:[0-9a-f]{64} needed \(see the job summary\)$/);
    expect(run.stdout).toContain(`::add-mask::${TOKEN}`);

    expect(commentWrites(server).map((request) => `${request.method} ${request.path}`)).toEqual([`POST /repos/${OWNER}/${REPO}/issues/${PR}/comments`]);
    expect(store.comments).toHaveLength(1);
    expect(store.comments[0]!.body.startsWith(MARKER)).toBe(true);
    expect(store.comments[0]!.body).toContain(run.outputs.digest);
    expect(server.requests.every((request) => request.headers.authorization === `token ${TOKEN}`)).toBe(true);
  });

  it('the second run updates the one comment in place (PATCH), never a second POST', async () => {
    const { server, store } = await startApi();
    await runAction({ inputs: inputs({ plan: example('environment-recreation') }), api: server });
    const first = store.comments[0]!.body;
    const second = await runAction({ inputs: inputs({ plan: example('safe-change') }), api: server });

    expect(second.status).toBe(0);
    expect(second.outputs.verdict).toBe('warn');
    expect(commentWrites(server).map((request) => request.method)).toEqual(['POST', 'PATCH']);
    expect(commentWrites(server)[1]!.path).toBe(`/repos/${OWNER}/${REPO}/issues/comments/${store.comments[0]!.id}`);
    expect(store.comments).toHaveLength(1);
    expect(store.comments[0]!.body).not.toBe(first);
    expect(store.comments[0]!.body).toContain(second.outputs.digest);
  });

  it('finds its comment on a later page, and leaves alone a person\'s comment that carries the marker', async () => {
    const store: IssueCommentStore = { comments: [], nextId: 1 };
    const person = { login: 'mallory', id: 666, type: 'User' };
    apiIssueComment(store, OWNER, REPO, PR, `${MARKER}\n## tfguard: allow\nNothing to see.`, person);
    for (let index = 0; index < 150; index += 1) apiIssueComment(store, OWNER, REPO, PR, `comment ${index}`, { login: `reviewer${index}`, id: index + 10, type: 'User' });
    const ours = apiIssueComment(store, OWNER, REPO, PR, `${MARKER}\nan earlier report`, ACTIONS_BOT);
    const { server } = await startApi(store);
    const run = await runAction({ inputs: inputs({ plan: example('safe-change') }), api: server });

    expect(run.status).toBe(0);
    const pages = server.requests.filter((request) => request.method === 'GET' && request.path.endsWith(`/issues/${PR}/comments`));
    expect(pages.map((request) => request.query.get('page') ?? '1')).toEqual(['1', '2']);
    expect(commentWrites(server).map((request) => `${request.method} ${request.path}`)).toEqual([`PATCH /repos/${OWNER}/${REPO}/issues/comments/${ours.id}`]);
    expect(store.comments[0]!.body).toContain('Nothing to see.');
    expect(ours.body).not.toContain('an earlier report');
  });

  it('allows the safe change: exit 0, no failure, outputs set', async () => {
    const { server } = await startApi();
    const run = await runAction({ inputs: inputs({ plan: example('safe-change') }), api: server });

    expect(run.status).toBe(0);
    expect(run.outputs).toMatchObject({ verdict: 'warn', blocking: '0', warnings: '1' });
    expect(errorCommands(run)).toEqual([]);
    expect(run.lines).toContainEqual(expect.stringMatching(/^::warning title=tfguard%3A destructive::aws_security_group_rule\.https: /));
    expect(run.lines).toContain('tfguard: allowed with warnings');
  });

  it('keeps the comment within 65,536 characters on a plan with thousands of findings, blocking ones first', async () => {
    const document = JSON.parse(readFileSync(plan('destroy-mode'), 'utf8'));
    const entry = document.resource_changes.find((item: { change: { actions: string[] } }) => item.change.actions.includes('delete'));
    const name = (index: number) => `a_rather_long_resource_name_so_that_the_report_grows_quickly_${index}`;
    document.resource_changes = Array.from({ length: 3000 }, (_, index) => ({ ...entry, address: `${entry.type}.${name(index)}`, name: name(index) }));
    document.prior_state.values.root_module = { resources: document.resource_changes.map(({ address }: { address: string }) => ({ address, mode: 'managed' })) };
    delete document.planned_values;
    const planFile = join(scratch, 'many-findings.json');
    writeFileSync(planFile, JSON.stringify(document));
    const { server, store } = await startApi();
    const run = await runAction({ inputs: inputs({ plan: planFile }), api: server });

    expect(run.status).toBe(1);
    expect(run.outputs).toMatchObject({ verdict: 'block', blocking: '1', warnings: '3000' });
    expect(run.summary.length).toBeGreaterThan(COMMENT_BODY_LIMIT);
    const body = store.comments[0]!.body;
    expect(body.length).toBeLessThanOrEqual(COMMENT_BODY_LIMIT);
    expect(Buffer.byteLength(body)).toBeLessThanOrEqual(COMMENT_BODY_LIMIT);
    expect(body.startsWith(MARKER)).toBe(true);
    expect(body).toContain('whole-environment');
    expect(body.indexOf('whole-environment')).toBeLessThan(body.indexOf('a_rather_long_resource_name'));
    // Said where the full report is (Markdown escapes aside).
    expect(body.replace(/\\(.)/g, '$1')).toContain(RUN_URL);
    // The runner shows only so many annotations: the rest are counted, not printed one by one.
    expect(run.lines.filter((line) => line.startsWith('::warning title=tfguard%3A destructive::')).length).toBeLessThanOrEqual(50);
    expect(run.lines).toContainEqual(expect.stringMatching(/^::warning title=tfguard::and 2950 more warnings: see the job summary$/));
  });

  it('a hostile address never issues a workflow command in the log, nor reaches the summary or comment as HTML', async () => {
    const hostile = '##[warning]pwned ::error::x %0A\n::add-mask::secret\r\n  ::set-output name=verdict::allow <script>alert(1)</script>';
    const text = readFileSync(plan('for-each-shrink'), 'utf8').replaceAll('with space', JSON.stringify(hostile).slice(1, -1));
    const planFile = join(scratch, 'hostile.json');
    writeFileSync(planFile, text);
    const { server, store } = await startApi();
    const run = await runAction({ inputs: inputs({ plan: planFile }), api: server });

    expect(run.status).toBe(0);
    const address = `terraform_data.bucket["${hostile}"]`;
    expect(JSON.parse(readFileSync(run.outputs.report!, 'utf8')).changes.map((change: { address: string }) => change.address)).toContain(address);
    // The runner honours `##[` anywhere in a line and `::` at the start of one (after leading whitespace).
    expect(run.stdout).not.toContain('##[');
    const commands = run.lines.filter((line) => line.trimStart().startsWith('::'));
    for (const line of commands) expect(line).toMatch(/^::(group|endgroup|error|warning|add-mask)( [^:]*)?::/);
    expect(commands.filter((line) => line.startsWith('::add-mask::'))).toEqual([`::add-mask::${TOKEN}`]);
    expect(commands.filter((line) => /set-output|stop-commands|::x\b/.test(line.slice(0, 20)))).toEqual([]);
    // In the annotation the literal %0A is sent as %250A, so the runner never decodes it into a line break.
    const annotation = run.lines.find((line) => line.startsWith('::warning') && line.includes('pwned'))!;
    expect(annotation).toContain('%250A');
    expect(annotation).not.toMatch(/%0A(?!\w)/);
    // As GitHub renders them: the hostile text shows as text, never as an element.
    for (const markdown of [run.summary, store.comments[0]!.body]) {
      const html = marked.parse(markdown, { async: false, gfm: true });
      expect(html).toContain('pwned');
      expect(html).toContain('&lt;script&gt;');
      expect(html).not.toMatch(/<script|<\/script/i);
    }
  });

  it('a comment the API refuses fails the step with one clear line, after the outputs and the summary', async () => {
    const { server } = await startApi(undefined, {
      [`POST /repos/${OWNER}/${REPO}/issues/${PR}/comments`]: () => ({ status: 403, body: { message: 'Resource not accessible by integration', documentation_url: 'https://docs.github.com/rest' } }),
    });
    const run = await runAction({ inputs: inputs({ plan: example('safe-change') }), api: server });

    expect(run.status).toBe(2);
    expect(run.outputs).toMatchObject({ verdict: 'warn', blocking: '0', warnings: '1' });
    expect(run.outputs.digest).toMatch(/^sha256:/);
    expect(run.summary.length).toBeGreaterThan(100);
    expect(errorCommands(run)).toEqual([
      `::error::tfguard: error: GitHub API POST /repos/${OWNER}/${REPO}/issues/${PR}/comments: GitHub refused to write the comment (403: Resource not accessible by integration). give the token write access (permissions: pull-requests: write); on pull requests from forks the token is read-only, so set comment: false there`,
    ]);
  });

  it('an API that fails while listing comments fails the step the same way', async () => {
    const { server } = await startApi(undefined, {
      [`GET /repos/${OWNER}/${REPO}/issues/${PR}/comments`]: () => ({ status: 500, body: { message: 'Server Error' } }),
    });
    const run = await runAction({ inputs: inputs({ plan: example('safe-change') }), api: server });
    expect(run.status).toBe(2);
    expect(run.outputs.verdict).toBe('warn');
    expect(errorCommands(run)).toHaveLength(1);
    expect(errorCommands(run)[0]).toMatch(/^::error::tfguard: error: GitHub API GET \/repos\/o\/r\/issues\/7\/comments: the GitHub API failed \(500: Server Error\)/);
  });

  it('a malformed plan: verdict error with every output set, one error line, and the comment says so', async () => {
    const planFile = join(scratch, 'truncated.json');
    writeFileSync(planFile, '{"format_version":"1.2","resource_changes":[{"address":');
    const { server, store } = await startApi();
    const run = await runAction({ inputs: inputs({ plan: planFile }), api: server });

    expect(run.status).toBe(2);
    expect(run.outputs).toEqual({ verdict: 'error', digest: '', blocking: '', warnings: '', report: '' });
    expect(errorCommands(run)).toHaveLength(1);
    expect(errorCommands(run)[0]).toMatch(/^::error::tfguard: error: .*truncated\.json.*(line \d+|byte \d+)/);
    expect(run.summary).toContain('tfguard: error');
    expect(run.summary).toContain('truncated.json');
    expect(store.comments).toHaveLength(1);
    expect(store.comments[0]!.body.startsWith(MARKER)).toBe(true);
    expect(store.comments[0]!.body).toContain('tfguard: error');
  });

  it('bad inputs: verdict error, one line per bad input', async () => {
    const run = await runAction({ inputs: { plan: example('safe-change'), provenance: 'robot', comment: 'yes' }, event: 'push' });

    expect(run.status).toBe(2);
    expect(run.outputs.verdict).toBe('error');
    expect(errorCommands(run)).toEqual([
      '::error::tfguard: error: input provenance: is "robot". Give one of auto, ai, human',
      '::error::tfguard: error: input comment: is "yes", not a YAML 1.2 boolean. Give true or false',
    ]);
  });

  it('a missing plan input is one line naming the input', async () => {
    const run = await runAction({ inputs: {}, event: 'push' });
    expect(run.status).toBe(2);
    expect(run.outputs.verdict).toBe('error');
    expect(errorCommands(run)).toEqual([expect.stringMatching(/^::error::tfguard: error: input plan: is required\. /)]);
  });

  it('no comment outside pull requests, nor with comment: false', async () => {
    const { server } = await startApi();
    const push = await runAction({ inputs: inputs({ plan: example('safe-change') }), event: 'push', api: server });
    const off = await runAction({ inputs: inputs({ plan: example('safe-change'), comment: 'false' }), api: server });
    expect([push.status, off.status]).toEqual([0, 0]);
    expect(server.requests.filter((request) => request.path.includes('/comments'))).toEqual([]);
  });

  it.skipIf(!('sarif' in RENDERERS))('writes the SARIF file asked for, relative to working-directory', async () => {
    const { server } = await startApi();
    const run = await runAction({ inputs: inputs({ plan: example('environment-recreation'), 'sarif-file': 'tfguard.sarif' }), api: server });
    expect(run.status).toBe(1);
    const sarif = JSON.parse(readFileSync(join(scratch, `run-${runs}`, 'workspace', 'tfguard.sarif'), 'utf8'));
    expect(sarif.version).toBe('2.1.0');
  });
});

describe('action-dist/ alone', () => {
  // The runner has nothing but the repository at the Action's ref: no node_modules, no src/.
  const alone = () => {
    const folder = mkdtempSync(join(tmpdir(), 'tfguard-action-alone-'));
    cpSync(BUNDLE_DIR, join(folder, 'action-dist'), { recursive: true });
    return folder;
  };

  it('parses an HCL policy with the WebAssembly beside the bundle', async () => {
    const folder = alone();
    try {
      const workspace = join(folder, 'workspace');
      cpSync(join(ROOT, 'examples', 'safe-change'), workspace, { recursive: true });
      writeFileSync(
        join(workspace, 'org.hcl'),
        ['rule "no-replace" {', '  match {', '    kinds = ["replace"]', '  }', '  enforcement = "hard-mandatory"', '  message     = "Nothing is replaced here"', '}', ''].join('\n'),
      );
      const run = await runAction({ inputs: { plan: 'plan.json', policy: 'org.hcl', provenance: 'human', comment: 'false' }, event: 'push', bundle: join(folder, 'action-dist', 'index.js'), cwd: workspace });
      expect(run.stderr).toBe('');
      expect(run.status).toBe(1);
      expect(run.outputs.verdict).toBe('block');
      expect(run.lines).toContainEqual('::error title=tfguard%3A no-replace::aws_security_group_rule.https: Nothing is replaced here (no approval can clear it) [hard-mandatory]');

      writeFileSync(join(workspace, 'broken.hcl'), 'rule "x" {\n  enforcement = \n');
      const broken = await runAction({ inputs: { plan: 'plan.json', policy: 'broken.hcl', comment: 'false' }, event: 'push', bundle: join(folder, 'action-dist', 'index.js'), cwd: workspace });
      expect(broken.status).toBe(2);
      expect(broken.outputs.verdict).toBe('error');
      expect(errorCommands(broken)).toEqual([expect.stringMatching(/^::error::tfguard: error: broken\.hcl:\d+/)]);
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });
});

describe('logSafe, which every line the Action prints goes through', () => {
  it('breaks `::` at the start of a line (after any whitespace) and `##[` anywhere, on every line break the runner sees', () => {
    const lines = logSafe('a\n::error::x\r\n  ::add-mask::y\rz ##[warning]w ###[x]\n\u00a0::set-output name=v::1');
    expect(lines).toHaveLength(5);
    expect(lines[1]).toBe(`${COMMAND_GUARD}::error::x`);
    expect(lines[2]).toBe(`${COMMAND_GUARD}  ::add-mask::y`);
    for (const line of lines) {
      expect(line.trimStart().startsWith('::')).toBe(false);
      expect(line).not.toContain('##[');
    }
  });

  it('shows controls, line separators and bidi overrides as visible escapes', () => {
    expect(logSafe('a\u2028::error::x\u202e\u001b[2J')).toEqual(['a\\u2028::error::x\\u202e\\u001b[2J']);
  });

  it('leaves ordinary text as it is', () => {
    expect(logSafe('tfguard: allowed, change set sha256:ab (2 :: 3)')).toEqual(['tfguard: allowed, change set sha256:ab (2 :: 3)']);
  });
});

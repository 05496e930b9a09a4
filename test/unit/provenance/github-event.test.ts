import { afterAll, describe, expect, it } from 'vitest';
import { readPullRequestEvent } from '../../../src/provenance/github-event.js';
import { TfguardError } from '../../../src/shared/errors.js';
import { pullRequestEvent, writeEvent } from './events.js';
import { removeDir, tempDir } from './repo.js';

const dir = tempDir('event');
afterAll(() => removeDir(dir));

function thrown(run: () => unknown): TfguardError {
  try {
    run();
  } catch (error) {
    if (error instanceof TfguardError) return error;
    throw error;
  }
  throw new Error('expected a TfguardError');
}

describe('readPullRequestEvent', () => {
  it('reads the pull request of a pull_request event', () => {
    const path = writeEvent(
      dir,
      pullRequestEvent({
        author: { login: 'Copilot', type: 'Bot' },
        assignees: [
          { login: 'Copilot', type: 'Bot' },
          { login: 'ann-lee', type: 'User' },
        ],
        labels: ['infra', 'ai-generated'],
        headRef: 'copilot/fix-7',
        body: 'Fixes #6\n\nCo-authored-by: ann-lee <1+ann-lee@users.noreply.github.com>',
      }),
    );
    expect(readPullRequestEvent({ GITHUB_EVENT_NAME: 'pull_request', GITHUB_EVENT_PATH: path })).toEqual({
      number: 7,
      author: { login: 'Copilot', type: 'Bot' },
      assignees: [
        { login: 'Copilot', type: 'Bot' },
        { login: 'ann-lee', type: 'User' },
      ],
      labels: ['infra', 'ai-generated'],
      headRef: 'copilot/fix-7',
      headSha: 'c'.repeat(40),
      baseRef: 'main',
      baseSha: 'd'.repeat(40),
      body: 'Fixes #6\n\nCo-authored-by: ann-lee <1+ann-lee@users.noreply.github.com>',
      repository: 'acme/infra',
    });
  });

  it('reads pull_request_target events too, and a null body as empty', () => {
    const path = writeEvent(dir, pullRequestEvent({ body: null }), 'target.json');
    expect(readPullRequestEvent({ GITHUB_EVENT_NAME: 'pull_request_target', GITHUB_EVENT_PATH: path })?.body).toBe('');
  });

  it('ignores other events and runs outside GitHub Actions', () => {
    expect(readPullRequestEvent({})).toBeUndefined();
    expect(readPullRequestEvent({ GITHUB_EVENT_NAME: 'push', GITHUB_EVENT_PATH: '/nonexistent' })).toBeUndefined();
  });

  it('a malformed event file is a TfguardError, never a silent fall-back', () => {
    const path = writeEvent(dir, '{"pull_request": {', 'broken.json');
    const error = thrown(() => readPullRequestEvent({ GITHUB_EVENT_NAME: 'pull_request', GITHUB_EVENT_PATH: path }));
    expect(error.where).toBe(path);
    expect(error.message).toMatch(/^the GitHub event file is not valid JSON/u);
  });

  it('an event of the wrong shape is a TfguardError naming what is missing', () => {
    const cases: [unknown, string][] = [
      [{ action: 'opened' }, 'no pull_request object'],
      [{ ...pullRequestEvent(), pull_request: { ...(pullRequestEvent() as { pull_request: object }).pull_request, user: null } }, 'pull_request.user.login is missing'],
      [{ ...pullRequestEvent(), pull_request: { ...(pullRequestEvent() as { pull_request: object }).pull_request, labels: 'x' } }, 'pull_request.labels is not a list of labels'],
      [{ ...pullRequestEvent(), pull_request: { ...(pullRequestEvent() as { pull_request: object }).pull_request, head: {} } }, 'pull_request.head.ref or .sha is missing'],
      [{ ...pullRequestEvent(), repository: undefined, pull_request: { ...(pullRequestEvent() as { pull_request: { base: object } }).pull_request, base: { ref: 'main', sha: 'd'.repeat(40) } } }, 'repository.full_name is missing'],
      [[], 'no pull_request object'],
    ];
    cases.forEach(([payload, what], index) => {
      const path = writeEvent(dir, payload, `shape-${index}.json`);
      expect(thrown(() => readPullRequestEvent({ GITHUB_EVENT_NAME: 'pull_request', GITHUB_EVENT_PATH: path })).message).toBe(
        `the GitHub event is not a pull-request event: ${what}`,
      );
    });
  });

  it('an unreadable or missing event file is a TfguardError', () => {
    expect(thrown(() => readPullRequestEvent({ GITHUB_EVENT_NAME: 'pull_request', GITHUB_EVENT_PATH: `${dir}/missing.json` })).message).toBe(
      'cannot read the GitHub event file (ENOENT)',
    );
    expect(thrown(() => readPullRequestEvent({ GITHUB_EVENT_NAME: 'pull_request' })).where).toBe('GITHUB_EVENT_PATH');
    expect(thrown(() => readPullRequestEvent({ GITHUB_EVENT_NAME: 'pull_request', GITHUB_EVENT_PATH: dir })).message).toBe('cannot read the GitHub event file (EISDIR)');
  });
});

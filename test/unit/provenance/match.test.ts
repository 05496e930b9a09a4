import { describe, expect, it } from 'vitest';
import { findAuthors, matchFacts, noreplyLogin, parseIdentity, parseTrailers } from '../../../src/provenance/match.js';
import { compileSignals, shippedSignals } from '../../../src/provenance/signals.js';
import { commit, facts, HUMAN, NEGATIVES, pullRequest, SAMPLES } from './samples.js';

const signals = compileSignals();

describe('parseTrailers reads trailers the way git interpret-trailers does', () => {
  it('reads the final paragraph of Key: value lines, with 1-based lines', () => {
    const message = 'Subject\n\nBody text.\n\nCo-authored-by: Jane Doe <jane@example.com>\nSigned-off-by: Jane Doe <jane@example.com>\n';
    expect(parseTrailers(message)).toEqual([
      { key: 'Co-authored-by', value: 'Jane Doe <jane@example.com>', line: 5, text: 'Co-authored-by: Jane Doe <jane@example.com>' },
      { key: 'Signed-off-by', value: 'Jane Doe <jane@example.com>', line: 6, text: 'Signed-off-by: Jane Doe <jane@example.com>' },
    ]);
  });

  it('joins continuation lines', () => {
    const [trailer] = parseTrailers('Subject\n\nAssisted-by: Claude:claude-3-opus\n  coccinelle sparse\n');
    expect(trailer).toMatchObject({ key: 'Assisted-by', value: 'Claude:claude-3-opus coccinelle sparse', line: 3 });
  });

  it('ignores the subject paragraph, even when it looks like a trailer', () => {
    expect(parseTrailers('Co-authored-by: A <a@example.com>\n')).toEqual([]);
    expect(parseTrailers('Co-authored-by: A <a@example.com>\nSigned-off-by: B <b@example.com>\n')).toEqual([]);
  });

  it('ignores a final paragraph that is prose with a trailer-looking line in it', () => {
    expect(parseTrailers('Subject\n\nSome words\nCo-authored-by: A <a@example.com>\nmore words\n')).toEqual([]);
  });

  it('accepts a mixed paragraph holding a git-generated line and at least 25% trailers', () => {
    const trailers = parseTrailers('Subject\n\nCo-authored-by: A <a@example.com>\nsee the notes above\nSigned-off-by: B <b@example.com>\n');
    expect(trailers.map((trailer) => trailer.key)).toEqual(['Co-authored-by', 'Signed-off-by']);
  });

  it('ignores trailing blank lines and CRLF line ends', () => {
    expect(parseTrailers('Subject\r\n\r\nAssisted-by: x\r\n\r\n\r\n')).toMatchObject([{ key: 'Assisted-by', value: 'x', line: 3 }]);
  });

  it('reads the trailers GitHub collects at the end of a squash merge', () => {
    const squash = [
      'Add the bucket (#12)',
      '',
      '* first try',
      '',
      'Co-Authored-By: Claude <noreply@anthropic.com>',
      '',
      '* fix the policy',
      '',
      '---------',
      '',
      'Co-authored-by: Claude <noreply@anthropic.com>',
      'Co-authored-by: John Roe <john@example.com>',
    ].join('\n');
    expect(parseTrailers(squash).map((trailer) => trailer.line)).toEqual([11, 12]);
  });
});

describe('helpers', () => {
  it('noreplyLogin reads the login of a GitHub noreply address', () => {
    expect(noreplyLogin('209825114+claude[bot]@users.noreply.github.com')).toBe('claude[bot]');
    expect(noreplyLogin('Copilot@users.noreply.github.com')).toBe('Copilot');
    expect(noreplyLogin('jane@example.com')).toBeUndefined();
  });

  it('parseIdentity splits Name <email>', () => {
    expect(parseIdentity(' Jane Doe <jane@example.com> ')).toEqual({ name: 'Jane Doe', email: 'jane@example.com' });
    expect(parseIdentity('GitHub Copilot')).toBeUndefined();
  });
});

describe('every shipped signal recognises the spellings its sources show', () => {
  it.each(SAMPLES.map((sample) => [sample.signal, sample.what, sample] as const))('%s: %s', (signal, _what, sample) => {
    const ids = matchFacts(sample.facts, signals).map((item) => item.signal);
    expect(ids).toContain(signal);
  });

  it('has a sample for every signal in policies/ai-signals.json', () => {
    const sampled = new Set(SAMPLES.map((sample) => sample.signal));
    expect(shippedSignals().map((signal) => signal.id).filter((id) => !sampled.has(id))).toEqual([]);
  });
});

describe('precision: what is not evidence', () => {
  it.each(NEGATIVES.map((negative) => [negative.what, negative] as const))('%s', (_what, negative) => {
    expect(matchFacts(negative.facts, signals)).toEqual([]);
  });
});

describe('where evidence points', () => {
  it('names the commit and the line of a trailer or marker', () => {
    const sha = '1'.repeat(40);
    const evidence = matchFacts(
      facts({ commits: [commit('Add the bucket\n\n🤖 Generated with [Claude Code](https://claude.com/claude-code)\n\nCo-Authored-By: Claude <noreply@anthropic.com>\n', HUMAN, HUMAN, sha)] }),
      signals,
    );
    expect(evidence).toEqual([
      { signal: 'claude-code.co-author', tool: 'Claude Code', kind: 'trailer', where: { type: 'commit', sha, field: 'message', line: 5 }, text: 'Co-Authored-By: Claude <noreply@anthropic.com>' },
      {
        signal: 'claude-code.generated-with',
        tool: 'Claude Code',
        kind: 'message-marker',
        where: { type: 'commit', sha, field: 'message', line: 3 },
        text: '🤖 Generated with [Claude Code](https://claude.com/claude-code)',
      },
    ]);
  });

  it('names the identity field, the PR author, a label, the branch, a body line and a variable', () => {
    const user = { trailers: [], authors: [], labels: ['ai-*'], branchPrefixes: [], messages: [] };
    const evidence = matchFacts(
      facts({
        commits: [commit('Add the bucket\n', { name: 'Cursor Agent', email: 'cursoragent@cursor.com' }, HUMAN, '2'.repeat(40))],
        pullRequest: pullRequest({
          author: { login: 'Copilot', type: 'Bot' },
          labels: ['ai-generated', 'infra'],
          headRef: 'copilot/fix-7',
          body: 'Summary\n\nMade with [Cursor](https://cursor.com)',
        }),
        environment: { GEMINI_CLI: '1' },
      }),
      compileSignals(user),
    );
    expect(evidence.map((item) => [item.signal, item.where])).toEqual([
      ['cursor.agent-author', { type: 'commit', sha: '2'.repeat(40), field: 'author' }],
      ['copilot.account', { type: 'pr-author', login: 'Copilot' }],
      ['policy.labels[0]', { type: 'label', label: 'ai-generated' }],
      ['copilot.branch-prefix', { type: 'branch', branch: 'copilot/fix-7' }],
      ['cursor.pr-made-with', { type: 'pr-body', line: 3 }],
      ['gemini-cli.environment', { type: 'environment', name: 'GEMINI_CLI' }],
    ]);
  });

  it('reports each signal once per place', () => {
    const message = 'Add\n\nCo-Authored-By: Claude <noreply@anthropic.com>\n';
    const evidence = matchFacts(facts({ commits: [commit(message, HUMAN, HUMAN, '3'.repeat(40)), commit(message, HUMAN, HUMAN, '4'.repeat(40))] }), signals);
    expect(evidence).toHaveLength(2);
  });
});

describe('policy ai_signatures', () => {
  const user = {
    trailers: ['Co-authored-by: *[bot]*'],
    authors: ['*agent*@example.com'],
    labels: ['ai-generated'],
    branchPrefixes: ['agent/'],
    messages: ['Generated by AcmeBot*'],
  };
  const compiled = compileSignals(user);

  it('match as text globs where * crosses dots and slashes and brackets are literal', () => {
    const evidence = matchFacts(
      facts({
        commits: [
          commit('Add\n\nGenerated by AcmeBot v2\n\nCo-authored-by: acme-coder[bot] <1+acme-coder[bot]@users.noreply.github.com>\n', {
            name: 'Build Agent',
            email: 'build-agent@example.com',
          }),
        ],
        pullRequest: pullRequest({ labels: ['AI-Generated'], headRef: 'agent/task-9' }),
      }),
      compiled,
    );
    expect(evidence.map((item) => item.signal).sort()).toEqual(
      ['policy.authors[0]', 'policy.authors[0]', 'policy.branch_prefixes[0]', 'policy.labels[0]', 'policy.messages[0]', 'policy.trailers[0]'].sort(),
    );
    expect(evidence.every((item) => item.tool === 'policy ai_signatures')).toBe(true);
  });

  it('do not match what they do not name', () => {
    const evidence = matchFacts(
      facts({
        commits: [commit('Add\n\nCo-authored-by: Jane Doe <jane@example.com>\n', { name: 'Agent Smith', email: 'smith@example.org' })],
        pullRequest: pullRequest({ labels: ['generated'], headRef: 'feature/agent/x' }),
      }),
      compiled,
    );
    expect(evidence).toEqual([]);
  });

  it('supports ? and {a,b}', () => {
    const glob = compileSignals({ trailers: [], authors: [], labels: ['{ai,llm}-made', 'gen?'], branchPrefixes: [], messages: [] });
    const evidence = matchFacts(facts({ pullRequest: pullRequest({ labels: ['llm-made', 'gen1', 'gen12', 'ai-made-not'] }) }), glob);
    expect(evidence.map((item) => item.text)).toEqual(['llm-made', 'gen1']);
  });
});

describe('findAuthors', () => {
  it('records human authors, committers and co-authors, never agents or bots', () => {
    const authors = findAuthors(
      facts({
        commits: [
          commit('Add\n\nCo-authored-by: John Roe <john@example.com>\nCo-Authored-By: Claude <noreply@anthropic.com>\n', HUMAN, { name: 'GitHub', email: 'noreply@github.com' }),
          commit('Plan\n', { name: 'Copilot', email: '198982749+Copilot@users.noreply.github.com' }, { name: 'Copilot', email: '198982749+Copilot@users.noreply.github.com' }),
          commit('Fix\n', { name: 'Cursor Agent', email: 'cursoragent@cursor.com' }, { name: 'Ann Lee', email: 'ann@example.com' }),
          commit('Bump\n', { name: 'dependabot[bot]', email: '49699333+dependabot[bot]@users.noreply.github.com' }),
          commit('Add\n\nCo-authored-by: factory-droid[bot] <138933559+factory-droid[bot]@users.noreply.github.com>\n'),
        ],
      }),
      signals,
    );
    expect(authors).toEqual([
      { name: 'Jane Doe', email: 'jane@example.com', roles: ['commit-author', 'committer'] },
      { name: 'John Roe', email: 'john@example.com', roles: ['co-author'] },
      { name: 'Ann Lee', email: 'ann@example.com', roles: ['committer'] },
    ]);
  });

  it("keeps the person behind aider's (aider) identity", () => {
    const authors = findAuthors(facts({ commits: [commit('aider: Add\n', { name: 'Jane Doe (aider)', email: 'jane@example.com' }, HUMAN)] }), signals);
    expect(authors).toEqual([{ name: 'Jane Doe (aider)', email: 'jane@example.com', roles: ['commit-author', 'committer'] }]);
  });

  it('records a human pull-request author, merged with the same login from API commits', () => {
    const authors = findAuthors(
      facts({
        commits: [commit('Add\n', { ...HUMAN, login: 'janedoe' })],
        pullRequest: pullRequest({ author: { login: 'JaneDoe', type: 'User' } }),
      }),
      signals,
    );
    expect(authors).toEqual([{ name: 'Jane Doe', email: 'jane@example.com', login: 'janedoe', roles: ['commit-author', 'committer', 'pr-author'] }]);
  });

  it('records the human who assigned a pull request to an agent, not the agent', () => {
    const authors = findAuthors(
      facts({
        pullRequest: pullRequest({
          author: { login: 'Copilot', type: 'Bot' },
          assignees: [
            { login: 'Copilot', type: 'Bot' },
            { login: 'ann-lee', type: 'User' },
          ],
        }),
      }),
      signals,
    );
    expect(authors).toEqual([{ login: 'ann-lee', roles: ['requester'] }]);
  });

  it('does not treat assignees of a human pull request as requesters', () => {
    const authors = findAuthors(facts({ pullRequest: pullRequest({ assignees: [{ login: 'reviewer', type: 'User' }] }) }), signals);
    expect(authors).toEqual([{ login: 'janedoe', roles: ['pr-author'] }]);
  });
});

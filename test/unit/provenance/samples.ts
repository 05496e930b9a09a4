import type { CommitFact, GitIdentity, ProvenanceFacts, PullRequestFact } from '../../../src/provenance/evidence.js';

/**
 * Spellings AI tools leave, as seen in the sources policies/ai-signals.json cites, each with the
 * signal that must recognise it. Every shipped signal has at least one sample (checked by a test).
 */

export const HUMAN: GitIdentity = { name: 'Jane Doe', email: 'jane@example.com' };

export function commit(message: string, author: GitIdentity = HUMAN, committer: GitIdentity = author, sha = 'a'.repeat(40)): CommitFact {
  return { sha, parents: ['b'.repeat(40)], author, committer, message };
}

export function pullRequest(overrides: Partial<PullRequestFact> = {}): PullRequestFact {
  return {
    number: 7,
    author: { login: 'janedoe', type: 'User' },
    assignees: [],
    labels: [],
    headRef: 'feature/storage',
    headSha: 'c'.repeat(40),
    baseRef: 'main',
    baseSha: 'd'.repeat(40),
    body: '',
    repository: 'acme/infra',
    ...overrides,
  };
}

export function facts(overrides: Partial<ProvenanceFacts> = {}): ProvenanceFacts {
  return { commits: [], environment: {}, ...overrides };
}

const withTrailer = (trailer: string) => `Add the storage bucket\n\nKeeps state in one place.\n\n${trailer}\n`;
const withLine = (line: string) => `Add the storage bucket\n\nKeeps state in one place.\n\n${line}\n`;

export interface Sample {
  signal: string;
  what: string;
  facts: ProvenanceFacts;
}

const inCommit = (signal: string, what: string, message: string, author?: GitIdentity, committer?: GitIdentity): Sample => ({
  signal,
  what,
  facts: facts({ commits: [commit(message, author, committer)] }),
});
const inPullRequest = (signal: string, what: string, overrides: Partial<PullRequestFact>): Sample => ({
  signal,
  what,
  facts: facts({ pullRequest: pullRequest(overrides) }),
});
const inEnvironment = (signal: string, name: string, value: string): Sample => ({
  signal,
  what: `${name}=${value}`,
  facts: facts({ environment: { [name]: value } }),
});

export const SAMPLES: Sample[] = [
  inCommit('claude-code.co-author', 'Claude Code trailer', withTrailer('Co-Authored-By: Claude <noreply@anthropic.com>')),
  inCommit('claude-code.co-author', 'model name in the trailer', withTrailer('Co-Authored-By: Claude Opus 4.7 <noreply@anthropic.com>')),
  inCommit('claude-code.co-author', 'model and context in the trailer', withTrailer('Co-authored-by: Claude Opus 4.8 (1M context) <noreply@anthropic.com>')),
  inCommit('claude-code.generated-with', 'new link', withLine('🤖 Generated with [Claude Code](https://claude.com/claude-code)')),
  inCommit('claude-code.generated-with', 'old link', withLine('Generated with [Claude Code](https://claude.ai/code)')),
  inPullRequest('claude-code.pr-generated-with', 'pull-request body', { body: '## Summary\n- adds a bucket\n\n🤖 Generated with [Claude Code](https://claude.com/claude-code)' }),
  inCommit('claude-code.session-trailer', 'session link', withTrailer('Claude-Session: https://claude.ai/code/session_01QYtFNnt2aXaRH2hrRvopyc')),
  inEnvironment('claude-code.environment', 'CLAUDECODE', '1'),
  inCommit('claude.github-app', 'GitHub App as co-author', withTrailer('Co-authored-by: claude[bot] <209825114+claude[bot]@users.noreply.github.com>')),
  inCommit('claude.github-app', 'GitHub App as author', 'Fix the bucket policy\n', { name: 'claude[bot]', email: '209825114+claude[bot]@users.noreply.github.com' }),
  inPullRequest('claude.branch-prefix', 'Claude branch', { headRef: 'claude/fix-bucket-policy-x3Fq' }),

  inCommit('copilot.account', 'coding agent as author', 'Initial plan\n', { name: 'Copilot', email: '198982749+Copilot@users.noreply.github.com' }, { name: 'GitHub', email: 'noreply@github.com' }),
  inCommit('copilot.account', 'Copilot CLI / VS Code trailer', withTrailer('Co-authored-by: Copilot <223556219+Copilot@users.noreply.github.com>')),
  inPullRequest('copilot.account', 'coding agent opened the pull request', { author: { login: 'Copilot', type: 'Bot' } }),
  inPullRequest('copilot.account', 'coding agent app login', { author: { login: 'copilot-swe-agent[bot]', type: 'Bot' } }),
  inCommit('copilot.vscode-co-author-legacy', 'old VS Code trailer', withTrailer('Co-authored-by: Copilot <copilot@github.com>')),
  inEnvironment('copilot.vscode-agent-environment', 'COPILOT_AGENT', '1'),
  inEnvironment('copilot.cli-environment', 'COPILOT_CLI', '1'),
  inPullRequest('copilot.branch-prefix', 'coding agent branch', { headRef: 'copilot/fix-42' }),

  inCommit('cursor.co-author', 'Cursor trailer', withTrailer('Co-authored-by: Cursor <cursoragent@cursor.com>')),
  inCommit('cursor.co-author', 'Cursor Agent trailer', withTrailer('Co-authored-by: Cursor Agent <cursoragent@cursor.com>')),
  inCommit('cursor.agent-author', 'cloud agent as author', 'Add the bucket\n', { name: 'Cursor Agent', email: 'cursoragent@cursor.com' }, HUMAN),
  inCommit('cursor.agent-committer', 'cloud agent as committer', 'Add the bucket\n', HUMAN, { name: 'Cursor Agent', email: 'cursoragent@cursor.com' }),
  inPullRequest('cursor.github-app', 'Cursor app', { author: { login: 'cursor[bot]', type: 'Bot' } }),
  inCommit('cursor.made-with', 'commit footer', withLine('Made with [Cursor](https://cursor.com)')),
  inPullRequest('cursor.pr-made-with', 'pull-request footer', { body: 'Summary\n\nMade with [Cursor](https://cursor.com)' }),
  inEnvironment('cursor.cli-environment', 'CURSOR_AGENT', '1'),
  inEnvironment('cursor.ide-agent-environment', 'CURSOR_EXTENSION_HOST_ROLE', 'agent-exec'),
  inPullRequest('cursor.branch-prefix', 'background agent branch', { headRef: 'cursor/kokiri-world-phase1-f65e' }),

  inCommit('codex.co-author', 'Codex trailer', withTrailer('Co-authored-by: Codex <noreply@openai.com>')),
  inCommit('codex.co-author', 'Codex with a model name', withTrailer('Co-Authored-By: GPT-5.6 Codex <noreply@openai.com>')),
  inCommit('codex.co-author', 'codex@openai.com', withTrailer('Co-authored-by: GPT 5.5 <codex@openai.com>')),
  inPullRequest('codex.github-app', 'Codex cloud connector', { author: { login: 'chatgpt-codex-connector[bot]', type: 'Bot' } }),
  inEnvironment('codex.sandbox-environment', 'CODEX_SANDBOX', 'seatbelt'),
  inEnvironment('codex.network-disabled-environment', 'CODEX_SANDBOX_NETWORK_DISABLED', '1'),
  inEnvironment('codex.thread-environment', 'CODEX_THREAD_ID', '0199a7c2-1f1e-7b52-8d0c-4a1f1f1f1f1f'),
  inPullRequest('codex.branch-prefix', 'Codex cloud branch', { headRef: 'codex/add-bucket' }),

  inCommit('devin.github-app', 'Devin trailer', withTrailer('Co-Authored-By: Devin <158243242+devin-ai-integration[bot]@users.noreply.github.com>')),
  inPullRequest('devin.github-app', 'Devin opened the pull request', { author: { login: 'devin-ai-integration[bot]', type: 'Bot' } }),
  inPullRequest('devin.branch-prefix', 'Devin branch', { headRef: 'devin/1730000000-add-bucket' }),

  inCommit('jules.github-app', 'Jules as author', 'Add the bucket\n', { name: 'google-labs-jules[bot]', email: '161369871+google-labs-jules[bot]@users.noreply.github.com' }),
  inCommit('jules.github-app', 'Jules as co-author', withTrailer('Co-Authored-By: google-labs-jules[bot] <161369871+google-labs-jules[bot]@users.noreply.github.com>')),

  inEnvironment('gemini-cli.environment', 'GEMINI_CLI', '1'),
  inPullRequest('gemini-code-assist.github-app', 'Gemini Code Assist', { author: { login: 'gemini-code-assist[bot]', type: 'Bot' } }),

  inCommit('aider.co-author', 'aider trailer (source)', withTrailer('Co-authored-by: aider (gpt-4o) <aider@aider.chat>')),
  inCommit('aider.co-author', 'aider trailer (noreply)', withTrailer('Co-authored-by: aider (anthropic/claude-sonnet-4) <noreply@aider.chat>')),
  inCommit('aider.author-name', 'aider author name', 'Add the bucket\n', { name: 'Jane Doe (aider)', email: 'jane@example.com' }, HUMAN),
  inCommit('aider.committer-name', 'aider committer name', 'Add the bucket\n', HUMAN, { name: 'Jane Doe (aider)', email: 'jane@example.com' }),
  inCommit('aider.subject-prefix', 'aider subject', 'aider: Add the storage bucket\n'),

  inCommit('openhands.author', 'OpenHands as author', 'Add the bucket\n', { name: 'openhands', email: 'openhands@all-hands.dev' }, HUMAN),
  inCommit('openhands.committer', 'OpenHands as committer', 'Add the bucket\n', HUMAN, { name: 'openhands', email: 'openhands@all-hands.dev' }),
  inCommit('openhands.co-author', 'OpenHands trailer', withTrailer('Co-authored-by: openhands <openhands@all-hands.dev>')),

  inCommit('amp.co-author', 'Amp trailer', withTrailer('Co-authored-by: Amp <amp@ampcode.com>')),
  inCommit('amp.thread-trailer', 'Amp thread', withTrailer('Amp-Thread-ID: https://ampcode.com/threads/T-019c58d6-7447-76d1-8e5b-c1c0e03cac36')),
  inEnvironment('amp.environment', 'AGENT', 'amp'),

  inPullRequest('amazon-q.github-app', 'Amazon Q Developer', { author: { login: 'amazon-q-developer[bot]', type: 'Bot' } }),
  inPullRequest('kiro.github-app', 'Kiro autonomous agent', { author: { login: 'kiro-agent[bot]', type: 'Bot' } }),
  inCommit('cline.github-app', 'Cline as co-author', withTrailer('Co-authored-by: cline[bot] <205137888+cline[bot]@users.noreply.github.com>')),
  inCommit('continue.github-app', 'Continue as author', 'Add the bucket\n', { name: 'continue[bot]', email: '230936708+continue[bot]@users.noreply.github.com' }),
  inCommit('factory.droid', 'Factory Droid trailer', withTrailer('Co-authored-by: factory-droid[bot] <138933559+factory-droid[bot]@users.noreply.github.com>')),
  inCommit('warp.co-author', 'Warp Oz trailer', withTrailer('Co-Authored-By: Oz <oz-agent@warp.dev>')),
  inCommit('opencode.co-author', 'OpenCode trailer', withTrailer('Co-Authored-By: opencode <noreply@opencode.ai>')),
  inCommit('opencode.generated-with', 'OpenCode footer', withLine('🤖 Generated with [opencode](https://opencode.ai)')),
  inEnvironment('opencode.environment', 'OPENCODE', '1'),
  inPullRequest('opencode.github-agent', 'OpenCode GitHub agent', { author: { login: 'opencode-agent[bot]', type: 'Bot' } }),
  inCommit('replit.agent-trailer', 'Replit Agent', withTrailer('Replit-Commit-Author: Agent\nReplit-Commit-Session-Id: 5e5ec4ea-3b62-4fbd-8ff5-a1174ccc19b4')),
  inPullRequest('sweep.github-app', 'Sweep', { author: { login: 'sweep-ai[bot]', type: 'Bot' } }),

  inCommit('standard.assisted-by', 'kernel form', withTrailer('Assisted-by: Claude:claude-3-opus coccinelle sparse\nSigned-off-by: Jane Doe <jane@example.com>')),
  inCommit('standard.assisted-by', 'Fedora form', withTrailer('Assisted-by: generic LLM chatbot')),
  inCommit('standard.generated-by', 'Apache form', withTrailer('Generated-by: Claude Opus 4.8')),
  inCommit('standard.co-authored-by-ai', 'Co-authored-by-AI', withTrailer('Co-authored-by-AI: IBM Bob 1.0.0 (Claude Sonnet 4.6)')),
  inEnvironment('standard.ai-agent-environment', 'AI_AGENT', 'some-new-agent'),
];

/** Must never be evidence. Each names why. */
export const NEGATIVES: { what: string; facts: ProvenanceFacts }[] = [
  { what: 'a human co-author', facts: facts({ commits: [commit(withTrailer('Co-authored-by: Jane Doe <jane@example.com>'))] }) },
  { what: 'a person named Claude', facts: facts({ commits: [commit(withTrailer('Co-authored-by: Claude Monet <claude@example.com>'))] }) },
  { what: 'a person named Devin', facts: facts({ commits: [commit(withTrailer('Co-authored-by: Devin Smith <devin@example.com>'))] }) },
  { what: 'a Claude at another address', facts: facts({ commits: [commit(withTrailer('Co-authored-by: Claude <claude@acme.fr>'))] }) },
  { what: 'a tool named in prose', facts: facts({ commits: [commit('Rename the bucket\n\nDone as Claude from the data team suggested.\n')] }) },
  { what: '"cursor" in a subject', facts: facts({ commits: [commit('fix cursor pagination\n')] }) },
  { what: 'Copilot in prose', facts: facts({ commits: [commit('Bump the provider\n\ntested with Copilot disabled\n')] }) },
  { what: 'a plain "Generated with Claude Code" sentence', facts: facts({ commits: [commit('Add docs\n\nThe outline was Generated with Claude Code help.\n')] }) },
  {
    what: 'a trailer-looking line in the middle of a paragraph',
    facts: facts({ commits: [commit('Add the bucket\n\nWe discussed the note\nCo-Authored-By: Claude <noreply@anthropic.com>\nand decided against it.\n')] }),
  },
  {
    what: 'trailers in a paragraph that is not the last',
    facts: facts({ commits: [commit('Add the bucket\n\nCo-Authored-By: Claude <noreply@anthropic.com>\n\nThat line above was pasted from another project.\n')] }),
  },
  { what: 'a trailer-shaped subject', facts: facts({ commits: [commit('Co-Authored-By: Claude <noreply@anthropic.com>\n')] }) },
  { what: 'aider: in the body, not the subject', facts: facts({ commits: [commit('Add the bucket\n\naider: was not used here\n')] }) },
  { what: 'a person named Aider', facts: facts({ commits: [commit('Add the bucket\n', { name: 'Aider Khan', email: 'aider@example.com' })] }) },
  { what: 'Replit deployment trailer', facts: facts({ commits: [commit(withTrailer('Replit-Commit-Author: Deployment'))] }) },
  { what: "GitHub's web committer", facts: facts({ commits: [commit('Merge pull request #7\n', HUMAN, { name: 'GitHub', email: 'noreply@github.com' })] }) },
  { what: 'a human noreply address', facts: facts({ commits: [commit(withTrailer('Co-authored-by: Jane <123+janedoe@users.noreply.github.com>'))] }) },
  { what: 'a branch that mentions copilot', facts: facts({ pullRequest: pullRequest({ headRef: 'feature/copilot-settings' }) }) },
  { what: 'a branch that mentions codex', facts: facts({ pullRequest: pullRequest({ headRef: 'fix/codex-parser' }) }) },
  { what: 'a bare agent prefix with no branch name', facts: facts({ pullRequest: pullRequest({ headRef: 'claude/' }) }) },
  { what: 'a human login like a tool', facts: facts({ pullRequest: pullRequest({ author: { login: 'claude', type: 'User' } }) }) },
  { what: 'a login containing copilot', facts: facts({ pullRequest: pullRequest({ author: { login: 'copilot-fan', type: 'User' } }) }) },
  { what: 'an ordinary bot', facts: facts({ pullRequest: pullRequest({ author: { login: 'dependabot[bot]', type: 'Bot' } }) }) },
  { what: 'a pull-request body naming a tool', facts: facts({ pullRequest: pullRequest({ body: 'Tested with Claude Code and Cursor disabled.' }) }) },
  { what: 'CLAUDECODE=0', facts: facts({ environment: { CLAUDECODE: '0' } }) },
  { what: 'AGENT=1 (OpenCode sets it, so it names no tool)', facts: facts({ environment: { AGENT: '1' } }) },
  { what: 'CURSOR_EXTENSION_HOST_ROLE of an ordinary terminal', facts: facts({ environment: { CURSOR_EXTENSION_HOST_ROLE: 'extension-host' } }) },
];

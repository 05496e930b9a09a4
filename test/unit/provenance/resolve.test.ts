import { describe, expect, it } from 'vitest';
import type { CollectedFacts } from '../../../src/provenance/evidence.js';
import { resolveProvenance, type ProvenanceSettings } from '../../../src/provenance/resolve.js';
import { compileSignals } from '../../../src/provenance/signals.js';
import { commit, facts, HUMAN } from './samples.js';

const signals = compileSignals();
const builtin: ProvenanceSettings = { unknown: 'ai', noEvidence: 'human' };
const strict: ProvenanceSettings = { unknown: 'ai', noEvidence: 'ai' };
const range = { base: 'b'.repeat(40), head: 'a'.repeat(40), commits: 1, source: 'git' as const };

const aiCommit = commit('Add\n\nCo-Authored-By: Claude <noreply@anthropic.com>\n');
const humanCommit = commit('Add the bucket\n');
const withEvidence: CollectedFacts = { facts: facts({ commits: [aiCommit], range }) };
const withoutEvidence: CollectedFacts = { facts: facts({ commits: [humanCommit], range }) };
const unreadable: CollectedFacts = { facts: facts(), unknown: '/tmp/x is not a git repository' };

describe('resolveProvenance', () => {
  it('evidence: AI, with the evidence, authors and range', () => {
    const resolved = resolveProvenance({ declared: undefined, collected: withEvidence, settings: builtin, signals });
    expect(resolved).toEqual({
      ai: true,
      basis: 'evidence',
      evidence: [{ signal: 'claude-code.co-author', tool: 'Claude Code', kind: 'trailer', where: { type: 'commit', sha: aiCommit.sha, field: 'message', line: 3 }, text: 'Co-Authored-By: Claude <noreply@anthropic.com>' }],
      authors: [{ name: HUMAN.name, email: HUMAN.email, roles: ['commit-author', 'committer'] }],
      range,
    });
  });

  it('no-evidence: the policy no_evidence decides (built-in human, strict ai)', () => {
    expect(resolveProvenance({ declared: undefined, collected: withoutEvidence, settings: builtin, signals })).toMatchObject({
      ai: false,
      basis: 'no-evidence',
      evidence: [],
      reason: 'no AI signal in 1 commit; the policy counts this as human',
    });
    expect(resolveProvenance({ declared: undefined, collected: withoutEvidence, settings: strict, signals })).toMatchObject({ ai: true, basis: 'no-evidence' });
  });

  it('unknown: the policy unknown decides, with the reason', () => {
    expect(resolveProvenance({ declared: undefined, collected: unreadable, settings: builtin, signals })).toEqual({
      ai: true,
      basis: 'unknown',
      evidence: [],
      authors: [],
      reason: '/tmp/x is not a git repository; the policy counts unknown provenance as ai',
    });
    expect(resolveProvenance({ declared: undefined, collected: unreadable, settings: { unknown: 'human', noEvidence: 'human' }, signals }).ai).toBe(false);
  });

  it('evidence read elsewhere (the event, the environment) still counts when the range is unknown', () => {
    const collected: CollectedFacts = { facts: facts({ environment: { GEMINI_CLI: '1' } }), unknown: 'the repository has no commits' };
    expect(resolveProvenance({ declared: undefined, collected, settings: { unknown: 'human', noEvidence: 'human' }, signals })).toMatchObject({ ai: true, basis: 'evidence' });
  });

  it('declared human wins over evidence, which is still reported', () => {
    const resolved = resolveProvenance({ declared: 'human', collected: withEvidence, settings: builtin, signals });
    expect(resolved).toMatchObject({ ai: false, basis: 'declared', reason: 'declared human' });
    expect(resolved.evidence).toHaveLength(1);
  });

  it('declared ai wins over no evidence, and keeps the unknown reason', () => {
    expect(resolveProvenance({ declared: 'ai', collected: unreadable, settings: builtin, signals })).toMatchObject({
      ai: true,
      basis: 'declared',
      reason: 'declared ai; /tmp/x is not a git repository',
    });
  });

  it('a truncated API listing without a signal is unknown, not no-evidence', () => {
    const collected: CollectedFacts = { facts: facts({ commits: [humanCommit], range: { ...range, source: 'github', commits: 250, truncated: true } }) };
    const resolved = resolveProvenance({ declared: undefined, collected, settings: builtin, signals });
    expect(resolved).toMatchObject({ ai: true, basis: 'unknown', range: { truncated: true } });
  });

  it('policy signatures add to the shipped signals', () => {
    const user = { trailers: [], authors: [], labels: [], branchPrefixes: [], messages: ['Add the bucket'] };
    expect(resolveProvenance({ declared: undefined, collected: withoutEvidence, settings: builtin, signals: compileSignals(user) })).toMatchObject({ ai: true, basis: 'evidence' });
  });
});

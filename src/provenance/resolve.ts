import type { Author, CollectedFacts, CommitRange, Evidence } from './evidence.js';
import { findAuthors, matchFacts } from './match.js';
import type { CompiledSignals } from './signals.js';

export type Declaration = 'ai' | 'human';

/** The policy's `provenance.unknown` and `provenance.no_evidence`. Built-in: unknown = ai, no_evidence = human. */
export interface ProvenanceSettings {
  unknown: Declaration;
  noEvidence: Declaration;
}

/**
 * declared: `--provenance ai|human` said so (evidence is still reported);
 * evidence: at least one AI signal was found;
 * no-evidence: the range was read and holds no AI signal, so the policy's `no_evidence` decides;
 * unknown: nothing conclusive could be read (no repository, empty range, missing base, truncated
 * API listing without a signal), so the policy's `unknown` decides.
 */
export type ProvenanceBasis = 'declared' | 'evidence' | 'no-evidence' | 'unknown';

export interface ResolvedProvenance {
  ai: boolean;
  basis: ProvenanceBasis;
  evidence: Evidence[];
  authors: Author[];
  range?: CommitRange;
  reason?: string;
}

export interface ResolveInput {
  /** undefined: auto, decide from the evidence. */
  declared: Declaration | undefined;
  collected: CollectedFacts;
  settings: ProvenanceSettings;
  signals: CompiledSignals;
}

export function resolveProvenance(input: ResolveInput): ResolvedProvenance {
  const { facts, unknown } = input.collected;
  const evidence = matchFacts(facts, input.signals);
  const authors = findAuthors(facts, input.signals);
  const base = { evidence, authors, ...(facts.range ? { range: facts.range } : {}) };

  if (input.declared !== undefined) {
    const reason = unknown === undefined ? `declared ${input.declared}` : `declared ${input.declared}; ${unknown}`;
    return { ai: input.declared === 'ai', basis: 'declared', ...base, reason };
  }
  if (evidence.length > 0) return { ai: true, basis: 'evidence', ...base };

  const unreadable = unknown ?? truncatedReason(facts.range);
  if (unreadable !== undefined) {
    return { ai: input.settings.unknown === 'ai', basis: 'unknown', ...base, reason: `${unreadable}; the policy counts unknown provenance as ${input.settings.unknown}` };
  }
  const commits = facts.range?.commits ?? facts.commits.length;
  return {
    ai: input.settings.noEvidence === 'ai',
    basis: 'no-evidence',
    ...base,
    reason: `no AI signal in ${commits} commit${commits === 1 ? '' : 's'}${facts.pullRequest ? ' or the pull request' : ''}; the policy counts this as ${input.settings.noEvidence}`,
  };
}

/** A listing cut at the API's limit is not the whole change: without a signal in it, nothing is known. */
function truncatedReason(range: CommitRange | undefined): string | undefined {
  if (range?.truncated !== true) return undefined;
  return `the GitHub API lists at most 250 commits of a pull request and this one has more, so the rest were not read (check out the full history with fetch-depth: 0 so git can read the range)`;
}

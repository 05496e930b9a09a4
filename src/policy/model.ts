import type { StatefulSettings } from '../catalogue/stateful-settings.js';
import type { Enforcement, MatchDocument, StateSurgery } from './document.js';

export type { Enforcement } from './document.js';


export const ENFORCEMENT_STRENGTH: Record<Enforcement, number> = { advisory: 0, 'soft-mandatory': 1, 'hard-mandatory': 2 };

export interface ApprovalRequirement {
  /** ai: only AI-generated changes need approval; always: every change does. */
  when: 'ai' | 'always';
  /** Distinct senior approvers needed. */
  count: number;
}

/** What a rule matches, as written in the policy (see policies/policy.schema.json). */
export type RuleMatch = MatchDocument;

export interface Rule {
  name: string;
  description?: string;
  enabled: boolean;
  match: RuleMatch;
  enforcement: Enforcement;
  approval?: ApprovalRequirement;
  message: string;
  /** The policy file that last defined this rule. */
  source: string;
  /** Later files may not loosen it. */
  locked: boolean;
}

export interface Approver {
  id: string;
  name?: string;
  github?: string;
  sshKeys: string[];
  /** Git identities (e-mail addresses), to match the change's authors to approvers offline. */
  emails: string[];
  source: string;
}

export interface ProvenanceSettings {
  /** What a change of unknown provenance counts as (nothing could be read). */
  unknown: 'ai' | 'human';
  /** What a change counts as when its history was read and holds no AI signal. */
  noEvidence: 'ai' | 'human';
  aiSignatures: { trailers: string[]; authors: string[]; labels: string[]; branchPrefixes: string[]; messages: string[] };
}

export interface Loosening {
  source: string;
  what: string;
}

export interface Policy {
  /** Where the policy came from, in layering order (`builtin:default` for the built-in one). */
  sources: string[];
  stateful: StatefulSettings;
  rules: Rule[];
  approvers: Approver[];
  provenance: ProvenanceSettings;
  /** What exec and the agent hooks let an AI-generated run do without a plan. */
  agents: { allowStateSurgery: StateSurgery[] };
  /** Every place a later file knowingly loosened an earlier one. */
  loosened: Loosening[];
}

export type RuleSubject = 'change' | 'downgrade' | 'plan';

export function ruleSubject(rule: Pick<Rule, 'match'>): RuleSubject {
  if (rule.match.whole_environment !== undefined) return 'plan';
  if (rule.match.protection_downgrade === true) return 'downgrade';
  return 'change';
}

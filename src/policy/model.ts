import type { DestructiveKind } from '../plan/actions.js';

export type Enforcement = 'advisory' | 'soft-mandatory' | 'hard-mandatory';

export interface ApprovalRequirement {
  /** ai: only AI-generated changes need approval; always: every change does. */
  when: 'ai' | 'always';
  /** Distinct senior approvers needed. */
  count: number;
}

/** What a rule matches. A rule matches changes, protection downgrades, or the plan as a whole. */
export interface RuleMatch {
  destructive?: boolean;
  kinds?: DestructiveKind[];
  stateful?: boolean;
  protection_downgrade?: boolean;
  whole_environment?: {
    /** At least this many existing managed resources destroyed or replaced … */
    min_count: number;
    /** … and at least this share (0-1] of all existing managed resources. */
    min_share: number;
    /** A `terraform plan -destroy` plan always matches. */
    destroy_mode: boolean;
  };
}

export interface Rule {
  name: string;
  description?: string;
  match: RuleMatch;
  enforcement: Enforcement;
  approval?: ApprovalRequirement;
  message: string;
}

export interface Policy {
  /** Where the policy came from, in layering order (`builtin:default` for the built-in one). */
  sources: string[];
  provenance: {
    /** What a change of unknown provenance counts as. */
    unknown: 'ai' | 'human';
  };
  rules: Rule[];
}

export type RuleSubject = 'change' | 'downgrade' | 'plan';

export function ruleSubject(rule: Rule): RuleSubject {
  if (rule.match.whole_environment !== undefined) return 'plan';
  if (rule.match.protection_downgrade === true) return 'downgrade';
  return 'change';
}

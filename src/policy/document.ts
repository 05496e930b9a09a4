import type { Category, Severity } from '../catalogue/catalogue.js';
import type { DestructiveKind } from '../plan/actions.js';

export type Enforcement = 'advisory' | 'soft-mandatory' | 'hard-mandatory';

/** The state commands that destroy or forget without a plan (policies/policy.schema.json `agents`). */
export type StateSurgery = 'state rm' | 'state mv' | 'state push' | 'state replace-provider' | 'workspace delete' | 'force-unlock' | 'import';

/** A policy file in the JSON model, after validation against policies/policy.schema.json. */
export interface PolicyDocument {
  version?: 1;
  description?: string;
  stateful?: {
    catalogue?: boolean;
    types?: string[];
    addresses?: string[];
    modules?: string[];
    tags?: Record<string, string>;
    exclude_types?: string[];
    exclude_addresses?: string[];
    severity?: Severity;
    loosen?: boolean;
  };
  rule?: Record<string, RuleDocument>;
  approver?: Record<string, ApproverDocument>;
  agents?: { allow_state_surgery?: StateSurgery[]; loosen?: boolean };
  provenance?: {
    unknown?: 'ai' | 'human';
    no_evidence?: 'ai' | 'human';
    ai_signatures?: { trailers?: string[]; authors?: string[]; labels?: string[]; branch_prefixes?: string[]; messages?: string[] };
    loosen?: boolean;
  };
}

export interface RuleDocument {
  description?: string;
  enabled?: boolean;
  match?: MatchDocument;
  enforcement: Enforcement;
  approval?: { when?: 'ai' | 'always'; count: number };
  message?: string;
  loosen?: boolean;
  lock?: boolean;
}

export interface MatchDocument {
  kinds?: DestructiveKind[];
  destructive?: true;
  stateful?: boolean;
  categories?: Category[];
  severities?: Severity[];
  types?: string[];
  addresses?: string[];
  modules?: string[];
  protection_downgrade?: true;
  attributes?: string[];
  whole_environment?: { min_count: number; min_share: number; destroy_mode?: boolean };
  environments?: string[];
}

export interface ApproverDocument {
  name?: string;
  github?: string;
  ssh_keys?: string[];
  emails?: string[];
  loosen?: boolean;
}

import type { ClassifiedChange } from '../catalogue/classify.js';
import type { Downgrade } from '../catalogue/protection.js';
import type { Change } from '../plan/changes.js';
import type { Provenance } from '../provenance/provenance.js';
import { ruleSubject, type Enforcement, type Policy, type Rule, type RuleMatch } from './model.js';
import type { EnvironmentImpact } from './whole-environment.js';

export interface Finding {
  rule: string;
  /** The change the finding is about; absent for plan-wide findings. */
  change?: ClassifiedChange;
  downgrade?: Downgrade;
  enforcement: Enforcement;
  /** Distinct senior approvals this finding needs for this change (0 = none asked). */
  approvalsRequired: number;
  approved: boolean;
  effect: 'block' | 'warn';
  message: string;
}

export interface EvaluationInput {
  classified: readonly ClassifiedChange[];
  environment: EnvironmentImpact;
  provenance: Provenance;
}

/** Applies every rule of the policy to the plan; one finding per rule and subject it matches. */
export function evaluatePolicy(policy: Policy, input: EvaluationInput): Finding[] {
  const findings: Finding[] = [];
  for (const rule of policy.rules) {
    const base = finding(rule, input.provenance, rule.message);
    switch (ruleSubject(rule)) {
      case 'plan':
        if (matchesEnvironment(rule.match, input.environment)) {
          findings.push({ ...base, message: environmentMessage(rule, input.environment) });
        }
        break;
      case 'downgrade':
        for (const item of input.classified) {
          if (item.downgrades.length === 0 || !matchesStateful(rule.match, item)) continue;
          for (const downgrade of item.downgrades) findings.push({ ...base, change: item, downgrade });
        }
        break;
      case 'change':
        for (const item of input.classified) {
          if (matchesChange(rule.match, item)) findings.push({ ...base, change: item });
        }
        break;
    }
  }
  return findings;
}

function finding(rule: Rule, provenance: Provenance, message: string): Finding {
  const asked = rule.approval !== undefined && (rule.approval.when === 'always' || provenance.ai);
  const approvalsRequired = asked && rule.enforcement === 'soft-mandatory' ? rule.approval!.count : 0;
  const blocks = rule.enforcement === 'hard-mandatory' || approvalsRequired > 0;
  return {
    rule: rule.name,
    enforcement: rule.enforcement,
    approvalsRequired,
    approved: false,
    effect: blocks ? 'block' : 'warn',
    message,
  };
}

function matchesChange(match: RuleMatch, item: ClassifiedChange): boolean {
  const { change } = item;
  if (match.destructive !== undefined && match.destructive !== change.destructive) return false;
  if (match.kinds !== undefined && !(match.kinds as readonly string[]).includes(change.kind)) return false;
  if (match.destructive === undefined && match.kinds === undefined && !change.destructive) return false;
  return matchesStateful(match, item);
}

function matchesStateful(match: RuleMatch, item: ClassifiedChange): boolean {
  return match.stateful === undefined || match.stateful === (item.stateful !== undefined);
}

function matchesEnvironment(match: RuleMatch, impact: EnvironmentImpact): boolean {
  const thresholds = match.whole_environment!;
  if (thresholds.destroy_mode && impact.destroyMode && impact.destroyed > 0) return true;
  return impact.share !== null && impact.destroyed >= thresholds.min_count && impact.share >= thresholds.min_share;
}

function environmentMessage(rule: Rule, impact: EnvironmentImpact): string {
  const percent = impact.share === null ? '' : ` (${Math.round(impact.share * 100)}%)`;
  const mode = impact.destroyMode ? ' — a `terraform plan -destroy` plan' : '';
  return `${rule.message}: ${impact.destroyed} of ${impact.existing} managed resources${percent} destroyed or replaced${mode}`;
}

/** Findings about one change, in rule order. */
export function findingsFor(findings: readonly Finding[], change: Change): Finding[] {
  return findings.filter((item) => item.change?.change === change);
}

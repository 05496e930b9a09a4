import type { ClassifiedChange } from '../catalogue/classify.js';
import { moduleMatches } from '../catalogue/stateful-settings.js';
import type { Downgrade } from '../catalogue/protection.js';
import type { ResolvedProvenance } from '../provenance/resolve.js';
import { compileGlobs, type Matcher } from '../shared/globs.js';
import { ruleSubject, type Enforcement, type Policy, type Rule, type RuleMatch } from './model.js';
import type { EnvironmentImpact } from '../plan/whole-environment.js';

export interface Finding {
  rule: string;
  /** The change the finding is about; absent for plan-wide findings. */
  change?: ClassifiedChange;
  downgrade?: Downgrade;
  enforcement: Enforcement;
  /** Distinct senior approvals this finding needs (0 = none asked). */
  approvalsRequired: number;
  approved: boolean;
  effect: 'block' | 'warn';
  message: string;
}

export interface EvaluationInput {
  classified: readonly ClassifiedChange[];
  environmentImpact: EnvironmentImpact;
  provenance: Pick<ResolvedProvenance, 'ai'>;
  /** The environment/workspace name (--environment, TF_WORKSPACE), when known. */
  environmentName?: string;
}

/** Applies every enabled rule of the policy; one finding per rule and subject it matches. */
export function evaluatePolicy(policy: Policy, input: EvaluationInput): Finding[] {
  const findings: Finding[] = [];
  for (const rule of policy.rules) {
    if (!rule.enabled || !appliesToEnvironment(rule, input.environmentName)) continue;
    const base = finding(rule, input.provenance);
    const matcher = compileMatch(rule.match);
    switch (ruleSubject(rule)) {
      case 'plan':
        if (matchesEnvironmentImpact(rule.match, input.environmentImpact)) {
          findings.push({ ...base, message: environmentMessage(rule, input.environmentImpact) });
        }
        break;
      case 'downgrade':
        for (const item of input.classified) {
          if (item.downgrades.length === 0 || !matcher.resource(item)) continue;
          for (const downgrade of item.downgrades) if (matcher.attribute(downgrade.attribute)) findings.push({ ...base, change: item, downgrade });
        }
        break;
      case 'change':
        for (const item of input.classified) {
          if (item.change.destructive && matcher.kind(item) && matcher.resource(item)) findings.push({ ...base, change: item });
        }
        break;
    }
  }
  return findings;
}

/** A rule scoped to environments applies when the environment matches, or when it is unknown (fail closed). */
function appliesToEnvironment(rule: Rule, environment: string | undefined): boolean {
  const globs = rule.match.environments;
  if (!globs || globs.length === 0 || environment === undefined) return true;
  return compileGlobs(globs)(environment);
}

function finding(rule: Rule, provenance: Pick<ResolvedProvenance, 'ai'>): Finding {
  const asked = rule.approval !== undefined && (rule.approval.when === 'always' || provenance.ai);
  const approvalsRequired = asked && rule.enforcement === 'soft-mandatory' ? rule.approval!.count : 0;
  const blocks = rule.enforcement === 'hard-mandatory' || approvalsRequired > 0;
  return { rule: rule.name, enforcement: rule.enforcement, approvalsRequired, approved: false, effect: blocks ? 'block' : 'warn', message: rule.message };
}

interface CompiledMatch {
  kind(item: ClassifiedChange): boolean;
  resource(item: ClassifiedChange): boolean;
  attribute(attribute: string): boolean;
}

const always = () => true;
const optional = (globs: string[] | undefined): Matcher | undefined => (globs && globs.length > 0 ? compileGlobs(globs) : undefined);

function compileMatch(match: RuleMatch): CompiledMatch {
  const types = optional(match.types);
  const addresses = optional(match.addresses);
  const modules = optional(match.modules);
  const attributes = optional(match.attributes);
  return {
    kind: match.kinds ? (item) => (match.kinds as readonly string[]).includes(item.change.kind) : always,
    resource: (item) => {
      const { change, stateful } = item;
      if (match.stateful !== undefined && match.stateful !== (stateful !== undefined)) return false;
      if (match.categories && !(stateful?.category && match.categories.includes(stateful.category))) return false;
      if (match.severities && !(stateful && match.severities.includes(stateful.severity))) return false;
      if (types && !types(change.type)) return false;
      if (addresses && !addresses(change.address)) return false;
      if (modules && !moduleMatches(modules, change.module)) return false;
      return true;
    },
    attribute: attributes ?? always,
  };
}

function matchesEnvironmentImpact(match: RuleMatch, impact: EnvironmentImpact): boolean {
  const thresholds = match.whole_environment!;
  if ((thresholds.destroy_mode ?? true) && impact.destroyMode && impact.destroyed > 0) return true;
  return impact.share !== null && impact.destroyed >= thresholds.min_count && impact.share >= thresholds.min_share;
}

function environmentMessage(rule: Rule, impact: EnvironmentImpact): string {
  const percent = impact.share === null ? '' : ` (${Math.round(impact.share * 100)}%)`;
  const mode = impact.destroyMode ? ' — a `terraform plan -destroy` plan' : '';
  return `${rule.message}: ${impact.destroyed} of ${impact.existing} managed resources${percent} destroyed or replaced${mode}`;
}

import { changeSetDigest } from './approval/digest.js';
import type { Catalogue } from './catalogue/catalogue.js';
import { classifyChanges, type ClassifiedChange } from './catalogue/classify.js';
import { planChanges, type Change } from './plan/changes.js';
import { planFacts, type PlanFacts } from './plan/plan-facts.js';
import type { CheckedPlan } from './plan/validate-plan.js';
import { evaluatePolicy, type Finding } from './policy/evaluate.js';
import type { Policy } from './policy/model.js';
import { environmentImpact, type EnvironmentImpact } from './policy/whole-environment.js';
import { resolveProvenance, type Declaration, type Provenance } from './provenance/provenance.js';

export type Verdict = 'allow' | 'warn' | 'block' | 'error';

export interface AnalyzeOptions {
  policy: Policy;
  catalogue: Catalogue;
  /** --provenance; undefined lets the policy decide what unknown provenance counts as. */
  provenance?: Declaration;
  /** --environment (or TF_WORKSPACE): selects rules scoped with match.environments. */
  environment?: string;
}

export interface Analysis {
  facts: PlanFacts;
  changes: Change[];
  classified: ClassifiedChange[];
  environment: EnvironmentImpact;
  provenance: Provenance;
  findings: Finding[];
  digest: string;
  verdict: Verdict;
  policy: Policy;
  environmentName?: string;
}

/** The whole pipeline over one checked plan: changes → classify → rules → findings → verdict. */
export function analyzePlan(checked: CheckedPlan, options: AnalyzeOptions): Analysis {
  const changes = planChanges(checked.raw);
  const facts = planFacts(checked, changes);
  const classified = classifyChanges(changes, options.catalogue, options.policy.stateful);
  const environment = environmentImpact(changes, facts);
  const provenance = resolveProvenance(options.provenance, options.policy.provenance.unknown);
  const findings = evaluatePolicy(options.policy, { classified, environment, provenance, environmentName: options.environment });
  return {
    facts,
    changes,
    classified,
    environment,
    provenance,
    findings,
    digest: changeSetDigest(classified),
    verdict: decideVerdict(facts, findings),
    policy: options.policy,
    ...(options.environment !== undefined ? { environmentName: options.environment } : {}),
  };
}

/** An errored plan is never a pass, whatever its findings. */
export function decideVerdict(facts: PlanFacts, findings: readonly Finding[]): Verdict {
  if (facts.errored) return 'error';
  if (findings.some((finding) => finding.effect === 'block' && !finding.approved)) return 'block';
  return findings.length > 0 ? 'warn' : 'allow';
}

export const EXIT_CODES: Record<Verdict, 0 | 1 | 2> = { allow: 0, warn: 0, block: 1, error: 2 };

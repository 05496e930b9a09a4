import { changeSetDigest } from '../approval/digest.js';
import type { Catalogue } from '../catalogue/catalogue.js';
import { classifyChanges, type ClassifiedChange } from '../catalogue/classify.js';
import { planChanges, type Change } from '../plan/changes.js';
import { loadPlan } from '../plan/load-plan.js';
import { planFacts, type PlanFacts } from '../plan/plan-facts.js';
import type { ReadOptions } from '../plan/read-input.js';
import type { CheckedPlan } from '../plan/validate-plan.js';
import { environmentImpact, type EnvironmentImpact } from '../plan/whole-environment.js';
import { evaluatePolicy, type Finding } from '../policy/evaluate.js';
import type { Policy } from '../policy/model.js';
import { resolveProvenance, type Declaration, type ResolvedProvenance } from '../provenance/resolve.js';
import { compileSignals } from '../provenance/signals.js';
import { planNotices, type Notice } from './notices.js';
import { decideVerdict, type Verdict } from './verdict.js';

export interface AnalyzeOptions {
  policy: Policy;
  catalogue: Catalogue;
  /**
   * Whether the change is AI-generated: provenance resolved from collected evidence
   * (src/provenance/collect.ts, as the CLI does), or a declaration. Without either, nothing was
   * read, so the policy's `unknown` decides.
   */
  provenance?: ResolvedProvenance | Declaration;
  /** The environment or workspace name (--environment, TF_WORKSPACE): selects rules scoped with match.environments. */
  environmentName?: string;
}

export interface Analysis {
  facts: PlanFacts;
  changes: Change[];
  classified: ClassifiedChange[];
  /** How much of the existing environment the plan destroys (the whole-environment rules' subject). */
  environmentImpact: EnvironmentImpact;
  provenance: ResolvedProvenance;
  findings: Finding[];
  notices: Notice[];
  digest: string;
  verdict: Verdict;
  policy: Policy;
  environmentName?: string;
}

/** The whole pipeline over one checked plan: changes → classify → rules → findings → verdict. */
export function analyzePlan(checked: CheckedPlan, options: AnalyzeOptions): Analysis {
  const { policy, catalogue, environmentName } = options;
  const changes = planChanges(checked.raw);
  const facts = planFacts(checked, changes);
  const classified = classifyChanges(changes, catalogue, policy.stateful);
  const impact = environmentImpact(changes, facts);
  const provenance = typeof options.provenance === 'object' ? options.provenance : uncollected(options.provenance, policy);
  const findings = evaluatePolicy(policy, { classified, environmentImpact: impact, provenance, environmentName });
  return {
    facts,
    changes,
    classified,
    environmentImpact: impact,
    provenance,
    findings,
    notices: planNotices({ facts, changes, policy, environmentName }),
    digest: changeSetDigest(changes, catalogue),
    verdict: decideVerdict(facts, findings),
    policy,
    ...(environmentName !== undefined ? { environmentName } : {}),
  };
}

/** Reads a plan file (or `-`) and analyses it: for library users who have a path. */
export async function analyzePlanFile(spec: string, options: AnalyzeOptions & ReadOptions): Promise<Analysis & { source: string }> {
  const { checked, source } = await loadPlan(spec, options);
  return { ...analyzePlan(checked, options), source };
}

/** Provenance when no evidence was collected: a declaration, else the policy's `unknown`. */
function uncollected(declared: Declaration | undefined, policy: Policy): ResolvedProvenance {
  return resolveProvenance({
    declared,
    collected: { facts: { commits: [], environment: {} }, unknown: 'no history was read' },
    settings: policy.provenance,
    signals: compileSignals(),
  });
}

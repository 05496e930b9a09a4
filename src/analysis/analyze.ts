import { applyApprovals, validApprovals, type ApprovedFinding, type UncountedApproval } from '../approval/apply.js';
import { changeSetDigest } from '../approval/digest.js';
import { checkReviews, type PullRequestReview, type ReviewCheck } from '../approval/github-reviews.js';
import { checkApprovalRecords, type ApprovalCheck, type ApprovalRecordFile } from '../approval/verify.js';
import type { Catalogue } from '../catalogue/catalogue.js';
import { classifyChanges, type ClassifiedChange } from '../catalogue/classify.js';
import { planChanges, type Change } from '../plan/changes.js';
import { loadPlan } from '../plan/load-plan.js';
import { configurationDependents } from '../plan/references.js';
import { planFacts, type PlanFacts } from '../plan/plan-facts.js';
import type { ReadOptions } from '../plan/read-input.js';
import type { CheckedPlan } from '../plan/validate-plan.js';
import { environmentImpact, type EnvironmentImpact } from '../plan/whole-environment.js';
import { evaluatePolicy } from '../policy/evaluate.js';
import type { Policy } from '../policy/model.js';
import { resolveProvenance, type Declaration, type ResolvedProvenance } from '../provenance/resolve.js';
import { compileSignals } from '../provenance/signals.js';
import { planNotices, type Notice, type PolicyChange } from './notices.js';
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
  /** Recorded approvals to check against this plan: signed records and the pull request's reviews. */
  approvals?: ApprovalInput;
  /** Policy files the change under review added or changed: reported loudly. */
  policyChanges?: readonly PolicyChange[];
}

export interface ApprovalInput {
  records: readonly ApprovalRecordFile[];
  /** The pull request's reviews, when a token and a pull-request event let them be read. */
  reviews?: { reviews: readonly PullRequestReview[]; headSha: string; prAuthor?: string };
  /** `owner/name` the plan is checked in, when known; a record bound to another does not count. */
  repository: string | null;
  now: Date;
}

export interface Analysis {
  facts: PlanFacts;
  changes: Change[];
  classified: ClassifiedChange[];
  /** How much of the existing environment the plan destroys (the whole-environment rules' subject). */
  environmentImpact: EnvironmentImpact;
  provenance: ResolvedProvenance;
  findings: ApprovedFinding[];
  /** Every approval considered, valid or not, and why not. */
  approvals: (ApprovalCheck | ReviewCheck)[];
  /** Valid approvals that met a finding no approval can clear (hard-mandatory). */
  uncountedApprovals: UncountedApproval[];
  notices: Notice[];
  digest: string;
  verdict: Verdict;
  policy: Policy;
  environmentName?: string;
  /** For each configuration address, the configuration resources that refer to it (the blast radius). */
  dependents: Map<string, string[]>;
}

/** The whole pipeline over one checked plan: changes → classify → rules → findings → verdict. */
export function analyzePlan(checked: CheckedPlan, options: AnalyzeOptions): Analysis {
  const { policy, catalogue, environmentName } = options;
  const changes = planChanges(checked.raw);
  const facts = planFacts(checked, changes);
  const classified = classifyChanges(changes, catalogue, policy.stateful);
  const impact = environmentImpact(changes, facts);
  const provenance = typeof options.provenance === 'object' ? options.provenance : uncollected(options.provenance, policy);
  const digest = changeSetDigest(changes, catalogue);
  const approvals = checkApprovals(options.approvals, { digest, environmentName, policy, provenance });
  const applied = applyApprovals(evaluatePolicy(policy, { classified, environmentImpact: impact, provenance, environmentName }), validApprovals(approvals));
  const findings = applied.findings;
  return {
    facts,
    changes,
    classified,
    environmentImpact: impact,
    provenance,
    findings,
    approvals,
    uncountedApprovals: applied.uncounted,
    notices: planNotices({ facts, changes, policy, environmentName, ...(options.policyChanges ? { policyChanges: options.policyChanges } : {}) }),
    digest,
    verdict: decideVerdict(facts, findings),
    policy,
    ...(environmentName !== undefined ? { environmentName } : {}),
    dependents: configurationDependents(checked.raw.configuration),
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

/** Each signed record and each review, checked against this plan's digest, scope, approvers and authors. */
function checkApprovals(
  input: ApprovalInput | undefined,
  context: { digest: string; environmentName: string | undefined; policy: Policy; provenance: ResolvedProvenance },
): (ApprovalCheck | ReviewCheck)[] {
  if (input === undefined) return [];
  const { approvers } = context.policy;
  const { authors } = context.provenance;
  const records = checkApprovalRecords(input.records, {
    digest: context.digest,
    environment: context.environmentName ?? null,
    repository: input.repository,
    now: input.now,
    approvers,
    authors,
  });
  const reviews = input.reviews
    ? checkReviews(input.reviews.reviews, { headSha: input.reviews.headSha, approvers, authors, ...(input.reviews.prAuthor !== undefined ? { prAuthor: input.reviews.prAuthor } : {}) })
    : [];
  return [...records, ...reviews];
}

import { analyzePlan, type Analysis, type ApprovalInput } from '../analysis/analyze.js';
import type { PolicyChange } from '../analysis/notices.js';
import { loadApprovalRecords } from '../approval/load-records.js';
import { createGitHubClient } from '../github/client.js';
import { repositoryOf } from '../provenance/repository.js';
import { EXIT_CODES } from '../analysis/verdict.js';
import type { Catalogue } from '../catalogue/catalogue.js';
import { builtinCatalogue } from '../catalogue/data.js';
import { loadPlan } from '../plan/load-plan.js';
import { BUILTIN_DEFAULT, loadPolicy, policyFiles } from '../policy/load-policy.js';
import { gitRef, workingTree, type PolicySource } from '../policy/policy-source.js';
import type { Policy } from '../policy/model.js';
import { collectProvenanceFacts } from '../provenance/collect.js';
import type { CollectedFacts } from '../provenance/evidence.js';
import { resolveProvenance, type Declaration, type ResolvedProvenance } from '../provenance/resolve.js';
import { compileSignals } from '../provenance/signals.js';
import { buildReport, type Report } from '../report/report.js';
import { TfguardError } from '../shared/errors.js';
import { VERSION } from '../shared/version.js';

export interface CheckRequest {
  /** A plan file (JSON or binary), or `-` for stdin. */
  plan: string;
  /** --policy specs in layering order; [] = discovery. Ignored when `loadedPolicy` is given. */
  policy: readonly string[];
  loadedPolicy?: Policy;
  /** --provenance: `auto` (default) decides from the evidence; `ai`/`human` declare it (evidence is still read and shown). */
  provenance?: Declaration | 'auto';
  /** The commits under review are BASE..HEAD (--base, --head); without a base, the pull request's or the merge-base. */
  base?: string;
  head?: string;
  /** --github-token, else GITHUB_TOKEN in `env`: reads the pull request's commits through the API. */
  githubToken?: string;
  /** The environment evidence is read from (GITHUB_EVENT_PATH, agent variables); default: none. */
  env?: NodeJS.ProcessEnv;
  /** false: read no history (policy test cases); provenance is then declared or unknown. */
  collectProvenance?: boolean;
  /** --approvals: record files or directories; [] or absent: .tfguard/approvals/ when it exists. */
  approvals?: readonly string[];
  /** The repository the plan is checked in (`owner/name`); default: GITHUB_REPOSITORY, the pull request's, or origin's. */
  repository?: string;
  /** The time approvals are checked at (default: now). */
  now?: Date;
  /** --policy-ref: read the policy files from this git ref (the base branch) instead of the working tree. */
  policyRef?: string;
  /** The environment or workspace name, for rules scoped with match.environments. */
  environmentName?: string;
  terraformBin?: string;
  /** Where policy discovery looks (default: the process's working directory). */
  cwd?: string;
  stdin?: () => Buffer;
  catalogue?: Catalogue;
  /** How the plan is named in the report; default: the path as given, or `<stdin>`. */
  source?: string;
}

export interface CheckOutcome {
  report: Report;
  analysis: Analysis;
  exitCode: 0 | 1 | 2;
  /** Errors to show after the report: the report is still valid and complete for what it says. */
  errors: TfguardError[];
}

/**
 * `tfguard check`: the decision the CLI, the Action and the agent hooks share. Input that cannot
 * be read or trusted throws a TfguardError before any report exists; an errored plan gives its
 * report and an error, exit 2.
 */
export async function runCheck(request: CheckRequest): Promise<CheckOutcome> {
  const cwd = request.cwd ?? process.cwd();
  const policy = request.loadedPolicy ?? (await loadPolicy(request.policy, cwd, request.policyRef !== undefined ? gitRef(cwd, request.policyRef) : workingTree(cwd)));
  const { checked, source } = await loadPlan(request.plan, { terraformBin: request.terraformBin, stdin: request.stdin, ...(request.cwd !== undefined ? { cwd: request.cwd } : {}) });
  const { provenance, collected } = await provenanceOf(request, policy);
  const analysis = analyzePlan(checked, {
    policy,
    catalogue: request.catalogue ?? builtinCatalogue(),
    provenance,
    approvals: await approvalsOf(request, collected),
    policyChanges: request.loadedPolicy || request.policyRef !== undefined ? [] : policyChangesSince(request, cwd, collected.facts.range?.base ?? request.base),
    environmentName: request.environmentName,
  });
  const report = buildReport(analysis, request.source ?? source, VERSION);
  const errors =
    analysis.verdict === 'error'
      ? [
          new TfguardError(
            source,
            'the plan errored (errored: true), so it is not a complete picture of what apply would do',
            'Fix the errors `terraform plan` printed and plan again; the destructive changes found so far are listed above',
          ),
        ]
      : [];
  return { report, analysis, exitCode: EXIT_CODES[analysis.verdict], errors };
}

/** Reads the evidence the change carries (git, the GitHub event and API, the environment) and decides. */
async function provenanceOf(request: CheckRequest, policy: Policy): Promise<{ provenance: ResolvedProvenance; collected: CollectedFacts }> {
  const declared = request.provenance === 'auto' ? undefined : request.provenance;
  const signals = compileSignals(policy.provenance.aiSignatures);
  const collected: CollectedFacts =
    request.collectProvenance === false
      ? { facts: { commits: [], environment: {} }, unknown: 'policy test cases read no history' }
      : await collectProvenanceFacts({
          cwd: request.cwd ?? process.cwd(),
          env: request.env ?? {},
          signals,
          ...(request.base !== undefined ? { base: request.base } : {}),
          ...(request.head !== undefined ? { head: request.head } : {}),
          ...(request.githubToken !== undefined ? { token: request.githubToken } : {}),
        });
  return { provenance: resolveProvenance({ declared, collected, settings: policy.provenance, signals }), collected };
}

/**
 * The approvals recorded for this change: signed records from the repository, and — with a token
 * and a pull-request event — the pull request's reviews. Any API failure is an error, never "no reviews".
 */
async function approvalsOf(request: CheckRequest, collected: CollectedFacts): Promise<ApprovalInput | undefined> {
  if (request.collectProvenance === false && request.approvals === undefined) return undefined;
  const cwd = request.cwd ?? process.cwd();
  const env = request.env ?? {};
  const pullRequest = collected.facts.pullRequest;
  const records = loadApprovalRecords(request.approvals ?? [], cwd);
  // Only a signed record binds a repository; without one, no git call is spent on finding it.
  const repository = request.repository ?? (records.length > 0 ? await repositoryOf({ cwd, env, ...(pullRequest ? { pullRequestRepository: pullRequest.repository } : {}) }) : null);
  const token = request.githubToken ?? (env.GITHUB_TOKEN || undefined);
  let reviews: ApprovalInput['reviews'];
  if (pullRequest && token !== undefined) {
    const [owner, name] = pullRequest.repository.split('/') as [string, string];
    const client = await createGitHubClient({ token, env });
    const listed = await client.pullRequestReviews(owner, name, pullRequest.number);
    reviews = {
      reviews: listed.map((review) => ({
        id: review.id,
        user: review.login === undefined ? null : { login: review.login },
        state: review.state,
        commit_id: review.commitId,
        ...(review.submittedAt !== undefined ? { submitted_at: review.submittedAt } : {}),
      })),
      headSha: pullRequest.headSha,
      prAuthor: pullRequest.author.login,
    };
  }
  return { records, repository, now: request.now ?? new Date(), ...(reviews ? { reviews } : {}) };
}

/**
 * The policy files in use that the change under review added or changed: compared with the same
 * paths at the base of the commit range. The approvers they name are the trust root, so a report
 * must say so loudly when they come from the branch itself.
 */
function policyChangesSince(request: CheckRequest, cwd: string, base: string | undefined): PolicyChange[] {
  if (base === undefined) return [];
  const files = policyFiles(request.policy, cwd).filter((file) => file !== BUILTIN_DEFAULT);
  if (files.length === 0) return [];
  let atBase: PolicySource;
  try {
    atBase = gitRef(cwd, base);
  } catch {
    return files.map((file) => ({ source: file, base, change: 'unverified' as const }));
  }
  const here = workingTree(cwd);
  const changes: PolicyChange[] = [];
  for (const file of files) {
    if (!atBase.exists(file)) changes.push({ source: file, base, change: 'added' });
    else if (atBase.read(file) !== here.read(file)) changes.push({ source: file, base, change: 'changed' });
  }
  return changes;
}

import type { Analysis, Verdict } from '../analyze.js';
import { EXIT_CODES } from '../analyze.js';
import type { ClassifiedChange } from '../catalogue/classify.js';
import type { Downgrade } from '../catalogue/protection.js';
import type { Finding } from '../policy/evaluate.js';
import type { Change, PathStep } from '../plan/changes.js';
import type { JsonValue } from '../plan/raw.js';
import { isMarked } from '../plan/values.js';
import { describeReason, isKnownReason } from './reasons.js';

export const REPORT_VERSION = 1;
export const SENSITIVE = '(sensitive)';

/** The JSON report: a stable, versioned contract (schemas/report-v1.schema.json). */
export interface Report {
  report_version: number;
  tool: { name: 'tfguard'; version: string };
  verdict: Verdict;
  exit_code: 0 | 1 | 2;
  plan: {
    source: string;
    format: string;
    format_version: string;
    terraform_version: string | null;
    tool: string;
    digest: string;
    errored: boolean;
    complete: boolean | null;
    applyable: boolean | null;
    mode: string;
    existing_resources: number;
    counts: Record<string, number>;
  };
  policy: { sources: string[]; environment: string | null; loosened: { source: string; what: string }[] };
  provenance: { ai: boolean; basis: string; evidence: { source: string; detail: string }[] };
  whole_environment: { destroyed: number; existing: number; share: number | null; destroy_mode: boolean };
  changes: ReportChange[];
  protection_downgrades: ReportDowngrade[];
  findings: ReportFinding[];
  approvals: never[];
  notices: ReportNotice[];
  summary: { destructive: number; stateful_destructive: number; blocking: number; warnings: number };
}

export interface ReportChange {
  address: string;
  deposed?: string;
  module?: string;
  type: string;
  provider: string;
  actions: string[];
  kind: string;
  order?: string;
  action_reason: string | null;
  reason_text: string | null;
  replace_paths: PathStep[][] | null;
  replace_forcing?: string[];
  previous_address?: string;
  importing?: { id?: string; unknown?: boolean };
  deferred_reason?: string;
  stateful: boolean;
  category: string | null;
  severity: string | null;
  deletion?: string;
  deletion_note?: string;
  why?: string;
  not_stateful_reason?: string;
}

export interface ReportDowngrade {
  address: string;
  deposed?: string;
  type: string;
  attribute: string;
  protection: string;
  before: JsonValue;
  after: JsonValue;
  after_unknown: boolean;
}

export interface ReportFinding {
  rule: string;
  address: string | null;
  deposed?: string;
  attribute?: string;
  enforcement: string;
  approvals_required: number;
  approved: boolean;
  effect: 'block' | 'warn';
  message: string;
}

export type NoticeKind =
  | 'errored'
  | 'incomplete'
  | 'refresh-only'
  | 'destroy-mode'
  | 'deferred'
  | 'action-invocations'
  | 'drift-deleted'
  | 'moved'
  | 'imported'
  | 'unknown-actions'
  | 'unknown-reason'
  | 'no-prior-state'
  | 'environment-unknown';

export interface ReportNotice {
  kind: NoticeKind;
  address?: string;
  message: string;
}

export function buildReport(analysis: Analysis, source: string, version: string): Report {
  const { facts, classified, findings, environment, provenance } = analysis;
  const destructive = classified.filter((item) => item.change.destructive);
  const counts: Record<string, number> = {};
  for (const { change } of classified) counts[change.kind] = (counts[change.kind] ?? 0) + 1;
  return {
    report_version: REPORT_VERSION,
    tool: { name: 'tfguard', version },
    verdict: analysis.verdict,
    exit_code: EXIT_CODES[analysis.verdict],
    plan: {
      source,
      format: facts.format,
      format_version: facts.formatVersion,
      terraform_version: facts.terraformVersion ?? null,
      tool: facts.tool,
      digest: analysis.digest,
      errored: facts.errored,
      complete: facts.complete,
      applyable: facts.applyable,
      mode: facts.mode,
      existing_resources: facts.existingResources,
      counts,
    },
    policy: {
      sources: [...analysis.policy.sources],
      environment: analysis.environmentName ?? null,
      loosened: analysis.policy.loosened.map((item) => ({ ...item })),
    },
    provenance: { ai: provenance.ai, basis: provenance.basis, evidence: provenance.evidence.map((item) => ({ ...item })) },
    whole_environment: {
      destroyed: environment.destroyed,
      existing: environment.existing,
      share: environment.share === null ? null : Math.round(environment.share * 1000) / 1000,
      destroy_mode: environment.destroyMode,
    },
    changes: destructive.map(reportChange),
    protection_downgrades: classified.flatMap((item) => item.downgrades.map((downgrade) => reportDowngrade(item.change, downgrade))),
    findings: [...findings].sort(findingOrder).map((finding) => {
      const item: ReportFinding = {
        rule: finding.rule,
        address: finding.change?.change.address ?? null,
        enforcement: finding.enforcement,
        approvals_required: finding.approvalsRequired,
        approved: finding.approved,
        effect: finding.effect,
        message: finding.message,
      };
      if (finding.change?.change.deposed !== undefined) item.deposed = finding.change.change.deposed;
      if (finding.downgrade) item.attribute = finding.downgrade.attribute;
      return item;
    }),
    approvals: [],
    notices: notices(analysis),
    summary: {
      destructive: destructive.length,
      stateful_destructive: destructive.filter((item) => item.stateful).length,
      blocking: findings.filter((finding) => finding.effect === 'block' && !finding.approved).length,
      warnings: findings.filter((finding) => finding.effect === 'warn').length,
    },
  };
}

/** Plan-wide findings first, then by address (deposed objects after their current object), then rule. */
function findingOrder(a: Finding, b: Finding): number {
  const keyOf = (finding: Finding) => [finding.change ? 1 : 0, finding.change?.change.address ?? '', finding.change?.change.deposed ?? '', finding.rule, finding.downgrade?.attribute ?? ''];
  const [x, y] = [keyOf(a), keyOf(b)];
  for (let index = 0; index < x.length; index += 1) {
    if (x[index]! < y[index]!) return -1;
    if (x[index]! > y[index]!) return 1;
  }
  return 0;
}

function reportChange(item: ClassifiedChange): ReportChange {
  const { change, stateful } = item;
  const result: ReportChange = {
    address: change.address,
    type: change.type,
    provider: change.provider,
    actions: change.actions,
    kind: change.kind,
    action_reason: change.actionReason ?? null,
    reason_text: change.actionReason === undefined ? null : describeReason(change.actionReason),
    replace_paths: change.replacePaths === undefined ? null : change.replacePaths.map((path) => redactPath(change, path)),
    stateful: stateful !== undefined,
    category: stateful?.category ?? null,
    severity: stateful?.severity ?? null,
  };
  if (change.deposed !== undefined) result.deposed = change.deposed;
  if (change.module !== undefined) result.module = change.module;
  if (change.order !== undefined) result.order = change.order;
  if (item.replaceForcing.length > 0) result.replace_forcing = item.replaceForcing;
  if (change.previousAddress !== undefined) result.previous_address = change.previousAddress;
  if (change.importing !== undefined) result.importing = change.importing;
  if (change.deferredReason !== undefined) result.deferred_reason = change.deferredReason;
  if (item.notStatefulReason !== undefined) result.not_stateful_reason = item.notStatefulReason;
  if (stateful !== undefined) {
    result.why = stateful.why;
    if (stateful.deletion !== 'destroys') result.deletion = stateful.deletion;
    if (stateful.deletionNote !== undefined) result.deletion_note = stateful.deletionNote;
  }
  return result;
}

/**
 * A replace path is a list of attribute names and keys. Once it enters a value marked
 * sensitive, the remaining steps (map keys, set positions) are part of the secret and hidden.
 */
export function redactPath(change: Change, path: readonly PathStep[]): PathStep[] {
  for (let length = 1; length < path.length; length += 1) {
    const prefix = path.slice(0, length);
    if (isMarked(change.beforeSensitive, prefix) || isMarked(change.afterSensitive, prefix)) {
      return [...prefix, SENSITIVE];
    }
  }
  return [...path];
}

function reportDowngrade(change: Change, downgrade: Downgrade): ReportDowngrade {
  const shown = (value: JsonValue | undefined): JsonValue => (downgrade.sensitive ? SENSITIVE : value === undefined ? null : value);
  const result: ReportDowngrade = {
    address: change.address,
    type: change.type,
    attribute: downgrade.attribute,
    protection: downgrade.protection,
    before: shown(downgrade.before),
    after: downgrade.afterUnknown ? null : shown(downgrade.after),
    after_unknown: downgrade.afterUnknown,
  };
  if (change.deposed !== undefined) result.deposed = change.deposed;
  return result;
}

function notices(analysis: Analysis): ReportNotice[] {
  const { facts, changes } = analysis;
  const list: ReportNotice[] = [];
  if (facts.errored) {
    list.push({ kind: 'errored', message: 'The plan errored (errored: true): only the changes planned before the error are listed, and the plan cannot be applied' });
  }
  if (facts.complete === false && !facts.errored) {
    list.push({ kind: 'incomplete', message: 'The plan is incomplete (complete: false): planned with -target or with deferred changes, so later plans will hold more changes' });
  }
  if (facts.mode === 'refresh-only') {
    list.push({ kind: 'refresh-only', message: 'A refresh-only plan: it only updates state to match real infrastructure and plans no resource changes' });
  }
  if (facts.mode === 'destroy') {
    list.push({ kind: 'destroy-mode', message: 'Every managed resource is deleted with no reason given: this looks like `terraform plan -destroy`' });
  }
  const scoped = analysis.policy.rules.filter((rule) => rule.enabled && (rule.match.environments ?? []).length > 0);
  if (scoped.length > 0 && analysis.environmentName === undefined) {
    list.push({
      kind: 'environment-unknown',
      message: `No environment given (--environment or TF_WORKSPACE), so rules scoped to environments apply everywhere: ${scoped.map((rule) => rule.name).join(', ')}`,
    });
  }
  if (facts.format === 'hcp-redacted') {
    list.push({ kind: 'no-prior-state', message: 'HCP Terraform redacted plan JSON: it has no prior state, so the environment size is counted from resource_changes' });
  }
  const deferred = changes.filter((change) => change.deferredReason !== undefined);
  if (deferred.length > 0) {
    list.push({ kind: 'deferred', message: `${deferred.length} change(s) are deferred to a later plan; destructive ones are reported and gated now` });
  }
  if (facts.actionInvocations > 0) {
    list.push({ kind: 'action-invocations', message: `The plan invokes ${facts.actionInvocations} provider action(s): side effects outside resources that tfguard does not assess` });
  }
  for (const address of facts.driftDeletions) {
    list.push({ kind: 'drift-deleted', address, message: 'Deleted outside Terraform since the last apply (resource_drift)' });
  }
  for (const change of changes) {
    if (change.kind === 'unknown') {
      list.push({ kind: 'unknown-actions', address: change.address, message: `Unknown actions ${JSON.stringify(change.actions)}: treated as destructive` });
    }
    if (change.actionReason !== undefined && !isKnownReason(change.actionReason)) {
      list.push({ kind: 'unknown-reason', address: change.address, message: `Unknown action_reason ${JSON.stringify(change.actionReason)}` });
    }
    if (change.destructive) continue;
    if (change.previousAddress !== undefined) {
      list.push({ kind: 'moved', address: change.address, message: `Moved from ${change.previousAddress}; nothing is destroyed` });
    }
    if (change.importing !== undefined) {
      list.push({ kind: 'imported', address: change.address, message: 'Imported into state; nothing is destroyed' });
    }
  }
  return list;
}

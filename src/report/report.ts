import type { Analysis } from '../analysis/analyze.js';
import type { Notice } from '../analysis/notices.js';
import { EXIT_CODES, type Verdict } from '../analysis/verdict.js';
import type { ClassifiedChange } from '../catalogue/classify.js';
import type { Downgrade } from '../catalogue/protection.js';
import type { ApprovedFinding } from '../approval/apply.js';
import type { ReviewCheck } from '../approval/github-reviews.js';
import type { ApprovalCheck } from '../approval/verify.js';
import type { Change, PathStep } from '../plan/changes.js';
import type { JsonValue } from '../plan/raw.js';
import { isMarked, sensitiveScalars } from '../plan/values.js';
import { describeReason } from '../plan/reasons.js';
import type { Rule } from '../policy/model.js';
import { configurationAddress } from '../plan/references.js';
import { attributeChanges, type AttributeChange } from './attribute-changes.js';
import { guidanceFor, type Guidance, type GuidanceInput } from './guidance.js';
import type { Author, CommitRange, Evidence } from '../provenance/evidence.js';
import type { ProvenanceBasis } from '../provenance/resolve.js';

export const REPORT_VERSION = 1;
export const SENSITIVE = '(sensitive)';
const REPLACE_KINDS = new Set(['replace', 'import-replace', 'forget-replace']);

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
  policy: {
    sources: string[];
    environment: string | null;
    loosened: { source: string; what: string }[];
    /** Who may approve: the policy's approver ids and GitHub logins (no keys). */
    approvers: { id: string; github: string | null }[];
  };
  provenance: ReportProvenance;
  whole_environment: { destroyed: number; existing: number; share: number | null; destroy_mode: boolean };
  changes: ReportChange[];
  protection_downgrades: ReportDowngrade[];
  findings: ReportFinding[];
  /** Every rule of the effective policy, so a renderer can say what a finding's rule is without the policy. */
  rules: ReportRule[];
  /** The audit record: every approval considered, signed record or review, with its outcome. */
  approvals: ReportApproval[];
  notices: ReportNotice[];
  summary: {
    destructive: number;
    stateful_destructive: number;
    blocking: number;
    warnings: number;
    /** Blocking findings of hard-mandatory rules: no approval can clear them. */
    hard_mandatory_blocking: number;
    /** Distinct senior approvals of the digest that would clear every other blocking finding (the most any one asks for). */
    approvals_needed: number;
    /** How many more distinct valid approvals are still missing for that, after the ones recorded. */
    approvals_missing: number;
  };
}

/** Whether the change counts as AI-generated, why, and who is behind it (approvals refuse their own). */
export interface ReportProvenance {
  ai: boolean;
  basis: ProvenanceBasis;
  /** In words: what was read and how the policy counted it. */
  reason: string | null;
  evidence: Evidence[];
  authors: Author[];
  range: CommitRange | null;
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
  /** For replaces: the attributes that change, before and after, redacted (sensitive, unknown, cut). */
  attribute_changes?: AttributeChange[];
  /** Configuration resources that refer to this one: what its destruction takes with it. */
  dependents?: string[];
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
  /** The distinct approvers whose valid approvals counted towards this finding. */
  approved_by: string[];
  /** For a blocking finding: what would make it pass (a moved block, keeping an attribute, an approval of the digest). */
  guidance?: Guidance[];
  /** Index into `changes` of the destructive change the finding is about. */
  change_index?: number;
  /** Index into `protection_downgrades` of the downgrade the finding is about. */
  downgrade_index?: number;
}

export interface ReportApproval {
  /** The approver id (from the policy), or null when the record or review names none of its approvers. */
  approver: string | null;
  via: 'ssh' | 'github';
  valid: boolean;
  /** Why it does not count; null when it counts. */
  reason: string | null;
  /** A signed record: its file. */
  file?: string;
  /** A review: its id, the reviewer's login and the commit it was given on. */
  review?: number;
  reviewer?: string | null;
  commit?: string | null;
  fingerprint?: string;
  expires_at?: string;
  /** The approver's own words, from the record. */
  comment?: string;
}

export interface ReportRule {
  name: string;
  description: string | null;
  enabled: boolean;
  enforcement: string;
  approval: { when: 'ai' | 'always'; count: number } | null;
  source: string;
  locked: boolean;
}

export type ReportNotice = Notice;

export type { NoticeKind } from '../analysis/notices.js';

export function buildReport(analysis: Analysis, source: string, version: string): Report {
  const { facts, classified, environmentImpact: impact, provenance } = analysis;
  const destructive = classified.filter((item) => item.change.destructive);
  const counts: Record<string, number> = {};
  for (const { change } of classified) counts[change.kind] = (counts[change.kind] ?? 0) + 1;
  const changeIndex = new Map<ClassifiedChange, number>(destructive.map((item, index) => [item, index]));
  const downgrades: ReportDowngrade[] = [];
  const downgradeIndex = new Map<Downgrade, number>();
  for (const item of classified) {
    for (const downgrade of item.downgrades) {
      downgradeIndex.set(downgrade, downgrades.length);
      downgrades.push(reportDowngrade(item.change, downgrade));
    }
  }
  const guide = { allChanges: analysis.changes, digest: analysis.digest, planSource: source, approverIds: analysis.policy.approvers.map((approver) => approver.id) };
  const findings = [...analysis.findings].sort(findingOrder).map((finding) => reportFinding(finding, changeIndex, downgradeIndex, guide));
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
      approvers: analysis.policy.approvers.map((approver) => ({ id: approver.id, github: approver.github ?? null })),
    },
    provenance: {
      ai: provenance.ai,
      basis: provenance.basis,
      reason: provenance.reason ?? null,
      evidence: provenance.evidence.map((item) => ({ ...item, where: { ...item.where } })),
      authors: provenance.authors.map((author) => ({ ...author, roles: [...author.roles] })),
      range: provenance.range ? { ...provenance.range } : null,
    },
    whole_environment: {
      destroyed: impact.destroyed,
      existing: impact.existing,
      share: impact.share === null ? null : Math.round(impact.share * 1000) / 1000,
      destroy_mode: impact.destroyMode,
    },
    changes: destructive.map((item) => reportChange(item, analysis.dependents)),
    protection_downgrades: downgrades,
    findings,
    rules: analysis.policy.rules.map(reportRule),
    approvals: analysis.approvals.map((check) => reportApproval(check, analysis)),
    notices: analysis.notices.map((notice) => ({ ...notice })),
    summary: summarise(destructive, findings),
  };
}

function reportFinding(finding: ApprovedFinding, changeIndex: Map<ClassifiedChange, number>, downgradeIndex: Map<Downgrade, number>, guide: Omit<GuidanceInput, 'enforcement' | 'approvalsRequired' | 'change'>): ReportFinding {
  const item: ReportFinding = {
    rule: finding.rule,
    address: finding.change?.change.address ?? null,
    enforcement: finding.enforcement,
    approvals_required: finding.approvalsRequired,
    approved: finding.approved,
    approved_by: [...finding.approvedBy],
    effect: finding.effect,
    message: finding.message,
  };
  if (finding.change?.change.deposed !== undefined) item.deposed = finding.change.change.deposed;
  if (finding.downgrade) {
    item.attribute = finding.downgrade.attribute;
    item.downgrade_index = downgradeIndex.get(finding.downgrade)!;
  } else if (finding.change) {
    item.change_index = changeIndex.get(finding.change)!;
  }
  if (finding.effect === 'block' && !finding.approved) {
    item.guidance = guidanceFor({ ...guide, enforcement: finding.enforcement, approvalsRequired: finding.approvalsRequired, ...(finding.change ? { change: finding.change.change } : {}) });
  }
  return item;
}

function reportApproval(check: ApprovalCheck | ReviewCheck, analysis: Analysis): ReportApproval {
  const uncounted = check.valid && check.approver !== null ? analysis.uncountedApprovals.find((item) => item.approver === check.approver) : undefined;
  const item: ReportApproval = {
    approver: check.approver,
    via: check.via,
    valid: check.valid,
    // Valid, yet no finding it met could take it: say so, so the audit record does not read as approved.
    reason: check.reason ?? (uncounted ? `not counted: ${uncounted.rules.join(', ')} ${uncounted.rules.length === 1 ? 'is a hard-mandatory rule' : 'are hard-mandatory rules'}, which no approval clears` : null),
  };
  if (check.via === 'ssh') {
    item.file = check.file;
    if (check.fingerprint !== undefined) item.fingerprint = check.fingerprint;
    if (check.expiresAt !== undefined) item.expires_at = check.expiresAt;
    if (check.comment !== undefined) item.comment = check.comment;
  } else {
    item.review = check.review;
    item.reviewer = check.reviewer;
    item.commit = check.commit;
  }
  return item;
}

function reportRule(rule: Rule): ReportRule {
  return {
    name: rule.name,
    description: rule.description ?? null,
    enabled: rule.enabled,
    enforcement: rule.enforcement,
    approval: rule.approval ? { ...rule.approval } : null,
    source: rule.source,
    locked: rule.locked,
  };
}

/** Counts in loops, never by spreading: a plan can hold a million findings. */
function summarise(destructive: readonly ClassifiedChange[], findings: readonly ReportFinding[]): Report['summary'] {
  let blocking = 0;
  let warnings = 0;
  let hard = 0;
  let needed = 0;
  let missing = 0;
  for (const finding of findings) {
    if (finding.effect === 'warn') warnings += 1;
    if (finding.effect !== 'block' || finding.approved) continue;
    blocking += 1;
    if (finding.enforcement === 'hard-mandatory') hard += 1;
    // One approval of the digest covers every finding, so the most any finding asks for is what is needed.
    if (finding.approvals_required > needed) needed = finding.approvals_required;
    if (finding.enforcement !== 'hard-mandatory') missing = Math.max(missing, finding.approvals_required - finding.approved_by.length);
  }
  return {
    destructive: destructive.length,
    stateful_destructive: destructive.filter((item) => item.stateful).length,
    blocking,
    warnings,
    hard_mandatory_blocking: hard,
    approvals_needed: needed,
    approvals_missing: missing,
  };
}

/** Plan-wide findings first, then by address (deposed objects after their current object), then rule. */
function findingOrder(a: ApprovedFinding, b: ApprovedFinding): number {
  const keyOf = (finding: ApprovedFinding) => [finding.change ? 1 : 0, finding.change?.change.address ?? '', finding.change?.change.deposed ?? '', finding.rule, finding.downgrade?.attribute ?? ''];
  const [x, y] = [keyOf(a), keyOf(b)];
  for (let index = 0; index < x.length; index += 1) {
    if (x[index]! < y[index]!) return -1;
    if (x[index]! > y[index]!) return 1;
  }
  return 0;
}

function reportChange(item: ClassifiedChange, dependents: ReadonlyMap<string, string[]>): ReportChange {
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
  if (change.importing !== undefined) result.importing = reportImporting(change);
  if (change.deferredReason !== undefined) result.deferred_reason = change.deferredReason;
  if (item.notStatefulReason !== undefined) result.not_stateful_reason = item.notStatefulReason;
  if (REPLACE_KINDS.has(change.kind)) result.attribute_changes = attributeChanges(change);
  const referrers = dependents.get(configurationAddress(change.address));
  if (referrers && referrers.length > 0) result.dependents = [...referrers];
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

/**
 * An import ID is a value, and for some resources it is the secret itself (random_password's
 * importer sets the sensitive `result` from it): it is shown only when no value the entry marks
 * sensitive equals it or is part of it.
 */
function reportImporting(change: Change): { id?: string; unknown?: boolean } {
  const importing = { ...change.importing };
  const id = importing.id;
  if (id === undefined) return importing;
  const secrets = [...sensitiveScalars(change.before, change.beforeSensitive), ...sensitiveScalars(change.after, change.afterSensitive)];
  if (secrets.some((secret) => secret === id || (secret.length >= 4 && id.includes(secret)))) importing.id = SENSITIVE;
  return importing;
}

function reportDowngrade(change: Change, downgrade: Downgrade): ReportDowngrade {
  // A protection attribute is one value; anything else (a hand-made list or object) is not shown.
  const shown = (value: JsonValue | undefined): JsonValue =>
    downgrade.sensitive ? SENSITIVE : value === undefined ? null : value !== null && typeof value === 'object' ? '(not a single value)' : value;
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

import { isCurrentObject, type Change } from './changes.js';
import type { JsonValue, RawPlan } from './raw.js';
import { stateTree, type CheckedPlan } from './validate-plan.js';

export type PlanMode = 'normal' | 'destroy' | 'refresh-only';
export type PlanTool = 'terraform' | 'opentofu' | 'unknown';

/** Plan-level facts that are not about any single resource. */
export interface PlanFacts {
  format: CheckedPlan['format'];
  formatVersion: string;
  terraformVersion?: string;
  tool: PlanTool;
  /** null when the plan predates the field (Terraform < 1.6, OpenTofu omits complete/applyable). */
  errored: boolean;
  complete: boolean | null;
  applyable: boolean | null;
  mode: PlanMode;
  /** Managed resource instances that exist before the plan (prior_state, else existing objects in resource_changes). */
  existingResources: number;
  existingResourcesSource: 'prior_state' | 'resource_changes';
  /** Resources deleted outside Terraform, seen as drift. */
  driftDeletions: string[];
  /** Provider-defined actions the plan invokes (Terraform >= 1.14): side effects outside resources. */
  actionInvocations: number;
}

export function planFacts(checked: CheckedPlan, changes: readonly Change[]): PlanFacts {
  const { raw } = checked;
  const prior = countPriorManaged(raw);
  const current = changes.filter(isCurrentObject);
  const facts: PlanFacts = {
    format: checked.format,
    formatVersion: checked.formatVersion,
    tool: detectTool(raw, changes),
    errored: raw.errored === true,
    complete: typeof raw.complete === 'boolean' ? raw.complete : null,
    applyable: typeof raw.applyable === 'boolean' ? raw.applyable : null,
    mode: detectMode(raw, current),
    existingResources: prior ?? current.filter(isExistingObject).length,
    existingResourcesSource: prior === undefined ? 'resource_changes' : 'prior_state',
    driftDeletions: (raw.resource_drift ?? [])
      .filter((entry) => entry.mode === 'managed' && entry.change.actions.includes('delete'))
      .map((entry) => entry.address ?? `${entry.type}.${entry.name}`),
    actionInvocations: Array.isArray(raw.action_invocations) ? raw.action_invocations.length : 0,
  };
  if (typeof raw.terraform_version === 'string') facts.terraformVersion = raw.terraform_version;
  return facts;
}

/**
 * Plan mode is not recorded in the JSON. A -destroy plan lists every managed instance as
 * ["delete"] without action_reason; a -refresh-only plan has no resource_changes at all.
 */
function detectMode(raw: RawPlan, current: readonly Change[]): PlanMode {
  if (raw.resource_changes === undefined && raw.resource_drift !== undefined) return 'refresh-only';
  if (current.length > 0 && current.every((change) => change.kind === 'delete' && change.actionReason === undefined)) {
    return 'destroy';
  }
  return 'normal';
}

/** Pure creates and imports bring objects under management; everything else was managed before. */
function isExistingObject(change: Change): boolean {
  return change.kind !== 'create' && change.importing === undefined;
}

function detectTool(raw: RawPlan, changes: readonly Change[]): PlanTool {
  if (changes.some((change) => change.provider.startsWith('registry.opentofu.org/'))) return 'opentofu';
  if (changes.some((change) => change.provider.startsWith('registry.terraform.io/'))) return 'terraform';
  return typeof raw.terraform_version === 'string' ? 'terraform' : 'unknown';
}

function countPriorManaged(raw: RawPlan): number | undefined {
  const root = raw.prior_state?.values?.root_module;
  if (root === undefined || root === null || typeof root !== 'object') return undefined;
  // The shape was checked by validatePlan; a tree that does not read counts as unknown.
  const tree = stateTree(raw.prior_state as JsonValue, 'prior_state');
  return tree.ok ? tree.resources.filter((resource) => resource.mode === 'managed').length : undefined;
}

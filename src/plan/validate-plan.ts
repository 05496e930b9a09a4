import { TfguardError } from '../shared/errors.js';
import { isObject, moduleTreeResources, type ModuleTreeResult } from './module-tree.js';
import type { JsonObject, JsonValue, RawPlan, RawResourceChange } from './raw.js';

const REPLAN = 'Give tfguard the output of `terraform show -json plan.tfplan` (or `tofu show -json`)';

export type PlanFormat = 'terraform-json' | 'hcp-redacted';

export interface CheckedPlan {
  raw: RawPlan;
  format: PlanFormat;
  formatVersion: string;
}

/**
 * Checks that a parsed JSON value is a plan tfguard can fully read, and says what it is otherwise
 * (a state file, the JSON of a state, provider schemas, something else). Accepts format_version
 * 0.x and 1.x (features are detected by key, not version) and refuses any other major version.
 */
export function validatePlan(document: JsonValue, source: string): CheckedPlan {
  if (document === null || typeof document !== 'object' || Array.isArray(document)) {
    const shape = Array.isArray(document) ? 'a JSON array' : `a JSON ${document === null ? 'null' : typeof document}`;
    throw new TfguardError(source, `${shape}, not a plan`, REPLAN);
  }
  const object = document as JsonObject;
  rejectNonPlans(object, source);

  const declared = typeof object.format_version === 'string' ? object.format_version : undefined;
  const hcp = typeof object.plan_format_version === 'string' ? object.plan_format_version : undefined;
  const version = declared ?? hcp;
  if (version === undefined) {
    throw new TfguardError(
      source,
      'a JSON document without `format_version`, so not the output of `terraform show -json` (trimmed or hand-made plans cannot be trusted)',
      REPLAN,
    );
  }
  const major = /^(\d+)\.(\d+)/.exec(version);
  if (!major || (major[1] !== '0' && major[1] !== '1')) {
    throw new TfguardError(
      source,
      `plan format_version ${JSON.stringify(version)} is not one tfguard understands (it reads 0.x and 1.x)`,
      'Upgrade tfguard, or plan with a Terraform/OpenTofu version whose JSON format is 1.x',
    );
  }
  const raw = object as unknown as RawPlan;
  checkShapes(raw, source);
  checkConsistency(raw, source);
  return { raw, format: declared !== undefined ? 'terraform-json' : 'hcp-redacted', formatVersion: version };
}

function rejectNonPlans(object: JsonObject, source: string): void {
  if (typeof object.lineage === 'string' && 'serial' in object && ('resources' in object || 'modules' in object)) {
    throw new TfguardError(
      source,
      'this is a Terraform state file (terraform.tfstate), not a plan',
      'Run `terraform plan -out=plan.tfplan` and give tfguard that plan or its `terraform show -json` output',
    );
  }
  if ('provider_schemas' in object && !('resource_changes' in object) && !('planned_values' in object)) {
    throw new TfguardError(source, 'this is `terraform providers schema -json` output, not a plan', REPLAN);
  }
  const planKeys = ['resource_changes', 'planned_values', 'configuration', 'resource_drift', 'output_changes', 'prior_state'];
  if ('values' in object && !planKeys.some((key) => key in object)) {
    throw new TfguardError(
      source,
      'this is the JSON of a state (`terraform show -json` without a plan file), not a plan',
      'Run `terraform show -json plan.tfplan` with the saved plan file as argument',
    );
  }
  if ('format_version' in object && !planKeys.some((key) => key in object)) {
    const isEmptyState = Object.keys(object).every((key) => key === 'format_version' || key === 'terraform_version');
    throw new TfguardError(
      source,
      isEmptyState
        ? 'this is the JSON of an empty state (`terraform show -json` without a plan file), not a plan'
        : 'a JSON document with `format_version` but none of the sections of a plan',
      REPLAN,
    );
  }
}

function checkShapes(raw: RawPlan, source: string): void {
  for (const key of ['resource_changes', 'resource_drift', 'deferred_changes', 'action_invocations'] as const) {
    if (raw[key] !== undefined && !Array.isArray(raw[key])) {
      throw new TfguardError(source, `\`${key}\` is not a list`, REPLAN);
    }
  }
  for (const key of ['errored', 'complete', 'applyable'] as const) {
    if (raw[key] !== undefined && typeof raw[key] !== 'boolean') {
      throw new TfguardError(source, `\`${key}\` is not true or false`, REPLAN);
    }
  }
  if (raw.terraform_version !== undefined && typeof raw.terraform_version !== 'string') {
    throw new TfguardError(source, '`terraform_version` is not a string', REPLAN);
  }
  raw.resource_changes?.forEach((entry, index) => checkResourceChange(entry, `resource_changes[${index}]`, source));
  // Terraform 0.15 wrote drift entries without `address`; they are only reported, never gated.
  raw.resource_drift?.forEach((entry, index) =>
    checkResourceChange(entry && typeof entry === 'object' && entry.address === undefined ? { ...entry, address: `${entry.type}.${entry.name}` } : entry, `resource_drift[${index}]`, source),
  );
  raw.deferred_changes?.forEach((entry, index) => {
    if (entry === null || typeof entry !== 'object' || Array.isArray(entry)) {
      throw new TfguardError(source, `deferred_changes[${index}] is not an object`, REPLAN);
    }
    if (entry.reason !== undefined && entry.reason !== null && typeof entry.reason !== 'string') {
      throw new TfguardError(source, `deferred_changes[${index}].reason is not a string`, REPLAN);
    }
    checkResourceChange(entry.resource_change, `deferred_changes[${index}].resource_change`, source);
  });
  for (const [key, root] of [['prior_state', raw.prior_state], ['planned_values', raw.planned_values]] as const) {
    if (root === undefined || root === null) continue;
    const tree = stateTree(root as JsonValue, key);
    if (!tree.ok) throw new TfguardError(source, `${tree.path} ${tree.problem}, so tfguard cannot tell what exists`, REPLAN);
  }
}

/** The module tree of `prior_state` (under `values`) or `planned_values`, with its shape checked. */
export function stateTree(section: JsonValue, key: 'prior_state' | 'planned_values'): ModuleTreeResult {
  if (!isObject(section)) return { ok: false, path: key, problem: 'is not an object' };
  const holder = key === 'prior_state' ? section.values : section;
  const at = key === 'prior_state' ? 'prior_state.values' : key;
  if (holder === undefined || holder === null) return { ok: true, resources: [] };
  if (!isObject(holder)) return { ok: false, path: at, problem: 'is not an object' };
  if (holder.root_module === undefined || holder.root_module === null) return { ok: true, resources: [] };
  return moduleTreeResources(holder.root_module, `${at}.root_module`);
}

function checkResourceChange(entry: RawResourceChange | undefined, path: string, source: string): void {
  const problem = describeProblem(entry);
  if (problem) {
    throw new TfguardError(source, `${path} ${problem}, so tfguard cannot tell what it does`, REPLAN);
  }
}

const optionalString = (value: unknown) => value === undefined || value === null || typeof value === 'string';

function describeProblem(entry: RawResourceChange | undefined): string | undefined {
  if (entry === null || typeof entry !== 'object' || Array.isArray(entry)) return 'is not an object';
  for (const key of ['address', 'mode', 'type'] as const) {
    if (typeof entry[key] !== 'string' || entry[key] === '') return `has no \`${key}\``;
  }
  const at = `(${entry.address})`;
  // Anything else could be a managed resource under another spelling, whose delete would go uncounted.
  if (entry.mode !== 'managed' && entry.mode !== 'data') return `${at} has \`mode\` ${JSON.stringify(entry.mode)}, neither "managed" nor "data"`;
  for (const key of ['name', 'provider_name', 'module_address', 'action_reason', 'previous_address'] as const) {
    if (!optionalString(entry[key])) return `${at} has a \`${key}\` that is not a string`;
  }
  if (entry.index !== undefined && entry.index !== null && typeof entry.index !== 'string' && typeof entry.index !== 'number') return `${at} has an \`index\` that is neither a string nor a number`;
  if (entry.deposed !== undefined && typeof entry.deposed !== 'string') return `${at} has a non-string \`deposed\``;
  const change = entry.change as unknown;
  if (change === null || typeof change !== 'object' || Array.isArray(change)) return `${at} has no \`change\``;
  const { actions, replace_paths: replacePaths, importing } = entry.change as unknown as Record<string, unknown>;
  if (!Array.isArray(actions) || actions.length === 0) return `${at} has no \`change.actions\``;
  if (!actions.every((action) => typeof action === 'string')) return `${at} has non-string actions`;
  if (replacePaths !== undefined && replacePaths !== null) {
    const valid = Array.isArray(replacePaths) && replacePaths.every((path) => Array.isArray(path) && path.every((step) => typeof step === 'string' || typeof step === 'number'));
    if (!valid) return `${at} has \`change.replace_paths\` that are not lists of attribute names and indexes`;
  }
  if (importing !== undefined && importing !== null) {
    if (typeof importing !== 'object' || Array.isArray(importing)) return `${at} has a \`change.importing\` that is not an object`;
    const { id, unknown } = importing as Record<string, unknown>;
    if (!optionalString(id) || (unknown !== undefined && typeof unknown !== 'boolean')) return `${at} has a malformed \`change.importing\``;
  }
  return undefined;
}

/**
 * Refuses a plan whose sections contradict each other, as a hand-edited plan would. A managed
 * object that exists before the plan must be accounted for — a change in resource_changes (under
 * its address or as a move's previous address), an object in planned_values, or drift — else it
 * would go away unseen. Checked where the plan claims to be whole: when resource_changes is
 * absent while planned_values lists resources (a refresh-only plan lists none), or when `complete`
 * is true (Terraform >= 1.6; a -target plan says false and leaves the others out, and older plans
 * cannot tell). An object whose change keeps it (no-op,
 * update, read) must also be in planned_values when that section lists resources.
 */
function checkConsistency(raw: RawPlan, source: string): void {
  const planned = raw.planned_values ? stateTree(raw.planned_values, 'planned_values') : undefined;
  const plannedAddresses = new Set(planned?.ok ? planned.resources.filter((item) => item.mode === 'managed').map((item) => item.address) : []);
  // A refresh-only plan has neither resource_changes nor resources in planned_values.
  const claimsWhole = raw.resource_changes === undefined ? plannedAddresses.size > 0 : raw.complete === true;
  if (claimsWhole && raw.prior_state) {
    const accounted = new Set(plannedAddresses);
    for (const entry of [...(raw.resource_changes ?? []), ...(raw.resource_drift ?? []), ...(raw.deferred_changes ?? []).map((item) => item.resource_change)]) {
      if (typeof entry.address === 'string') accounted.add(entry.address);
      if (typeof entry.previous_address === 'string') accounted.add(entry.previous_address);
    }
    const prior = stateTree(raw.prior_state as JsonValue, 'prior_state');
    for (const resource of prior.ok ? prior.resources : []) {
      if (resource.mode !== 'managed' || accounted.has(resource.address)) continue;
      throw new TfguardError(
        source,
        `the plan contradicts itself: prior_state holds ${resource.address}, but neither resource_changes nor planned_values does, so it would go away unseen`,
        REPLAN,
      );
    }
  }
  if (raw.complete === false || plannedAddresses.size === 0) return;
  for (const entry of raw.resource_changes ?? []) {
    if (entry.mode !== 'managed' || entry.deposed !== undefined || plannedAddresses.has(entry.address)) continue;
    const keeps = entry.change.actions.every((action) => action === 'no-op' || action === 'update' || action === 'read');
    if (!keeps) continue;
    throw new TfguardError(
      source,
      `the plan contradicts itself: resource_changes keeps ${entry.address} (${entry.change.actions.join(', ')}), but planned_values no longer holds it`,
      REPLAN,
    );
  }
}

import { TfguardError } from '../shared/errors.js';
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
  raw.resource_changes?.forEach((entry, index) => checkResourceChange(entry, `resource_changes[${index}]`, source));
  raw.deferred_changes?.forEach((entry, index) => {
    if (entry === null || typeof entry !== 'object') {
      throw new TfguardError(source, `deferred_changes[${index}] is not an object`, REPLAN);
    }
    checkResourceChange(entry.resource_change, `deferred_changes[${index}].resource_change`, source);
  });
}

function checkResourceChange(entry: RawResourceChange | undefined, path: string, source: string): void {
  const problem = describeProblem(entry);
  if (problem) {
    throw new TfguardError(source, `${path} ${problem}, so tfguard cannot tell what it does`, REPLAN);
  }
}

function describeProblem(entry: RawResourceChange | undefined): string | undefined {
  if (entry === null || typeof entry !== 'object' || Array.isArray(entry)) return 'is not an object';
  for (const key of ['address', 'mode', 'type'] as const) {
    if (typeof entry[key] !== 'string' || entry[key] === '') return `has no \`${key}\``;
  }
  if (entry.change === null || typeof entry.change !== 'object') return `(${entry.address}) has no \`change\``;
  const actions = entry.change.actions as unknown;
  if (!Array.isArray(actions) || actions.length === 0) return `(${entry.address}) has no \`change.actions\``;
  if (!actions.every((action) => typeof action === 'string')) return `(${entry.address}) has non-string actions`;
  if (entry.deposed !== undefined && typeof entry.deposed !== 'string') return `(${entry.address}) has a non-string \`deposed\``;
  return undefined;
}

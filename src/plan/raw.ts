/**
 * The parts of `terraform show -json` output tfguard reads. Everything is optional on purpose:
 * fields were added over format versions without bumps, and OpenTofu omits some (see
 * shared research plan-format.md §1-§3). Presence is checked where it matters.
 */
export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };
export type JsonObject = { [key: string]: JsonValue };

export interface RawChange {
  actions: string[];
  before?: JsonValue;
  after?: JsonValue;
  after_unknown?: JsonValue;
  before_sensitive?: JsonValue;
  after_sensitive?: JsonValue;
  replace_paths?: JsonValue[][];
  importing?: JsonObject;
  generated_config?: string;
}

export interface RawResourceChange {
  address: string;
  previous_address?: string;
  module_address?: string;
  mode: string;
  type: string;
  name: string;
  index?: string | number;
  index_unknown?: boolean;
  provider_name?: string;
  deposed?: string;
  change: RawChange;
  action_reason?: string;
}

export interface RawDeferredChange {
  reason?: string;
  resource_change: RawResourceChange;
}

export interface RawStateResource {
  address?: string;
  mode?: string;
  type?: string;
}

export interface RawStateModule {
  resources?: RawStateResource[];
  child_modules?: RawStateModule[];
}

export interface RawPlan {
  format_version?: string;
  /** HCP Terraform's redacted plan JSON carries this instead of format_version. */
  plan_format_version?: string;
  terraform_version?: string;
  resource_changes?: RawResourceChange[];
  resource_drift?: RawResourceChange[];
  deferred_changes?: RawDeferredChange[];
  action_invocations?: JsonValue[];
  prior_state?: { values?: { root_module?: RawStateModule } };
  planned_values?: JsonValue;
  configuration?: JsonValue;
  errored?: boolean;
  complete?: boolean;
  applyable?: boolean;
  timestamp?: string;
}

import { interpretActions, type ChangeKind, type ReplaceOrder } from './actions.js';
import type { JsonValue, RawPlan, RawResourceChange } from './raw.js';

export type PathStep = string | number;

/** One managed resource instance (or deposed object) and what the plan does to it. */
export interface Change {
  address: string;
  /** Key of a deposed object; the same address can appear once without and once with it. */
  deposed?: string;
  module?: string;
  type: string;
  name: string;
  index?: string | number;
  provider: string;
  actions: string[];
  kind: ChangeKind;
  destructive: boolean;
  order?: ReplaceOrder;
  actionReason?: string;
  replacePaths?: PathStep[][];
  importing?: { id?: string; unknown?: boolean };
  previousAddress?: string;
  /** Set when the change comes from `deferred_changes` (planned for a later round). */
  deferredReason?: string;
  before: JsonValue;
  after: JsonValue;
  beforeSensitive: JsonValue;
  afterSensitive: JsonValue;
  afterUnknown: JsonValue;
}

/** The object the address names now: not a deposed leftover, not a change deferred to a later plan. */
export function isCurrentObject(change: Change): boolean {
  return change.deposed === undefined && change.deferredReason === undefined;
}

/**
 * Normalises every managed entry of resource_changes (and deferred_changes) into a Change.
 * Data sources are left out: their reads never destroy anything.
 */
export function planChanges(plan: RawPlan): Change[] {
  const changes: Change[] = [];
  for (const entry of plan.resource_changes ?? []) {
    if (entry.mode === 'managed') changes.push(toChange(entry));
  }
  for (const deferred of plan.deferred_changes ?? []) {
    if (deferred.resource_change.mode === 'managed') {
      changes.push({ ...toChange(deferred.resource_change), deferredReason: deferred.reason ?? 'unknown' });
    }
  }
  return changes;
}

function toChange(entry: RawResourceChange): Change {
  const { change } = entry;
  const importing = change.importing && typeof change.importing === 'object' ? change.importing : undefined;
  const meaning = interpretActions(change.actions, importing !== undefined);
  const result: Change = {
    address: entry.address,
    type: entry.type,
    name: typeof entry.name === 'string' ? entry.name : '',
    provider: entry.provider_name ?? '',
    actions: [...change.actions],
    kind: meaning.kind,
    destructive: meaning.destructive,
    before: change.before ?? null,
    after: change.after ?? null,
    beforeSensitive: change.before_sensitive ?? false,
    afterSensitive: change.after_sensitive ?? false,
    afterUnknown: change.after_unknown ?? false,
  };
  if (entry.deposed !== undefined) result.deposed = entry.deposed;
  // Hand-made plans write null where Terraform omits a field.
  if (typeof entry.module_address === 'string') result.module = entry.module_address;
  if (typeof entry.index === 'string' || typeof entry.index === 'number') result.index = entry.index;
  if (meaning.order !== undefined) result.order = meaning.order;
  if (typeof entry.action_reason === 'string') result.actionReason = entry.action_reason;
  if (Array.isArray(change.replace_paths)) result.replacePaths = change.replace_paths.filter(Array.isArray) as PathStep[][];
  if (typeof entry.previous_address === 'string') result.previousAddress = entry.previous_address;
  if (importing) {
    result.importing = {};
    if (typeof importing.id === 'string') result.importing.id = importing.id;
    if (importing.unknown === true) result.importing.unknown = true;
  }
  return result;
}

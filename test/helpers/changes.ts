import { planChanges, type Change } from '../../src/plan/changes.js';
import type { JsonValue, RawResourceChange } from '../../src/plan/raw.js';

/** Builds a Change through the real normaliser from a resource_changes entry (only the fields a test cares about). */
export function changeOf(entry: Partial<RawResourceChange> & { change: RawResourceChange['change'] }): Change {
  const type = entry.type ?? 'aws_db_instance';
  const raw: RawResourceChange = { address: `${type}.main`, mode: 'managed', type, name: 'main', provider_name: 'registry.terraform.io/hashicorp/aws', ...entry };
  const [change] = planChanges({ resource_changes: [raw] });
  return change!;
}

export const update = (before: object, after: object, extra: Partial<RawResourceChange['change']> = {}): RawResourceChange['change'] => ({
  actions: ['update'],
  before: before as JsonValue,
  after: after as JsonValue,
  after_unknown: {},
  before_sensitive: {},
  after_sensitive: {},
  ...extra,
});

import type { Change, PathStep } from '../plan/changes.js';
import type { JsonValue } from '../plan/raw.js';
import { expandPath, isMarked, valueAt } from '../plan/values.js';
import { formatPath, type Protection, type StatefulType } from './catalogue.js';

/** A protection attribute lowered by an in-place update: the usual step before a destroy. */
export interface Downgrade {
  attribute: string;
  protection: Protection['kind'];
  before: JsonValue | undefined;
  after: JsonValue | undefined;
  /** The new value is only known after apply; it may well be the unprotected one. */
  afterUnknown: boolean;
  sensitive: boolean;
}

/**
 * Protection downgrades in an update: deletion_protection true→false, force_destroy false→true,
 * retention windows shrinking, Google deletion_policy leaving its protective values, … as the
 * catalogue entry describes them. Destroys and replaces are findings of their own, so only
 * updates are looked at.
 */
export function findDowngrades(change: Change, entry: StatefulType): Downgrade[] {
  if (change.kind !== 'update') return [];
  const downgrades: Downgrade[] = [];
  for (const protection of entry.protection) {
    for (const path of expandPath(change.before, protection.path)) {
      const downgrade = compare(change, protection, path);
      if (downgrade) downgrades.push(downgrade);
    }
  }
  return downgrades;
}

function compare(change: Change, protection: Protection, path: PathStep[]): Downgrade | undefined {
  const before = valueAt(change.before, path);
  const afterUnknown = isMarked(change.afterUnknown, path);
  const after = afterUnknown ? undefined : valueAt(change.after, path);
  if (!wasProtective(protection, before)) return undefined;
  if (!afterUnknown && isStillProtective(protection, before, after)) return undefined;
  return {
    attribute: formatPath(path),
    protection: protection.kind,
    before,
    after,
    afterUnknown,
    sensitive: isMarked(change.beforeSensitive, path) || isMarked(change.afterSensitive, path),
  };
}

function wasProtective(protection: Protection, before: JsonValue | undefined): boolean {
  switch (protection.kind) {
    case 'flag':
      // An absent force_destroy-style flag means the provider default, false, which protects.
      return before === protection.protective || (protection.protective === false && (before === null || before === undefined));
    case 'enum':
      return before !== null && before !== undefined && typeof before !== 'object' && protection.protective_values.includes(before);
    case 'retention': {
      const window = retentionOf(before);
      return window !== undefined && window > 0;
    }
  }
}

function isStillProtective(protection: Protection, before: JsonValue | undefined, after: JsonValue | undefined): boolean {
  switch (protection.kind) {
    case 'flag':
      return after === protection.protective || (protection.protective === false && (after === null || after === undefined));
    case 'enum':
      return after !== null && after !== undefined && typeof after !== 'object' && protection.protective_values.includes(after);
    case 'retention': {
      const [was, now] = [retentionOf(before), retentionOf(after)];
      return was !== undefined && now !== undefined && now >= was;
    }
  }
}

/** A retention window as a number: plain numbers, numeric strings, and Google's duration strings ("604800s", "3.5s"). */
export function retentionOf(value: JsonValue | undefined): number | undefined {
  if (typeof value === 'number') return value;
  if (typeof value !== 'string') return undefined;
  const match = /^\s*(\d+(?:\.\d+)?)\s*(s?)\s*$/.exec(value);
  return match ? Number(match[1]) : undefined;
}

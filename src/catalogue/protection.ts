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
    for (const path of concretePaths(change, protection.path)) {
      const downgrade = compare(change, protection, path);
      if (downgrade) downgrades.push(downgrade);
    }
  }
  return downgrades;
}

/** `*` expanded over the elements on either side: a nested block may exist only before or only after. */
function concretePaths(change: Change, pattern: string[]): PathStep[][] {
  const paths = new Map<string, PathStep[]>();
  for (const path of [...expandPath(change.before, pattern), ...expandPath(change.after, pattern)]) {
    paths.set(JSON.stringify(path), path);
  }
  return [...paths.values()];
}

function compare(change: Change, protection: Protection, path: PathStep[]): Downgrade | undefined {
  const before = valueAt(change.before, path);
  const afterUnknown = isMarked(change.afterUnknown, path);
  const after = afterUnknown ? undefined : valueAt(change.after, path);
  if (!isProtective(protection, withDefault(protection, before))) return undefined;
  if (!afterUnknown && isProtective(protection, withDefault(protection, after)) && !shrinks(protection, before, after)) return undefined;
  return {
    attribute: formatPath(path),
    protection: protection.kind,
    before,
    after,
    afterUnknown,
    sensitive: isMarked(change.beforeSensitive, path) || isMarked(change.afterSensitive, path),
  };
}

/** An absent attribute has the provider's default; flags default to false. */
function withDefault(protection: Protection, value: JsonValue | undefined): JsonValue | undefined {
  if (value !== null && value !== undefined) return value;
  return protection.default ?? (protection.kind === 'flag' ? false : undefined);
}

function isProtective(protection: Protection, value: JsonValue | undefined): boolean {
  switch (protection.kind) {
    case 'flag':
      return value === protection.protective;
    case 'enum':
      return value !== null && value !== undefined && typeof value !== 'object' && protection.protective_values.includes(value);
    case 'retention': {
      const window = retentionOf(value);
      return window !== undefined && window > 0;
    }
  }
}

/** A retention window that stays above zero still downgrades when it gets shorter. */
function shrinks(protection: Protection, before: JsonValue | undefined, after: JsonValue | undefined): boolean {
  if (protection.kind !== 'retention') return false;
  const [was, now] = [retentionOf(withDefault(protection, before)), retentionOf(withDefault(protection, after))];
  return was !== undefined && now !== undefined && now < was;
}

/** A retention window as a number: plain numbers, numeric strings, and Google's duration strings ("604800s", "3.5s"). */
function retentionOf(value: JsonValue | undefined): number | undefined {
  if (typeof value === 'number') return value;
  if (typeof value !== 'string') return undefined;
  const match = /^\s*(\d+(?:\.\d+)?)\s*(s?)\s*$/.exec(value);
  return match ? Number(match[1]) : undefined;
}

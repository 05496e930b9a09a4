import type { PathStep } from './changes.js';
import type { JsonValue } from './raw.js';

/** The value at `path`, or undefined when any step is missing. */
export function valueAt(value: JsonValue | undefined, path: readonly PathStep[]): JsonValue | undefined {
  let current: JsonValue | undefined = value;
  for (const step of path) {
    if (current === null || typeof current !== 'object') return undefined;
    current = Array.isArray(current)
      ? typeof step === 'number' ? current[step] : undefined
      : (current as Record<string, JsonValue>)[String(step)];
  }
  return current;
}

/**
 * Whether a mask (before_sensitive, after_sensitive, after_unknown) marks `path`: masks mirror the
 * value with `true` at marked leaves, and `true` at a prefix marks everything below it.
 */
export function isMarked(mask: JsonValue | undefined, path: readonly PathStep[]): boolean {
  let current: JsonValue | undefined = mask;
  for (const step of path) {
    if (current === true) return true;
    if (current === null || typeof current !== 'object') return false;
    current = Array.isArray(current)
      ? typeof step === 'number' ? current[step] : undefined
      : (current as Record<string, JsonValue>)[String(step)];
  }
  return current === true;
}

/** Expands `*` steps against the list/set elements present in `value`. */
export function expandPath(value: JsonValue | undefined, pattern: readonly string[]): PathStep[][] {
  let paths: PathStep[][] = [[]];
  for (const step of pattern) {
    if (step !== '*') {
      paths = paths.map((path) => [...path, step]);
      continue;
    }
    const expanded: PathStep[][] = [];
    for (const path of paths) {
      const list = valueAt(value, path);
      if (Array.isArray(list)) list.forEach((_, index) => expanded.push([...path, index]));
    }
    paths = expanded;
  }
  return paths;
}

/**
 * Every scalar inside `value` that `mask` marks sensitive, as strings: for checking that a string
 * printed elsewhere (an import ID) is not one of them. Walked without recursion.
 */
export function sensitiveScalars(value: JsonValue | undefined, mask: JsonValue | undefined): string[] {
  const found: string[] = [];
  const pending: { value: JsonValue | undefined; mask: JsonValue | undefined; marked: boolean }[] = [{ value, mask, marked: mask === true }];
  while (pending.length > 0) {
    const item = pending.pop()!;
    const marked = item.marked || item.mask === true;
    if (item.value === null || item.value === undefined) continue;
    if (typeof item.value !== 'object') {
      if (marked) found.push(String(item.value));
      continue;
    }
    const childMask = (key: string | number): JsonValue | undefined =>
      item.mask !== null && typeof item.mask === 'object' ? (item.mask as Record<string, JsonValue>)[String(key)] : undefined;
    if (Array.isArray(item.value)) item.value.forEach((child, index) => pending.push({ value: child, mask: childMask(index), marked }));
    else for (const [key, child] of Object.entries(item.value)) pending.push({ value: child, mask: childMask(key), marked });
  }
  return found;
}

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

import type { Json, JsonObject } from './seeds.js';

export const isObject = (value: unknown): value is JsonObject => value !== null && typeof value === 'object' && !Array.isArray(value);

/**
 * Every string in a value (iterative, so depth does not matter). Object keys are left out: most
 * are attribute names, which tfguard may print, and the JSON cannot tell them from map keys.
 */
export function allStrings(value: Json | undefined, out: Set<string>): void {
  const stack: (Json | undefined)[] = [value];
  while (stack.length > 0) {
    const node = stack.pop();
    if (typeof node === 'string') out.add(node);
    else if (Array.isArray(node)) stack.push(...node);
    else if (isObject(node)) stack.push(...Object.values(node));
  }
}

/**
 * The strings of `value` that `mark` marks sensitive, with Terraform's reading of
 * before_sensitive / after_sensitive / sensitive_values: `true` marks the whole value below it, an
 * object or array of marks mirrors the value's shape.
 */
export function markedStrings(value: Json | undefined, mark: Json | undefined, out: Set<string>): void {
  const stack: [Json | undefined, Json | undefined][] = [[value, mark]];
  while (stack.length > 0) {
    const [node, nodeMark] = stack.pop() as [Json | undefined, Json | undefined];
    if (nodeMark === true) allStrings(node, out);
    else if (isObject(nodeMark) && isObject(node)) {
      for (const [key, childMark] of Object.entries(nodeMark)) stack.push([node[key], childMark]);
    } else if (Array.isArray(nodeMark) && Array.isArray(node)) {
      nodeMark.forEach((childMark, index) => stack.push([node[index], childMark]));
    }
  }
}

/** The strings an entry's change itself marks sensitive (before and after). */
export function entryMarkedStrings(entry: Json | undefined): Set<string> {
  const out = new Set<string>();
  if (!isObject(entry) || !isObject(entry.change)) return out;
  const change = entry.change;
  markedStrings(change.before, change.before_sensitive, out);
  markedStrings(change.after, change.after_sensitive, out);
  return out;
}

/** The strings of `value` that `mark` leaves unmarked (the complement of markedStrings). */
export function unmarkedStrings(value: Json | undefined, mark: Json | undefined, out: Set<string>): void {
  const stack: [Json | undefined, Json | undefined][] = [[value, mark]];
  while (stack.length > 0) {
    const [node, nodeMark] = stack.pop() as [Json | undefined, Json | undefined];
    if (nodeMark === true) continue;
    if (typeof node === 'string') out.add(node);
    else if (Array.isArray(node)) node.forEach((child, index) => stack.push([child, Array.isArray(nodeMark) ? nodeMark[index] : undefined]));
    else if (isObject(node)) for (const [key, child] of Object.entries(node)) stack.push([child, isObject(nodeMark) ? nodeMark[key] : undefined]);
  }
}

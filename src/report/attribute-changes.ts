import type { Change } from '../plan/changes.js';
import type { JsonValue } from '../plan/raw.js';
import { isMarked, sensitiveScalars, valueAt } from '../plan/values.js';

export const SENSITIVE_TEXT = '(sensitive)';
export const UNKNOWN_TEXT = '(known after apply)';
const ABSENT_TEXT = '(absent)';
const MAX_ATTRIBUTES = 50;
const MAX_VALUE_LENGTH = 200;

export interface AttributeChange {
  path: string;
  before: string;
  after: string;
}

/**
 * The top-level attributes a replace changes, before and after, as display strings: a value any
 * part of which is marked sensitive is `(sensitive)`, one only known after apply says so, long
 * values are cut. The only attribute values a report carries besides protection attributes.
 *
 * Terraform does not always carry a mark along with a copy of a secret (terraform_data's `output`
 * repeats a sensitive `input` unmarked), so a value that holds any string marked sensitive
 * elsewhere in the entry is `(sensitive)` too.
 */
export function attributeChanges(change: Change): AttributeChange[] {
  const secrets = [...sensitiveScalars(change.before, change.beforeSensitive), ...sensitiveScalars(change.after, change.afterSensitive)];
  const reveals = (value: JsonValue | undefined, text: string): boolean =>
    secrets.some((secret) => (secret.length >= 4 ? text.includes(secret) : typeof value !== 'object' && String(value) === secret));
  const before = objectOrEmpty(change.before);
  const after = objectOrEmpty(change.after);
  const keys = [...new Set([...Object.keys(before), ...Object.keys(after), ...Object.keys(objectOrEmpty(change.afterUnknown))])].sort();
  const result: AttributeChange[] = [];
  for (const key of keys) {
    const unknown = touches(change.afterUnknown, key);
    if (!unknown && JSON.stringify(before[key] ?? null) === JSON.stringify(after[key] ?? null)) continue;
    const sensitive = touches(change.beforeSensitive, key) || touches(change.afterSensitive, key);
    const shown = (values: Record<string, JsonValue>) => {
      const text = display(values, key);
      // Checked on the whole value, before it is cut: half a secret is still a secret.
      return sensitive || reveals(values[key], text) ? SENSITIVE_TEXT : cut(text);
    };
    result.push({ path: key, before: shown(before), after: unknown ? (sensitive ? SENSITIVE_TEXT : UNKNOWN_TEXT) : shown(after) });
    if (result.length >= MAX_ATTRIBUTES) break;
  }
  return result;
}

function objectOrEmpty(value: JsonValue | undefined): Record<string, JsonValue> {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? value : {};
}

/** Whether a mask marks the attribute or anything inside it. */
function touches(mask: JsonValue | undefined, key: string): boolean {
  if (isMarked(mask, [key])) return true;
  const pending: (JsonValue | undefined)[] = [valueAt(mask, [key])];
  while (pending.length > 0) {
    const item = pending.pop();
    if (item === true) return true;
    if (item !== null && typeof item === 'object') pending.push(...(Array.isArray(item) ? item : Object.values(item)));
  }
  return false;
}

function display(values: Record<string, JsonValue>, key: string): string {
  if (!(key in values) || values[key] === undefined) return ABSENT_TEXT;
  let text: string;
  try {
    text = JSON.stringify(values[key]);
  } catch {
    return '(too deeply nested to show)';
  }
  return text;
}

function cut(text: string): string {
  return text.length > MAX_VALUE_LENGTH ? `${text.slice(0, MAX_VALUE_LENGTH - 1)}…` : text;
}

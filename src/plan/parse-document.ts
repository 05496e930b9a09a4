import { TfguardError } from '../shared/errors.js';
import { findDuplicateKeys, lineAndColumn } from '../shared/json-duplicates.js';
import { byteOffset, jsonSyntaxProblem } from '../shared/json-syntax.js';
import type { JsonValue } from './raw.js';
import { stripBom } from '../shared/text.js';

const REPLAN = 'Re-create it with `terraform show -json plan.tfplan > plan.json` (or `tofu show -json`)';

/** Lines that only the human-readable rendering of `terraform plan` / `tofu plan` prints. */
const TEXT_PLAN_MARKERS = [
  /Terraform will perform the following actions/,
  /OpenTofu will perform the following actions/,
  /(Terraform|OpenTofu) used the selected providers to generate the following execution/,
  /^Plan: \d+ to add, \d+ to change, \d+ to destroy/m,
  /^No changes\. Your infrastructure matches the configuration/m,
  /^\s*# \S+ (will be|must be) /m,
];

/**
 * Turns the text of a plan file into one JSON value, or explains in one line why it cannot.
 * Recognises the shapes users feed by mistake: the setup-terraform wrapper's `[command]` line,
 * the text rendering of `terraform plan`, concatenated documents (Terragrunt run-all) and
 * truncated files.
 */
export function parseDocument(text: string, source: string): JsonValue {
  const body = stripBom(text);
  const start = body.search(/\S/);
  if (start < 0) {
    throw new TfguardError(source, 'the plan is empty', `${REPLAN}, and check that the command succeeded`);
  }
  if (body.startsWith('[command]', start)) {
    throw new TfguardError(
      source,
      'the output starts with a `[command]` line written by the hashicorp/setup-terraform wrapper, so it is not plain JSON',
      'Set `terraform_wrapper: false` on the setup-terraform step, or run terraform-bin directly',
    );
  }
  const first = body[start];
  if (first !== '{' && first !== '[') {
    if (TEXT_PLAN_MARKERS.some((marker) => marker.test(body.slice(0, 64 * 1024)))) {
      throw new TfguardError(
        source,
        'this is the text rendering of `terraform plan`, not the JSON plan',
        'Save the plan with `terraform plan -out=plan.tfplan`, then give tfguard plan.tfplan or `terraform show -json plan.tfplan > plan.json`',
      );
    }
    const { line, column } = lineAndColumn(body, start);
    throw new TfguardError(source, `not JSON: the first character that is not blank (line ${line}, column ${column}, byte ${byteOffset(body, start)}) is neither { nor [`, REPLAN);
  }
  let document: JsonValue;
  try {
    document = JSON.parse(body) as JsonValue;
  } catch (error) {
    throw explainSyntaxError(body, source, error as Error);
  }
  const [duplicate] = findDuplicateKeys(body, 1, decides);
  if (duplicate) {
    throw new TfguardError(
      source,
      `a key appears twice in one object, at ${safePath(duplicate.path)} (line ${duplicate.line}, column ${duplicate.column}, byte ${Buffer.byteLength(body.slice(0, duplicate.offset))}); JSON keeps only the last one, so a doubled key can hide a change, and Terraform never writes one`,
      REPLAN,
    );
  }
  return document;
}

/** Sections tfguard never reads a decision from: a doubled key there (hand-edited test data has them) changes nothing. */
const UNREAD_SECTIONS = new Set(['configuration', 'variables', 'output_changes', 'checks', 'relevant_attributes']);

/**
 * Whether a doubled key at `path` could change what tfguard decides: anywhere in resource_changes,
 * deferred_changes, the structure of resource_drift and the plan's own fields, and in the structure of prior_state
 * and planned_values (addresses, modes, modules) — not in the attribute values those two list.
 */
function decides(path: readonly (string | number)[]): boolean {
  const [section] = path;
  if (typeof section === 'string' && UNREAD_SECTIONS.has(section)) return false;
  // Drift is only reported (address, mode, actions); its values are never read.
  if (section === 'resource_drift' && path[2] === 'change' && typeof path[3] === 'string' && path.length > 4 && VALUE_SECTIONS.has(path[3])) return false;
  if (section === 'prior_state' || section === 'planned_values') {
    const valuesAt = path.findIndex((step, index) => (step === 'values' || step === 'sensitive_values' || step === 'outputs') && index >= (section === 'prior_state' ? 2 : 1));
    return valuesAt === -1 || valuesAt === path.length - 1;
  }
  return true;
}

/** Sections that hold attribute values: a path into them may name a secret's key, so it stops there. */
const VALUE_SECTIONS = new Set(['before', 'after', 'after_unknown', 'before_sensitive', 'after_sensitive', 'values', 'sensitive_values', 'configuration', 'variables', 'output_changes', 'outputs', 'expressions', 'checks']);

function safePath(path: readonly (string | number)[]): string {
  let text = '';
  for (const step of path) {
    if (typeof step === 'number') {
      text += `[${step}]`;
      continue;
    }
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(step)) return `${text || '(root)'}.…`;
    text += text === '' ? step : `.${step}`;
    if (VALUE_SECTIONS.has(step)) return `${text}.…`;
  }
  return text;
}

function explainSyntaxError(body: string, source: string, error: Error): TfguardError {
  const problem = jsonSyntaxProblem(body, error);
  if (problem.offset !== undefined && /non-whitespace character after JSON/.test(error.message)) {
    const documents = countDocuments(body);
    if (documents > 1) {
      return new TfguardError(
        source,
        `the file holds ${documents} JSON documents one after another (as \`terragrunt run-all show -json\` writes), not one plan`,
        'Run tfguard once per plan file (one `terraform show -json` per module)',
      );
    }
  }
  const trimmedLength = body.trimEnd().length;
  if (/end of JSON input|Unterminated/.test(error.message) || (problem.offset !== undefined && problem.offset >= trimmedLength)) {
    return new TfguardError(
      source,
      `invalid JSON: the document ends early at byte ${trimmedLength} (the file looks truncated)`,
      `${REPLAN}, and make sure the write finished`,
    );
  }
  const where = problem.line !== undefined ? ` at line ${problem.line}, column ${problem.column} (byte ${byteOffset(body, problem.offset!)})` : '';
  return new TfguardError(source, `invalid JSON${where}: ${problem.detail}`, REPLAN);
}

/** Counts the JSON values in a stream of concatenated documents; 0 when it is not such a stream. */
function countDocuments(body: string): number {
  let count = 0;
  let rest = body;
  while (rest.trim() !== '') {
    try {
      JSON.parse(rest);
      return count + 1;
    } catch (error) {
      const match = /non-whitespace character after JSON at position (\d+)/.exec((error as Error).message);
      if (!match) return 0;
      const end = Number(match[1]);
      try {
        JSON.parse(rest.slice(0, end));
      } catch {
        return 0;
      }
      count += 1;
      rest = rest.slice(end);
    }
  }
  return count;
}

import type { ErrorObject, ValidateFunction } from 'ajv';
import { formatPath } from '../catalogue/catalogue.js';
import { TfguardError, TfguardErrors } from '../shared/errors.js';
import type { JsonValue } from '../plan/raw.js';
import { valueAt } from '../plan/values.js';
import type { PolicyDocument } from './document.js';
import { validatePolicy } from './generated/validators.js';
import { checkGlob } from '../shared/globs.js';
import { locateLine } from './locate.js';
import type { ParsedFile } from './parse-policy.js';
import { parseSshPublicKey } from '../shared/ssh-key.js';

/** Validates a parsed file against a JSON Schema, then `semantic` checks; throws every problem, each on one line. */
export function validateModel<T>(file: ParsedFile, validate: ValidateFunction, semantic: (document: T) => Problem[] = () => []): T {
  const problems: Problem[] = [...file.problems];
  if (!validate(file.data)) {
    for (const error of usefulErrors(validate.errors ?? [])) problems.push(describeSchemaError(error, file.data));
  }
  try {
    problems.push(...semantic(file.data as T));
  } catch {
    // A shape the schema already rejected; its errors are reported above.
  }
  if (problems.length > 0) {
    const located = problems.map((problem) => ({ line: locateLine(file.text, problem.path) ?? 0, problem }));
    located.sort((a, b) => a.line - b.line);
    throw new TfguardErrors(located.map(({ problem }) => toError(problem, file)));
  }
  return file.data as T;
}

/**
 * Validates a parsed policy file against policies/policy.schema.json (compiled at build time by
 * scripts/generate-validators.mjs) and the rules a schema cannot say. Every problem becomes one
 * error naming file, line, field, what was expected and what was found; all are thrown together.
 * Unknown fields are errors: a typo must never disable a rule.
 */
export function validatePolicyFile(file: ParsedFile): PolicyDocument {
  return validateModel<PolicyDocument>(file, validatePolicy, semanticProblems);
}

export interface Problem {
  path: (string | number)[];
  message: string;
}

function toError(problem: Problem, file: ParsedFile): TfguardError {
  const line = locateLine(file.text, problem.path);
  const where = line === undefined ? file.source : `${file.source}:${line}`;
  const field = problem.path.length === 0 ? '' : `${formatPath(problem.path)}: `;
  return new TfguardError(where, `${field}${problem.message}`);
}

/** Ajv reports an `anyOf`/`if` failure and its branches; keep the errors a person can act on. */
function usefulErrors(errors: ErrorObject[]): ErrorObject[] {
  const seen = new Set<string>();
  return errors.filter((error) => {
    if (error.keyword === 'if' || error.keyword === 'anyOf' || error.keyword === 'oneOf') return false;
    const key = `${error.instancePath} ${error.keyword} ${JSON.stringify(error.params)}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function pathOf(pointer: string): (string | number)[] {
  if (pointer === '') return [];
  return pointer
    .slice(1)
    .split('/')
    .map((step) => step.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((step) => (/^\d+$/.test(step) ? Number(step) : step));
}

function found(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return value.length === 0 ? 'an empty list' : `a list (${truncate(JSON.stringify(value))})`;
  if (typeof value === 'object') return 'a block/object';
  return `${typeof value === 'string' ? 'the string' : `the ${typeof value}`} ${truncate(JSON.stringify(value))}`;
}

function truncate(text: string): string {
  return text.length > 60 ? `${text.slice(0, 57)}…` : text;
}

function describeSchemaError(error: ErrorObject, data: unknown): Problem {
  const path = pathOf(error.instancePath);
  const value = valueAt(data as JsonValue, path);
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case 'additionalProperties': {
      const key = String(params.additionalProperty);
      const allowed = allowedKeys(error);
      const suggestion = closest(key, allowed);
      return {
        path: [...path, key],
        message: `unknown field${suggestion ? ` (did you mean "${suggestion}"?)` : ''}; expected one of ${allowed.join(', ')}`,
      };
    }
    case 'required':
      return { path, message: `missing required field "${String(params.missingProperty)}"` };
    case 'enum':
      return { path, message: `expected one of ${(params.allowedValues as unknown[]).map((item) => JSON.stringify(item)).join(', ')}; found ${found(value)}` };
    case 'const':
      return { path, message: `expected ${JSON.stringify(params.allowedValue)}; found ${found(value)}` };
    case 'type':
      return { path, message: `expected ${article(String(params.type))}; found ${found(value)}` };
    case 'minimum':
    case 'maximum':
    case 'exclusiveMinimum':
    case 'exclusiveMaximum':
      return { path, message: `expected a number ${String(params.comparison)} ${String(params.limit)}; found ${found(value)}` };
    case 'minItems':
      return { path, message: `expected at least ${String(params.limit)} item(s); found ${found(value)}` };
    case 'minLength':
      return { path, message: `expected a non-empty string; found ${found(value)}` };
    case 'pattern':
      return { path, message: `expected a value matching ${String(params.pattern)}; found ${found(value)}` };
    case 'propertyNames':
      return { path: [...path, String(params.propertyName)], message: 'this name is not allowed: use letters, digits, "-", "_" and "."' };
    default:
      return { path, message: error.message ?? 'invalid' };
  }
}

function article(type: string): string {
  const names: Record<string, string> = { object: 'a block/object', array: 'a list', string: 'a string', number: 'a number', integer: 'a whole number', boolean: 'true or false' };
  return type.split(',').map((item) => names[item] ?? item).join(' or ');
}

function allowedKeys(error: ErrorObject): string[] {
  const properties = (error.parentSchema as { properties?: Record<string, unknown> } | undefined)?.properties ?? {};
  return Object.keys(properties).filter((key) => key !== '$schema');
}

function closest(key: string, candidates: string[]): string | undefined {
  let best: { candidate: string; distance: number } | undefined;
  for (const candidate of candidates) {
    const distance = editDistance(key.toLowerCase(), candidate.toLowerCase());
    if (distance <= Math.max(2, Math.floor(candidate.length / 3)) && (!best || distance < best.distance)) best = { candidate, distance };
  }
  return best?.candidate;
}

function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, index) => index);
  for (let i = 1; i <= a.length; i += 1) {
    let diagonal = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j += 1) {
      const above = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, diagonal + (a[i - 1] === b[j - 1] ? 0 : 1));
      diagonal = above;
    }
  }
  return row[b.length]!;
}

const CHANGE_KEYS = ['kinds', 'destructive', 'categories', 'severities', 'types', 'addresses', 'modules'] as const;

/** What the schema cannot say: subjects not mixed, approvals where they mean something, globs and keys that parse. */
function semanticProblems(document: PolicyDocument): Problem[] {
  const problems: Problem[] = [];
  for (const [name, rule] of Object.entries(document.rule ?? {})) {
    const at = (...rest: (string | number)[]) => ['rule', name, ...rest];
    const match = rule.match ?? {};
    if (match.whole_environment) {
      const mixed = [...CHANGE_KEYS, 'stateful', 'protection_downgrade', 'attributes'].filter((key) => key in match);
      if (mixed.length > 0) {
        problems.push({ path: at('match'), message: `whole_environment matches the plan as a whole and cannot be combined with ${mixed.join(', ')}; write a separate rule` });
      }
    }
    if (match.protection_downgrade) {
      const mixed = (['kinds', 'destructive'] as const).filter((key) => key in match);
      if (mixed.length > 0) problems.push({ path: at('match'), message: `protection_downgrade matches in-place updates and cannot be combined with ${mixed.join(', ')}` });
    } else if (match.attributes) {
      problems.push({ path: at('match', 'attributes'), message: 'attributes only applies with protection_downgrade = true' });
    }
    if (!['advisory', 'soft-mandatory', 'hard-mandatory'].includes(rule.enforcement)) continue;
    if (rule.enforcement === 'soft-mandatory' && !rule.approval) {
      problems.push({ path: at('approval'), message: 'a soft-mandatory rule needs an approval block (how many senior approvals unblock it); use hard-mandatory if nothing may unblock it' });
    }
    if (rule.enforcement !== 'soft-mandatory' && rule.approval) {
      problems.push({ path: at('approval'), message: `approval has no effect on ${rule.enforcement === 'advisory' ? 'an' : 'a'} ${rule.enforcement} rule; remove it, or make the rule soft-mandatory` });
    }
    for (const key of ['types', 'addresses', 'modules', 'attributes', 'environments'] as const) {
      (match[key] ?? []).forEach((glob, index) => {
        const problem = checkGlob(glob);
        if (problem) problems.push({ path: at('match', key, index), message: problem });
      });
    }
  }
  for (const key of ['types', 'addresses', 'modules', 'exclude_types', 'exclude_addresses'] as const) {
    (document.stateful?.[key] ?? []).forEach((glob, index) => {
      const problem = checkGlob(glob);
      if (problem) problems.push({ path: ['stateful', key, index], message: problem });
    });
  }
  const signatures = document.provenance?.ai_signatures ?? {};
  for (const key of ['trailers', 'authors', 'labels', 'messages'] as const) {
    (signatures[key] ?? []).forEach((glob, index) => {
      const problem = checkGlob(glob);
      if (problem) problems.push({ path: ['provenance', 'ai_signatures', key, index], message: problem });
    });
  }
  for (const [id, approver] of Object.entries(document.approver ?? {})) {
    if (approver.github === undefined && (approver.ssh_keys ?? []).length === 0) {
      problems.push({ path: ['approver', id], message: 'an approver needs a GitHub login (github = "…"), SSH public keys (ssh_keys = […]), or both' });
    }
    (approver.ssh_keys ?? []).forEach((line, index) => {
      const result = parseSshPublicKey(line);
      if (!result.ok) problems.push({ path: ['approver', id, 'ssh_keys', index], message: result.reason });
    });
  }
  return problems;
}

/**
 * What tfguard must answer, computed from the mutated document alone (never from tfguard's code):
 * which entries are destructive or not understood, which strings are marked sensitive, and what
 * an output may not contain.
 */
import { all, JObject, type JValue } from './json-dup.js';
import { allStrings, entryMarkedStrings, isObject, markedStrings, unmarkedStrings } from './marks.js';
import { FORGET_ACTION_LISTS, SAFE_ACTION_LISTS } from './mutations.js';
import { CATALOGUE, type Json, type JsonObject } from './seeds.js';

// ---------------------------------------------------------------------------------------------
// Property 2: destructive actions

export interface Expectation {
  /** Where the expectation comes from, for messages. */
  what: string;
  /** Every string address the entry has (more than one when the key is duplicated). */
  addresses: string[];
  /** Stateful under the built-in catalogue in some reading, with a destroying (not forgetting) action: must block (with --provenance ai) or error. */
  mustBlock: boolean;
}

type ActionClass = 'safe' | 'forget' | 'destroy';

/** Reads an actions value as the contract does: the four safe lists, the three forget lists, everything else destructive. */
function classify(actions: JValue | undefined): ActionClass {
  if (!Array.isArray(actions) || !actions.every((action) => typeof action === 'string')) return 'destroy';
  const key = (actions as string[]).join(',');
  if (SAFE_ACTION_LISTS.has(key)) return 'safe';
  if (FORGET_ACTION_LISTS.has(key)) return 'forget';
  return 'destroy';
}

const strings = (values: JValue[]): string[] => values.filter((value): value is string => typeof value === 'string');
const isStateful = (types: string[]): boolean => types.some((type) => CATALOGUE.stateful.has(type));
/** Not exactly `data` in some reading (a missing mode included): the entry may be a managed resource. */
const mayBeManaged = (entry: JObject): boolean => {
  const modes = entry.all('mode');
  return modes.length === 0 || modes.some((mode) => mode !== 'data');
};

function entryExpectation(entry: JObject, what: string): Expectation | undefined {
  if (!mayBeManaged(entry)) return undefined;
  const changes = entry.all('change');
  const readings: (JValue | undefined)[] = [];
  if (changes.length === 0) readings.push(undefined);
  for (const change of changes) {
    const actions = all(change, 'actions');
    if (actions.length === 0) readings.push(undefined);
    readings.push(...actions);
  }
  const classes = readings.map(classify);
  if (!classes.includes('destroy') && !classes.includes('forget')) return undefined;
  const stateful = isStateful(strings(entry.all('type')));
  return { what, addresses: strings(entry.all('address')), mustBlock: stateful && classes.includes('destroy') };
}

/** Module objects of a module tree (iterative; every reading of duplicated keys). */
function moduleResources(root: JValue | undefined): JObject[] {
  const out: JObject[] = [];
  const stack: JValue[] = root === undefined ? [] : [root];
  while (stack.length > 0) {
    const module = stack.pop() as JValue;
    if (!(module instanceof JObject)) continue;
    for (const resources of module.all('resources')) if (Array.isArray(resources)) for (const r of resources) if (r instanceof JObject) out.push(r);
    for (const children of module.all('child_modules')) if (Array.isArray(children)) stack.push(...children);
  }
  return out;
}

const roots = (top: JObject, ...path: string[]): JValue[] => path.reduce<JValue[]>((values, key) => values.flatMap((value) => all(value, key)), [top]);

/**
 * Every destructive (or not understood) change the document holds, in any reading of its duplicate
 * keys: managed-or-odd-mode entries of resource_changes whose actions are not a safe list, and
 * resources that prior_state holds while planned_values (which lists the planned resources) and
 * resource_changes both leave them out.
 */
export function destructiveExpectations(root: JValue): Expectation[] {
  if (!(root instanceof JObject)) return [];
  const out: Expectation[] = [];
  const changeLists = root.all('resource_changes');
  changeLists.forEach((list, listIndex) => {
    if (!Array.isArray(list)) return;
    list.forEach((entry, index) => {
      if (!(entry instanceof JObject)) return;
      const expectation = entryExpectation(entry, `resource_changes${changeLists.length > 1 ? `#${listIndex + 1}` : ''}[${index}]`);
      if (expectation) out.push(expectation);
    });
  });

  // Implied deletions: not in a targeted plan (complete: false lists only the targets) and not in a
  // refresh-only-shaped plan (planned_values lists no resource at all).
  if (root.all('complete').some((value) => value === false)) return out;
  const planned = roots(root, 'planned_values', 'root_module').flatMap(moduleResources);
  if (planned.length === 0) return out;
  const plannedAddresses = new Set(planned.flatMap((resource) => strings(resource.all('address'))));
  const readings: (JValue | undefined)[] = changeLists.length > 0 ? changeLists : [undefined];
  const seen = new Set<string>();
  for (const reading of readings) {
    const accounted = new Set<string>();
    if (Array.isArray(reading)) {
      for (const entry of reading) for (const key of ['address', 'previous_address']) for (const address of strings(all(entry, key))) accounted.add(address);
    }
    for (const resource of roots(root, 'prior_state', 'values', 'root_module').flatMap(moduleResources)) {
      if (!mayBeManaged(resource)) continue;
      const addresses = strings(resource.all('address'));
      if (addresses.length === 0 || addresses.some((address) => plannedAddresses.has(address) || accounted.has(address))) continue;
      const key = addresses.join('\u0000');
      if (seen.has(key)) continue;
      seen.add(key);
      out.push({ what: `prior_state ${addresses.join(' | ')} (in neither planned_values nor resource_changes)`, addresses, mustBlock: isStateful(strings(resource.all('type'))) });
    }
  }
  return out;
}

/** What a run printed (the shape runMain returns). */
export interface RunResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

interface ReportFinding {
  address?: unknown;
  effect?: unknown;
}

/** Property 2's judgement of one run: every destructive change blocks (stateful) or is reported, or the run is an error (exit 2). */
export function checkDestructive(root: JValue, result: RunResult): string[] {
  const expectations = destructiveExpectations(root);
  if (expectations.length === 0 || result.status === 2) return [];
  if (result.status !== 0 && result.status !== 1) return [`exit ${result.status} is not 0, 1 or 2`];
  let findings: ReportFinding[];
  try {
    findings = ((JSON.parse(result.stdout) as { findings?: ReportFinding[] }).findings ?? []) as ReportFinding[];
  } catch {
    return [`exit ${result.status} without a JSON report on stdout`];
  }
  const reported = (expectation: Expectation, blocking: boolean): boolean =>
    findings.some(
      (finding) => (expectation.addresses.length === 0 || expectation.addresses.includes(finding.address as string)) && (!blocking || finding.effect === 'block'),
    );
  const problems: string[] = [];
  for (const expectation of expectations) {
    if (expectation.mustBlock) {
      if (result.status !== 1 || !reported(expectation, true)) {
        problems.push(`${expectation.what} ${JSON.stringify(expectation.addresses)}: destructive on a stateful type, but exit ${result.status}${result.status === 1 ? ' without a blocking finding for it' : ''}`);
      }
    } else if (!reported(expectation, false)) {
      problems.push(`${expectation.what} ${JSON.stringify(expectation.addresses)}: destructive or not understood, but no finding names it (exit ${result.status})`);
    }
  }
  return problems;
}

// ---------------------------------------------------------------------------------------------
// Property 3: sensitive values

const SAFE_SECRET = /^[A-Za-z0-9 ._:/@=+-]{8,}$/;
const SAFE_RUN = /[A-Za-z0-9 ._:/@=+-]{10,}/g;

function moduleResourcesPlain(root: Json | undefined): JsonObject[] {
  const out: JsonObject[] = [];
  const stack: (Json | undefined)[] = [root];
  while (stack.length > 0) {
    const module = stack.pop();
    if (!isObject(module)) continue;
    if (Array.isArray(module.resources)) out.push(...module.resources.filter(isObject));
    if (Array.isArray(module.child_modules)) stack.push(...module.child_modules);
  }
  return out;
}

const get = (value: Json | undefined, ...path: string[]): Json | undefined => path.reduce<Json | undefined>((node, key) => (isObject(node) ? node[key] : undefined), value);

/** Entries of resource_changes, resource_drift and deferred_changes. */
function entries(doc: JsonObject): JsonObject[] {
  const out: JsonObject[] = [];
  for (const list of ['resource_changes', 'resource_drift']) if (Array.isArray(doc[list])) out.push(...(doc[list] as Json[]).filter(isObject));
  if (Array.isArray(doc.deferred_changes)) out.push(...doc.deferred_changes.map((d) => get(d, 'resource_change')).filter(isObject));
  return out;
}

/**
 * Every string the plan marks sensitive: before_sensitive / after_sensitive of resource and output
 * changes, sensitive_values of planned and prior resources, sensitive outputs, and the values of
 * variables the configuration declares sensitive.
 */
export function sensitiveStrings(doc: JsonObject): Set<string> {
  const out = new Set<string>();
  for (const entry of entries(doc)) for (const value of entryMarkedStrings(entry)) out.add(value);
  if (isObject(doc.output_changes)) {
    for (const change of Object.values(doc.output_changes)) {
      if (!isObject(change)) continue;
      markedStrings(change.before, change.before_sensitive, out);
      markedStrings(change.after, change.after_sensitive, out);
    }
  }
  for (const values of [get(doc, 'planned_values'), get(doc, 'prior_state', 'values')]) {
    const outputs = get(values, 'outputs');
    if (isObject(outputs)) for (const output of Object.values(outputs)) if (isObject(output) && output.sensitive === true) allStrings(output.value, out);
    for (const resource of moduleResourcesPlain(get(values, 'root_module'))) markedStrings(resource.values, resource.sensitive_values, out);
  }
  const variables = get(doc, 'configuration', 'root_module', 'variables');
  if (isObject(variables)) {
    for (const [name, variable] of Object.entries(variables)) {
      if (!isObject(variable) || variable.sensitive !== true) continue;
      allStrings(variable.default, out);
      allStrings(get(doc, 'variables', name, 'value'), out);
    }
  }
  return out;
}

/**
 * Strings tfguard may print by design: what names things (addresses, types, names, providers,
 * modes, reasons, actions, replace_paths steps, deposed keys, versions), and the values of an
 * entry's change that no mark covers (attribute changes, protection attributes, an import ID)
 * unless the entry marks a value equal to them sensitive: a copy of a secret in an unmarked
 * attribute (terraform_data's `output`, a planted note, an import ID) is still the secret.
 */
export function printableStrings(doc: JsonObject): string[] {
  const out = new Set<string>();
  const add = (value: Json | undefined): void => {
    if (typeof value === 'string') out.add(value);
    else if (typeof value === 'number') out.add(String(value));
  };
  for (const key of ['format_version', 'terraform_version', 'timestamp']) add(doc[key]);
  const identifiers = ['address', 'previous_address', 'type', 'name', 'provider_name', 'module_address', 'deposed', 'deposed_key', 'index', 'action_reason', 'mode'];
  for (const entry of entries(doc)) {
    for (const key of identifiers) add(entry[key]);
    const change = entry.change;
    if (!isObject(change)) continue;
    if (Array.isArray(change.actions)) change.actions.forEach(add);
    if (Array.isArray(change.replace_paths)) for (const path of change.replace_paths) if (Array.isArray(path)) path.forEach(add);
    const own = entryMarkedStrings(entry);
    const id = get(change, 'importing', 'id');
    const unmarked = new Set<string>();
    if (typeof id === 'string') unmarked.add(id);
    unmarkedStrings(change.before, change.before_sensitive, unmarked);
    unmarkedStrings(change.after, change.after_sensitive, unmarked);
    for (const value of unmarked) if (!own.has(value)) out.add(value);
  }
  for (const values of [get(doc, 'planned_values'), get(doc, 'prior_state', 'values')]) {
    for (const resource of moduleResourcesPlain(get(values, 'root_module'))) for (const key of identifiers) add(resource[key]);
  }
  return [...out];
}

export interface Leak {
  secret: string;
  found: string;
}

/**
 * The sensitive strings (whole, and every 10-character window of them, which catches a parser
 * message quoting part of the file) that appear in `output` although nothing printable-by-design
 * contains them.
 */
export function findLeaks(output: string, sensitive: Set<string>, printable: readonly string[]): Leak[] {
  const allowed = printable.join('\u0001');
  const pieces = new Set<string>();
  for (const value of sensitive) {
    if (SAFE_SECRET.test(value)) pieces.add(value);
    else for (const run of value.match(SAFE_RUN) ?? []) pieces.add(run);
  }
  const leaks: Leak[] = [];
  for (const piece of pieces) {
    if (allowed.includes(piece)) continue;
    if (output.includes(piece)) {
      leaks.push({ secret: piece, found: piece });
      continue;
    }
    for (let start = 0; start + 10 <= piece.length; start++) {
      const window = piece.slice(start, start + 10);
      if (!allowed.includes(window) && output.includes(window)) {
        leaks.push({ secret: piece, found: window });
        break;
      }
    }
  }
  return leaks;
}

/** The sensitive strings worth aiming damage at (for `near` offsets). */
export function secretAnchors(doc: JsonObject): string[] {
  return [...sensitiveStrings(doc)].filter((value) => SAFE_SECRET.test(value));
}

// ---------------------------------------------------------------------------------------------
// Properties 1 and 4: output hygiene

/** C0 controls but the line feed, DEL, C1 controls, zero-width characters, bidi embeddings/overrides/isolates. */
export const RAW_UNSAFE = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2066-\u2069]/u;
/** A line a CI runner reads as a workflow command: only possible when input text broke a line. */
export const WORKFLOW_COMMAND_LINE = /^(::|##\[)/m;
export const STACK_TRACE = /\n\s+at /;
export const INTERNAL_ERROR = /internal error/i;

/** The first unsafe character of a text, with its surroundings, for a message. */
export function firstUnsafe(text: string): string | undefined {
  const match = RAW_UNSAFE.exec(text);
  if (!match) return undefined;
  const code = match[0].codePointAt(0) ?? 0;
  return `U+${code.toString(16).toUpperCase().padStart(4, '0')} at ${match.index} in ${JSON.stringify(text.slice(Math.max(0, match.index - 60), match.index + 20))}`;
}

/**
 * Mutations of real plans, as plain data (so fast-check prints and shrinks them readably), and the
 * code that applies them: structural edits of the parsed document, then edits of its text
 * (duplicate keys, corruption), then the encoding, then truncation of the bytes.
 */
import fc from 'fast-check';
import { parseWithDuplicates, pathOf, type MemberPosition } from './json-dup.js';
import { entryMarkedStrings, isObject } from './marks.js';
import { CATALOGUE, FIXTURE_SECRET, seedByName, type Json, type JsonObject } from './seeds.js';

export type Path = (string | number)[];

/** Where a mutation lands: the plan's top level, a resource_changes/resource_drift entry, its change, the module trees, attribute values, anywhere. */
export type Area = 'top' | 'entry' | 'change' | 'module' | 'values' | 'any';
export type RetypeTo = 'string' | 'number' | 'big-number' | 'boolean' | 'null' | 'object' | 'array' | 'wrap-array' | 'wrap-object';
/** A hostile string, or a long one written as a repetition so counterexamples stay readable. */
export type HostileSpec = string | { repeat: string; times: number };
export type NestWhere = 'child_modules' | 'replace_paths' | 'values';
export type PlantWhere =
  | 'importing.id'
  | 'importing.id-object'
  | 'importing-string'
  | 'importing-array'
  | 'unmarked-attribute'
  | 'after_unknown-string'
  | 'replace_paths-string'
  | 'before-string'
  | 'change-string'
  | 'planned-values-attribute';

export type Mutation =
  | { op: 'retype'; area: Area; pick: number; to: RetypeTo }
  | { op: 'delete'; area: Area; pick: number }
  | { op: 'insert-null'; area: Area; pick: number }
  | { op: 'hostile'; area: Area; pick: number; value: HostileSpec }
  | { op: 'hostile-key'; area: Area; pick: number; value: HostileSpec }
  | { op: 'mode'; pick: number; value: Json | 'DELETE-KEY' }
  | { op: 'actions'; pick: number; value: Json }
  | { op: 'nest'; where: NestWhere; pick: number; depth: number }
  | { op: 'drop-resource-changes' }
  | { op: 'duplicate-entry'; pick: number }
  /** Puts a value the entry marks sensitive into another field of the same entry (or its planned values). */
  | { op: 'plant-secret'; pick: number; where: PlantWhere }
  /** Sets an attribute (a protection attribute of the type, or `password`) to a fresh token and marks it sensitive. */
  | { op: 'mark-sensitive'; pick: number; attribute: 'protection' | 'password'; side: 'before' | 'after' | 'both'; token: number };

export type Offset = { fraction: number } | { near: number; delta: number };

export type TextMutation =
  /** A second `"key": value` member before or after an existing one (`*`: any key). */
  | { op: 'dup'; key: string; pick: number; value: string; where: 'before' | 'after' }
  /** The same, on the target entry of property 2 (its `change.actions`, `mode`, `type`, `change`) or on the top-level `resource_changes`. */
  | { op: 'dup-target'; key: 'actions' | 'mode' | 'type' | 'change' | 'resource_changes'; value: string; where: 'before' | 'after' };

export type Damage = { op: 'corrupt'; at: Offset; ch: string } | { op: 'cut-prefix'; at: Offset };

export type Encoding = 'utf8' | 'utf8-bom' | 'utf16le-bom' | 'utf16be-bom';

/** Property 2: one managed entry gets a destructive action (or loses its resource_changes entry while prior_state keeps it). */
export interface TargetSpec {
  pick: number;
  retype: { to: 'keep' } | { to: 'stateful' | 'plain'; pick: number };
  variant: { kind: 'actions'; actions: Json } | { kind: 'implied' };
  mode: Json | 'DELETE-KEY' | 'KEEP';
}

export interface Case {
  seed: string;
  target?: TargetSpec;
  mutations: Mutation[];
  text: TextMutation[];
  damage: Damage | null;
  encoding: Encoding;
  truncate: { at: Offset; split: boolean } | null;
}

export interface Built {
  bytes: Buffer;
  /** The document after the structural mutations (before text edits, encoding, truncation). */
  doc: JsonObject;
  /** The target entry's address after retyping, for messages. */
  targetAddress?: string;
}

// ---------------------------------------------------------------------------------------------
// Arbitraries

const range = (from: number, to: number): number[] => Array.from({ length: to - from + 1 }, (_, k) => from + k);

/** C0 controls, DEL, C1 controls, zero-width characters, bidi embeddings/overrides and isolates. */
export const HOSTILE_CODE_POINTS = [...range(0x00, 0x1f), 0x7f, ...range(0x80, 0x9f), ...range(0x200b, 0x200f), ...range(0x202a, 0x202e), ...range(0x2066, 0x2069)];
const hostileChar = fc.constantFrom(...HOSTILE_CODE_POINTS.map((code) => String.fromCharCode(code)));
// No `t` in the plain alphabet: a planted string can never spell a stack frame ("\n    at ") or "internal error".
const plainChar = fc.constantFrom(...'abcz09._-[]"\\/:{} =#%'.split(''));
const SPECIAL_STRINGS = [
  '##[warning]planted',
  '##[error]planted',
  '::error::planted',
  '::warning file=main.tf,line=1::planted',
  '::add-mask::planted',
  '\n::error::planted',
  '\r\n##[warning]planted',
  'x\n::stop-commands::abc\ny',
  'a\u202eevil\u202c',
  '\u2066isolated\u2069',
  'zero\u200bwidth\u200f',
  '\u001b[2J\u001b[31mred\u001b[0m',
  '\u0007bell\u0008',
  '\u009b31m\u0085',
  'del\u007f',
  'nul\u0000byte',
  '',
];

export const hostileString: fc.Arbitrary<HostileSpec> = fc.oneof(
  { arbitrary: fc.array(fc.oneof(hostileChar, plainChar), { minLength: 1, maxLength: 24 }).map((chars) => chars.join('')), weight: 4 },
  { arbitrary: fc.constantFrom(...SPECIAL_STRINGS), weight: 3 },
  { arbitrary: fc.record({ repeat: fc.oneof(fc.constant('A'), hostileChar.map((c) => `A${c}`)), times: fc.integer({ min: 1_000, max: 120_000 }) }), weight: 1 },
);

export const materialize = (spec: HostileSpec): string => (typeof spec === 'string' ? spec : spec.repeat.repeat(spec.times));

const pick = fc.nat({ max: 999_999 });
const area = fc.constantFrom<Area>('top', 'entry', 'change', 'module', 'values', 'any');

/** `mode` values that are neither exactly `managed` nor exactly `data`. */
export const ODD_MODES: Json[] = ['Managed', 'resource', 'MANAGED', 'managed ', ' managed', 'managed\u200b', 'Data', 'data ', '', null, 0, ['managed'], {}];

/** Action lists Terraform never writes, and ones named like Object.prototype members. */
export const ODD_ACTION_NAMES = ['constructor', 'toString', '__proto__', 'hasOwnProperty', 'valueOf', 'isPrototypeOf', 'purge', 'destroy', 'Delete', 'no-op '];
const SAFE_OR_NOT = ['no-op', 'create', 'read', 'update', 'delete', 'forget', ...ODD_ACTION_NAMES];

/** Exactly the lists tfguard's contract calls safe. */
export const SAFE_ACTION_LISTS = new Set(['no-op', 'create', 'read', 'update']);
/** Exactly the lists that forget (keep the object): reported, blocked by no built-in rule. */
export const FORGET_ACTION_LISTS = new Set(['forget', 'create,forget', 'forget,create']);

export const isSafeActions = (actions: unknown): boolean => Array.isArray(actions) && actions.every((a) => typeof a === 'string') && SAFE_ACTION_LISTS.has(actions.join(','));

/** A `change.actions` value that is destructive or not understood: never one of the safe lists. */
export const destructiveActions: fc.Arbitrary<Json> = fc.oneof(
  { arbitrary: fc.constantFrom<Json>(['delete'], ['delete', 'create'], ['create', 'delete'], ['forget'], ['create', 'forget'], ['forget', 'create']), weight: 6 },
  { arbitrary: fc.constantFrom(...ODD_ACTION_NAMES).map((name): Json => [name]), weight: 3 },
  {
    arbitrary: fc.array(fc.constantFrom(...SAFE_OR_NOT), { maxLength: 3 }).filter((list) => !SAFE_ACTION_LISTS.has(list.join(','))),
    weight: 2,
  },
  { arbitrary: fc.constantFrom<Json>('delete', null, {}, { 0: 'delete' }, [null], [['delete']], [0]), weight: 1 },
);

/** Any `change.actions` value, safe ones included. */
const anyActions: fc.Arbitrary<Json> = fc.oneof(destructiveActions, fc.constantFrom<Json>(['no-op'], ['create'], ['update'], ['read']));

const retypeTo = fc.constantFrom<RetypeTo>('string', 'number', 'big-number', 'boolean', 'null', 'object', 'array', 'wrap-array', 'wrap-object');
const depth = fc.oneof({ arbitrary: fc.integer({ min: 1, max: 40 }), weight: 3 }, { arbitrary: fc.constantFrom(1_000, 5_000, 20_000, 100_000), weight: 1 });

/** Structural mutations of every kind (types, nulls, deletions, hostile strings, modes, actions, nesting). */
export const structuralMutation: fc.Arbitrary<Mutation> = fc.oneof(
  { arbitrary: fc.record({ op: fc.constant('retype' as const), area, pick, to: retypeTo }), weight: 4 },
  { arbitrary: fc.record({ op: fc.constant('delete' as const), area, pick }), weight: 3 },
  { arbitrary: fc.record({ op: fc.constant('insert-null' as const), area, pick }), weight: 2 },
  { arbitrary: fc.record({ op: fc.constant('hostile' as const), area, pick, value: hostileString }), weight: 3 },
  { arbitrary: fc.record({ op: fc.constant('hostile-key' as const), area, pick, value: hostileString }), weight: 1 },
  { arbitrary: fc.record({ op: fc.constant('mode' as const), pick, value: fc.constantFrom<Json | 'DELETE-KEY'>(...ODD_MODES, 'DELETE-KEY', 'data', 'managed') }), weight: 1 },
  { arbitrary: fc.record({ op: fc.constant('actions' as const), pick, value: anyActions }), weight: 2 },
  { arbitrary: fc.record({ op: fc.constant('nest' as const), where: fc.constantFrom<NestWhere>('child_modules', 'replace_paths', 'values'), pick, depth }), weight: 1 },
  { arbitrary: fc.constant({ op: 'drop-resource-changes' as const }), weight: 1 },
  { arbitrary: fc.record({ op: fc.constant('duplicate-entry' as const), pick }), weight: 1 },
);

/** Hostile strings only (property 4 leans on these). */
export const hostileMutation: fc.Arbitrary<Mutation> = fc.oneof(
  { arbitrary: fc.record({ op: fc.constant('hostile' as const), area, pick, value: hostileString }), weight: 5 },
  { arbitrary: fc.record({ op: fc.constant('hostile-key' as const), area, pick, value: hostileString }), weight: 1 },
);

const plantWhere = fc.constantFrom<PlantWhere>(
  'importing.id',
  'importing.id-object',
  'importing-string',
  'importing-array',
  'unmarked-attribute',
  'after_unknown-string',
  'replace_paths-string',
  'before-string',
  'change-string',
  'planned-values-attribute',
);

/** Secrets moved into other fields, and fresh sensitive values on protection attributes (property 3). */
export const secretMutation: fc.Arbitrary<Mutation> = fc.oneof(
  { arbitrary: fc.record({ op: fc.constant('plant-secret' as const), pick, where: plantWhere }), weight: 3 },
  {
    arbitrary: fc.record({
      op: fc.constant('mark-sensitive' as const),
      pick,
      attribute: fc.constantFrom<'protection' | 'password'>('protection', 'password'),
      side: fc.constantFrom<'before' | 'after' | 'both'>('before', 'after', 'both'),
      token: fc.nat({ max: 1_000_000 }),
    }),
    weight: 1,
  },
);

const dupKey = fc.constantFrom('actions', 'mode', 'type', 'address', 'resource_changes', 'change', 'before_sensitive', 'after_sensitive', 'importing', 'format_version', 'child_modules', 'resources', '*');
const dupValue = fc.constantFrom('["no-op"]', '["delete"]', '"data"', '"managed"', '[]', '{}', 'null', 'false', 'true', '"1.2"', '0', '"terraform_data"');
const where = fc.constantFrom<'before' | 'after'>('before', 'after');

/** Duplicate keys written into the text. */
export const dupMutation: fc.Arbitrary<TextMutation> = fc.record({ op: fc.constant('dup' as const), key: dupKey, pick, value: dupValue, where });

/** Duplicates that hide property 2's destructive action from a last-value-wins reader, or from a first-value-wins one. */
export const hidingMutation: fc.Arbitrary<TextMutation> = fc.oneof(
  fc.record({ op: fc.constant('dup-target' as const), key: fc.constant('actions' as const), value: fc.constantFrom('["no-op"]', '["update"]', '["create"]', '["read"]'), where }),
  fc.record({ op: fc.constant('dup-target' as const), key: fc.constant('mode' as const), value: fc.constant('"data"'), where }),
  fc.record({ op: fc.constant('dup-target' as const), key: fc.constant('type' as const), value: fc.constant('"terraform_data"'), where }),
  fc.record({ op: fc.constant('dup-target' as const), key: fc.constant('change' as const), value: fc.constant('{"actions":["no-op"],"before":null,"after":null}'), where }),
  fc.record({ op: fc.constant('dup-target' as const), key: fc.constant('resource_changes' as const), value: fc.constant('[]'), where }),
);

export const offset: fc.Arbitrary<Offset> = fc.oneof(fc.record({ fraction: fc.nat({ max: 9_999 }) }), fc.record({ near: fc.nat({ max: 63 }), delta: fc.integer({ min: -40, max: 40 }) }));

export const damage: fc.Arbitrary<Damage> = fc.oneof(
  fc.record({ op: fc.constant('corrupt' as const), at: offset, ch: fc.constantFrom(',', '}', ']', 'x', '"', '\\', '\u0000', '{', ':') }),
  fc.record({ op: fc.constant('cut-prefix' as const), at: offset }),
);

export const encoding: fc.Arbitrary<Encoding> = fc.oneof(
  { arbitrary: fc.constant<Encoding>('utf8'), weight: 6 },
  { arbitrary: fc.constantFrom<Encoding>('utf8-bom', 'utf16le-bom', 'utf16be-bom'), weight: 2 },
);

export const truncation = fc.record({ at: offset, split: fc.boolean() });

export const targetSpec: fc.Arbitrary<TargetSpec> = fc.record({
  pick,
  retype: fc.oneof(
    fc.constant({ to: 'keep' as const }),
    fc.record({ to: fc.constant('stateful' as const), pick }),
    fc.record({ to: fc.constant('plain' as const), pick }),
  ),
  variant: fc.oneof(
    { arbitrary: fc.record({ kind: fc.constant('actions' as const), actions: destructiveActions }), weight: 4 },
    { arbitrary: fc.constant({ kind: 'implied' as const }), weight: 1 },
  ),
  mode: fc.oneof(
    { arbitrary: fc.constant<'KEEP'>('KEEP'), weight: 3 },
    { arbitrary: fc.constantFrom<Json | 'DELETE-KEY'>(...ODD_MODES.filter((mode) => mode !== 'data'), 'DELETE-KEY'), weight: 1 },
  ),
});

// ---------------------------------------------------------------------------------------------
// Paths and locations

function getAt(root: Json, path: Path): Json | undefined {
  let node: Json | undefined = root;
  for (const step of path) {
    if (Array.isArray(node) && typeof step === 'number') node = node[step];
    else if (isObject(node) && typeof step === 'string') node = Object.hasOwn(node, step) ? node[step] : undefined;
    else return undefined;
  }
  return node;
}

function setAt(root: JsonObject, path: Path, value: Json): void {
  const parent = getAt(root, path.slice(0, -1));
  const last = path[path.length - 1];
  if (Array.isArray(parent) && typeof last === 'number') parent[last] = value;
  else if (isObject(parent) && typeof last === 'string') parent[last] = value;
}

function deleteAt(root: JsonObject, path: Path): void {
  const parent = getAt(root, path.slice(0, -1));
  const last = path[path.length - 1];
  if (Array.isArray(parent) && typeof last === 'number') parent.splice(last, 1);
  else if (isObject(parent) && typeof last === 'string') delete parent[last];
}

/** Renames an object key in place, keeping the member order. */
function renameKey(root: JsonObject, path: Path, to: string): void {
  const parent = getAt(root, path.slice(0, -1));
  const last = path[path.length - 1];
  if (!isObject(parent) || typeof last !== 'string' || to === last) return;
  const entries = Object.entries(parent);
  for (const key of Object.keys(parent)) delete parent[key];
  for (const [key, value] of entries) parent[key === last ? to : key] = value;
}

/** Every node below `path` down to `maxDepth` more levels, breadth first, at most `limit`. */
function descendants(root: Json, path: Path, maxDepth: number, limit = 20_000): Path[] {
  const out: Path[] = [];
  const queue: [Path, number][] = [[path, 0]];
  for (let head = 0; head < queue.length && out.length < limit; head++) {
    const [current, level] = queue[head] as [Path, number];
    if (current !== path) out.push(current);
    if (level >= maxDepth) continue;
    const node = getAt(root, current);
    if (Array.isArray(node)) node.forEach((_, index) => queue.push([[...current, index], level + 1]));
    else if (isObject(node)) for (const key of Object.keys(node)) queue.push([[...current, key], level + 1]);
  }
  return out;
}

const ENTRY_LISTS = ['resource_changes', 'resource_drift'];
const CHANGE_VALUE_FIELDS = ['before', 'after', 'before_sensitive', 'after_sensitive', 'after_unknown'];
const MODULE_ROOTS: Path[] = [
  ['planned_values', 'root_module'],
  ['prior_state', 'values', 'root_module'],
];

function entryPaths(doc: JsonObject, lists = ENTRY_LISTS): Path[] {
  const out: Path[] = [];
  for (const list of lists) {
    const value = doc[list];
    if (Array.isArray(value)) value.forEach((_, index) => out.push([list, index]));
  }
  return out;
}

function modulePaths(doc: JsonObject): Path[] {
  const out: Path[] = [];
  const stack: [Path, number][] = MODULE_ROOTS.filter((root) => getAt(doc, root) !== undefined).map((root) => [root, 0]);
  while (stack.length > 0) {
    const [path, level] = stack.pop() as [Path, number];
    out.push(path);
    const module = getAt(doc, path);
    if (!isObject(module) || level > 8) continue;
    const resources = module.resources;
    if (Array.isArray(resources)) resources.forEach((_, index) => out.push([...path, 'resources', index]));
    const children = module.child_modules;
    if (Array.isArray(children)) children.forEach((_, index) => stack.push([[...path, 'child_modules', index], level + 1]));
  }
  return out;
}

function locations(doc: JsonObject, where: Area): Path[] {
  switch (where) {
    case 'top':
      return Object.keys(doc).map((key) => [key]);
    case 'entry':
      return entryPaths(doc).flatMap((path) => [path, ...descendants(doc, path, 1)]);
    case 'change':
      return entryPaths(doc, ['resource_changes']).flatMap((path) => descendants(doc, [...path, 'change'], 3));
    case 'module':
      return [['planned_values'], ['prior_state'], ['prior_state', 'values'], ...modulePaths(doc).flatMap((path) => [path, ...descendants(doc, path, 1)])];
    case 'values':
      return entryPaths(doc).flatMap((path) => CHANGE_VALUE_FIELDS.flatMap((field) => [[...path, 'change', field], ...descendants(doc, [...path, 'change', field], 5)]));
    case 'any':
      return descendants(doc, [], 12);
  }
}

function choose<T>(items: readonly T[], index: number): T | undefined {
  return items.length === 0 ? undefined : items[index % items.length];
}

// ---------------------------------------------------------------------------------------------
// Applying

function retyped(value: Json | undefined, to: RetypeTo): Json {
  switch (to) {
    case 'string':
      return typeof value === 'string' ? (value === '' ? 'x' : '') : typeof value === 'number' ? String(value) : 'x';
    case 'number':
      return typeof value === 'number' ? -1 : 0;
    case 'big-number':
      return 1e308;
    case 'boolean':
      return value !== true;
    case 'null':
      return null;
    case 'object':
      return {};
    case 'array':
      return [];
    case 'wrap-array':
      return [value ?? null];
    case 'wrap-object':
      return { value: value ?? null };
  }
}

interface BuildContext {
  /** Marker string → the deep JSON text that replaces it in the serialised document. */
  nests: Map<string, string>;
  target?: JsonObject;
}

function nestText(where: NestWhere, depthLevels: number, leaf: string): string {
  switch (where) {
    case 'child_modules':
      return `${'{"address":"module.deep","resources":[],"child_modules":['.repeat(depthLevels)}${']}'.repeat(depthLevels)}`;
    case 'replace_paths':
      return `${'['.repeat(depthLevels)}"deep"${']'.repeat(depthLevels)}`;
    case 'values':
      return `${'{"deep":'.repeat(depthLevels)}${leaf}${'}'.repeat(depthLevels)}`;
  }
}

function addNest(context: BuildContext, text: string): string {
  const marker = `\u0000nest-${context.nests.size}\u0000`;
  context.nests.set(marker, text);
  return marker;
}

/** resource_changes entries whose change is an object. */
function changeEntries(doc: JsonObject): JsonObject[] {
  const list = doc.resource_changes;
  return Array.isArray(list) ? list.filter((entry): entry is JsonObject => isObject(entry) && isObject(entry.change)) : [];
}

/** Makes `side` of the change an object holding `key: value` and marks it sensitive there. */
function putMarked(change: JsonObject, side: 'before' | 'after', key: string, value: string): void {
  if (!isObject(change[side])) change[side] = {};
  (change[side] as JsonObject)[key] = value;
  const marksKey = `${side}_sensitive`;
  const marks = change[marksKey];
  if (marks === true) return;
  if (!isObject(marks)) change[marksKey] = {};
  (change[marksKey] as JsonObject)[key] = true;
}

function applyMutation(doc: JsonObject, mutation: Mutation, context: BuildContext): void {
  switch (mutation.op) {
    case 'retype': {
      const path = choose(locations(doc, mutation.area), mutation.pick);
      if (path) setAt(doc, path, retyped(getAt(doc, path), mutation.to));
      return;
    }
    case 'delete': {
      const path = choose(locations(doc, mutation.area), mutation.pick);
      if (path) deleteAt(doc, path);
      return;
    }
    case 'insert-null': {
      const path = choose(locations(doc, mutation.area), mutation.pick);
      if (!path) return;
      const node = getAt(doc, path);
      const parent = getAt(doc, path.slice(0, -1));
      if (Array.isArray(node)) node.splice(mutation.pick % (node.length + 1), 0, null);
      else if (Array.isArray(parent)) parent.splice(path[path.length - 1] as number, 0, null);
      else setAt(doc, path, null);
      return;
    }
    case 'hostile': {
      const strings = locations(doc, mutation.area).filter((path) => typeof getAt(doc, path) === 'string');
      const path = choose(strings.length > 0 ? strings : locations(doc, 'any').filter((p) => typeof getAt(doc, p) === 'string'), mutation.pick);
      if (path) setAt(doc, path, materialize(mutation.value));
      return;
    }
    case 'hostile-key': {
      const keyed = locations(doc, mutation.area).filter((path) => typeof path[path.length - 1] === 'string');
      const path = choose(keyed, mutation.pick);
      if (path) renameKey(doc, path, materialize(mutation.value));
      return;
    }
    case 'mode': {
      const entries = entryPaths(doc, ['resource_changes']).filter((path) => isObject(getAt(doc, path)));
      const path = choose(entries, mutation.pick);
      if (!path) return;
      const entry = getAt(doc, path) as JsonObject;
      if (mutation.value === 'DELETE-KEY') delete entry.mode;
      else entry.mode = mutation.value;
      return;
    }
    case 'actions': {
      const entry = choose(changeEntries(doc), mutation.pick);
      if (entry) (entry.change as JsonObject).actions = structuredClone(mutation.value);
      return;
    }
    case 'nest': {
      if (mutation.where === 'child_modules') {
        const modules = modulePaths(doc).filter((path) => isObject(getAt(doc, path)) && path[path.length - 2] !== 'resources');
        const path = choose(modules, mutation.pick);
        if (path) (getAt(doc, path) as JsonObject).child_modules = [addNest(context, nestText('child_modules', mutation.depth, ''))];
        return;
      }
      const entry = choose(changeEntries(doc), mutation.pick);
      if (!entry) return;
      const change = entry.change as JsonObject;
      if (mutation.where === 'replace_paths') {
        change.replace_paths = [addNest(context, nestText('replace_paths', mutation.depth, ''))];
        return;
      }
      // The same deep shape in the values, their sensitivity and their unknowns, as Terraform mirrors them.
      const leaves: Record<string, string> = { before: '"v"', after: '"v"', before_sensitive: 'false', after_sensitive: 'true', after_unknown: 'false' };
      for (const [field, leaf] of Object.entries(leaves)) {
        const marker = addNest(context, nestText('values', mutation.depth, leaf));
        if (isObject(change[field])) (change[field] as JsonObject).deep = marker;
        else if (field === 'after_sensitive' || field === 'after') change[field] = { deep: marker };
      }
      return;
    }
    case 'drop-resource-changes':
      delete doc.resource_changes;
      return;
    case 'duplicate-entry': {
      const list = doc.resource_changes;
      const entry = Array.isArray(list) ? choose(list, mutation.pick) : undefined;
      if (Array.isArray(list) && entry !== undefined) list.push(structuredClone(entry));
      return;
    }
    case 'plant-secret':
      plantSecret(doc, mutation.pick, mutation.where);
      return;
    case 'mark-sensitive': {
      const entry = choose(changeEntries(doc), mutation.pick);
      if (!entry) return;
      const protection = typeof entry.type === 'string' ? (CATALOGUE.protection.get(entry.type) ?? []) : [];
      const key = mutation.attribute === 'protection' ? (choose(protection, mutation.token) ?? 'password') : 'password';
      const token = `tok-${mutation.token.toString(36)}-SENSITIVE-VALUE`;
      const sides: ('before' | 'after')[] = mutation.side === 'both' ? ['before', 'after'] : [mutation.side];
      for (const side of sides) putMarked(entry.change as JsonObject, side, key, token);
      return;
    }
  }
}

/** A value the entry marks sensitive (printable ASCII, long enough to look for), or the fixture secret, newly marked. */
function entrySecret(entry: JsonObject): string {
  const own = [...entryMarkedStrings(entry)].filter((value) => /^[A-Za-z0-9 ._:/@=+-]{8,}$/.test(value)).sort();
  if (own[0] !== undefined) return own[0];
  const change = entry.change as JsonObject;
  putMarked(change, isObject(change.before) ? 'before' : 'after', 'password', FIXTURE_SECRET);
  return FIXTURE_SECRET;
}

function plantSecret(doc: JsonObject, index: number, where: PlantWhere): void {
  const entries = changeEntries(doc);
  // Entries that already mark something sensitive first: that is the fixtures' case.
  const marking = entries.filter((entry) => entryMarkedStrings(entry).size > 0);
  const entry = choose(marking.length > 0 ? marking : entries, index);
  if (!entry) return;
  const secret = entrySecret(entry);
  const change = entry.change as JsonObject;
  switch (where) {
    case 'importing.id':
      change.importing = { id: secret };
      return;
    case 'importing.id-object':
      change.importing = { id: { value: secret } };
      return;
    case 'importing-string':
      change.importing = secret;
      return;
    case 'importing-array':
      change.importing = [secret];
      return;
    case 'unmarked-attribute': {
      // An attribute that no mark covers and that is no protection attribute: tfguard prints no such value.
      const side = isObject(change.after) ? 'after' : isObject(change.before) ? 'before' : undefined;
      if (side) (change[side] as JsonObject).planted_note = secret;
      return;
    }
    case 'after_unknown-string':
      change.after_unknown = secret;
      return;
    case 'replace_paths-string':
      change.replace_paths = secret;
      return;
    case 'before-string':
      change.before = secret;
      return;
    case 'change-string':
      entry.change = secret;
      return;
    case 'planned-values-attribute': {
      const resources = modulePaths(doc)
        .map((path) => getAt(doc, path))
        .filter((node): node is JsonObject => isObject(node) && node.address === entry.address && isObject(node.values));
      for (const resource of resources) (resource.values as JsonObject).planted_note = secret;
      return;
    }
  }
}

/** Every object in the plan's entry lists and module trees that describes `address`. */
function objectsFor(doc: JsonObject, address: Json | undefined): JsonObject[] {
  return [...entryPaths(doc), ...modulePaths(doc)].map((path) => getAt(doc, path)).filter((node): node is JsonObject => isObject(node) && node.address === address);
}

function applyTarget(doc: JsonObject, spec: TargetSpec, context: BuildContext): void {
  const managed = changeEntries(doc).filter((entry) => entry.mode === 'managed');
  const priorAddresses = new Set(
    modulePaths(doc)
      .filter((path) => path[0] === 'prior_state')
      .map((path) => getAt(doc, path))
      .filter(isObject)
      .map((node) => node.address),
  );
  const implied = spec.variant.kind === 'implied';
  const candidates = implied ? managed.filter((entry) => priorAddresses.has(entry.address)) : managed;
  const entry = choose(candidates.length > 0 ? candidates : managed, spec.pick);
  if (!entry) return;
  context.target = entry;
  if (spec.retype.to !== 'keep' && typeof entry.type === 'string' && typeof entry.address === 'string') {
    const types = spec.retype.to === 'stateful' ? CATALOGUE.statefulList : CATALOGUE.notStatefulList;
    const type = types[spec.retype.pick % types.length] as string;
    const oldAddress = entry.address;
    const name = typeof entry.name === 'string' ? entry.name : '';
    const at = oldAddress.lastIndexOf(`${entry.type}.${name}`);
    const address = at < 0 ? oldAddress : `${oldAddress.slice(0, at)}${type}.${oldAddress.slice(at + entry.type.length + 1)}`;
    const provider = CATALOGUE.providerOf.get(type) ?? 'registry.terraform.io/hashicorp/unknown';
    // Rename the resource everywhere the plan names it, so the document stays consistent.
    for (const node of objectsFor(doc, oldAddress)) {
      node.address = address;
      if ('type' in node) node.type = type;
      if ('provider_name' in node) node.provider_name = provider;
    }
  }
  if (spec.variant.kind === 'actions') {
    (entry.change as JsonObject).actions = structuredClone(spec.variant.actions);
  } else {
    // Gone from resource_changes and from planned_values, still in prior_state: the plan deletes it without saying so.
    delete doc.resource_changes;
    for (const path of modulePaths(doc).filter((p) => p[0] === 'planned_values')) {
      const module = getAt(doc, path);
      if (isObject(module) && Array.isArray(module.resources)) module.resources = module.resources.filter((node) => !(isObject(node) && node.address === entry.address));
    }
  }
  if (spec.mode === 'DELETE-KEY') delete entry.mode;
  else if (spec.mode !== 'KEEP') entry.mode = spec.mode;
}

function samePath(a: readonly (string | number)[], b: readonly (string | number)[]): boolean {
  return a.length === b.length && a.every((step, index) => step === b[index]);
}

function inject(text: string, hit: MemberPosition, key: string, value: string, where: 'before' | 'after'): string {
  const member = `${JSON.stringify(key)}:${value}`;
  return where === 'before' ? `${text.slice(0, hit.keyStart)}${member},${text.slice(hit.keyStart)}` : `${text.slice(0, hit.valueEnd)},${member}${text.slice(hit.valueEnd)}`;
}

function applyText(text: string, mutation: TextMutation, doc: JsonObject, context: BuildContext): string {
  if (mutation.op === 'dup') {
    const watch = mutation.key === '*' ? () => true : (key: string) => key === mutation.key;
    let members: MemberPosition[];
    try {
      members = parseWithDuplicates(text, watch).members;
    } catch {
      return text;
    }
    const hit = choose(members, mutation.pick);
    return hit ? inject(text, hit, hit.key, mutation.value, mutation.where) : text;
  }
  let path: Path;
  if (mutation.key === 'resource_changes') path = ['resource_changes'];
  else {
    const list = doc.resource_changes;
    const index = Array.isArray(list) && context.target ? list.indexOf(context.target) : -1;
    if (index < 0) return text;
    path = mutation.key === 'actions' ? ['resource_changes', index, 'change', 'actions'] : ['resource_changes', index, mutation.key];
  }
  let members: MemberPosition[];
  try {
    members = parseWithDuplicates(text, (key) => key === mutation.key).members;
  } catch {
    return text;
  }
  const hit = members.find((member) => member.key === mutation.key && samePath(pathOf(member.link), path));
  return hit ? inject(text, hit, mutation.key, mutation.value, mutation.where) : text;
}

function resolveOffset(text: string, at: Offset, anchors: readonly string[]): number {
  if ('fraction' in at) return Math.floor((at.fraction / 10_000) * text.length);
  const positions: number[] = [];
  for (const anchor of anchors) {
    if (anchor === '') continue;
    for (let p = text.indexOf(anchor); p >= 0 && positions.length < 256; p = text.indexOf(anchor, p + 1)) positions.push(p);
  }
  if (positions.length === 0) return Math.floor(text.length / 2);
  positions.sort((a, b) => a - b);
  return Math.max(0, Math.min(text.length, (positions[at.near % positions.length] as number) + at.delta));
}

function encode(text: string, how: Encoding): Buffer {
  switch (how) {
    case 'utf8':
      return Buffer.from(text, 'utf8');
    case 'utf8-bom':
      return Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text, 'utf8')]);
    case 'utf16le-bom':
      return Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);
    case 'utf16be-bom': {
      const le = Buffer.from(text, 'utf16le');
      return Buffer.concat([Buffer.from([0xfe, 0xff]), le.swap16()]);
    }
  }
}

function byteOffset(text: string, charOffset: number, how: Encoding): number {
  switch (how) {
    case 'utf8':
      return Buffer.byteLength(text.slice(0, charOffset), 'utf8');
    case 'utf8-bom':
      return 3 + Buffer.byteLength(text.slice(0, charOffset), 'utf8');
    case 'utf16le-bom':
    case 'utf16be-bom':
      return 2 + 2 * charOffset;
  }
}

/**
 * Builds the bytes tfguard reads for a case. `anchors` are strings that `near` offsets aim at
 * (the sensitive values, for property 3); `anchorsOf` computes them from the mutated document.
 */
export function build(testCase: Case, anchorsOf: (doc: JsonObject) => string[] = () => []): Built {
  const doc = structuredClone(seedByName(testCase.seed).doc);
  const context: BuildContext = { nests: new Map() };
  if (testCase.target) applyTarget(doc, testCase.target, context);
  for (const mutation of testCase.mutations) applyMutation(doc, mutation, context);
  let text = JSON.stringify(doc);
  for (const [marker, deep] of context.nests) text = text.split(JSON.stringify(marker)).join(deep);
  for (const mutation of testCase.text) text = applyText(text, mutation, doc, context);
  const sensitive = anchorsOf(doc);
  const anchors = sensitive.length > 0 ? sensitive : ['"actions":'];
  if (testCase.damage) {
    const at = resolveOffset(text, testCase.damage.at, anchors);
    text = testCase.damage.op === 'corrupt' ? `${text.slice(0, at)}${testCase.damage.ch}${text.slice(at)}` : text.slice(at);
  }
  let bytes = encode(text, testCase.encoding);
  if (testCase.truncate) {
    const at = byteOffset(text, resolveOffset(text, testCase.truncate.at, anchors), testCase.encoding) + (testCase.truncate.split ? 1 : 0);
    bytes = bytes.subarray(0, Math.min(bytes.length, at));
  }
  const targetAddress = context.target && typeof context.target.address === 'string' ? context.target.address : undefined;
  return targetAddress === undefined ? { bytes, doc } : { bytes, doc, targetAddress };
}

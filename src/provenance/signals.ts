import data from '../../policies/ai-signals.json' with { type: 'json' };
import { TfguardError } from '../shared/errors.js';
import type { SignalKind } from './evidence.js';

/** One entry of policies/ai-signals.json. */
export interface SignalDefinition {
  id: string;
  tool: string;
  kind: SignalKind;
  /** A JavaScript regular expression anchored with ^ and $, matched with the flags `iu`. */
  pattern: string;
  /** Trailer key, for kind `trailer`. */
  key?: string;
  /** Environment variable name, for kind `environment`. */
  name?: string;
  /** For `message-marker`: any line (default) or the subject line only. */
  scope?: 'line' | 'subject';
  /** For author/committer: the identity is still the person who ran the tool (aider's `Name (aider)`). */
  requester_identity?: boolean;
  note?: string;
  source: string[];
}

/** The policy's `provenance.ai_signatures`, as globs. */
export interface UserSignatures {
  trailers: string[];
  authors: string[];
  labels: string[];
  branchPrefixes: string[];
  messages: string[];
}

export interface CompiledSignal {
  id: string;
  tool: string;
  kind: SignalKind;
  test: (text: string) => boolean;
  /**
   * For `trailer`: the key, lower-cased; the test gets the trimmed value. Without a key (policy
   * trailer globs) the test gets the whole trailer line, `Key: value`.
   */
  key?: string;
  name?: string;
  scope?: 'line' | 'subject';
  /** The matched identity is still a person's: evidence, and the person stays an author. */
  requesterIdentity?: boolean;
}

export type CompiledSignals = Record<SignalKind, CompiledSignal[]>;

const KINDS: readonly SignalKind[] = [
  'trailer',
  'message-marker',
  'author',
  'committer',
  'bot-login',
  'branch-prefix',
  'label',
  'pr-body-marker',
  'environment',
];

const WHERE = 'policies/ai-signals.json';
const POLICY_TOOL = 'policy ai_signatures';

/** The shipped signal list, checked: a broken entry is a TfguardError, never a silently skipped signal. */
export function shippedSignals(): SignalDefinition[] {
  const file = data as unknown as { signals?: unknown };
  if (!Array.isArray(file.signals)) throw new TfguardError(WHERE, 'expected a "signals" array', 'reinstall tfguard');
  return file.signals.map((entry, index) => checkDefinition(entry, index));
}

function checkDefinition(entry: unknown, index: number): SignalDefinition {
  const where = `${WHERE} signals[${index}]`;
  if (typeof entry !== 'object' || entry === null) throw new TfguardError(where, 'expected an object', 'reinstall tfguard');
  const signal = entry as SignalDefinition;
  for (const field of ['id', 'tool', 'pattern'] as const) {
    if (typeof signal[field] !== 'string' || signal[field] === '') throw new TfguardError(where, `expected a non-empty "${field}"`, 'reinstall tfguard');
  }
  if (!KINDS.includes(signal.kind)) throw new TfguardError(where, `unknown kind ${JSON.stringify(signal.kind)}`, 'reinstall tfguard');
  if (!signal.pattern.startsWith('^') || !signal.pattern.endsWith('$')) {
    throw new TfguardError(where, `pattern ${JSON.stringify(signal.pattern)} is not anchored with ^ and $`, 'reinstall tfguard');
  }
  if (signal.kind === 'trailer' && typeof signal.key !== 'string') throw new TfguardError(where, 'a trailer signal needs a "key"', 'reinstall tfguard');
  if (signal.kind === 'environment' && typeof signal.name !== 'string') throw new TfguardError(where, 'an environment signal needs a "name"', 'reinstall tfguard');
  return signal;
}

export function compileSignals(user?: UserSignatures, definitions: readonly SignalDefinition[] = shippedSignals()): CompiledSignals {
  const compiled = Object.fromEntries(KINDS.map((kind) => [kind, [] as CompiledSignal[]])) as CompiledSignals;
  definitions.forEach((definition, index) => {
    const regex = compileRegex(definition.pattern, `${WHERE} signals[${index}] (${definition.id})`);
    const signal: CompiledSignal = { id: definition.id, tool: definition.tool, kind: definition.kind, test: (text) => regex.test(text) };
    if (definition.key !== undefined) signal.key = definition.key.toLowerCase();
    if (definition.name !== undefined) signal.name = definition.name;
    if (definition.kind === 'message-marker') signal.scope = definition.scope ?? 'line';
    if (definition.requester_identity === true) signal.requesterIdentity = true;
    compiled[definition.kind].push(signal);
  });
  if (user) addUserSignatures(compiled, user);
  return compiled;
}

function compileRegex(pattern: string, where: string): RegExp {
  try {
    return new RegExp(pattern, 'iu');
  } catch (error) {
    throw new TfguardError(where, `invalid regular expression: ${(error as Error).message}`, 'reinstall tfguard');
  }
}

/**
 * Policy signatures are text globs, matched case-insensitively against the whole text: `*` matches
 * any run of characters (dots and slashes included), `?` one character, `{a,b}` either alternative;
 * everything else, brackets included, is literal. Branch prefixes are plain prefixes.
 */
function addUserSignatures(compiled: CompiledSignals, user: UserSignatures): void {
  user.trailers.forEach((glob, index) => {
    compiled.trailer.push({ id: `policy.trailers[${index}]`, tool: POLICY_TOOL, kind: 'trailer', test: textGlob(glob) });
  });
  user.authors.forEach((glob, index) => {
    const test = identityGlob(glob);
    compiled.author.push({ id: `policy.authors[${index}]`, tool: POLICY_TOOL, kind: 'author', test });
    compiled.committer.push({ id: `policy.authors[${index}]`, tool: POLICY_TOOL, kind: 'committer', test });
  });
  user.labels.forEach((glob, index) => {
    compiled.label.push({ id: `policy.labels[${index}]`, tool: POLICY_TOOL, kind: 'label', test: textGlob(glob) });
  });
  user.branchPrefixes.forEach((prefix, index) => {
    const lower = prefix.toLowerCase();
    compiled['branch-prefix'].push({ id: `policy.branch_prefixes[${index}]`, tool: POLICY_TOOL, kind: 'branch-prefix', test: (branch) => branch.toLowerCase().startsWith(lower) });
  });
  user.messages.forEach((glob, index) => {
    compiled['message-marker'].push({ id: `policy.messages[${index}]`, tool: POLICY_TOOL, kind: 'message-marker', scope: 'line', test: textGlob(glob) });
  });
}

/** An author glob matches the name, the e-mail, or `Name <email>`. */
function identityGlob(glob: string): (identity: string) => boolean {
  const test = textGlob(glob);
  return (identity) => {
    const parsed = /^(.*) <([^<>]*)>$/u.exec(identity);
    return test(identity) || (parsed !== null && (test(parsed[1]!) || test(parsed[2]!)));
  };
}

export function textGlob(glob: string): (text: string) => boolean {
  const regex = new RegExp(`^${globSource(glob)}$`, 'iu');
  return (text) => regex.test(text);
}

function globSource(glob: string): string {
  let source = '';
  let depth = 0;
  for (const ch of glob) {
    if (ch === '*') {
      if (!source.endsWith('.*')) source += '.*';
    } else if (ch === '?') source += '.';
    else if (ch === '{') {
      depth += 1;
      source += '(?:';
    } else if (ch === '}' && depth > 0) {
      depth -= 1;
      source += ')';
    } else if (ch === ',' && depth > 0) source += '|';
    else source += ch.replace(/[\\^$.*+?()[\]{}|/]/gu, '\\$&');
  }
  return source + ')'.repeat(depth);
}

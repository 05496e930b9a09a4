import { posix } from 'node:path';
import { parse, type ParseEntry } from 'shell-quote';

/**
 * The simple commands a POSIX shell command line runs, found with a real shell tokenizer
 * (shell-quote) after a scan that shell-quote does not do: command substitutions (`$(…)`, backticks,
 * also inside double quotes, and in unquoted here-documents), process substitutions, comments,
 * line continuations and newlines as separators. It follows `cd`, subshells and pipelines for the
 * working directory, and opens `sh -c '…'`, `eval` and `env` to the commands inside them.
 *
 * It reads; it never expands anything a shell would only know when running (variables, globs), so
 * a word that holds `$` is taken as unknown, never as a value.
 */

export interface SimpleCommand {
  /** The program and its arguments, after leading assignments and the wrappers opened here. */
  argv: string[];
  /** `NAME=value` before the command and `env` assignments; an `env -u NAME` is an empty value. */
  assignments: Record<string, string>;
  /** The directory it runs in, when it can be told without running anything. */
  cwd: string | undefined;
  /** Inside a command substitution, a process substitution or a here-document: runs somewhere in between. */
  nested: boolean;
}

export interface ShellReading {
  commands: SimpleCommand[];
  /** What could not be read into (nesting too deep): the caller decides how careful to be. */
  unreadable: string[];
}

export interface ShellContext {
  cwd: string | undefined;
  home: string | undefined;
  /** Assignments an enclosing `env` or `VAR=value sh -c` set for everything inside. */
  assignments?: Record<string, string>;
}

const MAX_DEPTH = 5;
const PLACEHOLDER = '__tfguard_substitution__';

/** Every simple command of the command line, in order, with the directory it runs in. */
export function readShellCommand(text: string, context: ShellContext): ShellReading {
  const reading: ShellReading = { commands: [], unreadable: [] };
  readInto(reading, text, context, 0, false);
  return reading;
}

function readInto(reading: ShellReading, text: string, context: ShellContext, depth: number, nested: boolean): void {
  if (depth > MAX_DEPTH) {
    reading.unreadable.push(`shell commands nested more than ${MAX_DEPTH} levels deep`);
    return;
  }
  const prepared = prepare(text);
  for (const substitution of prepared.substitutions) readInto(reading, substitution, context, depth + 1, true);
  const entries = parse(prepared.text, (name: string) => `$${name}`) as ParseEntry[];
  walk(reading, entries, context, depth, nested);
}

/** One word or operator of shell-quote's output. */
type Entry = ParseEntry;

const SEPARATORS = new Set([';', '&&', '||', '|', '|&', '&', ';;']);
const REDIRECTIONS = new Set(['>', '>>', '<', '<<', '<<<', '>&', '<&', '&>', '&>>', '>|', '<>']);

/** Walks the tokens, cutting them into simple commands and keeping the working directory as a shell would. */
function walk(reading: ShellReading, entries: readonly Entry[], context: ShellContext, depth: number, nested: boolean): void {
  // One frame per subshell: a `cd` inside `( … )` ends with it.
  const frames: { cwd: string | undefined; previous: string | undefined; stack: (string | undefined)[] }[] = [{ cwd: context.cwd, previous: undefined, stack: [] }];
  const frame = () => frames[frames.length - 1]!;
  let words: string[] = [];
  let inPipeline = false;

  const finish = (operator: string | undefined) => {
    const endsInPipe = operator === '|' || operator === '|&' || operator === '&';
    if (words.length > 0) {
      // A command in a pipeline or in the background runs in a subshell: its `cd` changes nothing after it.
      const effects = !inPipeline && !endsInPipe;
      handleSimple(reading, words, frame(), effects, context, depth, nested);
    }
    words = [];
    inPipeline = operator === '|' || operator === '|&';
  };

  for (let index = 0; index < entries.length; index += 1) {
    const entry = entries[index]!;
    if (typeof entry === 'string') {
      words.push(entry);
      continue;
    }
    if ('comment' in entry) continue;
    if (entry.op === 'glob') {
      words.push((entry as { pattern: string }).pattern);
      continue;
    }
    const op = entry.op as string;
    if (SEPARATORS.has(op)) {
      finish(op);
    } else if (op === '(' || op === '<(') {
      finish(undefined);
      const top = frame();
      frames.push({ cwd: top.cwd, previous: top.previous, stack: [...top.stack] });
    } else if (op === ')') {
      finish(undefined);
      if (frames.length > 1) frames.pop();
    } else if (REDIRECTIONS.has(op)) {
      // `2>&1`: shell-quote gives the file descriptor as a word of its own.
      if (words.length > 1 && /^\d+$/.test(words[words.length - 1]!)) words.pop();
      const next = entries[index + 1];
      if (typeof next === 'string' || (next !== undefined && typeof next === 'object' && 'op' in next && next.op === 'glob')) index += 1;
    }
  }
  finish(undefined);
}

const RESERVED_PREFIXES = new Set(['!', '{', 'if', 'then', 'else', 'elif', 'while', 'until', 'do']);
const RESERVED_ENDS = new Set(['}', 'fi', 'done', 'esac']);
const SHELLS = new Set(['sh', 'bash', 'zsh', 'dash', 'ksh', 'ash', 'mksh', 'busybox']);

interface Frame {
  cwd: string | undefined;
  previous: string | undefined;
  stack: (string | undefined)[];
}

/** One simple command: its assignments stripped, `cd` followed, shells, `eval` and `env` opened; everything else recorded. */
function handleSimple(reading: ShellReading, input: string[], frame: Frame, effects: boolean, context: ShellContext, depth: number, nested: boolean): void {
  let words = input.filter((word) => !RESERVED_ENDS.has(word));
  while (words.length > 0 && RESERVED_PREFIXES.has(words[0]!)) words = words.slice(1);
  if (words.length === 0) return;
  if (words[0] === 'for' || words[0] === 'case' || words[0] === 'select') return; // loop headers list words, they run nothing

  const assignments: Record<string, string> = {};
  while (words.length > 0 && isAssignment(words[0]!)) {
    const word = words.shift()!;
    const equals = word.indexOf('=');
    assignments[word.slice(0, equals)] = word.slice(equals + 1);
  }
  if (words.length === 0) return;

  const command = words[0]!;
  if (command === 'cd' || command === 'pushd' || command === 'popd') {
    if (effects) changeDirectory(frame, words, context);
    return;
  }
  const inherited = { ...context.assignments, ...assignments };
  if (command === 'env') {
    const opened = openEnv(words.slice(1), inherited, frame.cwd);
    const inner: ShellContext = { ...context, cwd: opened.cwd, assignments: opened.assignments };
    if (opened.split !== undefined) readInto(reading, opened.split, inner, depth + 1, nested);
    else if (opened.argv.length > 0) handleSimple(reading, opened.argv, { ...frame, cwd: opened.cwd }, false, inner, depth + 1, nested);
    return;
  }
  if (command === 'eval') {
    readInto(reading, words.slice(1).join(' '), { ...context, cwd: frame.cwd, assignments: inherited }, depth + 1, nested);
    return;
  }
  const script = shellScript(words);
  if (script !== undefined) {
    // The inner shell starts where this one is; its own `cd` stays inside it.
    readInto(reading, script, { ...context, cwd: frame.cwd, assignments: inherited }, depth + 1, nested);
    return;
  }
  reading.commands.push({ argv: words, assignments: inherited, cwd: frame.cwd, nested });
}

function isAssignment(word: string): boolean {
  return /^[A-Za-z_][A-Za-z0-9_]*=/.test(word);
}

/** `env [-i] [-u NAME] [-C DIR] [NAME=value …] [-S 'string'] command …` */
function openEnv(args: string[], assignments: Record<string, string>, cwd: string | undefined): { argv: string[]; assignments: Record<string, string>; cwd: string | undefined; split?: string } {
  const set = { ...assignments };
  let directory = cwd;
  let index = 0;
  while (index < args.length) {
    const arg = args[index]!;
    if (arg === '--') {
      index += 1;
      break;
    }
    if (arg === '-u' || arg === '--unset') {
      set[args[index + 1] ?? ''] = '';
      index += 2;
    } else if (arg.startsWith('--unset=')) {
      set[arg.slice('--unset='.length)] = '';
      index += 1;
    } else if (arg === '-C' || arg === '--chdir') {
      directory = joinDirectory(directory, args[index + 1]);
      index += 2;
    } else if (arg.startsWith('--chdir=')) {
      directory = joinDirectory(directory, arg.slice('--chdir='.length));
      index += 1;
    } else if (arg === '-S' || arg === '--split-string') {
      return { argv: [], assignments: set, cwd: directory, split: args.slice(index + 1).join(' ') };
    } else if (arg.startsWith('-') && arg !== '-') {
      index += 1;
    } else if (isAssignment(arg)) {
      const equals = arg.indexOf('=');
      set[arg.slice(0, equals)] = arg.slice(equals + 1);
      index += 1;
    } else {
      break;
    }
  }
  return { argv: args.slice(index), assignments: set, cwd: directory };
}

/** The script of `sh -c 'script'`, `bash -lc "…"`, `su -c '…'`: the first word after the options when one of them holds `c`. */
function shellScript(words: readonly string[]): string | undefined {
  const name = posix.basename(words[0]!);
  const isShell = SHELLS.has(name) || name === 'su' || name === 'runuser';
  if (!isShell) return undefined;
  let index = name === 'busybox' && SHELLS.has(words[1] ?? '') ? 2 : 1;
  let script = false;
  for (; index < words.length; index += 1) {
    const word = words[index]!;
    if (word === '--') {
      index += 1;
      break;
    }
    if (word === '-c' || word === '--command') {
      script = true;
      continue;
    }
    if (/^[-+]o$/.test(word)) {
      index += 1; // -o pipefail
      continue;
    }
    if (/^-[A-Za-z]+$/.test(word)) {
      if (word.includes('c')) script = true;
      continue;
    }
    if (word.startsWith('-')) continue;
    if (script) return word;
    if (name === 'su' || name === 'runuser') continue; // su USER -c '…'
    return undefined; // `bash script.sh`: a script file, not a command string
  }
  return undefined;
}

function changeDirectory(frame: Frame, words: readonly string[], context: ShellContext): void {
  const [command, ...rest] = words;
  const args = rest.filter((arg) => !/^-[LPe@]+$/.test(arg));
  if (command === 'popd') {
    frame.previous = frame.cwd;
    frame.cwd = frame.stack.length > 0 ? frame.stack.pop() : undefined;
    return;
  }
  const target = args[0];
  let next: string | undefined;
  if (target === undefined || target === '~') next = context.home;
  else if (target === '-') next = frame.previous;
  else if (target.startsWith('~/')) next = context.home === undefined ? undefined : joinDirectory(context.home, target.slice(2));
  else next = joinDirectory(frame.cwd, target);
  if (command === 'pushd') frame.stack.push(frame.cwd);
  frame.previous = frame.cwd;
  frame.cwd = next;
}

/** A directory joined to where the shell is; unknown when either is unknown or the target holds an expansion. */
function joinDirectory(from: string | undefined, target: string | undefined): string | undefined {
  if (target === undefined || target.includes('$') || target.includes(PLACEHOLDER) || target.startsWith('~')) return undefined;
  if (posix.isAbsolute(target)) return posix.normalize(target);
  return from === undefined ? undefined : posix.resolve(from, target);
}

interface Prepared {
  text: string;
  substitutions: string[];
}

interface PendingHeredoc {
  delimiter: string;
  stripTabs: boolean;
  quoted: boolean;
}

/**
 * The command line made ready for shell-quote: substitutions lifted out (and read on their own),
 * comments dropped, `#` inside words escaped (shell-quote would start a comment there), line
 * continuations joined, newlines turned into `;`, here-document bodies skipped.
 */
function prepare(source: string): Prepared {
  const substitutions: string[] = [];
  const pending: PendingHeredoc[] = [];
  let out = '';
  let index = 0;
  const length = source.length;
  const atWordStart = () => out.length === 0 || /[\s;&|()<>]$/.test(out);

  while (index < length) {
    const char = source[index]!;
    const next = source[index + 1];
    if (char === '\\') {
      if (next === '\n') {
        index += 2;
        continue;
      }
      out += source.slice(index, index + 2);
      index += 2;
      continue;
    }
    if (char === "'") {
      const end = source.indexOf("'", index + 1);
      const stop = end < 0 ? length : end + 1;
      out += source.slice(index, stop);
      index = stop;
      continue;
    }
    if (char === '$' && next === "'") {
      const stop = endOfAnsiQuote(source, index + 2);
      out += source.slice(index, stop);
      index = stop;
      continue;
    }
    if (char === '"') {
      const result = readDoubleQuoted(source, index + 1, substitutions);
      out += `"${result.text}"`;
      index = result.end;
      continue;
    }
    if ((char === '$' || char === '<' || char === '>') && next === '(') {
      const body = balanced(source, index + 2);
      substitutions.push(body.text);
      out += char === '$' ? PLACEHOLDER : ` ${PLACEHOLDER} `;
      index = body.end;
      continue;
    }
    if (char === '`') {
      const body = backticked(source, index + 1);
      substitutions.push(body.text);
      out += PLACEHOLDER;
      index = body.end;
      continue;
    }
    if (char === '#') {
      if (atWordStart()) {
        const end = source.indexOf('\n', index);
        index = end < 0 ? length : end;
        continue;
      }
      out += '\\#';
      index += 1;
      continue;
    }
    if (char === '<' && next === '<' && source[index + 2] !== '<') {
      const heredoc = readHeredocStart(source, index + 2);
      if (heredoc !== undefined) {
        pending.push(heredoc.pending);
        out += `<< ${heredoc.word}`;
        index = heredoc.end;
        continue;
      }
    }
    if (char === '\n') {
      out += ' ; ';
      index += 1;
      while (pending.length > 0) {
        const heredoc = pending.shift()!;
        index = skipHeredocBody(source, index, heredoc, substitutions);
      }
      continue;
    }
    out += char;
    index += 1;
  }
  return { text: out, substitutions };
}

function endOfAnsiQuote(source: string, from: number): number {
  let index = from;
  while (index < source.length) {
    if (source[index] === '\\') index += 2;
    else if (source[index] === "'") return index + 1;
    else index += 1;
  }
  return source.length;
}

/** The inside of a double-quoted string, its substitutions lifted out; `end` is past the closing quote. */
function readDoubleQuoted(source: string, from: number, substitutions: string[]): { text: string; end: number } {
  let text = '';
  let index = from;
  while (index < source.length) {
    const char = source[index]!;
    if (char === '\\') {
      text += source.slice(index, index + 2);
      index += 2;
    } else if (char === '"') {
      return { text, end: index + 1 };
    } else if (char === '$' && source[index + 1] === '(') {
      const body = balanced(source, index + 2);
      substitutions.push(body.text);
      text += PLACEHOLDER;
      index = body.end;
    } else if (char === '`') {
      const body = backticked(source, index + 1);
      substitutions.push(body.text);
      text += PLACEHOLDER;
      index = body.end;
    } else {
      text += char;
      index += 1;
    }
  }
  return { text, end: source.length };
}

/** The substitutions of a here-document line: its quotes are plain characters there. */
function liftSubstitutions(line: string, substitutions: string[]): void {
  let index = 0;
  while (index < line.length) {
    const char = line[index]!;
    if (char === '\\') index += 2;
    else if (char === '$' && line[index + 1] === '(') {
      const body = balanced(line, index + 2);
      substitutions.push(body.text);
      index = body.end;
    } else if (char === '`') {
      const body = backticked(line, index + 1);
      substitutions.push(body.text);
      index = body.end;
    } else index += 1;
  }
}

/** From just inside `$(`, to the matching `)`, minding quotes and nesting. */
function balanced(source: string, from: number): { text: string; end: number } {
  let depth = 1;
  let index = from;
  while (index < source.length) {
    const char = source[index]!;
    if (char === '\\') {
      index += 2;
      continue;
    }
    if (char === "'") {
      const end = source.indexOf("'", index + 1);
      index = end < 0 ? source.length : end + 1;
      continue;
    }
    if (char === '"') {
      index = readDoubleQuoted(source, index + 1, []).end;
      continue;
    }
    if (char === '(') depth += 1;
    if (char === ')') {
      depth -= 1;
      if (depth === 0) return { text: source.slice(from, index), end: index + 1 };
    }
    index += 1;
  }
  return { text: source.slice(from), end: source.length };
}

function backticked(source: string, from: number): { text: string; end: number } {
  let index = from;
  while (index < source.length) {
    if (source[index] === '\\') index += 2;
    else if (source[index] === '`') return { text: source.slice(from, index).replace(/\\`/g, '`'), end: index + 1 };
    else index += 1;
  }
  return { text: source.slice(from), end: source.length };
}

/** After `<<`: an optional `-`, blanks, and the delimiter word (quoted means the body is literal). */
function readHeredocStart(source: string, from: number): { pending: PendingHeredoc; word: string; end: number } | undefined {
  let index = from;
  let stripTabs = false;
  if (source[index] === '-') {
    stripTabs = true;
    index += 1;
  }
  while (source[index] === ' ' || source[index] === '\t') index += 1;
  const match = /^(?:'([^']*)'|"([^"]*)"|([^\s;&|()<>]+))/.exec(source.slice(index));
  if (match === null) return undefined;
  const quoted = match[1] !== undefined || match[2] !== undefined || (match[3] ?? '').includes('\\');
  const delimiter = (match[1] ?? match[2] ?? match[3] ?? '').replace(/\\/g, '');
  return { pending: { delimiter, stripTabs, quoted }, word: `'${delimiter.replace(/'/g, '')}'`, end: index + match[0].length };
}

/** Skips a here-document's body (to the delimiter line); an unquoted body's substitutions still run, so they are lifted out. */
function skipHeredocBody(source: string, from: number, heredoc: PendingHeredoc, substitutions: string[]): number {
  let index = from;
  while (index < source.length) {
    const end = source.indexOf('\n', index);
    const lineEnd = end < 0 ? source.length : end;
    const line = source.slice(index, lineEnd);
    const next = end < 0 ? source.length : end + 1;
    if ((heredoc.stripTabs ? line.replace(/^\t+/, '') : line) === heredoc.delimiter) return next;
    if (!heredoc.quoted) liftSubstitutions(line, substitutions);
    index = next;
  }
  return source.length;
}

/** Words written back as a command line a POSIX shell reads the same: plain words bare, others single-quoted. */
export function shellLine(words: readonly string[]): string {
  return words.map((word) => (/^[A-Za-z0-9_@%+=:,./-]+$/.test(word) ? word : `'${word.replaceAll("'", `'\\''`)}'`)).join(' ');
}

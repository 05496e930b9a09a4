import picomatch from 'picomatch';

/**
 * Globs over Terraform names: resource types, addresses, module paths, attribute paths.
 * Steps are separated by `.` (outside `[…]` keys); `*` matches within one step, `**` across steps,
 * `?` one character, `{a,b}` alternatives. `[` and `]` are literal: they are part of addresses
 * (`module.env["prod"].aws_db_instance.main[0]`), so character classes are not available.
 * Matching is done by picomatch on the steps joined with `/`.
 */
export type Matcher = (name: string) => boolean;

const OPTIONS = { strictBrackets: true, dot: true, keepQuotes: true } as const;

/** Splits a name into steps at `.` outside brackets and quotes. */
export function steps(name: string): string[] {
  const parts: string[] = [];
  let current = '';
  let depth = 0;
  let quoted = false;
  for (let index = 0; index < name.length; index += 1) {
    const ch = name[index]!;
    if (quoted) {
      current += ch;
      if (ch === '\\') current += name[++index] ?? '';
      else if (ch === '"') quoted = false;
      continue;
    }
    if (ch === '"') quoted = true;
    else if (ch === '[') depth += 1;
    else if (ch === ']') depth = Math.max(0, depth - 1);
    else if (ch === '.' && depth === 0) {
      parts.push(current);
      current = '';
      continue;
    }
    current += ch;
  }
  parts.push(current);
  return parts;
}

const toPath = (name: string) => steps(name).map((step) => step.replace(/\//g, '\u0000')).join('/');
const toPattern = (glob: string) => steps(glob).map((step) => step.replace(/\//g, '\u0000').replace(/([[\]])/g, '\\$1')).join('/');

export function compileGlobs(globs: readonly string[]): Matcher {
  if (globs.length === 0) return () => false;
  const test = picomatch(globs.map(toPattern), OPTIONS);
  return (name) => test(toPath(name));
}

/** Why a glob is not usable, or undefined when it is. */
export function checkGlob(glob: string): string | undefined {
  if (glob.trim() === '') return 'expected a glob; found an empty string';
  if (glob.startsWith('!')) return `negated globs are not supported (found ${JSON.stringify(glob)}); use the exclude_* fields instead`;
  try {
    picomatch.makeRe(toPattern(glob), OPTIONS);
    return undefined;
  } catch (error) {
    return `invalid glob ${JSON.stringify(glob)}: ${(error as Error).message.replace(/\s+/g, ' ')}`;
  }
}

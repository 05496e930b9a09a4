/**
 * JSON.parse keeps the last of two equal keys without a word: a policy with a duplicated rule name
 * would lose a rule, and a plan entry with `"actions": ["delete"], "actions": ["no-op"]` would
 * pass as a no-op. This scans JSON text (already known to parse) for keys repeated within one
 * object, in one pass without recursion, and returns where they are.
 */
export interface DuplicateKey {
  /** Keys and list indexes from the document root to the repeated key (the key itself last). */
  path: (string | number)[];
  line: number;
  column: number;
  /** UTF-16 offset of the second occurrence's opening quote. */
  offset: number;
}

interface Frame {
  /** null for a list. Small objects keep their keys in a list: a Set per object is costly on big plans. */
  keys: string[] | Set<string> | null;
  key?: string;
  index: number;
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;

export function findDuplicateKeys(text: string, limit = 20, matters: (path: (string | number)[]) => boolean = () => true): DuplicateKey[] {
  const found: { offset: number; path: (string | number)[] }[] = [];
  const stack: Frame[] = [];
  let expectingKey = false;
  for (let index = 0; index < text.length; index += 1) {
    const code = text.charCodeAt(index);
    if (code === QUOTE) {
      const end = closingQuote(text, index);
      const frame = stack[stack.length - 1];
      if (expectingKey && frame?.keys) {
        const raw = text.slice(index + 1, end);
        const key = raw.includes('\\') ? (JSON.parse(`"${raw}"`) as string) : raw;
        if (has(frame, key)) {
          const path = [...pathOf(stack.slice(0, -1)), key];
          if (matters(path)) found.push({ offset: index, path });
          if (found.length >= limit) break;
        } else add(frame, key);
        frame.key = key;
        expectingKey = false;
      }
      index = end;
    } else if (code === 0x7b /* { */ || code === 0x5b /* [ */) {
      stack.push({ keys: code === 0x7b ? [] : null, index: 0 });
      expectingKey = code === 0x7b;
    } else if (code === 0x7d /* } */ || code === 0x5d /* ] */) {
      stack.pop();
      expectingKey = false;
    } else if (code === 0x2c /* , */) {
      const frame = stack[stack.length - 1];
      if (frame) {
        if (frame.keys === null) frame.index += 1;
        expectingKey = frame.keys !== null;
      }
    }
  }
  return found.map(({ offset, path }) => ({ path, offset, ...lineAndColumn(text, offset) }));
}

function closingQuote(text: string, open: number): number {
  let end = text.indexOf('"', open + 1);
  for (;;) {
    let backslashes = 0;
    while (text.charCodeAt(end - 1 - backslashes) === BACKSLASH) backslashes += 1;
    if (backslashes % 2 === 0) return end;
    end = text.indexOf('"', end + 1);
  }
}

function has(frame: Frame, key: string): boolean {
  return Array.isArray(frame.keys) ? frame.keys.includes(key) : frame.keys!.has(key);
}

function add(frame: Frame, key: string): void {
  if (Array.isArray(frame.keys)) {
    frame.keys.push(key);
    if (frame.keys.length > 16) frame.keys = new Set(frame.keys);
  } else frame.keys!.add(key);
}

/** The path to the value each frame is in: an object's current key, a list's current index. */
function pathOf(frames: readonly Frame[]): (string | number)[] {
  return frames.map((frame) => (frame.keys === null ? frame.index : frame.key ?? ''));
}

export function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let index = text.indexOf('\n'); index !== -1 && index < offset; index = text.indexOf('\n', index + 1)) {
    line += 1;
    lineStart = index + 1;
  }
  return { line, column: offset - lineStart + 1 };
}

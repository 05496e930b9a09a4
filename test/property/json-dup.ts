/**
 * A JSON reader for the oracles that keeps what JSON.parse throws away: every value of a key that
 * appears more than once, and where each member sits in the text. Iterative (no recursion), so a
 * document nested 100,000 levels deep is read like any other. It accepts exactly RFC 8259 JSON, as
 * JSON.parse does; the suite checks that the two agree on every input it generates.
 */

/** An object with its members in order, duplicates included. */
export class JObject {
  readonly members: [string, JValue][] = [];

  /** Every value the key has in this object (more than one when the key is duplicated). */
  all(key: string): JValue[] {
    const values: JValue[] = [];
    for (const [name, value] of this.members) if (name === key) values.push(value);
    return values;
  }
}

export type JValue = null | boolean | number | string | JValue[] | JObject;

export type PathStep = string | number;

/** A path kept as links to its parent, so recording a member deep in a document costs O(1), not O(depth). */
export interface PathLink {
  parent: PathLink | null;
  step: PathStep;
}

/** A member of an object, as it sits in the text: `"key"` starts at keyStart, its value ends at valueEnd. */
export interface MemberPosition {
  /** The member's path from the root, its own key last. */
  link: PathLink;
  key: string;
  keyStart: number;
  valueEnd: number;
}

/** A member's path as a list (root first). */
export function pathOf(link: PathLink | null): PathStep[] {
  const steps: PathStep[] = [];
  for (let node = link; node !== null; node = node.parent) steps.push(node.step);
  return steps.reverse();
}

export interface Parsed {
  value: JValue;
  members: MemberPosition[];
}

/** Every value of `key` when `value` is an object, else none. */
export function all(value: JValue | undefined, key: string): JValue[] {
  return value instanceof JObject ? value.all(key) : [];
}

type Frame = { kind: 'object'; object: JObject; key: string; keyStart: number } | { kind: 'array'; array: JValue[] };

const NUMBER = /-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?/y;
const ESCAPES: Record<string, string> = { '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };

/**
 * Parses `text`; throws a SyntaxError where JSON.parse would. `watch` names the keys whose member
 * positions are recorded (all keys when it returns true for every key).
 */
export function parseWithDuplicates(text: string, watch: (key: string) => boolean = () => false): Parsed {
  let i = 0;
  const n = text.length;
  const stack: Frame[] = [];
  // links[k] is the path of the value being read inside stack[k].
  const links: PathLink[] = [];
  const parentLink = (): PathLink | null => links[links.length - 1] ?? null;
  const members: MemberPosition[] = [];

  const fail = (what: string): never => {
    throw new SyntaxError(`${what} at offset ${i}`);
  };
  const skipWhitespace = (): void => {
    while (i < n) {
      const c = text.charCodeAt(i);
      if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) i++;
      else break;
    }
  };
  const readString = (): string => {
    // text[i] is the opening quote.
    i++;
    let out = '';
    let start = i;
    for (;;) {
      if (i >= n) fail('unterminated string');
      const c = text.charCodeAt(i);
      if (c === 0x22) {
        out += text.slice(start, i);
        i++;
        return out;
      }
      if (c < 0x20) fail('control character in string');
      if (c === 0x5c) {
        out += text.slice(start, i);
        const e = text[i + 1];
        if (e === undefined) fail('unterminated escape');
        if (e === 'u') {
          const hex = text.slice(i + 2, i + 6);
          if (!/^[0-9a-fA-F]{4}$/.test(hex)) fail('bad \\u escape');
          out += String.fromCharCode(parseInt(hex, 16));
          i += 6;
        } else {
          const mapped = ESCAPES[e as string];
          if (mapped === undefined) fail('bad escape');
          out += mapped;
          i += 2;
        }
        start = i;
        continue;
      }
      i++;
    }
  };
  const readKey = (object: JObject): void => {
    skipWhitespace();
    if (text[i] !== '"') fail('expected a key');
    const keyStart = i;
    const key = readString();
    skipWhitespace();
    if (text[i] !== ':') fail('expected a colon');
    i++;
    const parent = parentLink();
    stack.push({ kind: 'object', object, key, keyStart });
    links.push({ parent, step: key });
  };

  let value: JValue = null;
  // Each turn reads one value start; composite values push a frame and continue with their first child.
  outer: for (;;) {
    skipWhitespace();
    const c = text[i];
    let complete = true;
    if (c === '{') {
      i++;
      const object = new JObject();
      skipWhitespace();
      if (text[i] === '}') {
        i++;
        value = object;
      } else {
        readKey(object);
        complete = false;
      }
    } else if (c === '[') {
      i++;
      const array: JValue[] = [];
      skipWhitespace();
      if (text[i] === ']') {
        i++;
        value = array;
      } else {
        const parent = parentLink();
        stack.push({ kind: 'array', array });
        links.push({ parent, step: 0 });
        complete = false;
      }
    } else if (c === '"') {
      value = readString();
    } else if (c === 't' && text.startsWith('true', i)) {
      i += 4;
      value = true;
    } else if (c === 'f' && text.startsWith('false', i)) {
      i += 5;
      value = false;
    } else if (c === 'n' && text.startsWith('null', i)) {
      i += 4;
      value = null;
    } else {
      NUMBER.lastIndex = i;
      const match = NUMBER.exec(text);
      if (!match) fail('unexpected character');
      i += (match as RegExpExecArray)[0].length;
      value = Number((match as RegExpExecArray)[0]);
    }
    if (!complete) continue;
    // A value is complete: hand it to the enclosing frames, closing those that end here.
    for (;;) {
      const frame = stack[stack.length - 1];
      if (frame === undefined) {
        skipWhitespace();
        if (i !== n) fail('unexpected text after the document');
        return { value, members };
      }
      if (frame.kind === 'array') {
        frame.array.push(value);
        skipWhitespace();
        if (text[i] === ',') {
          i++;
          const link = links[links.length - 1] as PathLink;
          links[links.length - 1] = { parent: link.parent, step: frame.array.length };
          continue outer;
        }
        if (text[i] !== ']') fail('expected , or ]');
        i++;
        stack.pop();
        links.pop();
        value = frame.array;
      } else {
        frame.object.members.push([frame.key, value]);
        const link = links.pop() as PathLink;
        if (watch(frame.key)) members.push({ link, key: frame.key, keyStart: frame.keyStart, valueEnd: i });
        stack.pop();
        skipWhitespace();
        if (text[i] === ',') {
          i++;
          readKey(frame.object);
          continue outer;
        }
        if (text[i] !== '}') fail('expected , or }');
        i++;
        value = frame.object;
      }
    }
  }
}

/** The text as a decoder that honours byte-order marks reads it (UTF-8, UTF-16LE, UTF-16BE). */
export function decodeBytes(bytes: Buffer): string {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return new TextDecoder('utf-8').decode(bytes.subarray(3));
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return new TextDecoder('utf-16le').decode(bytes.subarray(2));
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return new TextDecoder('utf-16be').decode(bytes.subarray(2));
  return new TextDecoder('utf-8').decode(bytes);
}

/** Whether some object in the value has a key twice (iterative). */
export function hasDuplicateKeys(value: JValue): boolean {
  const stack: JValue[] = [value];
  while (stack.length > 0) {
    const node = stack.pop() as JValue;
    if (Array.isArray(node)) stack.push(...node);
    else if (node instanceof JObject) {
      const keys = new Set<string>();
      for (const [key, child] of node.members) {
        if (keys.has(key)) return true;
        keys.add(key);
        stack.push(child);
      }
    }
  }
  return false;
}

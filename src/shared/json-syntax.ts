import { lineAndColumn } from './json-duplicates.js';

/**
 * Where JSON.parse failed and what was expected there — never the text around it: V8's messages
 * quote the input ("Unexpected token 'x', "…" is not valid JSON"), and the input may be a secret
 * (`tfguard secrets.auto.tfvars`). The message names the position by line, column and byte.
 */
export interface JsonSyntaxProblem {
  offset?: number;
  line?: number;
  column?: number;
  /** What was expected, in tfguard's words; no byte of the input. */
  detail: string;
}

/** V8's messages that carry a position, reduced to what they say was expected (none quotes the input). */
const POSITIONED = /^(Expected double-quoted property name|Expected ',' or '[}\]]' after (?:property value|array element)|Expected ':' after property name|Bad control character in string literal|Bad escaped character|Unterminated string|Unterminated fractional number|No number after minus sign|Exponent part is missing a number|Unexpected non-whitespace character after JSON|Bad Unicode escape)\b/;

export function jsonSyntaxProblem(text: string, error: Error): JsonSyntaxProblem {
  const position = /at position (\d+)/.exec(error.message);
  const known = POSITIONED.exec(error.message);
  const offset = position ? Number(position[1]) : locateUnexpected(text);
  const detail = known ? known[1]!.replace(/^Expected/, 'expected').replace(/^Bad/, 'bad').replace(/^Unterminated/, 'unterminated').replace(/^No number/, 'no number').replace(/^Exponent/, 'exponent').replace(/^Unexpected/, 'unexpected') : /end of JSON input/.test(error.message) ? 'the document ends early' : 'unexpected character';
  if (offset === undefined) return { detail };
  return { offset, ...lineAndColumn(text, offset), detail };
}

/** UTF-8 byte offset of a UTF-16 offset, for messages. */
export function byteOffset(text: string, offset: number): number {
  return Buffer.byteLength(text.slice(0, offset));
}

const WHITESPACE = new Set([0x20, 0x09, 0x0a, 0x0d]);

/**
 * The offset of the first character that cannot continue a JSON document, for the messages that
 * V8 gives without a position. A small scanner: values are skipped, not built.
 */
function locateUnexpected(text: string): number | undefined {
  const stack: ('{' | '[')[] = [];
  // What may come next: a value, a key (or the end of an empty object), a ',' or the close, ':'.
  let want: 'value' | 'key' | 'after' | 'colon' | 'first-value' | 'first-key' = 'value';
  let index = 0;
  const fail = () => index;
  while (index < text.length) {
    const code = text.charCodeAt(index);
    if (WHITESPACE.has(code)) {
      index += 1;
      continue;
    }
    const ch = text[index]!;
    if (want === 'colon') {
      if (ch !== ':') return fail();
      want = 'value';
      index += 1;
      continue;
    }
    const top = stack[stack.length - 1];
    const closesTop = (ch === '}' && top === '{') || (ch === ']' && top === '[');
    // After a value: a ',' or the close; at the start of a container: its close ends it empty.
    if (want === 'after' || (closesTop && (want === 'first-key' || want === 'first-value'))) {
      if (ch === ',' && want === 'after' && top !== undefined) want = top === '{' ? 'key' : 'value';
      else if (closesTop) {
        stack.pop();
        want = 'after';
      } else return fail();
      index += 1;
      if (stack.length === 0) return skipTail(text, index);
      continue;
    }
    if (want === 'key' || want === 'first-key') {
      if (ch !== '"') return fail();
      const end = stringEnd(text, index);
      if (end === undefined) return undefined;
      index = end;
      want = 'colon';
      continue;
    }
    // A value.
    if (ch === '{' || ch === '[') {
      stack.push(ch);
      want = ch === '{' ? 'first-key' : 'first-value';
      index += 1;
      continue;
    }
    let end: number | undefined;
    if (ch === '"') end = stringEnd(text, index);
    else {
      const literal = /^(?:true|false|null|-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?)/.exec(text.slice(index, index + 400));
      if (!literal) return fail();
      end = index + literal[0].length;
    }
    if (end === undefined) return undefined;
    index = end;
    want = 'after';
    if (stack.length === 0) return skipTail(text, index);
  }
  return undefined;
}

function stringEnd(text: string, open: number): number | undefined {
  for (let index = open + 1; index < text.length; index += 1) {
    const ch = text[index];
    if (ch === '\\') index += 1;
    else if (ch === '"') return index + 1;
  }
  return undefined;
}

function skipTail(text: string, index: number): number | undefined {
  while (index < text.length && WHITESPACE.has(text.charCodeAt(index))) index += 1;
  return index < text.length ? index : undefined;
}

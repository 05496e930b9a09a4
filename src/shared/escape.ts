/**
 * Characters that must never reach a reader raw: C0 and C1 controls and DEL (terminal escapes,
 * carriage returns that overwrite a line), the line and paragraph separators, zero-width
 * characters, and the bidi embeddings, overrides and isolates that reorder what a reviewer reads
 * ("Trojan Source", CVE-2021-42574). One set for every output, so no format can let one through.
 */
export const UNSAFE_CHARACTERS = /[\u0000-\u001f\u007f-\u009f\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]/g;

const visible = (ch: string): string => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`;

/**
 * An untrusted string made safe for a terminal or a log line: every unsafe character becomes a
 * visible `\uXXXX`, and the GitHub Actions runner's legacy `##[command]` syntax, honoured anywhere
 * in a line, is broken up (`#\u0023[`), so text printed in any Actions step cannot issue a workflow
 * command. (`::command::` counts only at the start of a line, where tfguard never puts untrusted text.)
 */
export function terminalSafe(text: string): string {
  return text.replace(UNSAFE_CHARACTERS, visible).replaceAll('##[', '#\\u0023[');
}

/**
 * JSON text with every unsafe character written as a `\uXXXX` escape. JSON.stringify escapes only
 * C0 controls; the result still parses to the same value, but a terminal or log viewer that shows
 * it never sees the raw character.
 */
export function jsonSafe(json: string): string {
  // `##[` only ever stands inside a JSON string, where `\u0023` is the same `#`.
  return json.replace(UNSAFE_CHARACTERS, visible).replaceAll('##[', '#\\u0023[');
}

/**
 * Stricter, for input echoed inside a message about a format that is ASCII by definition (an SSH
 * key line): everything outside printable ASCII is shown as `\xNN` or `\u{…}`, so a look-alike
 * character (U+2010 for "-") is visible as what it is.
 */
export function asciiSafe(text: string): string {
  let result = '';
  for (const char of text) {
    const code = char.codePointAt(0) ?? 0;
    if (char === '"' || char === '\\') result += `\\${char}`;
    else if (code >= 0x20 && code < 0x7f) result += char;
    else result += code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u{${code.toString(16)}}`;
  }
  return result;
}

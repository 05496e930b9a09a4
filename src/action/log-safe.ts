import { terminalSafe } from '../shared/escape.js';

/**
 * Text made safe to print in a GitHub Actions log, one string per line. The runner reads a line
 * whose trimmed start is `::` as a workflow command (set an output, mask a value, stop reading
 * commands), and the legacy `##[command]` syntax anywhere in a line; resource addresses,
 * commit messages and labels are written by the change's author and may hold either.
 *
 * Controls (CR, ESC, line separators, bidi overrides) become visible `\uXXXX` first, so the
 * runner and the reader see the same line breaks; a line that would start a command gets a
 * visible `·` in front, and `##[` gets a zero-width space after `##`.
 */
export function logSafe(text: string): string[] {
  return text.split(/\r\n|\n|\r/u).map(logSafeLine);
}

export const COMMAND_GUARD = '·';

function logSafeLine(line: string): string {
  let safe = terminalSafe(line).replace(/##\[/gu, '#\u200b#[');
  if (safe.trimStart().startsWith('::')) safe = `${COMMAND_GUARD}${safe}`;
  return safe;
}

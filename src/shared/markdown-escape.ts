import { terminalSafe } from './escape.js';

/**
 * Untrusted text (addresses with for_each keys, labels, commit messages, logins, file names) made
 * safe for GitHub-flavoured Markdown: job summaries, PR comments, anything rendered by GitHub or
 * a CommonMark library. Nothing in it can start Markdown or HTML, a link, an image, an autolink,
 * a mention or an issue reference, or end the code span, code block or `<details>` it sits in;
 * the reader still sees the text as it was, unsafe characters (UNSAFE_CHARACTERS) as `\uXXXX`.
 */

const HTML_ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/**
 * `@` and `#` runs (mentions, `@org/team`, `#123` references), the HTML specials, then every other
 * ASCII punctuation character. GitHub links mentions and references in the rendered HTML, after
 * Markdown escapes are gone, so `\@` would still notify: a code span keeps them inert, as GitHub
 * never links inside code. Backslash-escaping all punctuation also stops the autolinks GitHub
 * finds in `https://…`, `www.…` and `user@host`.
 */
const SPECIAL = /[@#]+|[&<>"']|[!-/:-@[-`{-~]/g;

/** Untrusted text for Markdown prose, list items, headings and table cells: one line, inert, shown as it was. */
export function markdownSafe(text: string): string {
  const escaped = terminalSafe(text).replace(SPECIAL, (match) => {
    if (match[0] === '@' || match[0] === '#') return `\`${match}\``;
    return HTML_ENTITIES[match] ?? `\\${match}`;
  });
  // Leading spaces could turn a list item into an indented code block, trailing ones into a line break.
  return escaped.replace(/^ +| +$/g, (spaces) => '&#32;'.repeat(spaces.length));
}

/**
 * Untrusted text as an inline code span: monospace, literal, its fence longer than any backtick run
 * inside. In a table cell `|` ends the cell even inside code, and GitHub and other parsers count
 * the backslashes before it differently, so there a `|` makes it an HTML `<code>` element of
 * escaped text instead.
 */
export function markdownCode(text: string, options: { inTable?: boolean } = {}): string {
  const shown = terminalSafe(text);
  if (options.inTable && shown.includes('|')) return `<code>${markdownSafe(text)}</code>`;
  const fence = '`'.repeat(longestRun(shown, '`') + 1);
  // CommonMark strips one space inside each fence when both are there: so a backtick or a space at
  // either end needs one, and empty text is a single space.
  const pad = shown === '' || /^[` ]|[` ]$/.test(shown) ? ' ' : '';
  return `${fence}${pad}${shown}${pad}${fence}`;
}

/**
 * A fenced code block (```diff, ```hcl, ```sh): every line literal, unsafe characters visible, the
 * fence longer than any backtick run in the content so no line can close it. `info` is trusted.
 */
export function markdownCodeBlock(content: string, info = ''): string {
  const lines = content.split('\n').map(terminalSafe);
  const fence = '`'.repeat(Math.max(3, longestRun(content, '`') + 1));
  return `${fence}${info}\n${lines.join('\n')}\n${fence}\n`;
}

/** The length of the longest run of `char` in `text`. */
export function longestRun(text: string, char: string): number {
  let longest = 0;
  let current = 0;
  for (const ch of text) {
    current = ch === char ? current + 1 : 0;
    if (current > longest) longest = current;
  }
  return longest;
}

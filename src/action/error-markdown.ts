const MAX_LINES = 50;
const MAX_LINE_LENGTH = 1000;

/**
 * The job summary and pull-request comment when tfguard could not check the plan: the error lines
 * in a code block (Markdown and HTML inside it stay text), fenced longer than any backtick run the
 * lines hold. The lines are already one-line, terminal-safe texts.
 */
export function errorMarkdown(lines: readonly string[], options: { marker?: string; runUrl?: string } = {}): string {
  const shown = lines.slice(0, MAX_LINES).map((line) => (line.length > MAX_LINE_LENGTH ? `${line.slice(0, MAX_LINE_LENGTH)}…` : line));
  const longestRun = Math.max(0, ...shown.map((line) => Math.max(0, ...[...line.matchAll(/`+/gu)].map((run) => run[0].length))));
  const fence = '`'.repeat(Math.max(3, longestRun + 1));
  const parts = [
    ...(options.marker !== undefined ? [options.marker] : []),
    '## tfguard: error',
    '',
    'tfguard could not check the plan, so nothing is allowed: fix what the lines below say and run the check again.',
    '',
    fence,
    ...shown,
    ...(lines.length > MAX_LINES ? [`… and ${lines.length - MAX_LINES} more errors in the step's log`] : []),
    fence,
  ];
  if (options.runUrl !== undefined) parts.push('', `[The run's log](${options.runUrl})`);
  return `${parts.join('\n')}\n`;
}

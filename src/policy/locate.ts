/**
 * Finds the line of a field in a policy file's text, for error messages. Works on HCL and JSON
 * alike by looking for each path step (a block label or a key, quoted or not) after the line of
 * the previous step. A best effort: undefined when a step cannot be found.
 */
export function locateLine(text: string, path: readonly (string | number)[]): number | undefined {
  const lines = text.split('\n');
  let line = 0;
  let found = false;
  for (const step of path) {
    if (typeof step === 'number') continue;
    const pattern = new RegExp(`(^|[\\s{,\\["])"?${escapeRegExp(step)}"?\\s*(=|:|\\{|"|\\s*$)`);
    let index = line;
    while (index < lines.length && !pattern.test(stripComment(lines[index]!))) index += 1;
    if (index >= lines.length) return found ? line + 1 : undefined;
    line = index;
    found = true;
  }
  return found ? line + 1 : undefined;
}

function stripComment(line: string): string {
  return line.replace(/^\s*(#|\/\/).*$/, '');
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

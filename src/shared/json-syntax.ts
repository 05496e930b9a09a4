/** Where V8 says JSON.parse failed, and what it says without the position (some messages carry none). */
export interface JsonSyntaxProblem {
  offset?: number;
  line?: number;
  column?: number;
  detail: string;
}

export function jsonSyntaxProblem(text: string, error: Error): JsonSyntaxProblem {
  const detail = error.message.replace(/( in JSON)? at position \d+.*$/s, '').replace(/\s+/g, ' ');
  const position = /at position (\d+)/.exec(error.message);
  if (!position) return { detail };
  const offset = Number(position[1]);
  let line = 1;
  let lineStart = 0;
  for (let index = text.indexOf('\n'); index !== -1 && index < offset; index = text.indexOf('\n', index + 1)) {
    line += 1;
    lineStart = index + 1;
  }
  return { offset, line, column: offset - lineStart + 1, detail };
}

import { describe, expect, it } from 'vitest';
import { jsonSyntaxProblem } from '../../../src/shared/json-syntax.js';

const problemOf = (text: string) => {
  try {
    JSON.parse(text);
  } catch (error) {
    return jsonSyntaxProblem(text, error as Error);
  }
  throw new Error(`${text} parsed`);
};

describe('jsonSyntaxProblem', () => {
  it.each([
    ['{"a": x}', 6],
    ['{"a":tru}', 5],
    ['hello', 0],
    ['{\n  "a": [1, {"b": nope}]\n}', 19],
    ['[[],{}] 5', 8],
    ['{,}', 1],
  ])('%j: the offset of the first character that cannot continue the document', (text, offset) => {
    expect(problemOf(text).offset).toBe(offset);
  });

  it('names line and column, and never quotes the input', () => {
    const problem = problemOf('{\n  "password": hunter2\n}');
    expect(problem).toMatchObject({ line: 2, column: 15, detail: 'unexpected character' });
    expect(JSON.stringify(problem)).not.toContain('hunter');
  });
});

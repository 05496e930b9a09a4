import { describe, expect, it } from 'vitest';
import { TfguardError } from '../../../src/shared/errors.js';
import { parseDocument } from '../../../src/plan/parse-document.js';

function errorOf(text: string): TfguardError {
  try {
    parseDocument(text, 'plan.json');
  } catch (error) {
    expect(error).toBeInstanceOf(TfguardError);
    return error as TfguardError;
  }
  throw new Error('expected parseDocument to throw');
}

describe('parseDocument', () => {
  it('parses a plan document, with or without a BOM and trailing newline', () => {
    expect(parseDocument('{"format_version":"1.2"}\n', 'p')).toEqual({ format_version: '1.2' });
    expect(parseDocument('\ufeff{"a":1}\r\n', 'p')).toEqual({ a: 1 });
  });

  it.each([
    ['', /the plan is empty/],
    ['  \n\t', /the plan is empty/],
  ])('refuses empty input %j', (text, message) => {
    const error = errorOf(text);
    expect(error.message).toMatch(message);
    expect(error.oneLine()).toMatch(/^plan\.json: /);
  });

  it('refuses truncated JSON and says it looks truncated', () => {
    const error = errorOf('{"format_version":"1.2","resource_changes":[{"address":"a.b",');
    expect(error.message).toMatch(/truncated/);
    expect(errorOf('{"format_version":"1.2","x":"abc').message).toMatch(/truncated/);
  });

  it('points at the line and column of a syntax error inside the document', () => {
    const error = errorOf('{\n  "a": 1,\n  "b": 2,\n}\n');
    expect(error.message).toMatch(/invalid JSON at line 4, column 1/);
    // Some V8 messages carry no position; the message still fits on one line.
    const unpositioned = errorOf('{\n  "a": 1,\n  "b": tru\n, "c": 2}');
    expect(unpositioned.message).toMatch(/^invalid JSON/);
    expect(unpositioned.oneLine()).not.toMatch(/\n/);
  });

  it('recognises the setup-terraform wrapper prefix and names the fix', () => {
    const error = errorOf('[command]/home/runner/work/_temp/terraform-bin show -json plan.tfplan\n{"format_version":"1.2"}');
    expect(error.message).toMatch(/setup-terraform/);
    expect(error.fix).toMatch(/terraform_wrapper: false/);
  });

  it('recognises the text rendering of terraform plan', () => {
    const text = [
      'Terraform used the selected providers to generate the following execution',
      'plan. Resource actions are indicated with the following symbols:',
      '  - destroy',
      '',
      'Terraform will perform the following actions:',
      '',
      '  # aws_db_instance.main will be destroyed',
      'Plan: 0 to add, 0 to change, 1 to destroy.',
    ].join('\n');
    expect(errorOf(text).message).toMatch(/text rendering of `terraform plan`/);
    expect(errorOf('No changes. Your infrastructure matches the configuration.\n').message).toMatch(/text rendering/);
  });

  it('counts concatenated documents (Terragrunt run-all)', () => {
    const error = errorOf('{"format_version":"1.2"}\n{"format_version":"1.2"}\n{"format_version":"1.1"}\n');
    expect(error.message).toMatch(/holds 3 JSON documents/);
    expect(error.fix).toMatch(/once per plan/);
  });

  it('refuses text that is not JSON at all', () => {
    expect(errorOf('hello').message).toMatch(/not JSON/);
  });

  it('keeps control characters out of the one-line message', () => {
    const error = errorOf('\u001b[31mboom');
    expect(error.oneLine()).not.toMatch(/\u001b/);
  });
});

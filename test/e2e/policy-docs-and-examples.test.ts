import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../helpers/paths.js';
import { runCli } from '../helpers/run-cli.js';

/** Every property name a JSON Schema defines, anywhere in it. */
function propertyNames(schema: unknown, names = new Set<string>()): Set<string> {
  if (Array.isArray(schema)) schema.forEach((item) => propertyNames(item, names));
  else if (schema !== null && typeof schema === 'object') {
    for (const [key, value] of Object.entries(schema)) {
      if (key === 'properties') Object.keys(value as object).forEach((name) => name !== '$schema' && names.add(name));
      propertyNames(value, names);
    }
  }
  return names;
}

describe('the policy reference (docs/policy.md) matches the schemas', () => {
  const docs = readFileSync(join(ROOT, 'docs', 'policy.md'), 'utf8');
  it.each(['policy.schema.json', 'policy-test.schema.json'])('documents every field of %s', (name) => {
    const schema = JSON.parse(readFileSync(join(ROOT, 'policies', name), 'utf8'));
    const undocumented = [...propertyNames(schema)].filter((field) => !docs.includes(`\`${field}\``));
    expect(undocumented).toEqual([]);
  });
});

describe('the shipped example policies', () => {
  const examples = join(ROOT, 'policies', 'examples');
  const policies = readdirSync(examples).filter((name) => name.endsWith('.hcl')).map((name) => join('policies', 'examples', name));

  it('are valid', () => {
    expect(policies.length).toBeGreaterThanOrEqual(2);
    for (const policy of policies) {
      const result = runCli(['policy', 'validate', policy]);
      expect(result.status, result.stderr).toBe(0);
    }
  });

  it('pass their own test suites', () => {
    const result = runCli(['policy', 'test', 'policies/examples/tests']);
    expect(result.status, result.stdout + result.stderr).toBe(0);
    expect(result.stdout).toMatch(/(\d+) case\(s\): \1 passed, 0 failed/);
    expect(Number(/(\d+) case\(s\)/.exec(result.stdout)![1])).toBeGreaterThanOrEqual(12);
  });
});

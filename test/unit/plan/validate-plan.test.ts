import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { TfguardError } from '../../../src/shared/errors.js';
import { parseDocument } from '../../../src/plan/parse-document.js';
import { validatePlan } from '../../../src/plan/validate-plan.js';
import { ROOT } from '../../helpers/paths.js';

const notPlan = (name: string) => readFileSync(join(ROOT, 'test/fixtures/not-plans', name), 'utf8');

function messageOf(document: unknown): string {
  try {
    validatePlan(document as never, 'x.json');
  } catch (error) {
    expect(error).toBeInstanceOf(TfguardError);
    return (error as TfguardError).message;
  }
  throw new Error('expected validatePlan to throw');
}

const minimal = (extra: object = {}) => ({ format_version: '1.2', planned_values: {}, configuration: {}, ...extra });

describe('validatePlan', () => {
  it('accepts every format version from 0.1 to 1.x', () => {
    for (const version of ['0.1', '0.2', '1.0', '1.1', '1.2', '1.9']) {
      expect(validatePlan(minimal({ format_version: version }) as never, 'p').formatVersion).toBe(version);
    }
  });

  it('refuses an unknown major format version', () => {
    expect(messageOf(minimal({ format_version: '2.0' }))).toMatch(/format_version "2\.0" is not one tfguard understands/);
    expect(messageOf(minimal({ format_version: 'banana' }))).toMatch(/not one tfguard understands/);
  });

  it('refuses documents without format_version', () => {
    expect(messageOf({ resource_changes: [] })).toMatch(/without `format_version`/);
  });

  it('accepts HCP Terraform redacted plan JSON by its plan_format_version', () => {
    const checked = validatePlan({ plan_format_version: '1.1', resource_changes: [] } as never, 'p');
    expect(checked.format).toBe('hcp-redacted');
  });

  it('names a real state file, the JSON of a state, an empty state and provider schemas', () => {
    expect(messageOf(JSON.parse(notPlan('terraform.tfstate')))).toMatch(/Terraform state file/);
    expect(messageOf(JSON.parse(notPlan('state-show.json')))).toMatch(/JSON of a state/);
    expect(messageOf(JSON.parse(notPlan('empty-state-show.json')))).toMatch(/JSON of an empty state/);
    expect(messageOf(JSON.parse(notPlan('providers-schema.json')))).toMatch(/providers schema -json/);
  });

  it('refuses documents that are not objects', () => {
    expect(messageOf([])).toMatch(/a JSON array, not a plan/);
    expect(messageOf('plan')).toMatch(/a JSON string, not a plan/);
    expect(messageOf(null)).toMatch(/a JSON null, not a plan/);
  });

  it('refuses resource changes it cannot read, naming the entry', () => {
    const entry = { address: 'a.b', mode: 'managed', type: 'a', name: 'b', change: { actions: [] } };
    expect(messageOf(minimal({ resource_changes: [entry] }))).toMatch(/resource_changes\[0\] \(a\.b\) has no `change\.actions`/);
    expect(messageOf(minimal({ resource_changes: [{ ...entry, change: { actions: [1] } }] }))).toMatch(/non-string actions/);
    expect(messageOf(minimal({ resource_changes: [{ ...entry, address: undefined }] }))).toMatch(/has no `address`/);
    expect(messageOf(minimal({ resource_changes: {} }))).toMatch(/`resource_changes` is not a list/);
    expect(messageOf(minimal({ errored: 'yes' }))).toMatch(/`errored` is not true or false/);
    expect(messageOf(minimal({ deferred_changes: [{ reason: 'unknown' }] }))).toMatch(/deferred_changes\[0\]\.resource_change is not an object/);
  });

  it('accepts a plan whose resource_changes key is absent (refresh-only)', () => {
    expect(validatePlan(parseDocument('{"format_version":"1.2","resource_drift":[],"planned_values":{}}', 'p'), 'p').raw.resource_changes).toBeUndefined();
  });
});

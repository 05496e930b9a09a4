import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { analyzePlan } from '../../../src/analysis/analyze.js';
import { builtinCatalogue } from '../../../src/catalogue/data.js';
import { checkPlanText } from '../../../src/plan/load-plan.js';
import { builtinPolicy } from '../../../src/policy/default-policy.js';
import type { RawPlan, RawResourceChange } from '../../../src/plan/raw.js';
import { plan } from '../../helpers/paths.js';

/**
 * One plan deleting one resource of every given type. Each entry copies the structure of the
 * real ["delete"] entry Terraform 1.11.4 wrote in test/fixtures/plans/delete.json and only
 * renames type, address and provider, so the plan has the exact shape of real output.
 */
function planDeleting(types: [type: string, provider: string][]): string {
  const real = JSON.parse(readFileSync(plan('delete'), 'utf8')) as RawPlan;
  const template = real.resource_changes!.find((entry) => entry.change.actions.join() === 'delete')!;
  const resource_changes: RawResourceChange[] = types.map(([type, provider], index) => ({
    ...structuredClone(template),
    address: `${type}.r${index}`,
    type,
    name: `r${index}`,
    provider_name: `registry.terraform.io/${provider}`,
  }));
  // What is deleted existed before: prior_state holds exactly those objects, as Terraform would write it.
  const prior_state = { ...real.prior_state, values: { root_module: { resources: resource_changes.map(({ address, type, name, provider_name }) => ({ address, mode: 'managed', type, name, provider_name })) } } };
  return JSON.stringify({ ...real, resource_changes, prior_state });
}

function analyze(types: [string, string][]) {
  return analyzePlan(checkPlanText(planDeleting(types)), { policy: builtinPolicy(), catalogue: builtinCatalogue(), provenance: 'ai' });
}

describe('the catalogue drives the findings', () => {
  const catalogue = builtinCatalogue();

  it('flags a delete of every catalogued type as stateful, with its category and severity', () => {
    const types = [...catalogue.stateful.values()].map((entry): [string, string] => [entry.type, entry.providers[0]!]);
    expect(types.length).toBeGreaterThan(300);
    const analysis = analyze(types);
    const flagged = new Set(analysis.findings.filter((finding) => finding.rule === 'stateful-destroy').map((finding) => finding.change!.change.type));
    expect(types.filter(([type]) => !flagged.has(type))).toEqual([]);
    for (const item of analysis.classified) {
      expect(item.stateful).toBe(catalogue.stateful.get(item.change.type));
    }
  });

  it('flags none of the negative list as stateful', () => {
    const types = [...catalogue.notStateful.keys()].map((type): [string, string] => [type, 'hashicorp/whatever']);
    expect(types.length).toBeGreaterThan(100);
    const analysis = analyze(types);
    expect(analysis.classified.filter((item) => item.stateful !== undefined).map((item) => item.change.type)).toEqual([]);
    expect(new Set(analysis.findings.map((finding) => finding.rule))).toEqual(new Set(['destructive', 'whole-environment']));
  });

  it.each([
    'aws_security_group_rule',
    'aws_iam_role_policy_attachment',
    'google_compute_firewall',
    'google_project_iam_member',
    'azurerm_role_assignment',
    'azurerm_network_security_rule',
    'kubernetes_deployment',
  ])('%s looks important but holds no data', (type) => {
    expect(catalogue.stateful.has(type)).toBe(false);
    expect(catalogue.notStateful.has(type)).toBe(true);
  });

  it.each(['null_resource', 'terraform_data'])('%s is never stateful', (type) => {
    expect(catalogue.stateful.has(type)).toBe(false);
  });
});

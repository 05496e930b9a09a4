import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { analyzePlan } from '../../../src/analysis/analyze.js';
import { builtinCatalogue } from '../../../src/catalogue/data.js';
import { checkPlanText } from '../../../src/plan/load-plan.js';
import type { MatchDocument, PolicyDocument } from '../../../src/policy/document.js';
import { layerPolicies } from '../../../src/policy/layer.js';
import { derived, example, plan } from '../../helpers/paths.js';

const recreation = checkPlanText(readFileSync(example('environment-recreation'), 'utf8'));
const downgrade = checkPlanText(readFileSync(derived('protection-downgrade'), 'utf8'));
const modules = checkPlanText(readFileSync(plan('nested-modules-for-each'), 'utf8'));

function run(document: PolicyDocument, checked = recreation, options: { environment?: string; provenance?: 'ai' | 'human' } = {}) {
  const policy = layerPolicies([{ source: 'test.hcl', document }]);
  return analyzePlan(checked, { policy, catalogue: builtinCatalogue(), provenance: options.provenance ?? 'ai', ...(options.environment ? { environmentName: options.environment } : {}) });
}
const matched = (match: MatchDocument, checked = recreation, options = {}) =>
  run({ rule: { r: { match, enforcement: 'advisory' } } }, checked, options).findings.map((finding) => finding.change?.change.address ?? '(plan)').sort();

describe('rule matching', () => {
  it('by category and severity from the catalogue', () => {
    expect(matched({ categories: ['database', 'key-material'] })).toEqual(['aws_db_instance.main', 'aws_kms_key.data']);
    expect(matched({ severities: ['high'] })).toEqual(['aws_cloudwatch_log_group.api', 'aws_sqs_queue.jobs']);
  });

  it('by type, address and module globs', () => {
    expect(matched({ types: ['aws_s3_*', 'aws_sqs_*'] })).toEqual(['aws_s3_bucket.assets', 'aws_sqs_queue.jobs']);
    expect(matched({ addresses: ['aws_*.main'] })).toEqual(['aws_db_instance.main']);
    expect(matched({ modules: ['module.env["prod"]'] }, modules)).toEqual([
      'module.env["prod"].module.service["worker"].terraform_data.disk["data"]',
      'module.env["prod"].module.service["worker"].terraform_data.disk["logs"]',
    ]);
    expect(matched({ modules: ['root'] }).length).toBe(9);
  });

  it('by kind', () => {
    expect(matched({ kinds: ['replace'] })).toEqual(['aws_db_instance.main', 'aws_kms_key.data', 'aws_s3_bucket.assets', 'aws_sqs_queue.jobs']);
  });

  it('protection downgrades by attribute', () => {
    const findings = run({ rule: { r: { match: { protection_downgrade: true, attributes: ['deletion_protection'] }, enforcement: 'advisory' } } }, downgrade).findings;
    expect(findings.map((finding) => `${finding.change!.change.address} ${finding.downgrade!.attribute}`).sort()).toEqual([
      'aws_db_instance.main deletion_protection',
      'google_sql_database_instance.main deletion_protection',
    ]);
  });

  it('by environment: scoped rules apply when it matches, or when it is unknown', () => {
    const scoped: MatchDocument = { kinds: ['replace'], environments: ['prod*'] };
    expect(matched(scoped, recreation, { environment: 'production' })).toHaveLength(4);
    expect(matched(scoped, recreation, { environment: 'staging' })).toEqual([]);
    const unknown = run({ rule: { r: { match: scoped, enforcement: 'advisory' } } });
    expect(unknown.findings).toHaveLength(4);
  });

  it('skips disabled rules', () => {
    const findings = run({ rule: { off: { match: {}, enforcement: 'hard-mandatory', enabled: false }, on: { match: { kinds: ['delete'] }, enforcement: 'advisory' } } }).findings;
    expect(new Set(findings.map((finding) => finding.rule))).toEqual(new Set(['on']));
  });
});

describe('stateful settings', () => {
  const stateful = (document: PolicyDocument, checked = recreation) =>
    run({ ...document, rule: { r: { match: { stateful: true }, enforcement: 'advisory' } } }, checked).findings.map((finding) => finding.change!.change.address).sort();

  it('the catalogue decides by default; exclusions win', () => {
    expect(stateful({})).toEqual(['aws_cloudwatch_log_group.api', 'aws_db_instance.main', 'aws_ebs_volume.cache', 'aws_kms_key.data', 'aws_s3_bucket.assets', 'aws_sqs_queue.jobs']);
    expect(stateful({ stateful: { exclude_types: ['aws_cloudwatch_*'], exclude_addresses: ['aws_ebs_volume.cache'] } })).toEqual(['aws_db_instance.main', 'aws_kms_key.data', 'aws_s3_bucket.assets', 'aws_sqs_queue.jobs']);
  });

  it('extra types, addresses, modules and tags make resources stateful, with the policy severity', () => {
    expect(stateful({ stateful: { catalogue: false, types: ['aws_iam_role'] } })).toEqual(['aws_iam_role.app']);
    expect(stateful({ stateful: { catalogue: false, addresses: ['aws_lambda_function.*'] } })).toEqual(['aws_lambda_function.api']);
    expect(stateful({ stateful: { modules: ['module.env["staging"]'] } }, modules)).toHaveLength(3);
    const analysis = run({ stateful: { catalogue: false, types: ['aws_iam_role'], severity: 'critical' }, rule: { r: { match: { severities: ['critical'] }, enforcement: 'advisory' } } });
    expect(analysis.findings.map((finding) => finding.change!.change.address)).toEqual(['aws_iam_role.app']);
    expect(analysis.findings[0]!.change!.stateful).toMatchObject({ category: null, severity: 'critical', source: 'policy' });
  });

  it('tags in the plan declare resources stateful (every pair must match)', () => {
    // In the plan, aws_ebs_volume.cache has tags {Name: prod-cache}; aws_db_instance.main and aws_s3_bucket.assets {env: prod}.
    expect(stateful({ stateful: { catalogue: false, tags: { env: 'prod' } } })).toEqual(['aws_db_instance.main', 'aws_s3_bucket.assets']);
    expect(stateful({ stateful: { catalogue: false, tags: { Name: 'prod-cache' } } })).toEqual(['aws_ebs_volume.cache']);
    expect(stateful({ stateful: { catalogue: false, tags: { env: 'prod', Name: 'prod-cache' } } })).toEqual([]);
  });
});

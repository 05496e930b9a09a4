import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { analyzePlan } from '../../../src/analysis/analyze.js';
import { changeSetDigest } from '../../../src/approval/digest.js';
import { builtinCatalogue } from '../../../src/catalogue/data.js';
import { checkPlanText } from '../../../src/plan/load-plan.js';
import { builtinDefaultDocument } from '../../../src/policy/default-policy.js';
import { layerPolicies } from '../../../src/policy/layer.js';
import { changeOf, update } from '../../helpers/changes.js';
import { derived, example } from '../../helpers/paths.js';

const catalogue = builtinCatalogue();
const item = (address: string, actions: string[], extra: object = {}) =>
  changeOf({ address, type: 'aws_db_instance', change: { actions, before: {}, after: null }, ...extra });
const digestOf = (...changes: ReturnType<typeof item>[]) => changeSetDigest(changes, catalogue);

describe('changeSetDigest', () => {
  const a = item('aws_db_instance.a', ['delete']);
  const b = item('aws_db_instance.b', ['delete', 'create']);
  const noop = item('aws_db_instance.c', ['no-op']);
  const harmless = changeOf({ address: 'aws_db_instance.d', type: 'aws_db_instance', change: update({ deletion_protection: true, allocated_storage: 20 }, { deletion_protection: true, allocated_storage: 40 }) });
  const downgraded = changeOf({ address: 'aws_db_instance.d', type: 'aws_db_instance', change: update({ deletion_protection: true }, { deletion_protection: false }) });

  it('is a sha256 that ignores order and non-destructive changes', () => {
    const digest = digestOf(a, b);
    expect(digest).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(digestOf(b, noop, a, harmless)).toBe(digest);
  });

  it('changes when a destructive change is added, removed or changed', () => {
    const digest = digestOf(a, b);
    expect(digestOf(a)).not.toBe(digest);
    expect(digestOf(a, b, item('aws_db_instance.e', ['delete']))).not.toBe(digest);
    expect(digestOf(a, item('aws_db_instance.b', ['create', 'delete']))).not.toBe(digest);
    expect(digestOf(a, item('aws_db_instance.b', ['delete'], { deposed: '0a1b2c3d' }))).not.toBe(digestOf(a, item('aws_db_instance.b', ['delete'])));
  });

  it('covers protection downgrades the catalogue knows', () => {
    expect(digestOf(a, downgraded)).not.toBe(digestOf(a, harmless));
  });

  it('matches the documented serialisation', async () => {
    const { createHash } = await import('node:crypto');
    const payload = ['tfguard-digest-v1', '["change","aws_db_instance.a","","aws_db_instance",["delete"]]'].join('\n');
    expect(digestOf(a)).toBe(`sha256:${createHash('sha256').update(payload).digest('hex')}`);
    const withDowngrade = [...payload.split('\n'), '["downgrade","aws_db_instance.d","","aws_db_instance","deletion_protection"]'].join('\n');
    expect(digestOf(a, downgraded)).toBe(`sha256:${createHash('sha256').update(withDowngrade).digest('hex')}`);
  });
});

describe('the digest does not depend on the policy', () => {
  // A policy that takes the downgraded and the destroyed types out of the stateful set, and one that
  // turns the catalogue off, find other downgrades and findings — but name the same change set.
  const narrowing = {
    stateful: { catalogue: false, types: ['aws_s3_bucket'], exclude_types: ['aws_db_instance', 'aws_rds_cluster', 'aws_dynamodb_table'], loosen: true },
    rule: { all: { enforcement: 'advisory' as const, match: { destructive: true as const } } },
  };
  const policies = [
    layerPolicies([{ source: 'builtin:default', document: builtinDefaultDocument() }]),
    layerPolicies([{ source: 'builtin:default', document: builtinDefaultDocument() }, { source: 'narrow.hcl', document: narrowing }]),
    layerPolicies([{ source: 'only.json', document: narrowing }]),
  ];

  it.each([['protection-downgrade', derived('protection-downgrade')], ['environment-recreation', example('environment-recreation')]])('%s: three policies, one digest', (_name, file) => {
    const checked = checkPlanText(readFileSync(file, 'utf8'), file);
    const analyses = policies.map((policy) => analyzePlan(checked, { policy, catalogue }));
    expect(new Set(analyses.map((analysis) => analysis.digest)).size).toBe(1);
    // The policies do see the plan differently, so the test is not vacuous.
    expect(new Set(analyses.map((analysis) => JSON.stringify(analysis.findings.map((finding) => [finding.rule, finding.change?.change.address])))).size).toBeGreaterThan(1);
  });
});

import { describe, expect, it } from 'vitest';
import { planChanges } from '../../../src/plan/changes.js';
import { planFacts } from '../../../src/plan/plan-facts.js';
import type { RawPlan, RawResourceChange } from '../../../src/plan/raw.js';

const entry = (address: string, actions: string[], extra: Partial<RawResourceChange> = {}): RawResourceChange => ({
  address,
  mode: 'managed',
  type: address.split('.').at(-2)!.replace(/\[.*$/, ''),
  name: 'n',
  provider_name: 'registry.terraform.io/hashicorp/aws',
  change: { actions, before: actions.includes('create') && actions.length === 1 ? null : {}, after: actions.includes('delete') && actions.length === 1 ? null : {} },
  ...extra,
});
const facts = (raw: RawPlan) => planFacts({ raw, format: 'terraform-json', formatVersion: '1.2' }, planChanges(raw));

describe('planChanges', () => {
  it('keeps managed entries only, with their index types and deposed keys', () => {
    const changes = planChanges({
      resource_changes: [
        entry('aws_s3_bucket.b[0]', ['delete'], { index: 0 }),
        entry('aws_s3_bucket.c["0"]', ['delete'], { index: '0' }),
        entry('aws_s3_bucket.c["0"]', ['delete'], { index: '0', deposed: '00aa11bb' }),
        { ...entry('data.aws_ami.x', ['read']), mode: 'data' },
      ],
    });
    expect(changes.map((change) => [change.address, change.index, change.deposed])).toEqual([
      ['aws_s3_bucket.b[0]', 0, undefined],
      ['aws_s3_bucket.c["0"]', '0', undefined],
      ['aws_s3_bucket.c["0"]', '0', '00aa11bb'],
    ]);
  });

  it('treats null where Terraform omits a field as absent (hand-made plans)', () => {
    const [change] = planChanges({ resource_changes: [entry('aws_s3_bucket.b', ['delete'], { module_address: null, index: null } as never)] });
    expect(change!.module).toBeUndefined();
    expect(change!.index).toBeUndefined();
  });

  it('includes deferred changes, marked with their reason', () => {
    const changes = planChanges({ deferred_changes: [{ reason: 'provider_config_unknown', resource_change: entry('aws_db_instance.d', ['delete']) }] });
    expect(changes).toMatchObject([{ address: 'aws_db_instance.d', kind: 'delete', deferredReason: 'provider_config_unknown' }]);
  });

  it('records imports and moves', () => {
    const [change] = planChanges({ resource_changes: [entry('aws_s3_bucket.b', ['no-op'], { previous_address: 'aws_s3_bucket.a', change: { actions: ['no-op'], importing: { id: 'bucket-1' } } })] });
    expect(change).toMatchObject({ previousAddress: 'aws_s3_bucket.a', importing: { id: 'bucket-1' }, destructive: false });
  });
});

describe('planFacts', () => {
  it('counts existing resources from prior_state, modules included, data sources excluded', () => {
    const raw: RawPlan = {
      resource_changes: [entry('aws_s3_bucket.b', ['delete'])],
      prior_state: { values: { root_module: { resources: [{ address: 'aws_s3_bucket.b', mode: 'managed' }, { address: 'data.aws_region.r', mode: 'data' }], child_modules: [{ resources: [{ address: 'module.m.aws_s3_bucket.c', mode: 'managed' }] }] } } },
    };
    expect(facts(raw)).toMatchObject({ existingResources: 2, existingResourcesSource: 'prior_state', mode: 'destroy' });
  });

  it('without prior_state, counts the objects resource_changes shows existing', () => {
    const raw: RawPlan = { resource_changes: [entry('aws_s3_bucket.a', ['create']), entry('aws_s3_bucket.b', ['no-op']), entry('aws_s3_bucket.c', ['delete', 'create'])] };
    expect(facts(raw)).toMatchObject({ existingResources: 2, existingResourcesSource: 'resource_changes', mode: 'normal' });
  });

  it('detects refresh-only plans, OpenTofu, drift deletions and action invocations', () => {
    const drift = { ...entry('aws_s3_bucket.gone', ['delete']) };
    const raw: RawPlan = { resource_drift: [drift], action_invocations: [{}, {}] };
    expect(facts(raw)).toMatchObject({ mode: 'refresh-only', driftDeletions: ['aws_s3_bucket.gone'], actionInvocations: 2 });
    const tofu = facts({ resource_changes: [entry('aws_s3_bucket.b', ['update'], { provider_name: 'registry.opentofu.org/hashicorp/aws' })] });
    expect(tofu.tool).toBe('opentofu');
    expect(tofu.complete).toBeNull();
  });
});

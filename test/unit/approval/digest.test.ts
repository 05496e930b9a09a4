import { describe, expect, it } from 'vitest';
import { changeSetDigest } from '../../../src/approval/digest.js';
import type { ClassifiedChange } from '../../../src/catalogue/classify.js';
import { changeOf } from '../../helpers/changes.js';

const item = (address: string, actions: string[], extra: object = {}): ClassifiedChange => ({
  change: changeOf({ address, type: 'aws_db_instance', change: { actions, before: {}, after: null }, ...extra }),
  downgrades: [],
  replaceForcing: [],
});

describe('changeSetDigest', () => {
  const a = item('aws_db_instance.a', ['delete']);
  const b = item('aws_db_instance.b', ['delete', 'create']);
  const noop = item('aws_db_instance.c', ['no-op']);
  const update = item('aws_db_instance.d', ['update']);

  it('is a sha256 that ignores order and non-destructive changes', () => {
    const digest = changeSetDigest([a, b]);
    expect(digest).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(changeSetDigest([b, noop, a, update])).toBe(digest);
  });

  it('changes when a destructive change is added, removed or changed', () => {
    const digest = changeSetDigest([a, b]);
    expect(changeSetDigest([a])).not.toBe(digest);
    expect(changeSetDigest([a, b, item('aws_db_instance.e', ['delete'])])).not.toBe(digest);
    expect(changeSetDigest([a, item('aws_db_instance.b', ['create', 'delete'])])).not.toBe(digest);
    expect(changeSetDigest([a, item('aws_db_instance.b', ['delete'], { deposed: '0a1b2c3d' })])).not.toBe(changeSetDigest([a, item('aws_db_instance.b', ['delete'])]));
  });

  it('covers protection downgrades', () => {
    const downgraded: ClassifiedChange = {
      ...update,
      downgrades: [{ attribute: 'deletion_protection', protection: 'flag', before: true, after: false, afterUnknown: false, sensitive: false }],
    };
    expect(changeSetDigest([a, downgraded])).not.toBe(changeSetDigest([a, update]));
  });

  it('matches the documented serialisation', async () => {
    const { createHash } = await import('node:crypto');
    const payload = ['tfguard-digest-v1', '["change","aws_db_instance.a","","aws_db_instance",["delete"]]'].join('\n');
    expect(changeSetDigest([a])).toBe(`sha256:${createHash('sha256').update(payload).digest('hex')}`);
  });
});

import { describe, expect, it } from 'vitest';
import { redactPath, SENSITIVE } from '../../../src/report/report.js';
import { describeReason } from '../../../src/plan/reasons.js';
import { changeOf } from '../../helpers/changes.js';

describe('redactPath', () => {
  const change = changeOf({
    change: {
      actions: ['delete', 'create'],
      before: { tags: { team: 'a' }, secrets: { 'api-key-name': 'x' } },
      after: { tags: { team: 'b' }, secrets: { 'api-key-name': 'y' } },
      before_sensitive: { secrets: true },
      after_sensitive: { secrets: true },
    },
  });

  it('keeps paths outside sensitive values whole', () => {
    expect(redactPath(change, ['tags', 'team'])).toEqual(['tags', 'team']);
    expect(redactPath(change, ['secrets'])).toEqual(['secrets']);
  });

  it('hides the steps inside a sensitive value (a map key can be part of the secret)', () => {
    expect(redactPath(change, ['secrets', 'api-key-name'])).toEqual(['secrets', SENSITIVE]);
  });
});

describe('describeReason', () => {
  it('explains every known action_reason and passes unknown ones through verbatim', () => {
    expect(describeReason('delete_because_each_key')).toBe('this for_each key is gone');
    expect(describeReason('resource_moved')).toBe('resource_moved');
  });
});

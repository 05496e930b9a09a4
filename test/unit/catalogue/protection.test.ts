import { describe, expect, it } from 'vitest';
import { buildCatalogue, type StatefulType } from '../../../src/catalogue/catalogue.js';
import { findDowngrades } from '../../../src/catalogue/protection.js';
import { changeOf, update } from '../../helpers/changes.js';

const entry: StatefulType = buildCatalogue([
  {
    provider: ['hashicorp/test'],
    sources: ['unit test entry'],
    types: {
      test_db: {
        category: 'database',
        severity: 'critical',
        why: 'a database for unit tests',
        source: 'unit test',
        protection: [
          { path: ['deletion_protection'], kind: 'flag', protective: true },
          { path: ['force_destroy'], kind: 'flag', protective: false },
          { path: ['retention'], kind: 'retention' },
          { path: ['deletion_policy'], kind: 'enum', protective_values: ['ABANDON', 'PREVENT'] },
          { path: ['pitr', '*', 'enabled'], kind: 'flag', protective: true },
          { path: ['policy', '*', 'when_deleted'], kind: 'enum', protective_values: ['Retain'], default: 'Retain' },
        ],
      },
    },
  },
]).stateful.get('test_db')!;

const downgrades = (before: object, after: object, extra = {}) =>
  findDowngrades(changeOf({ type: 'test_db', change: update(before, after, extra) }), entry);

describe('findDowngrades', () => {
  it('finds deletion_protection true→false and force_destroy false→true', () => {
    expect(downgrades({ deletion_protection: true }, { deletion_protection: false })).toMatchObject([
      { attribute: 'deletion_protection', before: true, after: false, afterUnknown: false },
    ]);
    expect(downgrades({ force_destroy: false }, { force_destroy: true }).map((d) => d.attribute)).toEqual(['force_destroy']);
  });

  it('treats an absent force_destroy-style flag as its protective default', () => {
    expect(downgrades({}, { force_destroy: true }).map((d) => d.attribute)).toEqual(['force_destroy']);
    expect(downgrades({}, { deletion_protection: false })).toEqual([]);
  });

  it('ignores raising a protection or leaving it alone', () => {
    expect(downgrades({ deletion_protection: false }, { deletion_protection: true })).toEqual([]);
    expect(downgrades({ deletion_protection: true, retention: 7 }, { deletion_protection: true, retention: 14 })).toEqual([]);
  });

  it('finds a shrinking retention window, to zero or not', () => {
    expect(downgrades({ retention: 7 }, { retention: 0 })).toMatchObject([{ attribute: 'retention', before: 7, after: 0 }]);
    expect(downgrades({ retention: 30 }, { retention: 7 })).toHaveLength(1);
    expect(downgrades({ retention: 0 }, { retention: 0 })).toEqual([]);
    // Google writes durations as strings.
    expect(downgrades({ retention: '604800s' }, { retention: '86400s' })).toHaveLength(1);
    expect(downgrades({ retention: '86400s' }, { retention: '604800s' })).toEqual([]);
    expect(downgrades({ retention: '7' }, { retention: null })).toHaveLength(1);
  });

  it('finds an enum leaving its protective values', () => {
    expect(downgrades({ deletion_policy: 'PREVENT' }, { deletion_policy: 'DELETE' })).toHaveLength(1);
    expect(downgrades({ deletion_policy: 'PREVENT' }, { deletion_policy: 'ABANDON' })).toEqual([]);
  });

  it('looks inside nested blocks, and counts a removed block as a downgrade', () => {
    expect(downgrades({ pitr: [{ enabled: true }] }, { pitr: [{ enabled: false }] }).map((d) => d.attribute)).toEqual(['pitr[0].enabled']);
    expect(downgrades({ pitr: [{ enabled: true }] }, { pitr: [] })).toHaveLength(1);
  });

  it('uses the provider default when an attribute or block is absent on one side', () => {
    expect(downgrades({}, { policy: [{ when_deleted: 'Delete' }] }).map((d) => d.attribute)).toEqual(['policy[0].when_deleted']);
    expect(downgrades({ policy: [{ when_deleted: 'Retain' }] }, {})).toEqual([]);
    expect(downgrades({ policy: [{ when_deleted: 'Retain' }] }, { policy: [{ when_deleted: 'Delete' }] })).toHaveLength(1);
  });

  it('counts a value known only after apply as a possible downgrade', () => {
    const found = downgrades({ deletion_protection: true }, {}, { after_unknown: { deletion_protection: true } });
    expect(found).toMatchObject([{ attribute: 'deletion_protection', afterUnknown: true }]);
  });

  it('marks sensitive protection values', () => {
    const found = downgrades({ retention: 7 }, { retention: 1 }, { after_sensitive: { retention: true } });
    expect(found[0]!.sensitive).toBe(true);
  });

  it('only looks at in-place updates', () => {
    const replace = changeOf({ type: 'test_db', change: { ...update({ deletion_protection: true }, { deletion_protection: false }), actions: ['delete', 'create'] } });
    expect(findDowngrades(replace, entry)).toEqual([]);
  });
});

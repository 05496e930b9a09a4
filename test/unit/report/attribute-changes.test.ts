import { describe, expect, it } from 'vitest';
import { attributeChanges } from '../../../src/report/attribute-changes.js';
import { changeOf } from '../../helpers/changes.js';

const SECRET = 'hunter2-correct-horse';
const replace = (before: object, after: object, masks: { before_sensitive?: object; after_sensitive?: object; after_unknown?: object } = {}) =>
  changeOf({ change: { actions: ['delete', 'create'], before: before as never, after: after as never, before_sensitive: {}, after_sensitive: {}, after_unknown: {}, ...masks } as never });

describe('attributeChanges', () => {
  it('lists the attributes a replace changes, unchanged ones left out, unknown ones said so', () => {
    const change = replace({ engine: 'mysql', size: 10, name: 'a' }, { engine: 'postgres', size: 10 }, { after_unknown: { name: true } });
    expect(attributeChanges(change)).toEqual([
      { path: 'engine', before: '"mysql"', after: '"postgres"' },
      { path: 'name', before: '"a"', after: '(known after apply)' },
    ]);
  });

  it('a value marked sensitive anywhere inside is (sensitive), before and after', () => {
    const change = replace({ input: { password: SECRET, user: 'x' } }, { input: { password: 'other-secret', user: 'y' } }, { before_sensitive: { input: { password: true } }, after_sensitive: { input: { password: true } } });
    expect(attributeChanges(change)).toEqual([{ path: 'input', before: '(sensitive)', after: '(sensitive)' }]);
  });

  it('an unmarked copy of a sensitive value is (sensitive) too, even where a long value would be cut', () => {
    const padding = 'x'.repeat(190);
    const change = replace({ input: { password: SECRET }, output: { note: `${padding}${SECRET}` } }, { input: { password: SECRET }, output: { note: 'changed' } }, { before_sensitive: { input: { password: true } }, after_sensitive: { input: { password: true } } });
    const output = attributeChanges(change).find((item) => item.path === 'output')!;
    expect(output.before).toBe('(sensitive)');
    expect(JSON.stringify(attributeChanges(change))).not.toContain('hunter2');
  });
});

import { describe, expect, it } from 'vitest';
import { interpretActions } from '../../../src/plan/actions.js';

describe('interpretActions', () => {
  it.each([
    [['no-op'], 'no-op', false],
    [['create'], 'create', false],
    [['read'], 'read', false],
    [['update'], 'update', false],
    [['delete'], 'delete', true],
    [['forget'], 'forget', true],
    [['delete', 'create'], 'replace', true],
    [['create', 'delete'], 'replace', true],
    [['create', 'forget'], 'forget-replace', true],
    [['forget', 'create'], 'forget-replace', true],
  ])('%j is %s (destructive: %s)', (actions, kind, destructive) => {
    expect(interpretActions(actions, false)).toMatchObject({ kind, destructive });
  });

  it('tells replace orders apart', () => {
    expect(interpretActions(['delete', 'create'], false).order).toBe('delete-first');
    expect(interpretActions(['create', 'delete'], false).order).toBe('create-first');
  });

  it('treats actions it does not know as destructive (fail safe)', () => {
    for (const actions of [['Open'], ['purge'], ['update', 'delete'], ['delete', 'delete'], ['create', 'update']]) {
      expect(interpretActions(actions, false)).toEqual({ kind: 'unknown', destructive: true });
    }
  });

  it('names an import followed by a replace import-replace, and leaves plain imports alone', () => {
    expect(interpretActions(['delete', 'create'], true).kind).toBe('import-replace');
    expect(interpretActions(['create', 'delete'], true).kind).toBe('import-replace');
    expect(interpretActions(['no-op'], true)).toMatchObject({ kind: 'no-op', destructive: false });
    expect(interpretActions(['update'], true)).toMatchObject({ kind: 'update', destructive: false });
  });
});

import { describe, expect, it } from 'vitest';
import { expandPath, isMarked, valueAt } from '../../../src/plan/values.js';

describe('value paths', () => {
  const value = { a: { b: [{ c: 1 }, { c: 2 }] }, list: [true, false] };

  it('reads values by path', () => {
    expect(valueAt(value, ['a', 'b', 1, 'c'])).toBe(2);
    expect(valueAt(value, ['a', 'x'])).toBeUndefined();
    expect(valueAt(value, ['list', 'x'])).toBeUndefined();
    expect(valueAt(null, ['a'])).toBeUndefined();
  });

  it('reads masks, where true at a prefix marks everything below it', () => {
    expect(isMarked({ a: { b: true } }, ['a', 'b', 0, 'c'])).toBe(true);
    expect(isMarked({ a: { b: [false, { c: true }] } }, ['a', 'b', 1, 'c'])).toBe(true);
    expect(isMarked({ a: { b: [false, { c: true }] } }, ['a', 'b', 0, 'c'])).toBe(false);
    expect(isMarked(true, ['anything'])).toBe(true);
    expect(isMarked(false, ['a'])).toBe(false);
  });

  it('expands * over list elements present in the value', () => {
    expect(expandPath(value, ['a', 'b', '*', 'c'])).toEqual([
      ['a', 'b', 0, 'c'],
      ['a', 'b', 1, 'c'],
    ]);
    expect(expandPath({ a: null }, ['a', '*', 'c'])).toEqual([]);
    expect(expandPath(value, ['list'])).toEqual([['list']]);
  });
});

import { describe, expect, it } from 'vitest';
import { formatMessage, listNames } from '../../shared/engine/rule.ts';

describe('formatMessage', () => {
  it('fills placeholders and leaves unknown ones as written', () => {
    expect(formatMessage('{{a}} and {{ b }}, {{c}}', { a: 1, b: 'two' })).toBe('1 and two, {{c}}');
  });
});

describe('listNames', () => {
  it('lists up to five names, then counts the rest', () => {
    expect(listNames([], 'none')).toBe('none');
    expect(listNames(['a', 'b'], 'none')).toBe('a, b');
    expect(listNames(['a', 'b', 'c', 'd', 'e'], '')).toBe('a, b, c, d, e');
    expect(listNames(['a', 'b', 'c', 'd', 'e', 'f', 'g'], '')).toBe('a, b, c, d, e and 2 more');
    expect(listNames(['a', 'b', 'c'], '', 2)).toBe('a, b and 1 more');
  });
});

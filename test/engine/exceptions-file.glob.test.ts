// The exceptions file's globs: a table, a property test against a reference matcher, and a step count showing that
// patterns which make a backtracking regular expression explode stay linear in the value's length.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compileGlob, matchGlob, type GlobMeter } from '../../shared/engine/exceptions-file.ts';

/** The textbook dynamic-programming matcher: obviously right, quadratic, used only as the reference. */
function reference(glob: string, value: string): boolean {
  let row = Array.from({ length: value.length + 1 }, (_, j) => j === 0);
  for (const char of glob) {
    const next = Array.from({ length: value.length + 1 }, () => false);
    next[0] = char === '*' && row[0]!;
    for (let j = 1; j <= value.length; j += 1) {
      next[j] = char === '*' ? row[j]! || next[j - 1]! : row[j - 1]! && (char === '?' || char === value[j - 1]);
    }
    row = next;
  }
  return row[value.length]!;
}

describe('matchGlob', () => {
  const table: [glob: string, value: string, matches: boolean][] = [
    ['', '', true],
    ['', 'a', false],
    ['*', '', true],
    ['*', 'anything at all', true],
    ['**', '', true],
    ['?', '', false],
    ['?', 'a', true],
    ['?', 'ab', false],
    ['privileged-container', 'privileged-container', true],
    ['privileged-container', 'privileged-containers', false],
    ['privileged-*', 'privileged-container', true],
    ['privileged-*', 'privileged-', true],
    ['privileged-*', 'privileged', false],
    ['*-container', 'privileged-container', true],
    ['*-container', 'container', false],
    ['kube-*-*', 'kube-proxy-x1', true],
    ['kube-*-*', 'kube-proxy', false],
    ['a*b*c', 'abc', true],
    ['a*b*c', 'aXbYc', true],
    ['a*b*c', 'acb', false],
    ['a*a', 'a', false],
    ['a*a', 'aa', true],
    ['*ab*ab*', 'ab', false],
    ['*ab*ab*', 'abab', true],
    ['*ab*ab*', 'aabab', true],
    ['team-??', 'team-ab', true],
    ['team-??', 'team-a', false],
    ['?*?', 'ab', true],
    ['?*?', 'a', false],
    ['*.svc', 'api.default.svc', true],
    ['a.b', 'aXb', false],
    ['(x)+[y]', '(x)+[y]', true],
    ['eks:*', 'eks:addon-manager', true],
    ['*a*a*a*a*a*b', 'a'.repeat(40), false],
  ];
  it.each(table)('%j against %j is %s', (glob, value, matches) => {
    expect(matchGlob(glob, value)).toBe(matches);
    expect(compileGlob(glob).test(value)).toBe(matches);
    expect(reference(glob, value)).toBe(matches);
  });

  it('agrees with the reference matcher on random globs and values', () => {
    const char = fc.constantFrom('a', 'b', '-', '.');
    const globChar = fc.constantFrom('a', 'b', '-', '.', '*', '?');
    fc.assert(
      fc.property(fc.array(globChar, { maxLength: 10 }), fc.array(char, { maxLength: 14 }), (glob, value) => {
        expect(matchGlob(glob.join(''), value.join(''))).toBe(reference(glob.join(''), value.join('')));
      }),
      { numRuns: 3000 },
    );
  });

  it('agrees with the reference when the value is built to match', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.constant('*'), fc.constant('?'), fc.stringMatching(/^[a-c]{1,3}$/)), { maxLength: 8 }), fc.array(fc.stringMatching(/^[a-c]{0,3}$/), { maxLength: 8 }), (parts, fillers) => {
        const glob = parts.join('');
        const value = parts.map((part, index) => (part === '*' ? (fillers[index] ?? '') : part === '?' ? 'x' : part)).join('');
        expect(matchGlob(glob, value)).toBe(true);
        expect(reference(glob, value)).toBe(true);
      }),
      { numRuns: 1000 },
    );
  });

  it('takes steps linear in the value for patterns that make a backtracking regex explode', () => {
    const steps = (glob: string, value: string) => {
      const meter: GlobMeter = { steps: 0 };
      matchGlob(glob, value, meter);
      return meter.steps;
    };
    for (const glob of ['*a*a*a*a*b', '*a*?*a*?*a*?*a*c', '*-*-*-*-*-*-x', '*aa*aa*aa*aa*aab']) {
      const counts = [1000, 2000, 4000, 8000].map((length) => steps(glob, 'a-'.repeat(length / 2)));
      // Within |value| × |glob| comparisons, and doubling (not growing as a power) with the value.
      counts.forEach((count, index) => expect(count).toBeLessThanOrEqual(1000 * 2 ** index * glob.length));
      for (let index = 1; index < counts.length; index += 1) expect(counts[index]! / counts[index - 1]!).toBeLessThanOrEqual(2.1);
    }
  });
});

import { describe, expect, it } from 'vitest';
import { diffPatch, applyPatch } from '../../shared/fix/json-patch.ts';
import { unifiedDiff } from '../../shared/fix/unified-diff.ts';

const numbered = (count: number): string => Array.from({ length: count }, (_, i) => `line ${i}`).join('\n') + '\n';

describe('unifiedDiff', () => {
  it('prints hunks as diff -u does (checked against GNU diff)', () => {
    const before = numbered(30);
    const after = before.replace('line 3\n', 'line 3x\n').replace('line 25\n', '').replace('line 27\n', 'line 27\nnew\n');
    expect(unifiedDiff('k8s/web.yaml', before, after)).toBe(
      [
        '--- a/k8s/web.yaml',
        '+++ b/k8s/web.yaml',
        '@@ -1,7 +1,7 @@',
        ' line 0',
        ' line 1',
        ' line 2',
        '-line 3',
        '+line 3x',
        ' line 4',
        ' line 5',
        ' line 6',
        '@@ -23,8 +23,8 @@',
        ' line 22',
        ' line 23',
        ' line 24',
        '-line 25',
        ' line 26',
        ' line 27',
        '+new',
        ' line 28',
        ' line 29',
        '',
      ].join('\n'),
    );
  });

  it('marks a last line without a newline, and prints nothing for equal texts', () => {
    expect(unifiedDiff('/tmp/a.yaml', 'a\nb', 'a\nc')).toBe('--- /tmp/a.yaml\n+++ /tmp/a.yaml\n@@ -1,2 +1,2 @@\n a\n-b\n\\ No newline at end of file\n+c\n\\ No newline at end of file\n');
    expect(unifiedDiff('a.yaml', 'same\n', 'same\n')).toBe('');
  });
});

describe('diffPatch', () => {
  it('touches only what changed: keys, list items by position, removed items from the end', () => {
    const before = { a: { b: 1, c: [1, 2, 3] }, d: ['x', 'y', 'z'], e: 1 };
    const after = { a: { b: 2, c: [1, 2, 3], n: { m: true } }, d: ['x', 'z'] };
    const patch = diffPatch(before, after);
    expect(patch).toEqual([
      { op: 'remove', path: '/e' },
      { op: 'replace', path: '/a/b', value: 2 },
      { op: 'add', path: '/a/n', value: { m: true } },
      { op: 'remove', path: '/d/1' },
    ]);
    expect(applyPatch(before, patch)).toEqual(after);
  });
});

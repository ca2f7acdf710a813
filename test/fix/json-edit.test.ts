import { describe, expect, it } from 'vitest';
import { editJsonObject } from '../../shared/fix/json-edit.ts';

// Indented its own way (4 spaces at the top, 2 below), CRLF, and a blank line at the end.
const text = [
  '{',
  '    "apiVersion": "v1",',
  '    "kind": "List",',
  '    "items": [',
  '      {',
  '        "kind": "Pod",',
  '        "apiVersion": "v1",',
  '        "metadata": { "name": "p" },',
  '        "spec": {',
  '          "hostNetwork": true',
  '        }',
  '      }',
  '    ]',
  '}',
  '',
  '',
].join('\r\n');

describe('editJsonObject', () => {
  it("keeps the file's lines where the patch changes nothing, with its line endings", () => {
    const after = editJsonObject(text.replace('{ "name": "p" }', '{\r\n          "name": "p"\r\n        }'), { document: 0, item: 0 }, [
      { op: 'replace', path: '/spec/hostNetwork', value: false },
      { op: 'add', path: '/spec/hostPID', value: false },
    ]);
    expect(after.split('\r\n')).toEqual([
      '{',
      '    "apiVersion": "v1",',
      '    "kind": "List",',
      '    "items": [',
      '      {',
      '        "kind": "Pod",',
      '        "apiVersion": "v1",',
      '        "metadata": {',
      '          "name": "p"',
      '        },',
      '        "spec": {',
      '          "hostNetwork": false,',
      '          "hostPID": false',
      '        }',
      '      }',
      '    ]',
      '}',
      '',
      '',
    ]);
  });

  it('writes the document again when its lines are laid out otherwise (an object on one line)', () => {
    const after = editJsonObject(text, { document: 0, item: 0 }, [{ op: 'replace', path: '/spec/hostNetwork', value: false }]);
    expect(JSON.parse(after)).toMatchObject({ items: [{ spec: { hostNetwork: false } }] });
    expect(after.endsWith('}\r\n\r\n')).toBe(true);
  });
});

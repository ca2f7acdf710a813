import { describe, expect, it } from 'vitest';
import { appendOps, setOps } from '../../shared/engine/fix.ts';
import { applyPatch } from '../support/json-patch.ts';

describe('fix builders', () => {
  it('replaces a value that exists', () => {
    const doc = { spec: { sc: { privileged: true } } };
    const ops = setOps(doc, ['spec', 'sc', 'privileged'], false);
    expect(ops).toEqual([{ op: 'replace', path: '/spec/sc/privileged', value: false }]);
    expect(applyPatch(doc, ops)).toEqual({ spec: { sc: { privileged: false } } });
  });

  it('creates missing parents in one add', () => {
    const doc = { spec: { containers: [{ name: 'a' }] } };
    const ops = setOps(doc, ['spec', 'containers', 0, 'securityContext', 'capabilities', 'drop'], ['ALL']);
    expect(ops).toEqual([
      { op: 'add', path: '/spec/containers/0/securityContext', value: { capabilities: { drop: ['ALL'] } } },
    ]);
    expect(applyPatch(doc, ops).spec.containers[0]).toEqual({
      name: 'a',
      securityContext: { capabilities: { drop: ['ALL'] } },
    });
  });

  it('replaces a parent of the wrong type', () => {
    const doc = { spec: { securityContext: 'bad' } };
    const ops = setOps(doc, ['spec', 'securityContext', 'runAsNonRoot'], true);
    expect(applyPatch(doc, ops)).toEqual({ spec: { securityContext: { runAsNonRoot: true } } });
  });

  it('appends to an array, creating it when missing', () => {
    expect(appendOps({ a: { list: [1] } }, ['a', 'list'], 2)).toEqual([{ op: 'add', path: '/a/list/-', value: 2 }]);
    expect(applyPatch({ a: {} }, appendOps({ a: {} }, ['a', 'list'], 2))).toEqual({ a: { list: [2] } });
  });

  it('escapes pointer segments', () => {
    const ops = setOps({ metadata: {} }, ['metadata', 'annotations', 'example.com/a~b'], 'x');
    expect(ops[0]!.path).toBe('/metadata/annotations');
    const deeper = setOps({ metadata: { annotations: {} } }, ['metadata', 'annotations', 'example.com/a~b'], 'x');
    expect(deeper[0]!.path).toBe('/metadata/annotations/example.com~1a~0b');
  });
});

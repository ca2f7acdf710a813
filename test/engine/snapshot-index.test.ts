import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { coverageIncomplete, namespaceOf, SnapshotIndex } from '../../shared/engine/snapshot-index.ts';
import type { KubeObject } from '../../shared/model/kube.ts';
import { snapshotOf } from '../support/fixtures.ts';

function object(kind: string, name: string, namespace?: string): KubeObject {
  return { apiVersion: 'v1', kind, metadata: namespace === undefined ? { name } : { name, namespace } };
}

const names = (objects: readonly KubeObject[]): string[] => objects.map((o) => `${String(o.kind)}/${String(o.metadata?.name)}`);

describe('SnapshotIndex.inNamespace', () => {
  const snapshot = snapshotOf([
    object('Service', 'b', 'shop'),
    object('Service', 'x', 'billing'),
    object('Service', 'a', 'shop'),
    object('Ingress', 'web', 'shop'),
    object('ClusterRole', 'admin'),
    { apiVersion: 'v1', kind: 'LimitRange', metadata: { name: 'blank', namespace: '' } },
  ]);
  const index = new SnapshotIndex(snapshot);

  it('returns the objects of one kind in one namespace, in snapshot order', () => {
    expect(names(index.inNamespace('Service', 'shop'))).toEqual(['Service/b', 'Service/a']);
    expect(names(index.inNamespace('Service', 'billing'))).toEqual(['Service/x']);
    expect(names(index.inNamespace('Ingress', 'shop'))).toEqual(['Ingress/web']);
  });

  it('returns nothing for a namespace or kind without objects', () => {
    expect(index.inNamespace('Service', 'nowhere')).toEqual([]);
    expect(index.inNamespace('NetworkPolicy', 'shop')).toEqual([]);
    expect(index.inNamespace('Ingress', 'billing')).toEqual([]);
  });

  it("files objects without a namespace (cluster-scoped, or an empty one) under ''", () => {
    expect(names(index.inNamespace('ClusterRole', ''))).toEqual(['ClusterRole/admin']);
    expect(names(index.inNamespace('LimitRange', ''))).toEqual(['LimitRange/blank']);
    expect(index.inNamespace('Service', '')).toEqual([]);
  });

  it('answers the same when asked again (the index is built once per kind)', () => {
    const first = index.inNamespace('Service', 'shop');
    expect(index.inNamespace('Service', 'shop')).toBe(first);
  });

  it('agrees with filtering all(kind) by namespace, for any snapshot', () => {
    const arbitraryObject = fc.record({
      kind: fc.constantFrom('Service', 'Ingress', 'NetworkPolicy'),
      name: fc.string({ maxLength: 4 }),
      namespace: fc.option(fc.constantFrom('', 'a', 'b', 'kube-system'), { nil: undefined }),
    });
    fc.assert(
      fc.property(fc.array(arbitraryObject, { maxLength: 30 }), fc.constantFrom('', 'a', 'b', 'c', 'kube-system'), (specs, namespace) => {
        const objects = specs.map((s) => object(s.kind, s.name, s.namespace));
        const idx = new SnapshotIndex(snapshotOf(objects));
        for (const kind of ['Service', 'Ingress', 'NetworkPolicy']) {
          const expected = idx.all(kind).filter((o) => (namespaceOf(o) ?? '') === namespace);
          expect(idx.inNamespace(kind, namespace)).toEqual(expected);
          // The very same objects, not copies.
          idx.inNamespace(kind, namespace).forEach((o, i) => expect(o).toBe(expected[i]));
        }
      }),
    );
  });
});

describe('coverageIncomplete', () => {
  it('is true only for a kind whose list was attempted and is incomplete', () => {
    const index = new SnapshotIndex(
      snapshotOf([object('Pod', 'web', 'shop')], {
        coverage: { Pod: { complete: true, count: 1 }, NetworkPolicy: { complete: false, count: 0 } },
      }),
    );
    expect(coverageIncomplete(index, 'NetworkPolicy')).toBe(true);
    expect(coverageIncomplete(index, 'Pod')).toBe(false);
    expect(coverageIncomplete(index, 'Ingress')).toBe(false);
  });
});

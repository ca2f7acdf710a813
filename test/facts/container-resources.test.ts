import { describe, expect, it } from 'vitest';
import { SnapshotIndex } from '../../shared/engine/snapshot-index.ts';
import { describeResources, missingResources, quantityOf } from '../../shared/facts/container-resources.ts';
import type { KubeObject } from '../../shared/model/kube.ts';
import { container, deployment, hardenedPodSpec, limitRange, pod, snapshotOf } from '../support/fixtures.ts';

const missing = (object: KubeObject, kind: 'limits' | 'requests', ...objects: KubeObject[]) =>
  missingResources(object, kind, new SnapshotIndex(snapshotOf([object, ...objects]))).map((c) => [c.ref.name, c.missing]);

describe('missingResources', () => {
  it('lists what each container leaves out, init containers included and ephemeral ones not', () => {
    const spec = hardenedPodSpec({
      initContainers: [container({ name: 'init', resources: { limits: { cpu: '1' } } })],
      containers: [container({ name: 'app' })],
      ephemeralContainers: [container({ name: 'debug' })],
    });
    expect(missing(pod({ spec }), 'limits')).toEqual([
      ['init', ['memory']],
      ['app', ['cpu', 'memory']],
    ]);
  });

  it('a limit stands for the request, as the API server defaults it', () => {
    const object = pod({ spec: hardenedPodSpec({ containers: [container({ resources: { limits: { cpu: '1', memory: '1Gi' } } })] }) });
    expect(missing(object, 'requests')).toEqual([]);
    expect(missing(object, 'limits')).toEqual([]);
  });

  it("counts pod-level resources and the namespace's LimitRange defaults", () => {
    const bare = hardenedPodSpec({ containers: [container()] });
    expect(missing(pod({ spec: { ...bare, resources: { limits: { cpu: '2', memory: '2Gi' } } } }), 'limits')).toEqual([]);
    expect(missing(deployment({ spec: bare }), 'limits', limitRange('shop', { default: { memory: '256Mi' } }))).toEqual([['app', ['cpu']]]);
    expect(missing(deployment({ spec: bare }), 'requests', limitRange('shop', { defaultRequest: { cpu: '100m' }, default: { memory: '256Mi' } }))).toEqual([]);
    expect(missing(deployment({ spec: bare }), 'limits', limitRange('other', { default: { cpu: '1', memory: '1Gi' } }))).toEqual([['app', ['cpu', 'memory']]]);
  });

  it('has nothing to say about objects without pods', () => {
    expect(missing({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', namespace: 'shop' } }, 'limits')).toEqual([]);
  });
});

describe('describeResources and quantityOf', () => {
  it('name resources for people and read a quantity only when one is set', () => {
    expect(describeResources(['cpu', 'memory'])).toBe('CPU or memory');
    expect(describeResources(['memory'])).toBe('memory');
    expect(quantityOf({ cpu: '500m', memory: ' ' }, 'cpu')).toBe('500m');
    expect(quantityOf({ cpu: '500m', memory: ' ' }, 'memory')).toBeUndefined();
    expect(quantityOf({ cpu: 2 }, 'cpu')).toBe(2);
    expect(quantityOf(undefined, 'cpu')).toBeUndefined();
  });
});

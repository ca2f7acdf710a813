import { describe, expect, it } from 'vitest';
import {
  containerLabel,
  isAllowedAppArmorAnnotation,
  isWindowsPod,
  placeAt,
  podSecurityOf,
  unmaskedProcMounts,
  usesUserNamespace,
} from '../../shared/facts/pod-security.ts';
import { container, cronJob, hardenedPodSpec, pod } from '../support/fixtures.ts';

describe('podSecurityOf', () => {
  it('gives the pod and every container security context with where each lives', () => {
    const object = cronJob({
      spec: hardenedPodSpec({ initContainers: [container({ name: 'init' })], containers: [container({ name: 'app', securityContext: { privileged: true } })] }),
    });
    const security = podSecurityOf(object)!;
    expect(security.pod.path).toBe('spec.jobTemplate.spec.template.spec.securityContext');
    expect(security.pod.context).toEqual({ runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } });
    expect(security.containers.map((c) => [c.ref.name, c.path, c.context])).toEqual([
      ['init', 'spec.jobTemplate.spec.template.spec.initContainers[0].securityContext', undefined],
      ['app', 'spec.jobTemplate.spec.template.spec.containers[0].securityContext', { privileged: true }],
    ]);
  });

  it('is worked out once per object, and undefined for objects without pods', () => {
    const object = pod();
    expect(podSecurityOf(object)).toBe(podSecurityOf(object));
    expect(podSecurityOf({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' } })).toBeUndefined();
  });
});

describe('unmaskedProcMounts', () => {
  it('lists the containers whose procMount is not Default', () => {
    const object = pod({
      spec: hardenedPodSpec({
        containers: [container({ name: 'a', securityContext: { procMount: 'Unmasked' } }), container({ name: 'b', securityContext: { procMount: 'Default' } })],
      }),
    });
    expect(unmaskedProcMounts(podSecurityOf(object)!).map((m) => [m.scope.ref.name, m.value, m.place.path])).toEqual([
      ['a', 'Unmasked', 'spec.containers[0].securityContext.procMount'],
    ]);
  });
});

describe('PSS exemptions and names', () => {
  it('knows Windows pods, user namespaces and the allowed AppArmor annotation values', () => {
    expect(isWindowsPod({ os: { name: 'windows' } })).toBe(true);
    expect(isWindowsPod({ os: { name: 'linux' } })).toBe(false);
    expect(usesUserNamespace({ hostUsers: false })).toBe(true);
    expect(usesUserNamespace({})).toBe(false);
    for (const value of ['', 'runtime/default', 'localhost/my-profile']) expect(isAllowedAppArmorAnnotation(value)).toBe(true);
    expect(isAllowedAppArmorAnnotation('unconfined')).toBe(false);
  });

  it('places a field for JSON Patch and for people, and names a container by its position when it has no name', () => {
    expect(placeAt(['spec'], 'containers', 0, 'securityContext')).toEqual({ segments: ['spec', 'containers', 0, 'securityContext'], path: 'spec.containers[0].securityContext' });
    const [named, unnamed] = podSecurityOf(pod({ spec: hardenedPodSpec({ containers: [container(), container({ name: '' })] }) }))!.containers;
    expect(containerLabel(named!.ref)).toBe('app');
    expect(containerLabel(unnamed!.ref)).toBe('containers[1]');
  });
});

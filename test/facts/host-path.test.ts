import { describe, expect, it } from 'vitest';
import { classifyHostPath, hostPathOf, isHostPathVolume, normalizeHostPath } from '../../shared/facts/host-path.ts';

describe('host path normalization and classification', () => {
  it('folds /var/run into /run and removes dot segments and trailing slashes', () => {
    expect(normalizeHostPath('/var/run/containerd/')).toBe('/run/containerd');
    expect(normalizeHostPath('/a/./b/../c//')).toBe('/a/c');
    expect(normalizeHostPath('/../..')).toBe('/');
    expect(normalizeHostPath('relative/etc')).toBe('/relative/etc');
  });

  it('gives each kind of path its severity', () => {
    expect(classifyHostPath('/run/containerd')?.severity).toBe('critical');
    expect(classifyHostPath('/sys/fs/cgroup')?.severity).toBe('high');
    expect(classifyHostPath('/opt/cni/bin')?.severity).toBe('high');
    expect(classifyHostPath('/var/log/pods/ns_pod')?.severity).toBe('high');
    expect(classifyHostPath('/var/log/aws-routed-eni')).toMatchObject({ severity: 'medium', what: 'a directory under /var/log' });
    expect(classifyHostPath('/opt/app')).toBeUndefined();
    expect(classifyHostPath('/data')).toBeUndefined();
  });
});

describe('hostPath volumes', () => {
  it('recognizes a hostPath volume, with or without a path', () => {
    expect(isHostPathVolume({ name: 'logs', hostPath: { path: '/var/log' } })).toBe(true);
    expect(isHostPathVolume({ name: 'odd', hostPath: {} })).toBe(true);
    expect(isHostPathVolume({ name: 'cache', emptyDir: {} })).toBe(false);
    expect(isHostPathVolume({ name: 'cleared', hostPath: null })).toBe(false);
    expect(isHostPathVolume('hostPath')).toBe(false);
  });

  it('reads the node path as written', () => {
    expect(hostPathOf({ hostPath: { path: '/var/run/docker.sock' } })).toBe('/var/run/docker.sock');
    expect(hostPathOf({ hostPath: {} })).toBeUndefined();
    expect(hostPathOf({ emptyDir: {} })).toBeUndefined();
  });
});

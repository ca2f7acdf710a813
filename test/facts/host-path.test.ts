import { describe, expect, it } from 'vitest';
import { classifyHostPath, normalizeHostPath } from '../../shared/facts/host-path.ts';

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

import { describe, expect, it } from 'vitest';
import { compareVersions, daysUntil, parseMinorVersion, skewOf, supportWindowOf } from '../../shared/facts/kubernetes-versions.ts';

describe('version arithmetic', () => {
  it('parses minor versions as kubelets and EKS report them', () => {
    expect(parseMinorVersion('v1.29.3-eks-ae9a62a')).toEqual({ major: 1, minor: 29 });
    expect(parseMinorVersion('1.30')).toEqual({ major: 1, minor: 30 });
    expect(parseMinorVersion('latest')).toBeUndefined();
  });

  it('applies the skew policy: three minors behind since 1.28, two before, never ahead', () => {
    expect(skewOf({ major: 1, minor: 30 }, { major: 1, minor: 30 })).toBeUndefined();
    expect(skewOf({ major: 1, minor: 30 }, { major: 1, minor: 27 })).toEqual({ kind: 'behind', behind: 3 });
    expect(skewOf({ major: 1, minor: 27 }, { major: 1, minor: 24 })).toEqual({ kind: 'unsupported', behind: 3 });
    expect(skewOf({ major: 1, minor: 30 }, { major: 1, minor: 31 })).toEqual({ kind: 'unsupported', behind: -1 });
  });

  it('orders add-on versions part by part and counts whole days', () => {
    expect(compareVersions('v1.19.0-eksbuild.1', 'v1.19.0-eksbuild.2')).toBeLessThan(0);
    expect(compareVersions('v1.10.0', 'v1.9.9')).toBeGreaterThan(0);
    expect(compareVersions('1.2', '1.2.0')).toBe(0);
    expect(daysUntil('2026-01-31', '2026-01-01T12:00:00Z')).toBe(29);
    expect(daysUntil('not a date', '2026-01-01T00:00:00Z')).toBeUndefined();
  });
});

describe('supportWindowOf', () => {
  it('ignores an API answer about another version', () => {
    const window = supportWindowOf('1.31', { clusterVersion: '1.30', endOfStandardSupportDate: '2025-07-23' });
    expect(window).toMatchObject({ source: 'calendar', endOfStandardSupportDate: '2025-11-26' });
  });
});

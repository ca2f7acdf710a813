import { describe, expect, it } from 'vitest';
import { advisoriesFor, parseRuntimeVersion, runtimeAdvisories } from '../../shared/facts/container-runtime-advisories.ts';

describe('container runtime advisories', () => {
  it('parses the kubelet-reported runtime version', () => {
    expect(parseRuntimeVersion('containerd://1.7.11-1.amzn2.0.1')).toEqual({ runtime: 'containerd', version: '1.7.11' });
    expect(parseRuntimeVersion('docker://20.10.17')).toEqual({ runtime: 'docker', version: '20.10.17' });
  });

  it('judges a version against the fix of its own release line', () => {
    const ids = (text: string) => advisoriesFor(parseRuntimeVersion(text)!).map((a) => a.id).sort();
    expect(ids('containerd://1.6.27')).toEqual(['CVE-2024-21626']);
    expect(ids('containerd://1.6.28')).toEqual([]);
    expect(ids('containerd://1.5.9')).toEqual(['CVE-2022-23648', 'CVE-2024-21626']);
    expect(ids('docker://20.10.17')).toEqual(['CVE-2024-21626']);
    expect(ids('docker://25.0.2')).toEqual([]);
  });

  it('names a source for every advisory', () => {
    for (const advisory of runtimeAdvisories) expect(advisory.source).toMatch(/^https:\/\//);
  });
});

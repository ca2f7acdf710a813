import { describe, expect, it } from 'vitest';
import { isSystemNamespace } from '../../shared/facts/system-namespaces.ts';

describe('isSystemNamespace', () => {
  it('is true for the namespaces the platform runs', () => {
    for (const namespace of ['kube-system', 'kube-public', 'kube-node-lease']) expect(isSystemNamespace(namespace)).toBe(true);
  });

  it('is false for the namespaces users deploy to, and for none', () => {
    for (const namespace of ['default', 'shop', 'kube-systems', undefined]) expect(isSystemNamespace(namespace)).toBe(false);
  });
});

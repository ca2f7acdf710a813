import { describe, expect, it } from 'vitest';
import { allowsFromAnywhere, governsIngress, isDefaultDenyIngress } from '../../shared/facts/network-policy.ts';
import type { KubeObject } from '../../shared/model/kube.ts';

const policy = (spec: Record<string, unknown>): KubeObject => ({
  apiVersion: 'networking.k8s.io/v1',
  kind: 'NetworkPolicy',
  metadata: { name: 'p', namespace: 'shop' },
  spec,
});

describe('governsIngress', () => {
  it('follows the API server defaults: Ingress unless policyTypes leaves it out', () => {
    expect(governsIngress(policy({ podSelector: {} }))).toBe(true);
    expect(governsIngress(policy({ podSelector: {}, egress: [{}] }))).toBe(true);
    expect(governsIngress(policy({ podSelector: {}, policyTypes: ['Egress'] }))).toBe(false);
  });
});

describe('allowsFromAnywhere', () => {
  it('names why an ingress rule admits every source', () => {
    expect(allowsFromAnywhere({})).toEqual({ reason: 'it has no `from`, so every source is allowed' });
    expect(allowsFromAnywhere({ from: [] })).toEqual({ reason: 'it has no `from`, so every source is allowed' });
    expect(allowsFromAnywhere({ from: [{ podSelector: {} }, { ipBlock: { cidr: '0.0.0.0/0' } }] })).toEqual({ peerIndex: 1, reason: 'it allows ipBlock 0.0.0.0/0' });
  });

  it('is undefined for rules limited to some sources', () => {
    expect(allowsFromAnywhere({ from: [{ ipBlock: { cidr: '0.0.0.0/0', except: ['10.0.0.0/8'] } }] })).toBeUndefined();
    expect(allowsFromAnywhere({ from: [{ podSelector: { matchLabels: { app: 'web' } } }] })).toBeUndefined();
    expect(allowsFromAnywhere(null)).toBeUndefined();
  });
});

describe('isDefaultDenyIngress', () => {
  it('selects every pod, governs ingress and opens to nowhere', () => {
    expect(isDefaultDenyIngress(policy({ podSelector: {}, policyTypes: ['Ingress'] }))).toBe(true);
    expect(isDefaultDenyIngress(policy({ podSelector: {}, ingress: [{ from: [{ podSelector: {} }] }] }))).toBe(true);
  });

  it('is false for a policy on some pods, an egress-only policy or one that allows everyone in', () => {
    expect(isDefaultDenyIngress(policy({ podSelector: { matchLabels: { app: 'web' } } }))).toBe(false);
    expect(isDefaultDenyIngress(policy({ podSelector: {}, policyTypes: ['Egress'] }))).toBe(false);
    expect(isDefaultDenyIngress(policy({ podSelector: {}, ingress: [{}] }))).toBe(false);
  });
});

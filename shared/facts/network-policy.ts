// How NetworkPolicies apply: which pods a policy selects, whether it isolates them for ingress, and which of its
// ingress rules admit traffic from anywhere.
import { arrayField, recordField, stringField } from '../engine/index.ts';
import type { KubeObject } from '../model/kube.ts';
import { isEmptySelector } from './label-selector.ts';

/** Policy types as the API server defaults them: Ingress always, Egress when egress rules are present. */
function policyTypesOf(policy: KubeObject): string[] {
  const declared = arrayField(policy.spec, 'policyTypes').filter((t): t is string => typeof t === 'string');
  if (declared.length > 0) return declared;
  return arrayField(policy.spec, 'egress').length > 0 ? ['Ingress', 'Egress'] : ['Ingress'];
}

export function governsIngress(policy: KubeObject): boolean {
  return policyTypesOf(policy).includes('Ingress');
}

const openCidrs = new Set(['0.0.0.0/0', '::/0']);

/** Why an ingress rule admits every source (no `from`, or an ipBlock of 0.0.0.0/0 without exceptions), or undefined. */
export function allowsFromAnywhere(ingressRule: unknown): { peerIndex?: number; reason: string } | undefined {
  if (!ingressRule || typeof ingressRule !== 'object') return undefined;
  const from = (ingressRule as Record<string, unknown>).from;
  if (from === undefined || from === null || (Array.isArray(from) && from.length === 0)) {
    return { reason: 'it has no `from`, so every source is allowed' };
  }
  if (!Array.isArray(from)) return undefined;
  for (const [peerIndex, peer] of from.entries()) {
    const block = recordField(peer, 'ipBlock');
    const cidr = stringField(block, 'cidr');
    if (cidr && openCidrs.has(cidr) && arrayField(block, 'except').length === 0) {
      return { peerIndex, reason: `it allows ipBlock ${cidr}` };
    }
  }
  return undefined;
}

/** True when the policy puts every selected pod behind a default deny for ingress: it governs ingress and none of
 * its rules opens to anywhere. */
export function isDefaultDenyIngress(policy: KubeObject): boolean {
  if (!isEmptySelector(recordField(policy.spec, 'podSelector') ?? {}) || !governsIngress(policy)) return false;
  return !arrayField(policy.spec, 'ingress').some((rule) => allowsFromAnywhere(rule) !== undefined);
}

// NetworkPolicy builders for the network rule tests.
import type { KubeObject } from '../../../shared/model/kube.ts';

export function networkPolicy(name: string, spec: Record<string, unknown>, namespace = 'shop'): KubeObject {
  return { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name, namespace }, spec };
}

export const defaultDenyIngress = (namespace = 'shop'): KubeObject =>
  networkPolicy('default-deny-ingress', { podSelector: {}, policyTypes: ['Ingress'] }, namespace);

export const allowFromFrontend = (app: string, namespace = 'shop'): KubeObject =>
  networkPolicy(
    `allow-${app}`,
    { podSelector: { matchLabels: { app } }, policyTypes: ['Ingress'], ingress: [{ from: [{ podSelector: { matchLabels: { app: 'frontend' } } }] }] },
    namespace,
  );

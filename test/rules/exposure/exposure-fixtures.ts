// Service and Ingress builders for the exposure and attack-path tests.
import type { KubeObject } from '../../../shared/model/kube.ts';

export function service(
  name: string,
  options: { type?: string; selector?: Record<string, string>; annotations?: Record<string, string>; namespace?: string; spec?: Record<string, unknown> } = {},
): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name, namespace: options.namespace ?? 'shop', annotations: options.annotations ?? {} },
    spec: { type: options.type ?? 'ClusterIP', selector: options.selector ?? { app: 'web' }, ports: [{ port: 80, targetPort: 8080 }], ...options.spec },
  };
}

export function ingress(
  name: string,
  options: { backend?: string; annotations?: Record<string, string>; tls?: unknown[]; namespace?: string; className?: string } = {},
): KubeObject {
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'Ingress',
    metadata: { name, namespace: options.namespace ?? 'shop', annotations: options.annotations ?? {} },
    spec: {
      ingressClassName: options.className ?? 'alb',
      ...(options.tls ? { tls: options.tls } : {}),
      rules: [
        {
          host: 'shop.example.com',
          http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: options.backend ?? 'web', port: { number: 80 } } } }] },
        },
      ],
    },
  };
}

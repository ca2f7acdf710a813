// A Node object as the API returns it (the parts the node rules read).
import type { KubeObject } from '../../../shared/model/kube.ts';

export function node(name: string, options: { kubelet?: string; runtime?: string; labels?: Record<string, string>; addresses?: { type: string; address: string }[] } = {}): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name, labels: { 'kubernetes.io/os': 'linux', ...options.labels } },
    status: {
      addresses: options.addresses ?? [
        { type: 'InternalIP', address: '10.0.12.34' },
        { type: 'InternalDNS', address: 'ip-10-0-12-34.eu-west-1.compute.internal' },
        { type: 'Hostname', address: 'ip-10-0-12-34.eu-west-1.compute.internal' },
      ],
      nodeInfo: {
        architecture: 'amd64',
        containerRuntimeVersion: options.runtime ?? 'containerd://1.7.27',
        kernelVersion: '6.1.141-155.222.amzn2023.x86_64',
        kubeProxyVersion: options.kubelet ?? 'v1.33.0-eks-802817d',
        kubeletVersion: options.kubelet ?? 'v1.33.0-eks-802817d',
        operatingSystem: 'linux',
        osImage: 'Amazon Linux 2023.7.20250623',
      },
    },
  };
}

// Built-in exceptions for the components AWS runs in every EKS cluster: detected, kept, shown, but not alerted.
import type { Finding, Suppression } from '../model/finding.ts';
import { clusterScopedKinds, isRecord, type KubeObject } from '../model/kube.ts';
import type { ExceptionMatcher } from './exceptions.ts';
import { compileGlob, type Glob } from './exceptions-file.ts';
import { engineErrorRuleId } from './run.ts';
import { labelsOf } from './snapshot-index.ts';
import { podTemplateOf } from './workload.ts';

export interface PlatformComponent {
  id: string;
  title: string;
  /** Why its findings are expected: what the component needs and who maintains it. */
  reason: string;
  /** Where it runs. Namespaced objects elsewhere are never treated as this component. */
  namespaces: readonly string[];
  /** Object names (globs) of its workloads, RBAC objects, CRDs and drivers. */
  names: readonly string[];
  /** Values of the component labels (`eks.amazonaws.com/component`, `k8s-app`, `app.kubernetes.io/name`, `app`). */
  labelValues: readonly string[];
}

const componentLabels = ['eks.amazonaws.com/component', 'k8s-app', 'app.kubernetes.io/name', 'app'] as const;

const kubeSystem = ['kube-system'];

const platformComponents: readonly PlatformComponent[] = [
  {
    id: 'aws-node',
    title: 'Amazon VPC CNI (aws-node)',
    reason:
      'Programs pod networking on every node: it needs hostNetwork, NET_ADMIN/NET_RAW, a privileged init ' +
      'container and host paths for the CNI binaries and config. AWS ships and updates it (vpc-cni add-on).',
    namespaces: kubeSystem,
    names: ['aws-node', 'aws-node-*', 'amazon-vpc-cni', 'eniconfigs.crd.k8s.amazonaws.com', 'policyendpoints.networking.k8s.aws'],
    labelValues: ['aws-node', 'aws-vpc-cni'],
  },
  {
    id: 'kube-proxy',
    title: 'kube-proxy',
    reason:
      'Maintains Service routing in the node\'s network namespace: it needs privileged mode, hostNetwork and ' +
      'host paths (/lib/modules, xtables lock). AWS ships and updates it (kube-proxy add-on).',
    namespaces: kubeSystem,
    names: ['kube-proxy', 'kube-proxy-*', 'eks:kube-proxy*'],
    labelValues: ['kube-proxy'],
  },
  {
    id: 'coredns',
    title: 'CoreDNS',
    reason: 'The cluster DNS server, shipped and updated by AWS (coredns add-on); it needs NET_BIND_SERVICE and cluster-wide read of Services and EndpointSlices.',
    namespaces: kubeSystem,
    names: ['coredns', 'coredns-*', 'kube-dns', 'system:coredns'],
    labelValues: ['coredns', 'kube-dns'],
  },
  {
    id: 'aws-ebs-csi-driver',
    title: 'Amazon EBS CSI driver',
    reason:
      'Attaches and mounts EBS volumes: its node plugin must be privileged with host paths /var/lib/kubelet and ' +
      '/dev, its controller manages PersistentVolumes cluster-wide. AWS ships it (aws-ebs-csi-driver add-on).',
    namespaces: kubeSystem,
    names: ['ebs-csi-*', 'ebs-external-*', 'ebs.csi.aws.com'],
    labelValues: ['aws-ebs-csi-driver', 'ebs-csi-node', 'ebs-csi-controller'],
  },
  {
    id: 'aws-efs-csi-driver',
    title: 'Amazon EFS CSI driver',
    reason: 'Mounts EFS file systems: its node plugin must be privileged with host paths under /var/lib/kubelet. AWS ships it (aws-efs-csi-driver add-on).',
    namespaces: kubeSystem,
    names: ['efs-csi-*', 'efs.csi.aws.com'],
    labelValues: ['aws-efs-csi-driver', 'efs-csi-node', 'efs-csi-controller'],
  },
  {
    id: 'aws-mountpoint-s3-csi-driver',
    title: 'Mountpoint for Amazon S3 CSI driver',
    reason: 'Mounts S3 buckets as volumes: its node plugin needs host access to the kubelet directory. AWS ships it (add-on).',
    namespaces: kubeSystem,
    names: ['s3-csi-*', 's3.csi.aws.com'],
    labelValues: ['aws-mountpoint-s3-csi-driver', 's3-csi-node'],
  },
  {
    id: 'eks-pod-identity-agent',
    title: 'EKS Pod Identity Agent',
    reason:
      'Serves pod credentials on the node\'s link-local address: it needs hostNetwork and NET_ADMIN in its init ' +
      'container. AWS ships it (eks-pod-identity-agent add-on).',
    namespaces: kubeSystem,
    names: ['eks-pod-identity-agent', 'eks-pod-identity-agent-*'],
    labelValues: ['eks-pod-identity-agent'],
  },
  {
    id: 'aws-load-balancer-controller',
    title: 'AWS Load Balancer Controller',
    reason: 'Manages ELBs for Services and Ingresses: it needs cluster-wide access to them and a webhook. Installed from the AWS chart in kube-system.',
    namespaces: kubeSystem,
    names: ['aws-load-balancer-*', 'aws-lb-*'],
    labelValues: ['aws-load-balancer-controller'],
  },
  {
    id: 'metrics-server',
    title: 'Kubernetes Metrics Server',
    reason: 'Collects resource metrics from every kubelet for autoscaling: it needs node/stats access and an APIService (metrics-server add-on).',
    namespaces: kubeSystem,
    names: ['metrics-server', 'metrics-server-*', 'system:metrics-server*', 'system:aggregated-metrics-reader', 'v1beta1.metrics.k8s.io'],
    labelValues: ['metrics-server'],
  },
  {
    id: 'snapshot-controller',
    title: 'CSI snapshot controller',
    reason: 'Manages VolumeSnapshots cluster-wide for the CSI drivers (snapshot-controller add-on).',
    namespaces: kubeSystem,
    names: ['snapshot-controller', 'snapshot-controller-*', 'ebs-snapshot-controller*'],
    labelValues: ['snapshot-controller'],
  },
  {
    id: 'eks-node-monitoring-agent',
    title: 'EKS node monitoring agent',
    reason: 'Reads node health from the host (kernel logs, devices) to detect node problems: it needs host access (eks-node-monitoring-agent add-on).',
    namespaces: kubeSystem,
    names: ['eks-node-monitoring-agent', 'eks-node-monitoring-agent-*'],
    labelValues: ['eks-node-monitoring-agent'],
  },
  {
    id: 'eks-managed',
    title: 'Objects managed by Amazon EKS',
    reason: 'Created and reconciled by the EKS control plane (the eks: prefix is reserved); edits are reverted by EKS.',
    namespaces: kubeSystem,
    names: ['eks:*'],
    labelValues: [],
  },
  {
    id: 'amazon-guardduty',
    title: 'Amazon GuardDuty runtime agent',
    reason: 'Runtime threat detection reads host activity: it needs privileged host access (aws-guardduty-agent add-on, namespace amazon-guardduty).',
    namespaces: ['amazon-guardduty'],
    names: ['aws-guardduty-agent', 'aws-guardduty-agent-*'],
    labelValues: ['aws-guardduty-agent'],
  },
  {
    id: 'amazon-cloudwatch-observability',
    title: 'Amazon CloudWatch Observability',
    reason: 'The CloudWatch agent and Fluent Bit read node metrics and container logs from the host (amazon-cloudwatch-observability add-on).',
    namespaces: ['amazon-cloudwatch'],
    names: ['cloudwatch-agent*', 'fluent-bit*', 'amazon-cloudwatch-observability*', 'dcgm-exporter*', 'neuron-monitor*'],
    labelValues: ['cloudwatch-agent', 'fluent-bit', 'amazon-cloudwatch-observability', 'dcgm-exporter', 'neuron-monitor'],
  },
];

export const platformComponentIds: readonly string[] = platformComponents.map((c) => c.id);

interface CompiledComponent {
  component: PlatformComponent;
  namespaces: ReadonlySet<string>;
  names: Glob[];
  labelValues: ReadonlySet<string>;
}

function labelsOfObject(object: KubeObject): Record<string, string>[] {
  const out = [labelsOf(object)];
  const templateLabels = podTemplateOf(object)?.metadata?.labels;
  if (isRecord(templateLabels)) out.push(templateLabels as Record<string, string>);
  return out;
}

/** A binding belongs to a component only if every subject does: its service accounts live in the component's namespaces. */
function subjectsStayInside(object: KubeObject, namespaces: ReadonlySet<string>): boolean {
  const subjects = object.subjects;
  if (!Array.isArray(subjects)) return true;
  return subjects.every((subject) => {
    if (!isRecord(subject)) return false;
    if (subject.kind === 'ServiceAccount') return typeof subject.namespace === 'string' && namespaces.has(subject.namespace);
    return typeof subject.name === 'string' && (subject.name.startsWith('system:') || subject.name.startsWith('eks:'));
  });
}

function isClusterScoped(kind: string, namespace: string | undefined): boolean {
  return namespace === undefined && (clusterScopedKinds.has(kind) || kind === 'CSIDriver');
}

export interface PlatformDefaultsOptions {
  /** Component ids to treat like any user workload. */
  disabled?: readonly string[];
}

/** Which platform component a finding is about, if any. */
export class PlatformDefaults implements ExceptionMatcher {
  readonly #components: CompiledComponent[];

  constructor(options: PlatformDefaultsOptions = {}) {
    const disabled = new Set(options.disabled ?? []);
    const unknown = [...disabled].filter((id) => !platformComponentIds.includes(id));
    if (unknown.length > 0) {
      throw new Error(
        `Unknown platform component(s) ${unknown.join(', ')} in the platform defaults to switch off; known: ${platformComponentIds.join(', ')}.`,
      );
    }
    this.#components = platformComponents
      .filter((c) => !disabled.has(c.id))
      .map((component) => ({
        component,
        namespaces: new Set(component.namespaces),
        names: component.names.map(compileGlob),
        labelValues: new Set(component.labelValues),
      }));
  }

  componentOf(finding: Pick<Finding, 'resource'>, object: KubeObject | undefined): PlatformComponent | undefined {
    const { kind, namespace, name } = finding.resource;
    const clusterScoped = isClusterScoped(kind, namespace);
    const isBinding = kind === 'ClusterRoleBinding' || kind === 'RoleBinding';
    const labels = object ? labelsOfObject(object) : [];
    for (const compiled of this.#components) {
      if (!clusterScoped && (namespace === undefined || !compiled.namespaces.has(namespace))) continue;
      if (object && isBinding && !subjectsStayInside(object, compiled.namespaces)) continue;
      const byName = compiled.names.some((re) => re.test(name));
      const byLabel = labels.some((set) => componentLabels.some((key) => {
        const value = set[key];
        return typeof value === 'string' && compiled.labelValues.has(value);
      }));
      if (byName || byLabel) return compiled.component;
    }
    return undefined;
  }

  match(finding: Omit<Finding, 'status' | 'suppression'>, object: KubeObject | undefined): Suppression | undefined {
    // A rule that failed on a system object is Periscope's problem to see, not platform noise.
    if (finding.ruleId === engineErrorRuleId) return undefined;
    const component = this.componentOf(finding, object);
    if (!component) return undefined;
    return {
      reason: `EKS platform component ${component.title}: ${component.reason}`,
      source: 'platform-default',
      exceptionId: `platform:${component.id}`,
    };
  }
}

export function platformDefaultExceptions(options: PlatformDefaultsOptions = {}): PlatformDefaults {
  return new PlatformDefaults(options);
}

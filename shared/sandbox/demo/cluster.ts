// The demo EKS cluster: kube-system as a real EKS cluster has it (VPC CNI, kube-proxy, CoreDNS, EBS CSI driver,
// Pod Identity Agent, with their real privileges), plus sample applications carrying the misconfigurations people
// actually ship, one well-configured application that must produce no finding, and the EKS API's facts about the
// cluster. Periscope's own objects, written for the demo (the corpora in ../shared only informed them).
import type { KubeObject } from '../../model/kube.ts';
import type { FakeAddon, FakeAddonCatalogueEntry, FakeEksCluster } from '../fake-eks/index.ts';
import { localAccountId, localClusterArn, localClusterName, localRegion, localScannerRoleArn } from '../local-pipeline.ts';

export const demoAccountId = localAccountId;
export const demoRegion = localRegion;
/** The cluster events/eks-create-cluster.json creates. */
export const demoClusterName = localClusterName;
export const demoClusterArn = localClusterArn;
const demoScannerRoleArn = localScannerRoleArn;
/** Near the end of its standard support on the EKS calendar (ends 2026-12-02). */
const demoKubernetesVersion = '1.34';

/** The well-configured application: nothing in its namespace may produce a finding. */
export const wellConfiguredApp = { namespace: 'payments', deployment: 'payments-api' } as const;
/** The exposed dashboard the demo fixes between its two scans. */
export const exposedDashboard = { namespace: 'ops', deployment: 'ops-dashboard', service: 'ops-dashboard' } as const;

const ecr = `602401143452.dkr.ecr.${demoRegion}.amazonaws.com`;
const created = '2026-11-23T10:14:07Z';
const nodes = [
  { name: 'ip-10-0-12-84.eu-west-1.compute.internal', ip: '10.0.12.84', zone: 'eu-west-1a', instance: 'i-0a3f5c2d9e8b71f04' },
  { name: 'ip-10-0-45-201.eu-west-1.compute.internal', ip: '10.0.45.201', zone: 'eu-west-1b', instance: 'i-07d1e6b4c3a2f9e85' },
];

type Json = Record<string, unknown>;

let uidCounter = 0;
/** Deterministic uids, so two runs of the demo serve identical objects. */
function uid(): string {
  uidCounter += 1;
  return `d3m0${String(uidCounter).padStart(4, '0')}-5e7a-4c1b-9f2d-${String(uidCounter).padStart(12, '0')}`;
}

function meta(name: string, namespace: string | undefined, extra: Json = {}): Json {
  return { name, ...(namespace ? { namespace } : {}), uid: uid(), resourceVersion: String(1000 + uidCounter), creationTimestamp: created, ...extra };
}

function namespace(name: string, labels: Record<string, string> = {}): KubeObject {
  return { apiVersion: 'v1', kind: 'Namespace', metadata: meta(name, undefined, { labels: { 'kubernetes.io/metadata.name': name, ...labels } }), spec: { finalizers: ['kubernetes'] }, status: { phase: 'Active' } };
}

function serviceAccount(ns: string, name: string, extra: Json = {}): KubeObject {
  return { apiVersion: 'v1', kind: 'ServiceAccount', metadata: meta(name, ns), ...extra };
}

function clusterRole(name: string, rules: Json[], labels: Record<string, string> = {}): KubeObject {
  return { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: meta(name, undefined, { labels }), rules };
}

function binding(kind: 'ClusterRoleBinding' | 'RoleBinding', name: string, ns: string | undefined, roleRef: { kind: string; name: string }, subjects: Json[], labels: Record<string, string> = {}): KubeObject {
  return {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind,
    metadata: meta(name, ns, { labels }),
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', ...roleRef },
    subjects,
  };
}

const sa = (ns: string, name: string): Json => ({ kind: 'ServiceAccount', name, namespace: ns });

interface WorkloadSpec {
  ns: string;
  name: string;
  labels: Record<string, string>;
  podSpec: Json;
  annotations?: Record<string, string>;
  replicas?: number;
}

function deployment(spec: WorkloadSpec): KubeObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: meta(spec.name, spec.ns, { labels: spec.labels, annotations: { 'deployment.kubernetes.io/revision': '1', ...spec.annotations } }),
    spec: {
      replicas: spec.replicas ?? 2,
      selector: { matchLabels: spec.labels },
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' } },
      template: { metadata: { labels: spec.labels }, spec: spec.podSpec },
    },
    status: { replicas: spec.replicas ?? 2, readyReplicas: spec.replicas ?? 2 },
  };
}

function daemonSet(spec: WorkloadSpec): KubeObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'DaemonSet',
    metadata: meta(spec.name, spec.ns, { labels: spec.labels }),
    spec: {
      selector: { matchLabels: spec.labels },
      updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: '10%' } },
      template: { metadata: { labels: spec.labels }, spec: spec.podSpec },
    },
    status: { desiredNumberScheduled: nodes.length, numberReady: nodes.length },
  };
}

/** The ReplicaSet and pods a Deployment has in a running cluster (pods are judged through their owner). */
function runningPods(owner: KubeObject): KubeObject[] {
  const ownerMeta = owner.metadata as Json;
  const ownerSpec = owner.spec as { template: { metadata: Json; spec: Json }; replicas?: number };
  const ns = String(ownerMeta.namespace);
  const ownerRef = (kind: string, name: string, id: unknown) => [{ apiVersion: 'apps/v1', kind, name, uid: id, controller: true, blockOwnerDeletion: true }];
  const pod = (name: string, owners: Json[], nodeName: string): KubeObject => ({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: meta(name, ns, { labels: ownerSpec.template.metadata.labels, ownerReferences: owners }),
    spec: { ...ownerSpec.template.spec, nodeName },
    status: { phase: 'Running' },
  });
  if (owner.kind === 'DaemonSet') {
    return nodes.map((node, i) => pod(`${String(ownerMeta.name)}-${['x7k2p', 'm4q9t'][i]}`, ownerRef('DaemonSet', String(ownerMeta.name), ownerMeta.uid), node.name));
  }
  const hash = '7c9d5f6b8';
  const replicaSetName = `${String(ownerMeta.name)}-${hash}`;
  const replicaSet: KubeObject = {
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: meta(replicaSetName, ns, { labels: { ...(ownerSpec.template.metadata.labels as Json), 'pod-template-hash': hash }, ownerReferences: ownerRef('Deployment', String(ownerMeta.name), ownerMeta.uid) }),
    spec: { replicas: ownerSpec.replicas ?? 1, selector: (owner.spec as Json).selector, template: ownerSpec.template },
  };
  const replicaSetUid = (replicaSet.metadata as Json).uid;
  const pods = Array.from({ length: ownerSpec.replicas ?? 1 }, (_, i) =>
    pod(`${replicaSetName}-${['b2xq4', 'h8v6n', 'r5w3z'][i % 3]}`, ownerRef('ReplicaSet', replicaSetName, replicaSetUid), nodes[i % nodes.length]!.name),
  );
  return [replicaSet, ...pods];
}

function withPods(workload: KubeObject): KubeObject[] {
  return [workload, ...runningPods(workload)];
}

const hostPath = (name: string, path: string, type?: string): Json => ({ name, hostPath: { path, ...(type ? { type } : {}) } });
const nodeCritical = { priorityClassName: 'system-node-critical', tolerations: [{ operator: 'Exists' }] };

function kubeSystem(): KubeObject[] {
  const ks = 'kube-system';
  const awsNodeLabels = { 'k8s-app': 'aws-node' };
  const awsNode = daemonSet({
    ns: ks,
    name: 'aws-node',
    labels: awsNodeLabels,
    podSpec: {
      ...nodeCritical,
      serviceAccountName: 'aws-node',
      hostNetwork: true,
      initContainers: [
        {
          name: 'aws-vpc-cni-init',
          image: `${ecr}/amazon-k8s-cni-init:v1.20.4-eksbuild.1`,
          env: [{ name: 'DISABLE_TCP_EARLY_DEMUX', value: 'false' }, { name: 'ENABLE_IPv6', value: 'false' }],
          securityContext: { privileged: true },
          resources: { requests: { cpu: '25m' } },
          volumeMounts: [{ name: 'cni-bin-dir', mountPath: '/host/opt/cni/bin' }],
        },
      ],
      containers: [
        {
          name: 'aws-node',
          image: `${ecr}/amazon-k8s-cni:v1.20.4-eksbuild.1`,
          ports: [{ containerPort: 61678, name: 'metrics' }],
          env: [
            { name: 'AWS_VPC_K8S_CNI_LOGLEVEL', value: 'DEBUG' },
            { name: 'ENABLE_PREFIX_DELEGATION', value: 'false' },
            { name: 'MY_NODE_NAME', valueFrom: { fieldRef: { fieldPath: 'spec.nodeName' } } },
          ],
          securityContext: { capabilities: { add: ['NET_ADMIN', 'NET_RAW'] } },
          resources: { requests: { cpu: '25m' } },
          volumeMounts: [
            { name: 'cni-bin-dir', mountPath: '/host/opt/cni/bin' },
            { name: 'cni-net-dir', mountPath: '/host/etc/cni/net.d' },
            { name: 'log-dir', mountPath: '/host/var/log/aws-routed-eni' },
            { name: 'run-dir', mountPath: '/var/run/aws-node' },
            { name: 'xtables-lock', mountPath: '/run/xtables.lock' },
          ],
        },
        {
          name: 'aws-eks-nodeagent',
          image: `${ecr}/amazon/aws-network-policy-agent:v1.2.7-eksbuild.1`,
          args: ['--enable-ipv6=false', '--enable-network-policy=false', '--metrics-bind-addr=:8162'],
          securityContext: { privileged: true, capabilities: { add: ['NET_ADMIN'] } },
          resources: { requests: { cpu: '25m' } },
          volumeMounts: [
            { name: 'bpf-pin-path', mountPath: '/sys/fs/bpf' },
            { name: 'log-dir', mountPath: '/var/log/aws-routed-eni' },
            { name: 'run-dir', mountPath: '/var/run/aws-node' },
          ],
        },
      ],
      volumes: [
        hostPath('bpf-pin-path', '/sys/fs/bpf'),
        hostPath('cni-bin-dir', '/opt/cni/bin'),
        hostPath('cni-net-dir', '/etc/cni/net.d'),
        hostPath('log-dir', '/var/log/aws-routed-eni', 'DirectoryOrCreate'),
        hostPath('run-dir', '/var/run/aws-node', 'DirectoryOrCreate'),
        hostPath('xtables-lock', '/run/xtables.lock', 'FileOrCreate'),
      ],
    },
  });
  const kubeProxyLabels = { 'k8s-app': 'kube-proxy' };
  const kubeProxy = daemonSet({
    ns: ks,
    name: 'kube-proxy',
    labels: kubeProxyLabels,
    podSpec: {
      ...nodeCritical,
      serviceAccountName: 'kube-proxy',
      hostNetwork: true,
      containers: [
        {
          name: 'kube-proxy',
          image: `${ecr}/eks/kube-proxy:v1.34.0-minimal-eksbuild.2`,
          command: ['kube-proxy', '--v=2', '--config=/var/lib/kube-proxy-config/config', '--hostname-override=$(NODE_NAME)'],
          env: [{ name: 'NODE_NAME', valueFrom: { fieldRef: { fieldPath: 'spec.nodeName' } } }],
          securityContext: { privileged: true },
          resources: { requests: { cpu: '100m' } },
          volumeMounts: [
            { name: 'varlog', mountPath: '/var/log' },
            { name: 'xtables-lock', mountPath: '/run/xtables.lock' },
            { name: 'lib-modules', mountPath: '/lib/modules', readOnly: true },
            { name: 'kubeconfig', mountPath: '/var/lib/kube-proxy/' },
            { name: 'config', mountPath: '/var/lib/kube-proxy-config/' },
          ],
        },
      ],
      volumes: [
        hostPath('varlog', '/var/log'),
        hostPath('xtables-lock', '/run/xtables.lock', 'FileOrCreate'),
        hostPath('lib-modules', '/lib/modules'),
        { name: 'kubeconfig', configMap: { name: 'kube-proxy' } },
        { name: 'config', configMap: { name: 'kube-proxy-config' } },
      ],
    },
  });
  const corednsLabels = { 'k8s-app': 'kube-dns', 'eks.amazonaws.com/component': 'coredns' };
  const coredns = deployment({
    ns: ks,
    name: 'coredns',
    labels: corednsLabels,
    podSpec: {
      priorityClassName: 'system-cluster-critical',
      serviceAccountName: 'coredns',
      tolerations: [{ key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' }, { key: 'CriticalAddonsOnly', operator: 'Exists' }],
      containers: [
        {
          name: 'coredns',
          image: `${ecr}/eks/coredns:v1.12.3-eksbuild.1`,
          args: ['-conf', '/etc/coredns/Corefile'],
          ports: [
            { containerPort: 53, name: 'dns', protocol: 'UDP' },
            { containerPort: 53, name: 'dns-tcp', protocol: 'TCP' },
            { containerPort: 9153, name: 'metrics', protocol: 'TCP' },
          ],
          resources: { limits: { memory: '170Mi' }, requests: { cpu: '100m', memory: '70Mi' } },
          securityContext: { allowPrivilegeEscalation: false, capabilities: { add: ['NET_BIND_SERVICE'], drop: ['ALL'] }, readOnlyRootFilesystem: true },
          livenessProbe: { httpGet: { path: '/health', port: 8080, scheme: 'HTTP' }, initialDelaySeconds: 60 },
          readinessProbe: { httpGet: { path: '/ready', port: 8181, scheme: 'HTTP' } },
          volumeMounts: [{ name: 'config-volume', mountPath: '/etc/coredns', readOnly: true }],
        },
      ],
      volumes: [{ name: 'config-volume', configMap: { name: 'coredns', items: [{ key: 'Corefile', path: 'Corefile' }] } }],
    },
  });
  const ebsNodeLabels = { app: 'ebs-csi-node', 'app.kubernetes.io/name': 'aws-ebs-csi-driver' };
  const ebsNode = daemonSet({
    ns: ks,
    name: 'ebs-csi-node',
    labels: ebsNodeLabels,
    podSpec: {
      ...nodeCritical,
      serviceAccountName: 'ebs-csi-node-sa',
      securityContext: { fsGroup: 0, runAsGroup: 0, runAsNonRoot: false, runAsUser: 0 },
      containers: [
        {
          name: 'ebs-plugin',
          image: `${ecr}/eks/aws-ebs-csi-driver:v1.48.0`,
          args: ['node', '--endpoint=$(CSI_ENDPOINT)', '--csi-mount-point-prefix=/var/lib/kubelet/plugins/kubernetes.io/csi/ebs.csi.aws.com/', '--logging-format=text', '--v=2'],
          env: [{ name: 'CSI_ENDPOINT', value: 'unix:/csi/csi.sock' }, { name: 'CSI_NODE_NAME', valueFrom: { fieldRef: { fieldPath: 'spec.nodeName' } } }],
          securityContext: { privileged: true, readOnlyRootFilesystem: true },
          resources: { limits: { memory: '256Mi' }, requests: { cpu: '10m', memory: '40Mi' } },
          volumeMounts: [
            { name: 'kubelet-dir', mountPath: '/var/lib/kubelet', mountPropagation: 'Bidirectional' },
            { name: 'plugin-dir', mountPath: '/csi' },
            { name: 'device-dir', mountPath: '/dev' },
          ],
        },
        {
          name: 'node-driver-registrar',
          image: `${ecr}/eks/csi-node-driver-registrar:v2.14.0-eks-1-34-3`,
          args: ['--csi-address=$(ADDRESS)', '--kubelet-registration-path=$(DRIVER_REG_SOCK_PATH)', '--v=2'],
          env: [{ name: 'ADDRESS', value: '/csi/csi.sock' }, { name: 'DRIVER_REG_SOCK_PATH', value: '/var/lib/kubelet/plugins/ebs.csi.aws.com/csi.sock' }],
          securityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true },
          volumeMounts: [{ name: 'plugin-dir', mountPath: '/csi' }, { name: 'registration-dir', mountPath: '/registration' }],
        },
      ],
      volumes: [
        hostPath('kubelet-dir', '/var/lib/kubelet', 'Directory'),
        hostPath('plugin-dir', '/var/lib/kubelet/plugins/ebs.csi.aws.com/', 'DirectoryOrCreate'),
        hostPath('registration-dir', '/var/lib/kubelet/plugins_registry/', 'Directory'),
        hostPath('device-dir', '/dev', 'Directory'),
      ],
    },
  });
  const ebsControllerLabels = { app: 'ebs-csi-controller', 'app.kubernetes.io/name': 'aws-ebs-csi-driver' };
  const ebsController = deployment({
    ns: ks,
    name: 'ebs-csi-controller',
    labels: ebsControllerLabels,
    podSpec: {
      priorityClassName: 'system-cluster-critical',
      serviceAccountName: 'ebs-csi-controller-sa',
      securityContext: { fsGroup: 1000, runAsGroup: 1000, runAsNonRoot: true, runAsUser: 1000 },
      containers: [
        {
          name: 'ebs-plugin',
          image: `${ecr}/eks/aws-ebs-csi-driver:v1.48.0`,
          args: ['controller', '--endpoint=$(CSI_ENDPOINT)', '--batching=true', '--logging-format=text', '--v=2'],
          env: [{ name: 'CSI_ENDPOINT', value: 'unix:///var/lib/csi/sockets/pluginproxy/csi.sock' }, { name: 'AWS_REGION', value: demoRegion }],
          securityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, seccompProfile: { type: 'RuntimeDefault' } },
          resources: { limits: { memory: '256Mi' }, requests: { cpu: '10m', memory: '40Mi' } },
          volumeMounts: [{ name: 'socket-dir', mountPath: '/var/lib/csi/sockets/pluginproxy/' }],
        },
        {
          name: 'csi-provisioner',
          image: `${ecr}/eks/csi-provisioner:v5.3.0-eks-1-34-3`,
          args: ['--timeout=60s', '--csi-address=$(ADDRESS)', '--v=2', '--feature-gates=Topology=true', '--leader-election=true'],
          env: [{ name: 'ADDRESS', value: '/var/lib/csi/sockets/pluginproxy/csi.sock' }],
          securityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, seccompProfile: { type: 'RuntimeDefault' } },
          volumeMounts: [{ name: 'socket-dir', mountPath: '/var/lib/csi/sockets/pluginproxy/' }],
        },
      ],
      volumes: [{ name: 'socket-dir', emptyDir: {} }],
    },
  });
  const podIdentityLabels = { 'app.kubernetes.io/name': 'eks-pod-identity-agent', 'app.kubernetes.io/instance': 'eks-pod-identity-agent' };
  const podIdentityAgent = daemonSet({
    ns: ks,
    name: 'eks-pod-identity-agent',
    labels: podIdentityLabels,
    podSpec: {
      ...nodeCritical,
      automountServiceAccountToken: false,
      hostNetwork: true,
      terminationGracePeriodSeconds: 30,
      initContainers: [
        {
          name: 'eks-pod-identity-agent-init',
          image: `${ecr}/eks/eks-pod-identity-agent:v0.1.29`,
          command: ['/go-runner', '/eks-pod-identity-agent', 'initialize'],
          securityContext: { privileged: true },
        },
      ],
      containers: [
        {
          name: 'eks-pod-identity-agent',
          image: `${ecr}/eks/eks-pod-identity-agent:v0.1.29`,
          command: ['/go-runner', '/eks-pod-identity-agent', 'server'],
          args: ['--port', '80', '--cluster-name', demoClusterName, '--probe-port', '2703'],
          ports: [{ containerPort: 80, name: 'proxy', protocol: 'TCP' }, { containerPort: 2703, name: 'probes-port', protocol: 'TCP' }],
          env: [{ name: 'AWS_REGION', value: demoRegion }],
          securityContext: { capabilities: { add: ['CAP_NET_BIND_SERVICE'] } },
          livenessProbe: { httpGet: { host: 'localhost', path: '/healthz', port: 'probes-port', scheme: 'HTTP' }, initialDelaySeconds: 30 },
        },
      ],
    },
  });
  return [
    namespace(ks),
    serviceAccount(ks, 'default'),
    serviceAccount(ks, 'aws-node'),
    serviceAccount(ks, 'kube-proxy'),
    serviceAccount(ks, 'coredns'),
    serviceAccount(ks, 'ebs-csi-node-sa', { metadata: meta('ebs-csi-node-sa', ks, { labels: { 'app.kubernetes.io/name': 'aws-ebs-csi-driver' } }) }),
    serviceAccount(ks, 'ebs-csi-controller-sa', {
      metadata: meta('ebs-csi-controller-sa', ks, {
        labels: { 'app.kubernetes.io/name': 'aws-ebs-csi-driver' },
        annotations: { 'eks.amazonaws.com/role-arn': `arn:aws:iam::${demoAccountId}:role/AmazonEKS_EBS_CSI_DriverRole` },
      }),
    }),
    clusterRole('aws-node', [
      { apiGroups: ['crd.k8s.amazonaws.com'], resources: ['eniconfigs'], verbs: ['get', 'list', 'watch'] },
      { apiGroups: [''], resources: ['namespaces', 'pods'], verbs: ['list', 'watch', 'get'] },
      { apiGroups: [''], resources: ['nodes'], verbs: ['list', 'watch', 'get'] },
      { apiGroups: ['', 'events.k8s.io'], resources: ['events'], verbs: ['create', 'patch', 'list'] },
      { apiGroups: ['networking.k8s.aws'], resources: ['policyendpoints'], verbs: ['get', 'list', 'watch'] },
    ], { 'app.kubernetes.io/name': 'aws-node' }),
    binding('ClusterRoleBinding', 'aws-node', undefined, { kind: 'ClusterRole', name: 'aws-node' }, [sa(ks, 'aws-node')], { 'app.kubernetes.io/name': 'aws-node' }),
    binding('ClusterRoleBinding', 'eks:kube-proxy', undefined, { kind: 'ClusterRole', name: 'system:node-proxier' }, [sa(ks, 'kube-proxy')], { 'eks.amazonaws.com/component': 'kube-proxy' }),
    clusterRole('system:coredns', [
      { apiGroups: [''], resources: ['endpoints', 'services', 'pods', 'namespaces'], verbs: ['list', 'watch'] },
      { apiGroups: ['discovery.k8s.io'], resources: ['endpointslices'], verbs: ['list', 'watch'] },
    ], { 'eks.amazonaws.com/component': 'coredns', 'kubernetes.io/bootstrapping': 'rbac-defaults' }),
    binding('ClusterRoleBinding', 'system:coredns', undefined, { kind: 'ClusterRole', name: 'system:coredns' }, [sa(ks, 'coredns')], { 'eks.amazonaws.com/component': 'coredns' }),
    clusterRole('ebs-external-provisioner-role', [
      { apiGroups: [''], resources: ['persistentvolumes'], verbs: ['get', 'list', 'watch', 'create', 'patch', 'delete'] },
      { apiGroups: [''], resources: ['persistentvolumeclaims'], verbs: ['get', 'list', 'watch', 'update'] },
      { apiGroups: ['storage.k8s.io'], resources: ['storageclasses', 'csinodes'], verbs: ['get', 'list', 'watch'] },
      { apiGroups: [''], resources: ['events'], verbs: ['list', 'watch', 'create', 'update', 'patch'] },
    ], { 'app.kubernetes.io/name': 'aws-ebs-csi-driver' }),
    binding('ClusterRoleBinding', 'ebs-csi-provisioner-binding', undefined, { kind: 'ClusterRole', name: 'ebs-external-provisioner-role' }, [sa(ks, 'ebs-csi-controller-sa')], { 'app.kubernetes.io/name': 'aws-ebs-csi-driver' }),
    clusterRole('ebs-csi-node-role', [{ apiGroups: [''], resources: ['nodes'], verbs: ['get', 'patch'] }, { apiGroups: ['storage.k8s.io'], resources: ['volumeattachments'], verbs: ['get', 'list', 'watch'] }], { 'app.kubernetes.io/name': 'aws-ebs-csi-driver' }),
    binding('ClusterRoleBinding', 'ebs-csi-node-getter-binding', undefined, { kind: 'ClusterRole', name: 'ebs-csi-node-role' }, [sa(ks, 'ebs-csi-node-sa')], { 'app.kubernetes.io/name': 'aws-ebs-csi-driver' }),
    {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: meta('kube-dns', ks, { labels: { 'k8s-app': 'kube-dns', 'eks.amazonaws.com/component': 'kube-dns' }, annotations: { 'prometheus.io/port': '9153', 'prometheus.io/scrape': 'true' } }),
      spec: { type: 'ClusterIP', clusterIP: '172.20.0.10', selector: { 'k8s-app': 'kube-dns' }, ports: [{ name: 'dns', port: 53, protocol: 'UDP', targetPort: 53 }, { name: 'dns-tcp', port: 53, protocol: 'TCP', targetPort: 53 }] },
    },
    {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: meta('coredns', ks, { labels: { 'eks.amazonaws.com/component': 'coredns', 'k8s-app': 'kube-dns' } }),
      data: {
        Corefile: '.:53 {\n    errors\n    health {\n        lameduck 5s\n      }\n    ready\n    kubernetes cluster.local in-addr.arpa ip6.arpa {\n      pods insecure\n      fallthrough in-addr.arpa ip6.arpa\n    }\n    prometheus :9153\n    forward . /etc/resolv.conf\n    cache 30\n    loop\n    reload\n    loadbalance\n}\n',
      },
    },
    ...withPods(awsNode),
    ...withPods(kubeProxy),
    ...withPods(coredns),
    ...withPods(ebsNode),
    ...withPods(ebsController),
    ...withPods(podIdentityAgent),
  ];
}

/** What every cluster has before anyone deploys anything: the namespaces, nodes and the built-in roles used here. */
function foundations(): KubeObject[] {
  const bootstrap = { 'kubernetes.io/bootstrapping': 'rbac-defaults' };
  return [
    namespace('default'),
    namespace('kube-public'),
    namespace('kube-node-lease'),
    serviceAccount('default', 'default'),
    clusterRole('cluster-admin', [{ apiGroups: ['*'], resources: ['*'], verbs: ['*'] }, { nonResourceURLs: ['*'], verbs: ['*'] }], bootstrap),
    binding('ClusterRoleBinding', 'cluster-admin', undefined, { kind: 'ClusterRole', name: 'cluster-admin' }, [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'Group', name: 'system:masters' }], bootstrap),
    clusterRole('system:node-proxier', [
      { apiGroups: [''], resources: ['endpoints', 'services'], verbs: ['list', 'watch'] },
      { apiGroups: [''], resources: ['nodes'], verbs: ['get', 'list', 'watch'] },
      { apiGroups: ['', 'events.k8s.io'], resources: ['events'], verbs: ['create', 'patch', 'update'] },
      { apiGroups: ['discovery.k8s.io'], resources: ['endpointslices'], verbs: ['list', 'watch'] },
    ], bootstrap),
    clusterRole('view', [{ apiGroups: ['', 'apps', 'batch'], resources: ['pods', 'services', 'deployments', 'jobs', 'configmaps'], verbs: ['get', 'list', 'watch'] }], bootstrap),
    ...nodes.map((node) => ({
      apiVersion: 'v1',
      kind: 'Node',
      metadata: meta(node.name, undefined, {
        labels: {
          'kubernetes.io/hostname': node.name,
          'kubernetes.io/os': 'linux',
          'kubernetes.io/arch': 'amd64',
          'node.kubernetes.io/instance-type': 'm6i.large',
          'topology.kubernetes.io/region': demoRegion,
          'topology.kubernetes.io/zone': node.zone,
          'eks.amazonaws.com/nodegroup': 'general',
          'eks.amazonaws.com/capacityType': 'ON_DEMAND',
        },
      }),
      spec: { providerID: `aws:///${node.zone}/${node.instance}` },
      status: {
        addresses: [
          { type: 'InternalIP', address: node.ip },
          { type: 'InternalDNS', address: node.name },
          { type: 'Hostname', address: node.name },
        ],
        nodeInfo: {
          kubeletVersion: 'v1.34.1-eks-113cf36',
          kubeProxyVersion: 'v1.34.1-eks-113cf36',
          containerRuntimeVersion: 'containerd://2.1.4',
          osImage: 'Amazon Linux 2023.9.20251110',
          kernelVersion: '6.12.46-66.121.amzn2023.x86_64',
          operatingSystem: 'linux',
          architecture: 'amd64',
        },
        conditions: [{ type: 'Ready', status: 'True' }],
      },
    })),
  ];
}

const dashboardLabels = { app: 'ops-dashboard', 'app.kubernetes.io/part-of': 'ops-tools' };

/** The ops dashboard: a web UI with a built-in shell, privileged "to read host metrics", its account cluster-admin. */
function dashboardDeployment(fixed: boolean): KubeObject {
  return deployment({
    ns: exposedDashboard.namespace,
    name: exposedDashboard.deployment,
    labels: dashboardLabels,
    replicas: 1,
    podSpec: {
      serviceAccountName: 'ops-dashboard',
      containers: [
        {
          name: 'dashboard',
          image: 'ghcr.io/example-org/ops-dashboard:2.4.1',
          args: ['--enable-web-terminal', '--listen=:8080'],
          ports: [{ containerPort: 8080, name: 'http' }],
          resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { memory: '512Mi' } },
          securityContext: fixed ? { allowPrivilegeEscalation: false } : { privileged: true },
        },
      ],
    },
  });
}

function dashboardService(fixed: boolean): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: meta(exposedDashboard.service, exposedDashboard.namespace, { labels: dashboardLabels }),
    spec: fixed
      ? { type: 'ClusterIP', clusterIP: '172.20.88.14', selector: { app: 'ops-dashboard' }, ports: [{ name: 'http', port: 80, targetPort: 8080, protocol: 'TCP' }] }
      : {
          type: 'LoadBalancer',
          clusterIP: '172.20.88.14',
          selector: { app: 'ops-dashboard' },
          ports: [{ name: 'http', port: 80, targetPort: 8080, protocol: 'TCP', nodePort: 31380 }],
        },
    status: fixed ? {} : { loadBalancer: { ingress: [{ hostname: 'a3f9c0d41b2e44c1a8e5d7f06b9c2e11-1748213456.eu-west-1.elb.amazonaws.com' }] } },
  };
}

function opsApp(): KubeObject[] {
  const ns = exposedDashboard.namespace;
  return [
    namespace(ns),
    serviceAccount(ns, 'default'),
    serviceAccount(ns, 'ops-dashboard'),
    // "It needs to list everything": the shortcut that makes the dashboard's token a cluster key.
    binding('ClusterRoleBinding', 'ops-dashboard-admin', undefined, { kind: 'ClusterRole', name: 'cluster-admin' }, [sa(ns, 'ops-dashboard')], dashboardLabels),
    ...withPods(dashboardDeployment(false)),
    dashboardService(false),
  ];
}

/** The CI runner: builds images by talking to the node's containerd, on a floating tag, with AWS keys in its env. */
function ciApp(): KubeObject[] {
  const ns = 'ci';
  const labels = { app: 'ci-runner' };
  return [
    namespace(ns),
    serviceAccount(ns, 'default'),
    serviceAccount(ns, 'ci-runner'),
    ...withPods(
      deployment({
        ns,
        name: 'ci-runner',
        labels,
        replicas: 1,
        podSpec: {
          serviceAccountName: 'ci-runner',
          containers: [
            {
              name: 'runner',
              image: 'gitlab/gitlab-runner:latest',
              env: [
                { name: 'CI_SERVER_URL', value: 'https://gitlab.example.com' },
                // AWS's documented example key pair (docs.aws.amazon.com): not a real credential.
                { name: 'AWS_ACCESS_KEY_ID', value: 'AKIAIOSFODNN7EXAMPLE' },
                { name: 'AWS_SECRET_ACCESS_KEY', value: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY' },
                { name: 'AWS_DEFAULT_REGION', value: demoRegion },
              ],
              resources: { requests: { cpu: '500m', memory: '1Gi' } },
              volumeMounts: [{ name: 'containerd-sock', mountPath: '/run/containerd/containerd.sock' }],
            },
          ],
          volumes: [hostPath('containerd-sock', '/run/containerd/containerd.sock', 'Socket')],
        },
      }),
    ),
  ];
}

/** A reporting job whose Role reads every secret of its namespace. */
function analyticsApp(): KubeObject[] {
  const ns = 'analytics';
  const labels = { app: 'report-builder' };
  return [
    namespace(ns),
    serviceAccount(ns, 'default'),
    serviceAccount(ns, 'report-builder'),
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'Role',
      metadata: meta('read-all-secrets', ns, { labels }),
      rules: [{ apiGroups: [''], resources: ['secrets'], verbs: ['get', 'list', 'watch'] }],
    },
    binding('RoleBinding', 'report-builder-secrets', ns, { kind: 'Role', name: 'read-all-secrets' }, [sa(ns, 'report-builder')], labels),
    { apiVersion: 'v1', kind: 'Secret', metadata: meta('warehouse-credentials', ns, { labels }), type: 'Opaque' },
    ...withPods(
      deployment({
        ns,
        name: 'report-builder',
        labels,
        replicas: 1,
        podSpec: {
          serviceAccountName: 'report-builder',
          securityContext: { runAsNonRoot: true, runAsUser: 10001, seccompProfile: { type: 'RuntimeDefault' } },
          containers: [
            {
              name: 'builder',
              image: '111122223333.dkr.ecr.eu-west-1.amazonaws.com/report-builder:3.8.0',
              securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] }, readOnlyRootFilesystem: true },
              resources: { requests: { cpu: '250m', memory: '512Mi' }, limits: { cpu: '1', memory: '1Gi' } },
            },
          ],
        },
      }),
    ),
  ];
}

/** The well-configured application: restricted Pod Security, default-deny network policies, a pinned image,
 * a hardened pod, no API token, an internal Service. It must produce no finding at all. */
function paymentsApp(): KubeObject[] {
  const ns = wellConfiguredApp.namespace;
  const labels = { app: 'payments-api', 'app.kubernetes.io/part-of': 'payments' };
  const pss = {
    'pod-security.kubernetes.io/enforce': 'restricted',
    'pod-security.kubernetes.io/enforce-version': 'latest',
    'pod-security.kubernetes.io/warn': 'restricted',
    'pod-security.kubernetes.io/audit': 'restricted',
  };
  const policy = (name: string, spec: Json): KubeObject => ({ apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: meta(name, ns), spec });
  return [
    namespace(ns, pss),
    serviceAccount(ns, 'default', { automountServiceAccountToken: false }),
    serviceAccount(ns, 'payments-api', { automountServiceAccountToken: false }),
    policy('default-deny', { podSelector: {}, policyTypes: ['Ingress', 'Egress'] }),
    policy('payments-api-ingress', {
      podSelector: { matchLabels: { app: 'payments-api' } },
      policyTypes: ['Ingress'],
      ingress: [{ from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'ingress' } } }], ports: [{ port: 8443, protocol: 'TCP' }] }],
    }),
    policy('payments-api-egress', {
      podSelector: { matchLabels: { app: 'payments-api' } },
      policyTypes: ['Egress'],
      egress: [
        { to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } }, podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } }}], ports: [{ port: 53, protocol: 'UDP' }] },
        { to: [{ ipBlock: { cidr: '10.0.0.0/16' } }], ports: [{ port: 5432, protocol: 'TCP' }] },
      ],
    }),
    {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: meta('payments-api', ns, { labels }),
      spec: { type: 'ClusterIP', clusterIP: '172.20.140.7', selector: { app: 'payments-api' }, ports: [{ name: 'https', port: 443, targetPort: 8443, protocol: 'TCP' }] },
    },
    ...withPods(
      deployment({
        ns,
        name: wellConfiguredApp.deployment,
        labels,
        replicas: 3,
        podSpec: {
          serviceAccountName: 'payments-api',
          automountServiceAccountToken: false,
          securityContext: { runAsNonRoot: true, runAsUser: 10001, runAsGroup: 10001, fsGroup: 10001, seccompProfile: { type: 'RuntimeDefault' } },
          containers: [
            {
              name: 'api',
              image: '111122223333.dkr.ecr.eu-west-1.amazonaws.com/payments-api:5.2.0@sha256:4f6b1c9e2d7a8b3c5e0f9d1a6b2c7e4f8a3d5b9c1e6f0a2d7b4c8e3f5a9d1b6c',
              ports: [{ containerPort: 8443, name: 'https' }],
              securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] }, readOnlyRootFilesystem: true, runAsNonRoot: true },
              resources: { requests: { cpu: '250m', memory: '256Mi' }, limits: { cpu: '1', memory: '512Mi' } },
              readinessProbe: { httpGet: { path: '/ready', port: 8443, scheme: 'HTTPS' } },
              livenessProbe: { httpGet: { path: '/healthz', port: 8443, scheme: 'HTTPS' } },
              volumeMounts: [{ name: 'tmp', mountPath: '/tmp' }],
            },
          ],
          volumes: [{ name: 'tmp', emptyDir: { sizeLimit: '64Mi' } }],
        },
      }),
    ),
  ];
}

/** Every object of the demo cluster, before the fix. Deterministic: two calls return equal objects. */
export function demoClusterObjects(): KubeObject[] {
  uidCounter = 0;
  return [...foundations(), ...kubeSystem(), ...opsApp(), ...ciApp(), ...analyticsApp(), ...paymentsApp()];
}

/** The change the demo applies between its scans: the dashboard's Service made internal (ClusterIP) and its
 * container no longer privileged. The replacement objects keep the originals' identity. */
function dashboardFix(current: readonly KubeObject[]): KubeObject[] {
  const isDashboard = (object: KubeObject, kind: string, name: string) => {
    const m = object.metadata as Json;
    return object.kind === kind && m.namespace === exposedDashboard.namespace && m.name === name;
  };
  const replace = (kind: string, name: string, fixed: KubeObject): KubeObject => {
    const original = current.find((object) => isDashboard(object, kind, name));
    if (!original) throw new Error(`The demo cluster has no ${kind} ${exposedDashboard.namespace}/${name} to fix`);
    const m = original.metadata as Json;
    return { ...fixed, metadata: { ...(fixed.metadata as Json), uid: String(m.uid), creationTimestamp: String(m.creationTimestamp), resourceVersion: String(Number(m.resourceVersion) + 100) } };
  };
  return [
    replace('Deployment', exposedDashboard.deployment, dashboardDeployment(true)),
    replace('Service', exposedDashboard.service, dashboardService(true)),
  ];
}

/** Left behind by `kubectl debug node/<node> -it --profile=sysadmin --image=busybox:1.36` between the scans:
 * the host's namespaces and root file system in a privileged pod. The second scan's new finding. */
function leftoverDebugPod(): KubeObject {
  const node = nodes[0]!;
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: `node-debugger-${node.name.split('.')[0]}-7xk2q`, namespace: 'default', uid: 'd3m0dbg1-5e7a-4c1b-9f2d-000000000001', creationTimestamp: '2026-11-23T11:02:45Z' },
    spec: {
      nodeName: node.name,
      hostIPC: true,
      hostNetwork: true,
      hostPID: true,
      restartPolicy: 'Never',
      tolerations: [{ operator: 'Exists' }],
      containers: [
        {
          name: 'debugger',
          image: 'busybox:1.36',
          stdin: true,
          tty: true,
          securityContext: { privileged: true },
          volumeMounts: [{ name: 'host-root', mountPath: '/host' }],
        },
      ],
      volumes: [hostPath('host-root', '/')],
    },
    status: { phase: 'Running' },
  };
}

/** The change between the demo's two scans: the dashboard fixed, a debug pod left behind. */
export function clusterChange(current: readonly KubeObject[]): { objects: KubeObject[]; description: string[] } {
  return {
    objects: [...dashboardFix(current), leftoverDebugPod()],
    description: [
      `Service ${exposedDashboard.namespace}/${exposedDashboard.service}: LoadBalancer → ClusterIP (no longer on the internet)`,
      `Deployment ${exposedDashboard.namespace}/${exposedDashboard.deployment}: privileged removed`,
      'Pod default/node-debugger-…: left behind by `kubectl debug node/… --profile=sysadmin`',
    ],
  };
}

/** The managed add-ons of the demo cluster, as installed. */
const demoAddons: FakeAddon[] = [
  { addonName: 'vpc-cni', addonVersion: 'v1.20.4-eksbuild.1' },
  { addonName: 'kube-proxy', addonVersion: 'v1.34.0-eksbuild.2' },
  { addonName: 'coredns', addonVersion: 'v1.12.3-eksbuild.1' },
  { addonName: 'aws-ebs-csi-driver', addonVersion: 'v1.48.0-eksbuild.1', serviceAccountRoleArn: `arn:aws:iam::${demoAccountId}:role/AmazonEKS_EBS_CSI_DriverRole` },
  { addonName: 'eks-pod-identity-agent', addonVersion: 'v1.3.8-eksbuild.2' },
];
/** The add-on the demo leaves behind its default version (an eks-addon-outdated finding). */
export const outdatedDemoAddon = { addonName: 'vpc-cni', defaultVersion: 'v1.20.5-eksbuild.1' } as const;

/** What the EKS API says about the demo cluster: public endpoint open to the world, control-plane logs off,
 * no envelope encryption of secrets, the creator still admin, SSH open on the node group. */
export function demoEksCluster(endpoint: string, caData: string): FakeEksCluster {
  return {
    name: demoClusterName,
    version: demoKubernetesVersion,
    status: 'CREATING',
    endpoint,
    caData,
    details: {
      platformVersion: 'eks.9',
      roleArn: `arn:aws:iam::${demoAccountId}:role/eks-cluster-role`,
      resourcesVpcConfig: {
        subnetIds: ['subnet-0a1b2c3d4e5f60718', 'subnet-0f1e2d3c4b5a69788'],
        securityGroupIds: ['sg-0123456789abcdef0'],
        clusterSecurityGroupId: 'sg-0fedcba9876543210',
        vpcId: 'vpc-0c1d2e3f4a5b6c7d8',
        endpointPublicAccess: true,
        endpointPrivateAccess: true,
        publicAccessCidrs: ['0.0.0.0/0'],
      },
      kubernetesNetworkConfig: { serviceIpv4Cidr: '172.20.0.0/16', ipFamily: 'ipv4' },
      logging: {
        clusterLogging: [
          { types: ['api'], enabled: true },
          { types: ['audit', 'authenticator', 'controllerManager', 'scheduler'], enabled: false },
        ],
      },
      identity: { oidc: { issuer: `https://oidc.eks.${demoRegion}.amazonaws.com/id/5C4E2B1A9D8F7E6C3B2A1F0E9D8C7B6A` } },
      accessConfig: { authenticationMode: 'API_AND_CONFIG_MAP', bootstrapClusterCreatorAdminPermissions: true },
      upgradePolicy: { supportType: 'EXTENDED' },
      tags: { team: 'payments', environment: 'production' },
    },
    accessEntries: [
      {
        principalArn: demoScannerRoleArn,
        type: 'STANDARD',
        username: demoScannerRoleArn,
        policies: [{ policyArn: 'arn:aws:eks::aws:cluster-access-policy/AmazonEKSAdminViewPolicy', accessScope: { type: 'cluster' } }],
      },
      {
        principalArn: `arn:aws:iam::${demoAccountId}:role/PlatformAdmin`,
        type: 'STANDARD',
        username: `arn:aws:sts::${demoAccountId}:assumed-role/PlatformAdmin/{{SessionName}}`,
        policies: [{ policyArn: 'arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy', accessScope: { type: 'cluster' } }],
      },
    ],
    nodegroups: [
      {
        nodegroupName: 'general',
        version: '1.34',
        releaseVersion: '1.34.1-20251110',
        amiType: 'AL2023_x86_64_STANDARD',
        capacityType: 'ON_DEMAND',
        instanceTypes: ['m6i.large'],
        scalingConfig: { minSize: 2, maxSize: 6, desiredSize: 2 },
        nodeRole: `arn:aws:iam::${demoAccountId}:role/eks-node-role`,
        remoteAccess: { ec2SshKey: 'ops-keypair' },
      },
    ],
    addons: demoAddons.map((addon) => ({ ...addon })),
  };
}

/** What DescribeAddonVersions says for the demo's Kubernetes version: every add-on runs its default version
 * except `outdatedDemoAddon`, one release behind. */
export function demoAddonCatalogue(): FakeAddonCatalogueEntry[] {
  return demoAddons.map(({ addonName, addonVersion }) =>
    addonName === outdatedDemoAddon.addonName
      ? {
          addonName,
          versions: [
            { addonVersion, compatibleWith: [demoKubernetesVersion] },
            { addonVersion: outdatedDemoAddon.defaultVersion, defaultFor: [demoKubernetesVersion] },
          ],
        }
      : { addonName, versions: [{ addonVersion, defaultFor: [demoKubernetesVersion] }] },
  );
}

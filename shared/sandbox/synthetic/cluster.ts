// A realistic synthetic cluster for benchmarks and demos, sized by pods: namespaces of Deployments (with their
// current and an old ReplicaSet), StatefulSets, CronJobs (with a Job), Jobs and a few bare pods, system
// DaemonSets with one pod per node, Services, Ingresses, ConfigMaps, Secrets, RBAC and NetworkPolicies, with a
// given share of misconfigured workloads. Deterministic for a seed, and streamed: objects are yielded one at a
// time, and replicas of one workload share their spec objects, so a consumer holds only what it keeps.
import type { KubeObject } from '../../model/kube.ts';

export interface ClusterProfile {
  /** Pods to make (the last workload is trimmed to land on it exactly; DaemonSet pods count). */
  pods: number;
  /** Mean replicas of a Deployment or StatefulSet (default 11: 50k pods are about 5k workloads). */
  podsPerWorkload?: number;
  /** Workloads per namespace (default 20). */
  workloadsPerNamespace?: number;
  /** Share of workloads, roles and namespaces carrying a misconfiguration (default 0.2). */
  misconfiguredShare?: number;
  /** Pods per node (default 30): nodes, and DaemonSet pods, follow the cluster's size. */
  podsPerNode?: number;
  seed?: number;
}

export interface ClusterCounts {
  objects: number;
  pods: number;
  /** Controllers a person wrote: Deployments, StatefulSets, DaemonSets, CronJobs, Jobs not owned by a CronJob. */
  workloads: number;
  namespaces: number;
  misconfiguredWorkloads: number;
  byKind: Record<string, number>;
}

/** A small deterministic PRNG (mulberry32): the same seed gives the same cluster on every machine. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const created = '2025-06-01T08:00:00Z';
const systemDaemonSets = ['aws-node', 'kube-proxy', 'ebs-csi-node'] as const;

/** The misconfigurations a workload may carry, each applied to its pod spec. */
const misconfigurations: readonly ((spec: Record<string, unknown>, container: Record<string, unknown>) => void)[] = [
  (_spec, c) => ((c.securityContext as Record<string, unknown>).privileged = true),
  (spec) => (spec.hostNetwork = true),
  (spec) => (spec.hostPID = true),
  (spec, c) => {
    spec.securityContext = {};
    c.securityContext = { runAsUser: 0 };
  },
  (_spec, c) => delete c.resources,
  (_spec, c) => (c.image = String(c.image).replace(/:[^@]+(@.*)?$/, ':latest')),
  (_spec, c) => ((c.securityContext as Record<string, unknown>).allowPrivilegeEscalation = true),
  (_spec, c) => ((c.securityContext as Record<string, unknown>).capabilities = { add: ['SYS_ADMIN', 'NET_ADMIN'] }),
  (spec, c) => {
    spec.volumes = [...(spec.volumes as unknown[]), { name: 'docker', hostPath: { path: '/var/run/docker.sock' } }];
    c.volumeMounts = [...((c.volumeMounts as unknown[]) ?? []), { name: 'docker', mountPath: '/var/run/docker.sock' }];
  },
  (_spec, c) => (c.env = [...(c.env as unknown[]), { name: 'AWS_SECRET_ACCESS_KEY', value: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY' }]),
  (spec) => {
    spec.serviceAccountName = 'default';
    spec.automountServiceAccountToken = true;
  },
];

class Uids {
  #next = 0;
  next(): string {
    this.#next += 1;
    const hex = this.#next.toString(16).padStart(12, '0');
    return `5f0c7b1e-8d2a-4c3b-9e4f-${hex}`;
  }
}

/** Every object of the cluster, one at a time. */
export function* syntheticObjects(profile: ClusterProfile): Generator<KubeObject> {
  const rand = random(profile.seed ?? 1);
  const uids = new Uids();
  const mean = Math.max(1, profile.podsPerWorkload ?? 11);
  const perNamespace = Math.max(1, profile.workloadsPerNamespace ?? 20);
  const share = profile.misconfiguredShare ?? 0.2;
  const nodes = Math.max(1, Math.ceil(profile.pods / (profile.podsPerNode ?? 30)));
  const target = Math.max(0, Math.floor(profile.pods));
  let pods = 0;
  const pick = <T>(items: readonly T[]): T => items[Math.floor(rand() * items.length)] as T;
  const meta = (name: string, namespace?: string, extra: Record<string, unknown> = {}) => ({
    name,
    ...(namespace ? { namespace } : {}),
    uid: uids.next(),
    resourceVersion: String(1000 + pods),
    creationTimestamp: created,
    ...extra,
  });

  yield* clusterScoped(nodes, share, rand, meta);

  // System DaemonSets: one pod per node, as on every EKS cluster.
  yield { apiVersion: 'v1', kind: 'Namespace', metadata: meta('kube-system', undefined, { labels: { 'kubernetes.io/metadata.name': 'kube-system' } }) };
  yield {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: meta('aws-auth', 'kube-system'),
    data: {
      mapRoles:
        '- rolearn: arn:aws:iam::111122223333:role/eks-node\n  username: system:node:{{EC2PrivateDNSName}}\n  groups: [system:bootstrappers, system:nodes]\n',
    },
  };
  for (const name of systemDaemonSets) {
    if (pods >= target) break;
    const replicas = Math.min(nodes, target - pods);
    const spec = podSpec(`602401143452.dkr.ecr.us-east-1.amazonaws.com/eks/${name}:v1.19.2`, name, rand() < 0.5 ? [1] : [], pick);
    spec.hostNetwork = true;
    spec.priorityClassName = 'system-node-critical';
    const daemonSet = workload('apps/v1', 'DaemonSet', meta(name, 'kube-system', { labels: { 'k8s-app': name } }), name, spec, {});
    yield daemonSet;
    for (let r = 0; r < replicas; r += 1) yield pod(meta, daemonSet, `${name}-${suffix(r)}`, spec, `ip-10-0-${r >> 8}-${r & 255}.ec2.internal`);
    pods += replicas;
  }

  for (let n = 0; pods < target; n += 1) {
    const namespace = `team-${String(n).padStart(4, '0')}`;
    const namespaceMisconfigured = rand() < share;
    yield {
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: meta(namespace, undefined, {
        labels: {
          'kubernetes.io/metadata.name': namespace,
          ...(namespaceMisconfigured ? {} : { 'pod-security.kubernetes.io/enforce': rand() < 0.5 ? 'restricted' : 'baseline' }),
        },
      }),
    };
    yield* namespaceObjects(namespace, namespaceMisconfigured, rand, meta);

    for (let w = 0; w < perNamespace && pods < target; w += 1) {
      const roll = rand();
      const kind = roll < 0.6 ? 'Deployment' : roll < 0.75 ? 'StatefulSet' : roll < 0.87 ? 'CronJob' : roll < 0.97 ? 'Job' : 'Pod';
      const name = `${kind.toLowerCase()}-${w}`;
      const misconfigured = rand() < share;
      const spec = podSpec(`123456789012.dkr.ecr.us-east-1.amazonaws.com/${namespace}/${name}:1.${w}.0`, 'app', [], pick);
      if (misconfigured) {
        const container = (spec.containers as Record<string, unknown>[])[0] as Record<string, unknown>;
        const count = 1 + Math.floor(rand() * 3);
        for (let m = 0; m < count; m += 1) pick(misconfigurations)(spec, container);
      }
      const labels = { app: name, 'app.kubernetes.io/part-of': namespace, ...(misconfigured ? { 'bench.periscope.dev/misconfigured': 'true' } : {}) };
      const replicas = Math.min(target - pods, 1 + Math.floor(rand() * (2 * mean - 1)));
      const node = (r: number) => `ip-10-0-${(n + r) % nodes >> 8}-${(n + r) % nodes & 255}.ec2.internal`;

      if (kind === 'Deployment') {
        const deployment = workload('apps/v1', 'Deployment', meta(name, namespace, { labels }), name, spec, { replicas, strategy: { type: 'RollingUpdate' } });
        yield deployment;
        if (rand() < 0.3) {
          yield replicaSet(meta, deployment, `${name}-7c9d8f6b5`, spec, 0, labels);
        }
        const current = replicaSet(meta, deployment, `${name}-5d8f9c7b4`, spec, replicas, labels);
        yield current;
        for (let r = 0; r < replicas; r += 1) yield pod(meta, current, `${name}-5d8f9c7b4-${suffix(r)}`, spec, node(r), labels);
        yield* serviceFor(namespace, name, rand, meta);
        pods += replicas;
      } else if (kind === 'StatefulSet') {
        const statefulSet = workload('apps/v1', 'StatefulSet', meta(name, namespace, { labels }), name, spec, { replicas, serviceName: name });
        yield statefulSet;
        for (let r = 0; r < replicas; r += 1) yield pod(meta, statefulSet, `${name}-${r}`, spec, node(r), labels);
        yield* serviceFor(namespace, name, rand, meta);
        pods += replicas;
      } else if (kind === 'CronJob') {
        const jobSpec = { ...spec, restartPolicy: 'OnFailure' };
        const cronJob: KubeObject = {
          apiVersion: 'batch/v1',
          kind: 'CronJob',
          metadata: meta(name, namespace, { labels }),
          spec: { schedule: '*/30 * * * *', jobTemplate: { spec: { template: { metadata: { labels }, spec: jobSpec } } } },
        };
        yield cronJob;
        const job = workload('batch/v1', 'Job', meta(`${name}-29038140`, namespace, { labels, ownerReferences: [ownerOf(cronJob)] }), name, jobSpec, {});
        yield job;
        yield pod(meta, job, `${name}-29038140-${suffix(0)}`, jobSpec, node(0), labels, 'Succeeded');
        pods += 1;
      } else if (kind === 'Job') {
        const jobSpec = { ...spec, restartPolicy: 'Never' };
        const job = workload('batch/v1', 'Job', meta(name, namespace, { labels }), name, jobSpec, { backoffLimit: 2 });
        yield job;
        yield pod(meta, job, `${name}-${suffix(0)}`, jobSpec, node(0), labels, 'Succeeded');
        pods += 1;
      } else {
        yield pod(meta, undefined, name, spec, node(0), labels);
        pods += 1;
      }
    }
  }
}

/** Counts of a profile's cluster, by walking the generator (nothing is kept). */
export function syntheticCounts(profile: ClusterProfile): ClusterCounts {
  const counts: ClusterCounts = { objects: 0, pods: 0, workloads: 0, namespaces: 0, misconfiguredWorkloads: 0, byKind: {} };
  const written = new Set(['Deployment', 'StatefulSet', 'DaemonSet', 'CronJob', 'Job']);
  for (const object of syntheticObjects(profile)) {
    const kind = String(object.kind);
    counts.objects += 1;
    counts.byKind[kind] = (counts.byKind[kind] ?? 0) + 1;
    const metadata = object.metadata as { ownerReferences?: unknown[]; labels?: Record<string, string> };
    if (kind === 'Pod') counts.pods += 1;
    if (kind === 'Namespace') counts.namespaces += 1;
    if (written.has(kind) && !metadata.ownerReferences) {
      counts.workloads += 1;
      if (metadata.labels?.['bench.periscope.dev/misconfigured']) counts.misconfiguredWorkloads += 1;
    }
  }
  return counts;
}

type Meta = (name: string, namespace?: string, extra?: Record<string, unknown>) => Record<string, unknown>;

function suffix(r: number): string {
  return `x${r.toString(36).padStart(4, '0')}`;
}

function ownerOf(object: KubeObject): Record<string, unknown> {
  const metadata = object.metadata as { name: string; uid: string };
  return { apiVersion: object.apiVersion, kind: object.kind, name: metadata.name, uid: metadata.uid, controller: true, blockOwnerDeletion: true };
}

/** A hardened pod spec (what a careful team ships), which misconfigurations then spoil. */
function podSpec(image: string, serviceAccount: string, hostPorts: number[], pick: <T>(items: readonly T[]) => T): Record<string, unknown> {
  const container: Record<string, unknown> = {
    name: 'app',
    image,
    ports: [{ containerPort: 8080, protocol: 'TCP', ...(hostPorts.length ? { hostPort: 61678 } : {}) }],
    env: [
      { name: 'LOG_LEVEL', value: pick(['info', 'debug', 'warn']) },
      { name: 'DB_PASSWORD', valueFrom: { secretKeyRef: { name: 'app-credentials', key: 'password' } } },
    ],
    resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '500m', memory: '256Mi' } },
    securityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } },
    readinessProbe: { httpGet: { path: '/healthz', port: 8080 }, periodSeconds: 10 },
    livenessProbe: { httpGet: { path: '/healthz', port: 8080 }, periodSeconds: 20 },
    volumeMounts: [{ name: 'tmp', mountPath: '/tmp' }],
    terminationMessagePath: '/dev/termination-log',
    terminationMessagePolicy: 'File',
    imagePullPolicy: 'IfNotPresent',
  };
  return {
    serviceAccountName: serviceAccount,
    automountServiceAccountToken: false,
    securityContext: { runAsNonRoot: true, runAsUser: 10001, fsGroup: 10001, seccompProfile: { type: 'RuntimeDefault' } },
    containers: [container],
    volumes: [{ name: 'tmp', emptyDir: {} }],
    restartPolicy: 'Always',
    terminationGracePeriodSeconds: 30,
    dnsPolicy: 'ClusterFirst',
    schedulerName: 'default-scheduler',
    tolerations: [
      { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
      { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
    ],
  };
}

function workload(
  apiVersion: string,
  kind: string,
  metadata: Record<string, unknown>,
  app: string,
  spec: Record<string, unknown>,
  extra: Record<string, unknown>,
): KubeObject {
  const labels = (metadata.labels as Record<string, string> | undefined) ?? { app };
  return {
    apiVersion,
    kind,
    metadata,
    spec: { ...extra, selector: { matchLabels: { app: labels.app ?? labels['k8s-app'] ?? app } }, template: { metadata: { labels }, spec } },
    status: { observedGeneration: 1, replicas: extra.replicas ?? 1 },
  };
}

function replicaSet(meta: Meta, owner: KubeObject, name: string, spec: Record<string, unknown>, replicas: number, labels: Record<string, string>): KubeObject {
  const metadata = owner.metadata as { namespace: string };
  return workload('apps/v1', 'ReplicaSet', meta(name, metadata.namespace, { labels, ownerReferences: [ownerOf(owner)] }), labels.app ?? name, spec, {
    replicas,
  });
}

/** A pod as the API server lists it: spec shared with its siblings, status and managedFields included. */
function pod(
  meta: Meta,
  owner: KubeObject | undefined,
  name: string,
  spec: Record<string, unknown>,
  nodeName: string,
  labels: Record<string, string> = {},
  phase = 'Running',
): KubeObject {
  const ownerMeta = owner?.metadata as { namespace?: string; labels?: Record<string, string> } | undefined;
  const namespace = ownerMeta?.namespace ?? (labels['app.kubernetes.io/part-of']);
  const podLabels = owner ? (ownerMeta?.labels ?? labels) : labels;
  const containers = spec.containers as { name: string; image: string }[];
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: meta(name, namespace, {
      labels: podLabels,
      ...(owner ? { ownerReferences: [ownerOf(owner)], generateName: name.replace(/[^-]+$/, '') } : {}),
      managedFields: [
        { manager: 'kube-controller-manager', operation: 'Update', apiVersion: 'v1', time: created, fieldsType: 'FieldsV1', fieldsV1: { 'f:metadata': { 'f:labels': {} }, 'f:spec': {} } },
        { manager: 'kubelet', operation: 'Update', apiVersion: 'v1', time: created, fieldsType: 'FieldsV1', subresource: 'status', fieldsV1: { 'f:status': {} } },
      ],
    }),
    spec: { ...spec, nodeName },
    status: {
      phase,
      hostIP: '10.0.12.34',
      podIP: '10.0.56.78',
      startTime: created,
      qosClass: 'Burstable',
      conditions: ['PodReadyToStartContainers', 'Initialized', 'Ready', 'ContainersReady', 'PodScheduled'].map((type) => ({
        type,
        status: 'True',
        lastTransitionTime: created,
      })),
      containerStatuses: containers.map((c) => ({
        name: c.name,
        image: c.image,
        imageID: `${c.image.replace(/:[^:]*$/, '')}@sha256:9b1e0a6e4c1d2f3a4b5c6d7e8f9a0b1c2d3e4f5a6b7c8d9e0f1a2b3c4d5e6f7a`,
        containerID: 'containerd://4f2a9c1e0b7d3a6c5e8f1b2d4a7c9e0f3b6d8a1c4e7f0b2d5a8c1e4f7a0b3d6c',
        ready: phase === 'Running',
        started: phase === 'Running',
        restartCount: 0,
        state: phase === 'Running' ? { running: { startedAt: created } } : { terminated: { exitCode: 0, reason: 'Completed' } },
      })),
    },
  };
}

function* serviceFor(namespace: string, name: string, rand: () => number, meta: Meta): Generator<KubeObject> {
  const roll = rand();
  const type = roll < 0.05 ? 'LoadBalancer' : roll < 0.1 ? 'NodePort' : 'ClusterIP';
  yield {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: meta(name, namespace, type === 'LoadBalancer' ? { annotations: { 'service.beta.kubernetes.io/aws-load-balancer-scheme': 'internet-facing' } } : {}),
    spec: { type, selector: { app: name }, ports: [{ name: 'http', port: 80, targetPort: 8080, protocol: 'TCP' }], clusterIP: '172.20.1.10' },
  };
  if (rand() < 0.1) {
    const tls = rand() < 0.5;
    yield {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'Ingress',
      metadata: meta(name, namespace, { annotations: { 'alb.ingress.kubernetes.io/scheme': 'internet-facing' } }),
      spec: {
        ingressClassName: 'alb',
        ...(tls ? { tls: [{ hosts: [`${name}.example.com`], secretName: `${name}-tls` }] } : {}),
        rules: [{ host: `${name}.example.com`, http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name, port: { number: 80 } } } }] } }],
      },
    };
  }
}

function* namespaceObjects(namespace: string, misconfigured: boolean, rand: () => number, meta: Meta): Generator<KubeObject> {
  yield { apiVersion: 'v1', kind: 'ServiceAccount', metadata: meta('default', namespace) };
  yield {
    apiVersion: 'v1',
    kind: 'ServiceAccount',
    metadata: meta('app', namespace, { annotations: { 'eks.amazonaws.com/role-arn': `arn:aws:iam::123456789012:role/${namespace}-app` } }),
    automountServiceAccountToken: false,
  };
  yield { apiVersion: 'v1', kind: 'Secret', metadata: meta('app-credentials', namespace), type: 'Opaque', data: { password: 'cGFzc3dvcmQ=' } };
  yield { apiVersion: 'v1', kind: 'Secret', metadata: meta('app-tls', namespace), type: 'kubernetes.io/tls', data: { 'tls.crt': 'LS0t', 'tls.key': 'LS0t' } };
  yield {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: meta('app-config', namespace),
    data: { LOG_LEVEL: 'info', FEATURE_FLAGS: 'search,checkout', ...(misconfigured ? { DATABASE_URL: `postgres://app:hunter2@db.${namespace}:5432/app` } : {}) },
  };
  yield { apiVersion: 'v1', kind: 'ConfigMap', metadata: meta('kube-root-ca.crt', namespace), data: { 'ca.crt': '-----BEGIN CERTIFICATE-----\nMIIC...\n-----END CERTIFICATE-----\n' } };
  const roleRules = misconfigured
    ? [{ apiGroups: ['*'], resources: ['*'], verbs: ['*'] }]
    : [{ apiGroups: [''], resources: ['configmaps', 'services'], verbs: ['get', 'list', 'watch'] }];
  yield { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role', metadata: meta('app', namespace), rules: roleRules };
  yield {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'RoleBinding',
    metadata: meta('app', namespace),
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'app' },
    subjects: [{ kind: 'ServiceAccount', name: 'app', namespace }],
  };
  yield {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'RoleBinding',
    metadata: meta('developers-edit', namespace),
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'edit' },
    subjects: [{ kind: 'Group', apiGroup: 'rbac.authorization.k8s.io', name: `${namespace}-developers` }],
  };
  if (rand() >= 0.3) {
    yield {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: meta('default-deny', namespace),
      spec: { podSelector: {}, policyTypes: ['Ingress', 'Egress'] },
    };
    yield {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: meta('allow-same-namespace', namespace),
      spec: { podSelector: {}, ingress: [{ from: [{ podSelector: {} }] }], policyTypes: ['Ingress'] },
    };
  }
}

function* clusterScoped(nodes: number, share: number, rand: () => number, meta: Meta): Generator<KubeObject> {
  for (let n = 0; n < nodes; n += 1) {
    const name = `ip-10-0-${n >> 8}-${n & 255}.ec2.internal`;
    yield {
      apiVersion: 'v1',
      kind: 'Node',
      metadata: meta(name, undefined, {
        labels: { 'kubernetes.io/hostname': name, 'kubernetes.io/os': 'linux', 'node.kubernetes.io/instance-type': 'm6i.2xlarge', 'eks.amazonaws.com/nodegroup': 'general' },
      }),
      spec: { providerID: `aws:///us-east-1a/i-0${n.toString(16).padStart(16, '0')}` },
      status: {
        addresses: [
          { type: 'InternalIP', address: `10.0.${n >> 8}.${n & 255}` },
          { type: 'Hostname', address: name },
        ],
        nodeInfo: { kubeletVersion: 'v1.31.4-eks-aeac579', containerRuntimeVersion: 'containerd://1.7.25', osImage: 'Amazon Linux 2023', kernelVersion: '6.1.127' },
        conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: created }],
      },
    };
  }
  const rbac = 'rbac.authorization.k8s.io/v1';
  const builtIn: [string, Record<string, unknown>[]][] = [
    ['cluster-admin', [{ apiGroups: ['*'], resources: ['*'], verbs: ['*'] }, { nonResourceURLs: ['*'], verbs: ['*'] }]],
    ['admin', [{ apiGroups: ['', 'apps', 'batch'], resources: ['pods', 'pods/exec', 'secrets', 'deployments', 'jobs'], verbs: ['*'] }]],
    ['edit', [{ apiGroups: ['', 'apps'], resources: ['pods', 'deployments', 'services', 'configmaps'], verbs: ['create', 'update', 'patch', 'delete', 'get', 'list'] }]],
    ['view', [{ apiGroups: ['', 'apps'], resources: ['pods', 'deployments', 'services', 'configmaps'], verbs: ['get', 'list', 'watch'] }]],
  ];
  for (let c = 0; c < 40; c += 1) {
    builtIn.push([`system:controller:controller-${c}`, [{ apiGroups: [''], resources: ['events'], verbs: ['create', 'patch', 'update'] }]]);
  }
  for (const [name, rules] of builtIn) {
    yield { apiVersion: rbac, kind: 'ClusterRole', metadata: meta(name, undefined, { labels: { 'kubernetes.io/bootstrapping': 'rbac-defaults' } }), rules };
    if (name.startsWith('system:controller:')) {
      yield {
        apiVersion: rbac,
        kind: 'ClusterRoleBinding',
        metadata: meta(name),
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name },
        subjects: [{ kind: 'ServiceAccount', name: name.replace('system:controller:', ''), namespace: 'kube-system' }],
      };
    }
  }
  // Operators: some hold cluster-wide secrets or wildcard access (the misconfigured share).
  for (let o = 0; o < 20; o += 1) {
    const bad = rand() < share;
    const name = `operator-${o}`;
    yield {
      apiVersion: rbac,
      kind: 'ClusterRole',
      metadata: meta(name),
      rules: bad
        ? [{ apiGroups: ['*'], resources: ['*'], verbs: ['*'] }]
        : [{ apiGroups: ['apps'], resources: ['deployments'], verbs: ['get', 'list', 'watch'] }],
    };
    yield {
      apiVersion: rbac,
      kind: 'ClusterRoleBinding',
      metadata: meta(name),
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name },
      subjects: [{ kind: 'ServiceAccount', name, namespace: 'kube-system' }],
    };
  }
  yield {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: meta('targetgroupbindings.elbv2.k8s.aws'),
    spec: { group: 'elbv2.k8s.aws', scope: 'Namespaced', names: { kind: 'TargetGroupBinding', plural: 'targetgroupbindings' }, versions: [{ name: 'v1beta1', served: true, storage: true }] },
  };
}

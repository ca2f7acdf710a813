// Objects whose fields rules read have the wrong type: a table of more than a hundred variants over the kinds rules
// read. Each is an input error naming the file and line (a manifest) or the kind/namespace/name (a live object), the
// object and the JSON path; the object is skipped, and the other objects of the same input are still read.
import { describe, expect, it } from 'vitest';
import { describeFieldTypes, objectName, wrongFieldTypes } from '../../shared/kube/field-types.ts';

type Json = Record<string, unknown>;

const podSpec = (): Json => ({
  serviceAccountName: 'web',
  securityContext: { runAsNonRoot: true },
  containers: [
    {
      name: 'app',
      image: 'web:1',
      ports: [{ containerPort: 8080 }],
      env: [{ name: 'MODE', value: 'prod' }],
      securityContext: { privileged: false, capabilities: { drop: ['ALL'] } },
      resources: { limits: { cpu: '1' } },
      volumeMounts: [{ name: 'data', mountPath: '/data' }],
    },
  ],
  volumes: [{ name: 'data', hostPath: { path: '/var/data' } }],
});

const meta = (kind: string, name: string, namespaced = true): Json => ({
  name,
  ...(namespaced ? { namespace: 'shop' } : {}),
  labels: { app: name },
  annotations: { owner: 'team' },
});
const template = () => ({ metadata: { labels: { app: 'web' } }, spec: podSpec() });

/** A valid object of each kind rules read, and where its pod spec sits (for the workloads). */
const bases: Record<string, { object: () => Json; pod?: string }> = {
  Pod: { object: () => ({ apiVersion: 'v1', kind: 'Pod', metadata: meta('Pod', 'web'), spec: podSpec() }), pod: 'spec' },
  Deployment: { object: () => ({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: meta('', 'web'), spec: { replicas: 2, selector: { matchLabels: { app: 'web' } }, template: template() } }), pod: 'spec.template.spec' },
  StatefulSet: { object: () => ({ apiVersion: 'apps/v1', kind: 'StatefulSet', metadata: meta('', 'db'), spec: { replicas: 1, template: template() } }), pod: 'spec.template.spec' },
  DaemonSet: { object: () => ({ apiVersion: 'apps/v1', kind: 'DaemonSet', metadata: meta('', 'agent'), spec: { template: template() } }), pod: 'spec.template.spec' },
  ReplicaSet: { object: () => ({ apiVersion: 'apps/v1', kind: 'ReplicaSet', metadata: meta('', 'rs'), spec: { replicas: 1, template: template() } }), pod: 'spec.template.spec' },
  Job: { object: () => ({ apiVersion: 'batch/v1', kind: 'Job', metadata: meta('', 'once'), spec: { template: template() } }), pod: 'spec.template.spec' },
  CronJob: { object: () => ({ apiVersion: 'batch/v1', kind: 'CronJob', metadata: meta('', 'nightly'), spec: { schedule: '0 0 * * *', jobTemplate: { spec: { template: template() } } } }), pod: 'spec.jobTemplate.spec.template.spec' },
  Service: { object: () => ({ apiVersion: 'v1', kind: 'Service', metadata: meta('', 'web'), spec: { type: 'ClusterIP', selector: { app: 'web' }, ports: [{ port: 80, targetPort: 'http' }] } }) },
  Role: { object: () => ({ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role', metadata: meta('', 'reader'), rules: [{ apiGroups: [''], resources: ['pods'], verbs: ['get'] }] }) },
  ClusterRole: { object: () => ({ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: meta('', 'reader', false), rules: [{ apiGroups: [''], resources: ['pods'], verbs: ['get'] }] }) },
  RoleBinding: { object: () => ({ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'RoleBinding', metadata: meta('', 'bind'), subjects: [{ kind: 'User', name: 'ann' }], roleRef: { kind: 'Role', name: 'reader', apiGroup: 'rbac.authorization.k8s.io' } }) },
  ClusterRoleBinding: { object: () => ({ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRoleBinding', metadata: meta('', 'bind', false), subjects: [{ kind: 'Group', name: 'devs' }], roleRef: { kind: 'ClusterRole', name: 'reader' } }) },
  NetworkPolicy: { object: () => ({ apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: meta('', 'deny'), spec: { podSelector: {}, policyTypes: ['Ingress'], ingress: [] } }) },
  Ingress: { object: () => ({ apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', metadata: meta('', 'web'), spec: { rules: [{ host: 'shop.example' }], tls: [] } }) },
  ServiceAccount: { object: () => ({ apiVersion: 'v1', kind: 'ServiceAccount', metadata: meta('', 'web'), automountServiceAccountToken: false }) },
  ConfigMap: { object: () => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: meta('', 'settings'), data: { mode: 'prod' } }) },
};

/** Wrong values for fields of the pod spec, relative to it. */
const podSpecVariants: [path: string, value: unknown][] = [
  ['containers', 'app'],
  ['containers[0]', 'app'],
  ['containers[0].securityContext.privileged', 'yes'],
  ['containers[0].securityContext.allowPrivilegeEscalation', 'false'],
  ['containers[0].securityContext.runAsUser', '0'],
  ['containers[0].securityContext.capabilities.add', 'NET_ADMIN'],
  ['containers[0].ports[0].containerPort', '8080'],
  ['containers[0].image', 42],
  ['containers[0].env', { MODE: 'prod' }],
  ['containers[0].resources', 'big'],
  ['containers[0].volumeMounts[0].mountPath', ['/data']],
  ['hostNetwork', 'true'],
  ['hostPID', 1],
  ['securityContext.runAsNonRoot', 'yes'],
  ['volumes[0].hostPath', '/var/data'],
  ['serviceAccountName', ['web']],
];

const metadataVariants: [path: string, value: unknown][] = [
  ['metadata.labels', ['app=web']],
  ['metadata.labels', { app: 3 }],
  ['metadata.annotations', 'owner=team'],
  ['metadata.name', 7],
];

const otherVariants: [kind: string, path: string, value: unknown][] = [
  ['Deployment', 'spec.replicas', '3'],
  ['StatefulSet', 'spec.replicas', 1.5],
  ['Deployment', 'spec.template', 'web'],
  ['CronJob', 'spec.jobTemplate', []],
  ['Service', 'spec.ports', '80'],
  ['Service', 'spec.ports[0].port', '80'],
  ['Service', 'spec.type', 5],
  ['Service', 'spec.selector', 'app=web'],
  ['Role', 'rules', 'get pods'],
  ['Role', 'rules[0].verbs', '*'],
  ['ClusterRole', 'rules[0].resources', 'pods'],
  ['ClusterRole', 'rules[0].apiGroups[0]', 1],
  ['RoleBinding', 'subjects', { kind: 'User' }],
  ['RoleBinding', 'roleRef', 'reader'],
  ['ClusterRoleBinding', 'subjects[0].name', ['devs']],
  ['ClusterRoleBinding', 'roleRef.name', false],
  ['NetworkPolicy', 'spec.podSelector', 'app=web'],
  ['NetworkPolicy', 'spec.policyTypes', 'Ingress'],
  ['Ingress', 'spec.rules', 'shop.example'],
  ['Ingress', 'spec.tls', true],
  ['ServiceAccount', 'automountServiceAccountToken', 'false'],
  ['ConfigMap', 'data', ['mode=prod']],
];

function set(object: Json, path: string, value: unknown): Json {
  const keys = path.replace(/\[(\d+)\]/g, '.$1').split('.');
  let current = object as Record<string, unknown>;
  for (const key of keys.slice(0, -1)) current = current[key] as Record<string, unknown>;
  current[keys.at(-1)!] = value;
  return object;
}

const variants: { kind: string; path: string; value: unknown }[] = [
  ...Object.entries(bases).flatMap(([kind, base]) =>
    base.pod ? podSpecVariants.map(([path, value]) => ({ kind, path: `${base.pod}.${path}`, value })) : [],
  ),
  ...Object.keys(bases).flatMap((kind) => metadataVariants.map(([path, value]) => ({ kind, path, value }))),
  ...otherVariants.map(([kind, path, value]) => ({ kind, path, value })),
];

const nameOf = (object: Json) => {
  const metadata = object.metadata as { name?: unknown; namespace?: unknown };
  const name = typeof metadata.name === 'string' ? metadata.name : '(no name)';
  return `${String(object.kind)} ${typeof metadata.namespace === 'string' ? `${metadata.namespace}/` : ''}${name}`;
};

describe('wrong-typed fields', () => {
  it('has more than a hundred variants over the kinds rules read', () => {
    expect(variants.length).toBeGreaterThanOrEqual(100);
  });

  it('accepts every base object as it is', () => {
    for (const [kind, base] of Object.entries(bases)) expect(wrongFieldTypes(base.object()), kind).toEqual([]);
  });

  it.each(variants)('$kind with $path = $value is found, with the JSON path', ({ kind, path, value }) => {
    const bad = set(bases[kind]!.object(), path, value);
    const message = describeFieldTypes(wrongFieldTypes(bad));
    // The path of the wrong field (a label map names the map) and what it must be.
    expect(message).toContain(`${path.replace(/\.(\d+)(?=\.|$)/g, '[$1]')} must be `);
    expect(`${objectName(bad)}: ${message}`.startsWith(`${nameOf(bad)}: `)).toBe(true);
  });

  it('names a value only where it cannot be a credential', () => {
    const deployment = set(bases.Deployment!.object(), 'spec.replicas', '3');
    expect(describeFieldTypes(wrongFieldTypes(deployment))).toBe('spec.replicas must be an integer, found a string ("3")');
    const env = set(bases.Pod!.object(), 'spec.containers[0].env[0].value', 123456789);
    expect(describeFieldTypes(wrongFieldTypes(env))).toBe('spec.containers[0].env[0].value must be a string, found a number');
    const config = set(bases.ConfigMap!.object(), 'data', { password: 12345678 });
    expect(describeFieldTypes(wrongFieldTypes(config))).toBe('data must be a mapping of strings to strings, found a mapping whose "password" is a number');
  });

  it('reports a broken field once, not every field under it, and kinds named like Object.prototype properties as kinds', () => {
    const pod = set(bases.Pod!.object(), 'spec.containers', 'app');
    expect(wrongFieldTypes(pod)).toEqual([{ path: 'spec.containers', expected: 'a list', found: 'a string ("app")' }]);
    for (const kind of ['__proto__', 'constructor', 'toString']) expect(wrongFieldTypes({ apiVersion: 'v1', kind, metadata: { name: 'x' } })).toEqual([]);
  });
});

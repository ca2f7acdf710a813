// A synthetic cluster for the emulator: namespaces of deployments with their replica sets and pods, services,
// service accounts, secrets and configmaps, plus cluster-wide RBAC. Sized by `objects` for benchmarks.
import type { KubeObject } from '../../model/kube.ts';

export interface SyntheticClusterOptions {
  /** Roughly how many objects to make (at least one namespace's worth). */
  objects: number;
  /** Pods per deployment (default 3). */
  replicas?: number;
}

/** Each namespace holds: Namespace, ServiceAccount, Secret, ConfigMap, Service, Role, RoleBinding, then deployments
 * of 1 Deployment + 1 ReplicaSet + `replicas` pods until its share of objects is used. */
export function syntheticCluster(options: SyntheticClusterOptions): KubeObject[] {
  const replicas = options.replicas ?? 3;
  const perDeployment = 2 + replicas;
  const deploymentsPerNamespace = 10;
  const perNamespace = 7 + deploymentsPerNamespace * perDeployment;
  const objects: KubeObject[] = [
    { kind: 'ClusterRole', metadata: { name: 'view-all', uid: 'cr-view' }, rules: [{ apiGroups: ['*'], resources: ['*'], verbs: ['get', 'list'] }] },
    { kind: 'ClusterRoleBinding', metadata: { name: 'view-all', uid: 'crb-view' }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'view-all' }, subjects: [{ kind: 'Group', name: 'viewers' }] },
  ];
  for (let n = 0; objects.length < options.objects; n += 1) {
    const namespace = `team-${String(n).padStart(4, '0')}`;
    const budget = Math.min(perNamespace, options.objects - objects.length);
    const before = objects.length;
    const add = (object: KubeObject) => {
      if (objects.length - before < budget) objects.push(object);
    };
    add({ kind: 'Namespace', metadata: { name: namespace, uid: `ns-${namespace}`, labels: { 'pod-security.kubernetes.io/enforce': 'baseline' } } });
    add({ kind: 'ServiceAccount', metadata: { name: 'app', namespace, uid: `sa-${namespace}` } });
    add({ kind: 'Secret', metadata: { name: 'app-credentials', namespace, uid: `secret-${namespace}` }, type: 'Opaque', data: { password: Buffer.from(`pw-${namespace}`).toString('base64') } });
    add({ kind: 'ConfigMap', metadata: { name: 'app-config', namespace, uid: `cm-${namespace}` }, data: { 'LOG_LEVEL': 'info', 'DATABASE_URL': `postgres://app@db.${namespace}` } });
    add({ kind: 'Service', metadata: { name: 'app', namespace, uid: `svc-${namespace}` }, spec: { type: 'ClusterIP', selector: { app: 'app' }, ports: [{ port: 80 }] } });
    add({ kind: 'Role', metadata: { name: 'app', namespace, uid: `role-${namespace}` }, rules: [{ apiGroups: [''], resources: ['configmaps'], verbs: ['get'] }] });
    add({ kind: 'RoleBinding', metadata: { name: 'app', namespace, uid: `rb-${namespace}` }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'app' }, subjects: [{ kind: 'ServiceAccount', name: 'app', namespace }] });
    for (let d = 0; objects.length - before < budget; d += 1) {
      const name = `app-${d}`;
      const template = {
        metadata: { labels: { app: name } },
        spec: { serviceAccountName: 'app', containers: [{ name: 'app', image: `registry.example.com/${name}:1.${d}`, ports: [{ containerPort: 8080 }] }] },
      };
      const deploymentUid = `deploy-${namespace}-${name}`;
      const replicaSetUid = `rs-${namespace}-${name}`;
      add({ kind: 'Deployment', metadata: { name, namespace, uid: deploymentUid }, spec: { replicas, selector: { matchLabels: { app: name } }, template } });
      add({
        kind: 'ReplicaSet',
        metadata: { name: `${name}-5d8f`, namespace, uid: replicaSetUid, ownerReferences: [{ apiVersion: 'apps/v1', kind: 'Deployment', name, uid: deploymentUid, controller: true }] },
        spec: { replicas, selector: { matchLabels: { app: name } }, template },
      });
      for (let r = 0; r < replicas; r += 1) {
        add({
          kind: 'Pod',
          metadata: {
            name: `${name}-5d8f-${r}`,
            namespace,
            uid: `pod-${namespace}-${name}-${r}`,
            labels: { app: name },
            ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: `${name}-5d8f`, uid: replicaSetUid, controller: true }],
          },
          spec: { ...template.spec, nodeName: `node-${r}` },
          status: { phase: 'Running' },
        });
      }
    }
  }
  return objects;
}

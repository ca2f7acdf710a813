import { describe, expect, it } from 'vitest';
import { runRules } from '../../../shared/engine/run.ts';
import type { KubeObject } from '../../../shared/model/kube.ts';
import { rules } from '../../../shared/rules/index.ts';
import rule, { type Hop } from '../../../shared/rules/path/path-public-workload-pivot.ts';
import { container, deployment, hardenedPodSpec, snapshotOf } from '../../support/fixtures.ts';
import { ruleTester } from '../../support/rule-tester.ts';
import { ingress, service } from '../exposure/exposure-fixtures.ts';

const clusterAdmin: KubeObject = {
  apiVersion: 'rbac.authorization.k8s.io/v1',
  kind: 'ClusterRole',
  metadata: { name: 'cluster-admin', labels: { 'kubernetes.io/bootstrapping': 'rbac-defaults' } },
  rules: [
    { apiGroups: ['*'], resources: ['*'], verbs: ['*'] },
    { nonResourceURLs: ['*'], verbs: ['*'] },
  ],
};
const bindClusterAdmin = (namespace: string, account: string): KubeObject => ({
  apiVersion: 'rbac.authorization.k8s.io/v1',
  kind: 'ClusterRoleBinding',
  metadata: { name: `${account}-admin` },
  roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'cluster-admin' },
  subjects: [{ kind: 'ServiceAccount', name: account, namespace }],
});
const serviceAccount = (namespace: string, name: string, annotations: Record<string, string> = {}): KubeObject => ({
  apiVersion: 'v1',
  kind: 'ServiceAccount',
  metadata: { name, namespace, annotations },
});

/** The ops dashboard of DESIGN.md §1: a built-in shell, a public LoadBalancer, a privileged pod, a cluster-admin token. */
const dashboard = deployment({
  name: 'dashboard',
  namespace: 'ops',
  templateMetadata: { labels: { app: 'dashboard' } },
  spec: hardenedPodSpec({
    serviceAccountName: 'dashboard',
    automountServiceAccountToken: true,
    containers: [container({ name: 'dashboard', image: 'example/ops-dashboard:2.1', securityContext: { privileged: true } })],
  }),
});
const publicLb = service('dashboard', { namespace: 'ops', type: 'LoadBalancer', selector: { app: 'dashboard' } });
const dashboardWorld = [publicLb, serviceAccount('ops', 'dashboard'), bindClusterAdmin('ops', 'dashboard'), clusterAdmin];

const reach = 'the node, cluster-wide Kubernetes control';

ruleTester.run(rule, {
  valid: [
    { name: 'a privileged pod that nothing exposes', object: dashboard, objects: [serviceAccount('ops', 'dashboard'), bindClusterAdmin('ops', 'dashboard'), clusterAdmin] },
    { name: 'a public LoadBalancer in front of a hardened pod with a powerless token', object: deployment(), objects: [service('web', { type: 'LoadBalancer' })] },
    {
      name: 'an internal LoadBalancer in front of the dashboard',
      object: dashboard,
      objects: [service('dashboard', { namespace: 'ops', type: 'LoadBalancer', selector: { app: 'dashboard' }, annotations: { 'service.beta.kubernetes.io/aws-load-balancer-scheme': 'internal' } })],
    },
    {
      name: 'cluster-admin token not mounted, no other pivot',
      object: deployment({ spec: hardenedPodSpec({ serviceAccountName: 'admin', automountServiceAccountToken: false }) }),
      objects: [service('web', { type: 'LoadBalancer' }), serviceAccount('shop', 'admin'), bindClusterAdmin('shop', 'admin'), clusterAdmin],
    },
  ],
  invalid: [
    {
      name: 'the public dashboard: one critical path through the node and cluster-admin',
      object: dashboard,
      objects: dashboardWorld,
      findings: [
        { messageId: 'path', data: { entry: 'Service/ops/dashboard', workload: 'Deployment/dashboard', reach }, path: '', severity: 'critical', fix: null },
      ],
    },
    {
      name: 'an internet-facing ALB to a pod mounting the containerd socket',
      object: deployment({ spec: hardenedPodSpec({ volumes: [{ name: 'sock', hostPath: { path: '/run/containerd/containerd.sock' } }] }) }),
      objects: [service('web'), ingress('shop', { annotations: { 'alb.ingress.kubernetes.io/scheme': 'internet-facing' } })],
      findings: [{ messageId: 'path', data: { entry: 'Ingress/shop/shop', workload: 'Deployment/web', reach: 'the node' }, path: '', severity: 'critical' }],
    },
    {
      name: 'a public pod whose service account assumes an IAM role (IRSA)',
      object: deployment({ spec: hardenedPodSpec({ serviceAccountName: 'uploader' }) }),
      objects: [service('web', { type: 'LoadBalancer' }), serviceAccount('shop', 'uploader', { 'eks.amazonaws.com/role-arn': 'arn:aws:iam::111122223333:role/uploader' })],
      findings: [
        { messageId: 'path', data: { entry: 'Service/shop/web', workload: 'Deployment/web', reach: 'AWS as arn:aws:iam::111122223333:role/uploader' }, path: '', severity: 'high' },
      ],
    },
    {
      name: 'a public pod with hostPID and an EKS Pod Identity association',
      object: deployment({ spec: hardenedPodSpec({ hostPID: true }) }),
      objects: [service('web', { type: 'LoadBalancer' })],
      snapshot: {
        clusterInfo: { name: 'prod', podIdentityAssociations: [{ namespace: 'shop', serviceAccount: 'app', roleArn: 'arn:aws:iam::111122223333:role/app' }] },
      },
      findings: [{ messageId: 'path', data: { entry: 'Service/shop/web', workload: 'Deployment/web', reach: 'the node, AWS as arn:aws:iam::111122223333:role/app' }, path: '', severity: 'critical' }],
    },
  ],
});

describe('the dashboard attack path', () => {
  const snapshot = snapshotOf([dashboard, ...dashboardWorld]);

  it('is one critical path finding among the whole catalogue, with its hops in order', () => {
    const { findings } = runRules(snapshot, rules);
    const paths = findings.filter((f) => rules.find((r) => r.id === f.ruleId)?.meta.domain === 'path');
    expect(paths).toHaveLength(1);
    const [path] = paths;
    expect(path!.severity).toBe('critical');
    expect(path!.resource).toMatchObject({ kind: 'Deployment', namespace: 'ops', name: 'dashboard' });
    const hops = path!.details?.hops as Hop[];
    expect(hops.map((h) => h.kind)).toEqual(['entry', 'workload', 'escape', 'node', 'identity']);
    expect(hops[0]).toMatchObject({ ref: 'Service/ops/dashboard', fact: expect.stringContaining('internet-facing LoadBalancer') });
    expect(hops[2]).toMatchObject({ ref: 'Deployment/dashboard container "dashboard"', fact: expect.stringContaining('privileged') });
    expect(hops[4]).toMatchObject({ ref: 'ServiceAccount/ops/dashboard', fact: expect.stringContaining('cluster-admin') });
    expect(hops[4]!.fact).toContain('ClusterRoleBinding dashboard-admin');
  });

  it('the single links still show as their own findings (exposure, workload)', () => {
    const ruleIds = new Set(runRules(snapshot, rules).findings.map((f) => f.ruleId));
    expect(ruleIds).toContain('service-load-balancer-public');
    expect(ruleIds).toContain('privileged-container');
  });
});

import { describe, expect, it } from 'vitest';
import { SnapshotIndex } from '../../shared/engine/snapshot-index.ts';
import type { ClusterInfo } from '../../shared/model/cluster.ts';
import type { KubeObject } from '../../shared/model/kube.ts';
import { analyzeRbac, formatSubject, parseSubject, serviceAccountSubject, SubjectSyntaxError, type Subject } from '../../shared/rbac/index.ts';
import { snapshotOf } from '../support/fixtures.ts';
import { bootstrapPolicy, clusterRole, clusterRoleBinding, group, role, roleBinding, rule, sa, serviceAccount, user } from './fixtures.ts';

const analysisOf = (objects: KubeObject[], clusterInfo?: ClusterInfo) =>
  analyzeRbac(new SnapshotIndex(snapshotOf(objects, clusterInfo ? { clusterInfo } : {})));
const alice: Subject = { kind: 'User', name: 'alice' };

describe('effective permissions', () => {
  it('resolves aggregated ClusterRoles transitively (admin ⊃ edit ⊃ view)', () => {
    const rbac = analysisOf([...bootstrapPolicy(), roleBinding('shop', 'alice-admin', { kind: 'ClusterRole', name: 'admin' }, [user('alice')])]);
    expect(rbac.can(alice, 'list', 'pods', 'shop')).toBe(true); // from aggregate-to-view, through edit
    expect(rbac.can(alice, 'create', 'pods/exec', 'shop')).toBe(true); // from aggregate-to-edit
    expect(rbac.can(alice, 'create', 'rolebindings.rbac.authorization.k8s.io', 'shop')).toBe(true); // aggregate-to-admin
    const sources = new Set(rbac.clusterRoleRules('admin').map((r) => r.source.name));
    expect(sources).toEqual(new Set(['system:aggregate-to-admin', 'system:aggregate-to-edit', 'system:aggregate-to-view']));
    expect(rbac.clusterRoleRules('view').map((r) => r.source.name)).not.toContain('system:aggregate-to-edit');
  });

  it('scopes a ClusterRole bound by a RoleBinding to that namespace', () => {
    const rbac = analysisOf([
      clusterRole('secret-reader', [rule([''], ['secrets'], ['get', 'list'])]),
      roleBinding('shop', 'read', { kind: 'ClusterRole', name: 'secret-reader' }, [sa('shop', 'web')]),
    ]);
    const web = serviceAccountSubject('shop', 'web');
    expect(rbac.can(web, 'get', 'secrets', 'shop')).toBe(true);
    expect(rbac.can(web, 'get', 'secrets', 'bank')).toBe(false);
    expect(rbac.can(web, 'list', 'secrets')).toBe(false); // all namespaces needs a cluster-wide grant
    expect(rbac.riskClassesOf(web)).toMatchObject([{ riskClass: 'read-secrets', scope: 'namespaces', namespaces: ['shop'], severity: 'medium' }]);
  });

  it('never grants cluster-scoped resources through a RoleBinding', () => {
    const rbac = analysisOf([
      clusterRole('everything', [rule(['*'], ['*'], ['*'])]),
      roleBinding('shop', 'ns-admin', { kind: 'ClusterRole', name: 'everything' }, [user('alice')]),
    ]);
    expect(rbac.can(alice, 'delete', 'pods', 'shop')).toBe(true);
    expect(rbac.can(alice, 'get', 'nodes', 'shop')).toBe(false);
    expect(rbac.can(alice, 'create', 'clusterrolebindings.rbac.authorization.k8s.io')).toBe(false);
    const classes = rbac.riskClassesOf(alice).map((h) => h.riskClass);
    expect(classes).toContain('namespace-admin');
    expect(classes).not.toContain('cluster-admin');
  });

  it('gives group members the group grants, and service accounts their implicit groups', () => {
    const rbac = analysisOf([
      clusterRole('pod-reader', [rule([''], ['pods'], ['get'])]),
      clusterRole('cm-reader', [rule([''], ['configmaps'], ['get'])]),
      clusterRole('svc-reader', [rule([''], ['services'], ['get'])]),
      clusterRoleBinding('all-sa', 'pod-reader', [group('system:serviceaccounts')]),
      roleBinding('shop', 'shop-sa', { kind: 'ClusterRole', name: 'cm-reader' }, [group('system:serviceaccounts:shop')]),
      clusterRoleBinding('everyone', 'svc-reader', [group('system:authenticated')]),
    ]);
    const web = serviceAccountSubject('shop', 'web');
    const api = serviceAccountSubject('bank', 'api');
    expect(rbac.can(web, 'get', 'pods', 'bank')).toBe(true);
    expect(rbac.can(web, 'get', 'configmaps', 'shop')).toBe(true);
    expect(rbac.can(api, 'get', 'configmaps', 'bank')).toBe(false);
    expect(rbac.can(alice, 'get', 'services', 'x')).toBe(true);
    expect(rbac.can({ kind: 'User', name: 'system:anonymous' }, 'get', 'services', 'x')).toBe(false);
    expect(rbac.whoCan('get', 'pods', 'bank').map((e) => formatSubject(e.subject))).toEqual(['group:system:masters', 'group:system:serviceaccounts']);
  });

  it('treats a User named system:serviceaccount:<ns>:<name> as that ServiceAccount', () => {
    const rbac = analysisOf([
      clusterRole('pod-reader', [rule([''], ['pods'], ['get'])]),
      clusterRoleBinding('by-user-name', 'pod-reader', [user('system:serviceaccount:shop:web')]),
    ]);
    expect(rbac.can(serviceAccountSubject('shop', 'web'), 'get', 'pods', 'x')).toBe(true);
  });

  it('limits a rule with resourceNames to named requests', () => {
    const rbac = analysisOf([
      role('shop', 'one-secret', [rule([''], ['secrets'], ['get'], ['tls'])]),
      roleBinding('shop', 'one-secret', { kind: 'Role', name: 'one-secret' }, [sa('shop', 'web')]),
    ]);
    const web = serviceAccountSubject('shop', 'web');
    expect(rbac.can(web, 'get', 'secrets', 'shop', 'tls')).toBe(true);
    expect(rbac.can(web, 'get', 'secrets', 'shop', 'db')).toBe(false);
    expect(rbac.can(web, 'get', 'secrets', 'shop')).toBe(false);
    expect(rbac.riskClassesOf(web)).toEqual([]);
  });

  it('matches subresources exactly, and */<sub> across resources', () => {
    const rbac = analysisOf([
      clusterRole('pods-only', [rule([''], ['pods'], ['*'])]),
      clusterRole('any-exec', [rule([''], ['*/exec'], ['create'])]),
      clusterRoleBinding('a', 'pods-only', [user('alice')]),
      clusterRoleBinding('b', 'any-exec', [user('bob')]),
    ]);
    expect(rbac.can(alice, 'create', 'pods/exec', 'shop')).toBe(false);
    expect(rbac.can(alice, 'create', 'pods', 'shop')).toBe(true);
    expect(rbac.can({ kind: 'User', name: 'bob' }, 'create', 'pods/exec', 'shop')).toBe(true);
    expect(rbac.can({ kind: 'User', name: 'bob' }, 'create', 'pods', 'shop')).toBe(false);
  });

  it('does not call a role limited by resourceNames cluster-admin', () => {
    const rbac = analysisOf([
      clusterRole('star-named', [rule(['*'], ['*'], ['*'], ['only-this'])]),
      clusterRoleBinding('named', 'star-named', [user('alice')]),
    ]);
    expect(rbac.riskClassesOf(alice).map((h) => h.riskClass)).not.toContain('cluster-admin');
    expect(rbac.can(alice, 'get', 'secrets', 'x')).toBe(false);
  });

  it('answers non-resource URLs from cluster-wide grants', () => {
    const rbac = analysisOf(bootstrapPolicy());
    expect(rbac.can(alice, 'get', '/healthz')).toBe(true);
    expect(rbac.can({ kind: 'User', name: 'system:anonymous' }, 'get', '/version')).toBe(true);
    expect(rbac.can({ kind: 'User', name: 'system:anonymous' }, 'get', '/apis')).toBe(false);
    expect(rbac.can(alice, 'get', '/metrics')).toBe(false);
  });

  it('lets system:masters do anything even without the cluster-admin binding', () => {
    const rbac = analysisOf([]);
    expect(rbac.can({ kind: 'Group', name: 'system:masters' }, 'delete', 'nodes')).toBe(true);
    expect(rbac.permissionsOf({ kind: 'Group', name: 'system:masters' }).every((g) => g.builtIn)).toBe(true);
  });

  it('marks bootstrap grants built-in, and a borrowed system: name on a user binding not', () => {
    const rbac = analysisOf([
      ...bootstrapPolicy(),
      clusterRoleBinding('system:sneaky', 'system:kube-controller-manager', [sa('shop', 'web')]),
      clusterRoleBinding('system:public', 'system:kube-controller-manager', [group('system:authenticated')]),
    ]);
    const builtIn = (name: string) => rbac.grants.filter((g) => g.binding.name === name).every((g) => g.builtIn);
    expect(builtIn('cluster-admin')).toBe(true);
    expect(builtIn('system:controller:clusterrole-aggregation-controller')).toBe(true);
    expect(builtIn('system:kube-controller-manager')).toBe(true);
    expect(builtIn('system:sneaky')).toBe(false);
    expect(builtIn('system:public')).toBe(false);
  });

  it('lists subjects from bindings, ServiceAccount objects and mapped IAM principals', () => {
    const rbac = analysisOf(
      [serviceAccount('shop', 'lonely'), clusterRoleBinding('x', 'view', [group('devs')])],
      { name: 'c', accessEntries: [{ principalArn: 'arn:aws:iam::1:role/ops', username: 'ops', kubernetesGroups: ['devs'], policies: [] }] },
    );
    expect(rbac.subjects().map(formatSubject)).toEqual(['group:devs', 'group:system:masters', 'sa:shop:lonely', 'user:ops']);
  });
});

describe('EKS identities', () => {
  const info: ClusterInfo = {
    name: 'prod',
    accessEntries: [
      {
        principalArn: 'arn:aws:iam::111122223333:role/platform-admin',
        policies: [{ policyArn: 'arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy', accessScope: { type: 'cluster' } }],
      },
      {
        principalArn: 'arn:aws:iam::111122223333:role/dev',
        username: 'dev',
        kubernetesGroups: ['developers'],
        policies: [{ policyArn: 'arn:aws:eks::aws:cluster-access-policy/AmazonEKSEditPolicy', accessScope: { type: 'namespace', namespaces: ['dev-*'] } }],
      },
    ],
  };

  it('maps access policies to their RBAC equivalents within their scope', () => {
    const rbac = analysisOf([], info);
    const admin: Subject = { kind: 'User', name: 'arn:aws:iam::111122223333:role/platform-admin' };
    const dev: Subject = { kind: 'User', name: 'dev' };
    expect(rbac.can(admin, 'delete', 'nodes')).toBe(true);
    expect(rbac.riskClassesOf(admin)[0]).toMatchObject({ riskClass: 'cluster-admin', grantedBy: [{ kind: 'AccessEntry' }] });
    expect(rbac.can(dev, 'get', 'secrets', 'dev-shop')).toBe(true);
    expect(rbac.can(dev, 'get', 'secrets', 'prod-shop')).toBe(false);
    expect(rbac.identityOf(dev).groups).toContain('developers');
    expect(rbac.identityOf(dev).iamPrincipalArns).toEqual(['arn:aws:iam::111122223333:role/dev']);
  });

  it('gives aws-auth mapped principals their groups, system:masters included', () => {
    const awsAuth: KubeObject = {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'aws-auth', namespace: 'kube-system' },
      data: {
        mapRoles: '- rolearn: arn:aws:iam::1:role/ci\n  username: ci\n  groups: [system:masters]\n- rolearn: arn:aws:iam::1:role/node\n  username: system:node:{{EC2PrivateDNSName}}\n  groups: [system:bootstrappers, system:nodes]\n',
        mapUsers: 'not: [valid',
      },
    };
    const rbac = analysisOf([awsAuth]);
    expect(rbac.mappedPrincipals.map((p) => p.username)).toEqual(['ci', 'system:node:{{EC2PrivateDNSName}}']);
    expect(rbac.can({ kind: 'User', name: 'ci' }, 'delete', 'secrets', 'kube-system')).toBe(true);
    expect(rbac.can({ kind: 'User', name: 'system:node:{{EC2PrivateDNSName}}' }, 'delete', 'secrets', 'kube-system')).toBe(false);
  });
});

describe('subject syntax', () => {
  it('parses and formats the CLI spellings', () => {
    expect(parseSubject('sa:shop:web')).toEqual({ kind: 'ServiceAccount', namespace: 'shop', name: 'web' });
    expect(parseSubject('user:alice')).toEqual({ kind: 'User', name: 'alice' });
    expect(parseSubject('group:system:authenticated')).toEqual({ kind: 'Group', name: 'system:authenticated' });
    expect(parseSubject('system:serviceaccount:shop:web')).toEqual({ kind: 'ServiceAccount', namespace: 'shop', name: 'web' });
    expect(formatSubject(parseSubject('serviceaccount:a:b'))).toBe('sa:a:b');
    expect(() => parseSubject('alice')).toThrow(SubjectSyntaxError);
    expect(() => parseSubject('sa:shop')).toThrow(/sa:<namespace>:<name>/);
  });
});

import { describe, expect, it } from 'vitest';
import bindingClusterAdmin from '../../../shared/audit/detections/binding-cluster-admin.ts';
import { detectionRunner } from '../events.ts';

const run = detectionRunner(bindingClusterAdmin);

const mastersBinding = {
  kind: 'RoleBinding',
  apiVersion: 'rbac.authorization.k8s.io/v1',
  metadata: { name: 'ops', namespace: 'shop' },
  roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'edit' },
  subjects: [{ kind: 'Group', name: 'system:masters', apiGroup: 'rbac.authorization.k8s.io' }],
};

describe('audit-binding-cluster-admin', () => {
  it('reports a ClusterRoleBinding to cluster-admin, naming who made it and whom it grants', async () => {
    const { findings } = await run(['cluster-admin-binding']);
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({
      severity: 'critical',
      resource: { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRoleBinding', name: 'ci-admin' },
      message: 'alice@example.com created ClusterRoleBinding ci-admin, which grants the cluster-admin ClusterRole to ServiceAccount build/ci',
      frameworks: { 'owasp-k8s-2022': ['K03'], 'cis-eks-1.8': ['4.1.1'] },
    });
    expect(findings[0]!.resource.namespace).toBeUndefined();
  });

  it('reports a patched RoleBinding that binds system:masters, judged on the stored object', async () => {
    const { findings } = await run([
      'cluster-admin-binding',
      {
        verb: 'patch',
        objectRef: { resource: 'rolebindings', namespace: 'shop', name: 'ops', apiGroup: 'rbac.authorization.k8s.io', apiVersion: 'v1' },
        requestObject: { subjects: [{ kind: 'Group', name: 'system:masters' }] },
        responseObject: mastersBinding,
        responseStatus: { code: 200 },
      },
    ]);
    expect(findings.map((f) => [f.resource.kind, f.resource.namespace, f.message])).toEqual([
      ['RoleBinding', 'shop', 'alice@example.com patched RoleBinding shop/ops, which grants the system:masters group to Group system:masters'],
    ]);
  });

  it('stays quiet on other roles, Metadata-level events without a body, failed writes and deletes', async () => {
    const edit = { ...mastersBinding, subjects: [{ kind: 'User', name: 'bob' }] };
    const metadataOnly = { level: 'Metadata', requestObject: undefined, responseObject: undefined };
    const { findings } = await run(
      ['cluster-admin-binding', { requestObject: edit, responseObject: edit }],
      ['cluster-admin-binding', metadataOnly],
      ['cluster-admin-binding', { responseStatus: { code: 409 }, responseObject: { kind: 'Status', code: 409 } }],
      ['cluster-admin-binding', { verb: 'delete' }],
    );
    expect(findings).toEqual([]);
  });
});

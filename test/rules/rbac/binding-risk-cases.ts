// The shared valid/invalid cases of the binding-risk rules (one risk class each): a role carrying the class bound
// cluster-wide and in a namespace to a service account fires; unbound, harmless, built-in, public-group, person-in-a-
// namespace and cluster-admin-dominated grants do not.
import type { Severity } from '../../../shared/model/finding.ts';
import type { InvalidCase, ValidCase } from '../../support/rule-tester.ts';
import { bootstrapPolicy, clusterRole, clusterRoleBinding, group, roleBinding, rule, sa, user } from '../../rbac/fixtures.ts';

export interface BindingRiskSpec {
  /** A PolicyRule that carries the class. */
  grant: Record<string, unknown>;
  power: string;
  cluster: Severity;
  /** Severity through a RoleBinding; absent when the class needs a cluster-wide grant. */
  namespace?: Severity;
  /** Namespace of the RoleBinding case (default shop). */
  namespaceName?: string;
  extraValid?: ValidCase[];
}

export function bindingRiskCases(spec: BindingRiskSpec): { valid: ValidCase[]; invalid: InvalidCase[] } {
  const risky = clusterRole('risky', [spec.grant]);
  const ns = spec.namespaceName ?? 'shop';
  const nsBinding = roleBinding(ns, 'ns-grant', { kind: 'ClusterRole', name: 'risky' }, [sa(ns, 'web')]);
  const valid: ValidCase[] = [
    { name: 'a harmless role', object: clusterRoleBinding('read-cm', 'harmless', [sa('shop', 'web')]), objects: [clusterRole('harmless', [rule([''], ['configmaps'], ['get'])])] },
    { name: 'the risky role left unbound', object: risky },
    { name: 'a namespace grant to a person is delegation, not alerted', object: roleBinding('shop', 'team', { kind: 'ClusterRole', name: 'risky' }, [user('alice'), group('devs')]), objects: [risky] },
    { name: 'a grant to system:authenticated belongs to rbac-public-access', object: clusterRoleBinding('everyone', 'risky', [group('system:authenticated')]), objects: [risky] },
    { name: 'built-in bootstrap bindings', object: clusterRoleBinding('system:kube-controller-manager', 'system:kube-controller-manager', [user('system:kube-controller-manager')]), objects: bootstrapPolicy() },
    { name: 'cluster-admin stands for every other class', object: clusterRoleBinding('root', 'cluster-admin', [sa('shop', 'web')]), objects: bootstrapPolicy() },
    ...(spec.namespace ? [] : [{ name: 'a RoleBinding never grants a cluster-scoped resource', object: nsBinding, objects: [risky] }]),
    ...(spec.extraValid ?? []),
  ];
  const invalid: InvalidCase[] = [
    {
      name: 'a ClusterRole bound cluster-wide to a service account and a user',
      object: clusterRoleBinding('grant', 'risky', [sa('shop', 'web'), user('alice')]),
      objects: [risky],
      findings: [
        {
          messageId: 'grant',
          path: 'subjects[0]',
          severity: spec.cluster,
          data: { subject: 'sa:shop:web', power: spec.power, scope: 'cluster-wide', role: 'ClusterRole risky' },
          fix: { description: 'Remove sa:shop:web from ClusterRoleBinding grant', patch: [{ op: 'remove', path: '/subjects/0' }] },
        },
        { messageId: 'grant', path: 'subjects[1]', severity: spec.cluster, data: { subject: 'user:alice', power: spec.power, scope: 'cluster-wide', role: 'ClusterRole risky' } },
      ],
    },
  ];
  if (spec.namespace) {
    invalid.push({
      name: 'a ClusterRole bound in one namespace to a service account',
      object: nsBinding,
      objects: [risky],
      findings: [
        {
          messageId: 'grant',
          path: 'subjects[0]',
          severity: spec.namespace,
          data: { subject: `sa:${ns}:web`, power: spec.power, scope: `in namespace ${ns}`, role: 'ClusterRole risky' },
          fix: { description: `Remove sa:${ns}:web from RoleBinding ns-grant`, patch: [{ op: 'remove', path: '/subjects/0' }] },
        },
      ],
    });
  }
  return { valid, invalid };
}

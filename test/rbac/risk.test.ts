// Every risk class: the grant that carries it, its cluster-wide and namespace severities, and a near miss.
import { describe, expect, it } from 'vitest';
import { SnapshotIndex } from '../../shared/engine/snapshot-index.ts';
import { runRules } from '../../shared/engine/run.ts';
import type { KubeObject } from '../../shared/model/kube.ts';
import { analyzeRbac, riskClasses, serviceAccountSubject, type RiskClass } from '../../shared/rbac/index.ts';
import { rules } from '../../shared/rules/index.ts';
import { snapshotOf } from '../support/fixtures.ts';
import { bootstrapPolicy, clusterRole, clusterRoleBinding, group, roleBinding, rule, sa, serviceAccount, user } from './fixtures.ts';

type Rule = Record<string, unknown>;
const table: Record<RiskClass, { grant: Rule; cluster: string; namespace?: string; nearMiss: Rule }> = {
  'cluster-admin': { grant: rule(['*'], ['*'], ['*']), cluster: 'critical', nearMiss: rule(['*'], ['*'], ['*'], ['one']) },
  'namespace-admin': { grant: rule(['*'], ['*'], ['*']), cluster: 'critical', namespace: 'high', nearMiss: rule([''], ['*'], ['get']) },
  'read-secrets': { grant: rule([''], ['secrets'], ['watch']), cluster: 'high', namespace: 'medium', nearMiss: rule([''], ['secrets'], ['get'], ['tls']) },
  'create-pods': { grant: rule(['batch'], ['cronjobs'], ['create']), cluster: 'high', namespace: 'medium', nearMiss: rule([''], ['pods'], ['delete']) },
  'pods-exec': { grant: rule([''], ['pods/exec'], ['get']), cluster: 'high', namespace: 'medium', nearMiss: rule([''], ['pods'], ['*']) },
  'pods-attach': { grant: rule([''], ['*/attach'], ['create']), cluster: 'high', namespace: 'medium', nearMiss: rule(['apps'], ['pods/attach'], ['create']) },
  'pods-portforward': { grant: rule([''], ['pods/portforward'], ['create']), cluster: 'medium', namespace: 'low', nearMiss: rule([''], ['pods/log'], ['get']) },
  escalate: { grant: rule(['rbac.authorization.k8s.io'], ['roles'], ['escalate']), cluster: 'high', namespace: 'medium', nearMiss: rule(['rbac.authorization.k8s.io'], ['roles'], ['get']) },
  bind: { grant: rule(['rbac.authorization.k8s.io'], ['clusterroles'], ['bind']), cluster: 'high', nearMiss: rule([''], ['clusterroles'], ['bind']) },
  impersonate: { grant: rule([''], ['groups'], ['impersonate']), cluster: 'critical', nearMiss: rule([''], ['groups'], ['get']) },
  'impersonate-serviceaccounts': { grant: rule([''], ['serviceaccounts'], ['impersonate']), cluster: 'high', namespace: 'medium', nearMiss: rule([''], ['serviceaccounts'], ['get']) },
  'nodes-proxy': { grant: rule([''], ['nodes/proxy'], ['get']), cluster: 'high', nearMiss: rule([''], ['nodes/stats'], ['get']) },
  'serviceaccount-token': { grant: rule([''], ['serviceaccounts/token'], ['create']), cluster: 'high', namespace: 'medium', nearMiss: rule([''], ['serviceaccounts'], ['create']) },
  'approve-csr': { grant: rule(['certificates.k8s.io'], ['certificatesigningrequests/approval'], ['update']), cluster: 'high', nearMiss: rule(['certificates.k8s.io'], ['certificatesigningrequests'], ['create']) },
  'webhook-write': { grant: rule(['admissionregistration.k8s.io'], ['validatingwebhookconfigurations'], ['delete']), cluster: 'high', nearMiss: rule(['admissionregistration.k8s.io'], ['validatingwebhookconfigurations'], ['list']) },
  'create-persistentvolumes': { grant: rule([''], ['persistentvolumes'], ['create']), cluster: 'high', nearMiss: rule([''], ['persistentvolumeclaims'], ['create']) },
  'rbac-write': { grant: rule(['rbac.authorization.k8s.io'], ['clusterrolebindings'], ['patch']), cluster: 'medium', nearMiss: rule(['rbac.authorization.k8s.io'], ['clusterrolebindings'], ['get']) },
  'aws-auth-write': { grant: rule([''], ['configmaps'], ['patch']), cluster: 'critical', namespace: 'critical', nearMiss: rule([''], ['configmaps'], ['patch'], ['coredns']) },
};

const classesOf = (grant: Rule, namespaced: boolean) => {
  const objects: KubeObject[] = [
    clusterRole('r', [grant]),
    namespaced ? roleBinding('kube-system', 'b', { kind: 'ClusterRole', name: 'r' }, [sa('kube-system', 'x')]) : clusterRoleBinding('b', 'r', [sa('kube-system', 'x')]),
  ];
  return analyzeRbac(new SnapshotIndex(snapshotOf(objects))).riskClassesOf(serviceAccountSubject('kube-system', 'x'));
};

describe('risk classes', () => {
  it('the table covers every class', () => expect(Object.keys(table).sort()).toEqual([...riskClasses].sort()));

  for (const riskClass of riskClasses) {
    const { grant, cluster, namespace, nearMiss } = table[riskClass];
    it(`${riskClass}: carried by its grant, with its severities, not by a near miss`, () => {
      if (riskClass !== 'namespace-admin') expect(classesOf(grant, false).find((h) => h.riskClass === riskClass)?.severity).toBe(cluster);
      const namespaced = classesOf(grant, true).find((h) => h.riskClass === riskClass);
      expect(namespaced?.severity).toBe(namespace);
      expect(classesOf(nearMiss, false).map((h) => h.riskClass)).not.toContain(riskClass);
    });
  }
});

describe('noise', () => {
  it('the bootstrap policy alone raises no RBAC finding', () => {
    const findings = runRules(snapshotOf([...bootstrapPolicy(), serviceAccount('kube-system', 'clusterrole-aggregation-controller')]), rules).findings;
    expect(findings.filter((f) => f.ruleId.startsWith('rbac-') || f.ruleId.startsWith('eks-')).map((f) => `${f.ruleId} ${f.message}`)).toEqual([]);
  });

  it('view bound to a team and edit bound to a person in their namespace raise nothing', () => {
    const objects = [
      ...bootstrapPolicy(),
      clusterRoleBinding('auditors-view', 'view', [group('auditors')]),
      roleBinding('shop', 'alice-edit', { kind: 'ClusterRole', name: 'edit' }, [user('alice')]),
      roleBinding('shop', 'leads-admin', { kind: 'ClusterRole', name: 'admin' }, [group('shop-leads')]),
      serviceAccount('shop', 'web'),
    ];
    const findings = runRules(snapshotOf(objects), rules).findings;
    expect(findings.filter((f) => f.ruleId.startsWith('rbac-')).map((f) => `${f.ruleId} ${f.message}`)).toEqual([]);
  });
});

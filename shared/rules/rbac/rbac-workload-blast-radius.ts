// What a compromise of a workload yields: its service account's RBAC power (when the token is mounted) and the
// IAM role the account carries (IRSA or EKS Pod Identity) — the pivot from pod to cluster to cloud.
import { arrayField, boolField, defineRule, fix, namespaceOf, nameOf, podTemplateOf, setOps, stringField, toJsonPath } from '../../engine/index.ts';
import { analyzeRbac, describeScope, isPublicSubject, riskClassDefinitions, serviceAccountSubject, summarizeRisks, type RbacAnalysis, type RiskHit } from '../../rbac/index.ts';
import { atLeast, maxSeverity } from '../../model/finding.ts';
import { isRecord, workloadKinds, type KubeObject } from '../../model/kube.ts';
import { iamRolesOf } from '../../facts/service-account.ts';

function describeHit(hit: RiskHit): string {
  const scope = hit.scope === 'cluster' ? 'cluster-wide' : `in ${describeScope({ type: 'namespace', namespaces: hit.namespaces })}`;
  return `${riskClassDefinitions[hit.riskClass].power} ${scope}`;
}

/** Does the pod get a Kubernetes API token: automount (pod setting, else the account's, else true) or a
 * projected serviceAccountToken volume? */
function tokenMounted(spec: Record<string, unknown>, account: KubeObject | undefined): boolean {
  const podSetting = boolField(spec, 'automountServiceAccountToken');
  const accountSetting = account ? boolField(account, 'automountServiceAccountToken') : undefined;
  if ((podSetting ?? accountSetting ?? true) === true) return true;
  return arrayField(spec, 'volumes').some((volume: unknown) => {
    const projected = isRecord(volume) && isRecord(volume.projected) ? volume.projected : undefined;
    const sources: unknown[] = projected && Array.isArray(projected.sources) ? projected.sources : [];
    return sources.some((source) => isRecord(source) && isRecord(source.serviceAccountToken));
  });
}

// Many workloads share a service account: its risk summary is worked out once per (analysis, namespace, account).
// The analysis is itself cached per SnapshotIndex, so this lives exactly as long as the snapshot.
const accountRiskCache = new WeakMap<RbacAnalysis, Map<string, readonly RiskHit[]>>();

/** The medium-or-worse risk classes a service account holds, public grants left out. */
function accountRisks(rbac: RbacAnalysis, namespace: string, serviceAccount: string): readonly RiskHit[] {
  let byAccount = accountRiskCache.get(rbac);
  if (!byAccount) {
    byAccount = new Map();
    accountRiskCache.set(rbac, byAccount);
  }
  const key = `${namespace}/${serviceAccount}`;
  let hits = byAccount.get(key);
  if (!hits) {
    // Grants to system:authenticated and friends reach every pod; rbac-public-access reports them once.
    const grants = rbac.permissionsOf(serviceAccountSubject(namespace, serviceAccount)).filter((g) => !isPublicSubject(g.subject));
    hits = summarizeRisks(grants).filter((h) => atLeast(h.severity, 'medium'));
    byAccount.set(key, hits);
  }
  return hits;
}

export default defineRule({
  id: 'rbac-workload-blast-radius',
  meta: {
    title: 'Workload compromise yields powerful credentials',
    description:
      'A pod holds its service account\'s token (unless automounting is off) and, on EKS, the IAM role of the account (IRSA annotation or Pod Identity association). Whoever compromises the workload gets both. Severity follows the most powerful risk class the account holds; an IAM role alone is medium, since its AWS permissions are not visible from the cluster.',
    severity: 'high',
    domain: 'rbac',
    targets: workloadKinds,
    reads: ['ClusterRole', 'ClusterRoleBinding', 'ConfigMap', 'Role', 'RoleBinding', 'ServiceAccount'],
    frameworks: { 'owasp-k8s-2022': ['K03'], 'cis-eks-1.8': ['4.1.6', '5.2.1'], 'nsa-cisa': ['authentication-authorization'] },
    remediation:
      'Give the workload its own service account with only the permissions it uses; set automountServiceAccountToken: false when it does not call the Kubernetes API; scope its IAM role to what it needs.',
    messages: {
      powerAndIam: 'A compromise of {{kind}} {{name}} in namespace {{namespace}} yields {{power}}, through service account {{serviceAccount}}, and the IAM role {{roleArn}}.',
      power: 'A compromise of {{kind}} {{name}} in namespace {{namespace}} yields {{power}}, through service account {{serviceAccount}}.',
      iam: 'A compromise of {{kind}} {{name}} in namespace {{namespace}} yields the IAM role {{roleArn}} of service account {{serviceAccount}}.',
    },
  },
  check(object, ctx) {
    const template = podTemplateOf(object);
    if (!template) return;
    const namespace = namespaceOf(object) ?? 'default';
    const serviceAccount = stringField(template.spec, 'serviceAccountName') || stringField(template.spec, 'serviceAccount') || 'default';
    const account = ctx.snapshot.get('ServiceAccount', namespace, serviceAccount);
    const mounted = tokenMounted(template.spec, account);
    const roleArns = iamRolesOf(ctx.snapshot, namespace, serviceAccount).map((role) => role.roleArn);
    const relevant = mounted ? accountRisks(analyzeRbac(ctx.snapshot), namespace, serviceAccount) : [];
    if (relevant.length === 0 && roleArns.length === 0) return;
    const data = { kind: String(object.kind), name: nameOf(object), namespace, serviceAccount };
    const path = toJsonPath([...template.specSegments, 'serviceAccountName']);
    const power = relevant.slice(0, 3).map(describeHit).join('; ') + (relevant.length > 3 ? `; and ${relevant.length - 3} more` : '');
    const severity = maxSeverity([...relevant.map((h) => h.severity), ...(roleArns.length > 0 ? (['medium'] as const) : [])])!;
    const details = {
      serviceAccount: { namespace, name: serviceAccount, exists: account !== undefined },
      tokenMounted: mounted,
      iamRoles: roleArns,
      // Copies: the hits are shared by every workload of the account.
      riskClasses: relevant.map((h) => ({ riskClass: h.riskClass, severity: h.severity, scope: h.scope, namespaces: [...h.namespaces], grantedBy: [...h.grantedBy] })),
    };
    if (relevant.length === 0) {
      ctx.report({ messageId: 'iam', data: { ...data, roleArn: roleArns.join(', ') }, path, severity, details });
    } else if (roleArns.length > 0) {
      ctx.report({ messageId: 'powerAndIam', data: { ...data, power, roleArn: roleArns.join(', ') }, path, severity, details });
    } else {
      const automount = [...template.specSegments, 'automountServiceAccountToken'];
      const projected = boolField(template.spec, 'automountServiceAccountToken') === false;
      ctx.report({
        messageId: 'power',
        data: { ...data, power },
        path,
        severity,
        details,
        ...(projected ? {} : { fix: fix('Do not mount the service account token (if the workload does not call the Kubernetes API)', setOps(object, automount, false)) }),
      });
    }
  },
});

// Pods on the namespace's default service account share whatever anyone ever granted to it.
import { defineRule, nameOf, podTemplateOf, toJsonPath } from '../../engine/index.ts';
import { workloadKinds } from '../../model/kube.ts';
import { serviceAccountOf } from '../../facts/service-account.ts';

export default defineRule({
  id: 'default-service-account',
  meta: {
    title: 'Runs as the default service account',
    description:
      "Pods run as their namespace's `default` service account: every permission (RBAC or IAM role) granted to it is shared by every workload that forgets to name its own.",
    severity: 'low',
    domain: 'workload',
    targets: workloadKinds,
    frameworks: { 'owasp-k8s-2022': ['K03'], 'cis-eks-1.8': ['4.1.5'] },
    remediation:
      'Create a dedicated ServiceAccount for the workload, set `serviceAccountName` to it, and grant the default service account nothing (`automountServiceAccountToken: false` on it).',
    messages: {
      defaultAccount: '{{kind}} "{{name}}" runs as the default service account.',
    },
  },
  check(object, ctx) {
    const template = podTemplateOf(object);
    if (!template || serviceAccountOf(template) !== 'default') return;
    ctx.report({
      messageId: 'defaultAccount',
      data: { kind: String(object.kind), name: nameOf(object) },
      path: toJsonPath([...template.specSegments, 'serviceAccountName']),
    });
  },
});

// A mounted token is an API credential waiting for whoever compromises the container.
import { defineRule, fix, nameOf, podTemplateOf, setOps, toJsonPath } from '../../engine/index.ts';
import { workloadKinds } from '../../model/kube.ts';
import { serviceAccountOf, tokenMountOf } from '../../facts/service-account.ts';

export default defineRule({
  id: 'automount-service-account-token',
  meta: {
    title: 'Service account token automounted',
    description:
      "The pod gets its service account's API token mounted automatically; most applications never call the Kubernetes API, and a stolen token carries every permission of the account.",
    severity: 'low',
    domain: 'workload',
    targets: workloadKinds,
    reads: ['ServiceAccount'],
    frameworks: { 'owasp-k8s-2022': ['K03'], 'cis-eks-1.8': ['4.1.6'], 'nsa-cisa': ['pod-security'] },
    remediation:
      'Set `automountServiceAccountToken: false` on the pod spec (or on the ServiceAccount); workloads that call the API can mount a short-lived projected token explicitly.',
    messages: {
      byDefault: '{{kind}} "{{name}}" mounts the token of service account "{{serviceAccount}}" by default.',
      byPod: '{{kind}} "{{name}}" sets automountServiceAccountToken: true for service account "{{serviceAccount}}".',
      byServiceAccount:
        '{{kind}} "{{name}}" mounts the token of service account "{{serviceAccount}}", which sets automountServiceAccountToken: true.',
    },
  },
  check(object, ctx) {
    const template = podTemplateOf(object);
    if (!template) return;
    const mount = tokenMountOf(object, template, ctx.snapshot);
    if (mount === 'disabled') return;
    const segments = [...template.specSegments, 'automountServiceAccountToken'];
    ctx.report({
      messageId: mount === 'pod' ? 'byPod' : mount === 'service-account' ? 'byServiceAccount' : 'byDefault',
      data: { kind: String(object.kind), name: nameOf(object), serviceAccount: serviceAccountOf(template) },
      path: toJsonPath(segments),
      fix: fix('Set automountServiceAccountToken to false on the pod spec', setOps(object, segments, false)),
    });
  },
});

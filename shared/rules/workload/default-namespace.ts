// The default namespace is where everything lands by accident: no owner, no quotas, no policies of its own.
import { defineRule, isWorkload, nameOf, namespaceOf } from '../../engine/index.ts';
import { workloadKinds } from '../../model/kube.ts';

export default defineRule({
  id: 'default-namespace',
  meta: {
    title: 'Workload in the default namespace',
    description:
      'A workload runs in the `default` namespace, which rarely has its own network policies, quotas, RBAC boundaries or Pod Security labels.',
    severity: 'low',
    domain: 'workload',
    targets: workloadKinds,
    frameworks: { 'owasp-k8s-2022': ['K07'], 'cis-eks-1.8': ['4.5.2'], 'nsa-cisa': ['network-separation'] },
    remediation: 'Deploy the workload to a namespace of its own (or its team\'s), with its own policies and RBAC.',
    messages: {
      defaultNamespace: '{{kind}} "{{name}}" runs in the default namespace.',
    },
  },
  check(object, ctx) {
    if (!isWorkload(object)) return;
    const namespace = namespaceOf(object);
    // Manifests without a namespace (helm template output) land wherever they are applied: not judged.
    if (namespace === undefined && ctx.snapshot.cluster.source === 'manifests') return;
    if ((namespace ?? 'default') !== 'default') return;
    ctx.report({
      messageId: 'defaultNamespace',
      data: { kind: String(object.kind), name: nameOf(object) },
      path: 'metadata.namespace',
    });
  },
});

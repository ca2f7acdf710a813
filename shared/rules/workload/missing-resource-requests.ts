// Without requests the scheduler packs pods blindly and the kubelet evicts them first under pressure.
import { defineRule } from '../../engine/index.ts';
import { workloadKinds } from '../../model/kube.ts';
import { describeResources, missingResources } from '../../facts/container-resources.ts';

export default defineRule({
  id: 'missing-resource-requests',
  meta: {
    title: 'Missing CPU or memory request',
    description:
      'A container has no CPU or memory request (nor a limit it could default to) and its namespace sets no default: the scheduler overcommits nodes and the pod is among the first evicted under pressure.',
    severity: 'low',
    domain: 'workload',
    targets: workloadKinds,
    reads: ['LimitRange'],
    frameworks: { 'owasp-k8s-2022': ['K01'], 'nsa-cisa': ['network-separation'] },
    remediation:
      'Set `resources.requests.cpu` and `resources.requests.memory` from measured usage, or give the namespace a LimitRange with `defaultRequest`.',
    messages: {
      missing: 'Container "{{container}}" has no {{resources}} request.',
    },
  },
  check(object, ctx) {
    for (const { ref, missing } of missingResources(object, 'requests', ctx.snapshot)) {
      ctx.report({
        messageId: 'missing',
        data: { container: ref.name, resources: describeResources(missing) },
        container: ref.name,
        path: `${ref.path}.resources.requests`,
      });
    }
  },
});

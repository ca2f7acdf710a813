// A privileged container has every capability and the host's devices: escaping to the node is one step.
import { boolField, containersOf, defineRule, fix, recordField, setOps } from '../../engine/index.ts';
import { workloadKinds } from '../../model/kube.ts';

export default defineRule({
  id: 'privileged-container',
  meta: {
    title: 'Privileged container',
    description:
      'A privileged container runs with all Linux capabilities and access to every host device; a compromise of it is a compromise of the node.',
    severity: 'critical',
    domain: 'workload',
    targets: workloadKinds,
    frameworks: {
      'owasp-k8s-2022': ['K01'],
      'cis-eks-1.8': ['4.2.1'],
      pss: ['baseline/privileged'],
      'nsa-cisa': ['pod-security'],
    },
    remediation:
      'Remove `securityContext.privileged: true`; grant only the specific capabilities the container needs.',
    messages: {
      privileged: 'Container "{{container}}" runs privileged.',
    },
  },
  check(object, ctx) {
    for (const ref of containersOf(object)) {
      if (boolField(recordField(ref.container, 'securityContext'), 'privileged') !== true) continue;
      const segments = [...ref.segments, 'securityContext', 'privileged'];
      ctx.report({
        messageId: 'privileged',
        data: { container: ref.name },
        container: ref.name,
        path: `${ref.path}.securityContext.privileged`,
        fix: fix('Set privileged to false', setOps(object, segments, false)),
      });
    }
  },
});

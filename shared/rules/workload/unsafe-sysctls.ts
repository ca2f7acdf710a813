// Sysctls outside the namespaced, isolated set change the node's kernel for every pod on it.
import { arrayField, defineRule, fix, removeOp, stringField } from '../../engine/index.ts';
import { isRecord, workloadKinds } from '../../model/kube.ts';
import { placeAt, podSecurityOf, safeSysctls } from '../../facts/pod-security.ts';

export default defineRule({
  id: 'unsafe-sysctls',
  meta: {
    title: 'Pod sets an unsafe sysctl',
    description:
      'Only a small set of sysctls is namespaced and isolated per pod; any other sysctl can disable security mechanisms or affect every workload on the node.',
    severity: 'medium',
    domain: 'workload',
    targets: workloadKinds,
    frameworks: {
      'owasp-k8s-2022': ['K01'],
      pss: ['baseline/sysctls'],
      'nsa-cisa': ['pod-security'],
    },
    remediation: `Remove the sysctl from \`spec.securityContext.sysctls\`; allowed: ${[...safeSysctls].join(', ')}.`,
    messages: {
      sysctl: 'The pod sets sysctl "{{sysctl}}", which is not in the safe set.',
    },
  },
  check(object, ctx) {
    const security = podSecurityOf(object);
    if (!security) return;
    arrayField(security.pod.context, 'sysctls').forEach((entry, index) => {
      const name = isRecord(entry) ? stringField(entry, 'name') : undefined;
      if (name === undefined || safeSysctls.has(name)) return;
      const place = placeAt(security.pod.segments, 'sysctls', index);
      ctx.report({
        messageId: 'sysctl',
        data: { sysctl: name },
        key: `sysctl:${name}`,
        path: `${place.path}.name`,
        fix: fix(`Remove sysctl ${name}`, [removeOp(place.segments)]),
      });
    });
  },
});

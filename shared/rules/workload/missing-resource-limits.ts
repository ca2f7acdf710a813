// Without a memory limit one container can exhaust its node; without a CPU limit it can starve its neighbours.
import { defineRule, fix, setOps } from '../../engine/index.ts';
import { workloadKinds } from '../../model/kube.ts';
import { describeResources, missingResources, quantityOf } from '../../facts/container-resources.ts';

export default defineRule({
  id: 'missing-resource-limits',
  meta: {
    title: 'Missing CPU or memory limit',
    description:
      'A container has no memory or CPU limit and its namespace sets no default: a leak, a bug or an attacker can exhaust the node and evict or starve every other pod on it.',
    severity: 'medium',
    domain: 'workload',
    targets: workloadKinds,
    reads: ['LimitRange'],
    frameworks: { 'owasp-k8s-2022': ['K01'], 'nsa-cisa': ['network-separation'] },
    remediation:
      'Set `resources.limits.memory` (equal to the memory request is the safest) and, where CPU contention matters, `resources.limits.cpu`; or give the namespace a LimitRange with defaults.',
    messages: {
      missing: 'Container "{{container}}" has no {{resources}} limit.',
    },
  },
  check(object, ctx) {
    for (const { ref, limits, requests, missing } of missingResources(object, 'limits', ctx.snapshot)) {
      // Limits equal to the requests are a sound start; without requests there is nothing safe to suggest.
      const derived = missing.map((name) => [name, quantityOf(requests, name)] as const);
      const canDerive = derived.every(([, quantity]) => quantity !== undefined);
      ctx.report({
        messageId: 'missing',
        data: { container: ref.name, resources: describeResources(missing) },
        container: ref.name,
        // A missing CPU limit alone is a fairness problem, not an exhaustion one.
        severity: missing.includes('memory') ? 'medium' : 'low',
        path: `${ref.path}.resources.limits`,
        ...(canDerive && {
          fix: fix(
            `Set the ${describeResources(missing)} limit to the current request (then adjust to measured usage)`,
            setOps(object, [...ref.segments, 'resources', 'limits'], { ...limits, ...Object.fromEntries(derived) }),
          ),
        }),
      });
    }
  },
});

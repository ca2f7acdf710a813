import { describe, expect, it } from 'vitest';
import { runRules } from '../../../shared/engine/run.ts';
import { rules } from '../../../shared/rules/index.ts';
import registered, { namespacePssEnforceMissing } from '../../../shared/rules/policy/namespace-pss-enforce-missing.ts';
import privilegedContainer from '../../../shared/rules/workload/privileged-container.ts';
import runAsNonRoot from '../../../shared/rules/workload/run-as-non-root.ts';
import { container, deployment, hardenedPodSpec, namespace, pod, snapshotOf } from '../../support/fixtures.ts';
import { ruleTester } from '../../support/rule-tester.ts';

const rule = namespacePssEnforceMissing(() => [privilegedContainer, runAsNonRoot]);
const label = 'pod-security.kubernetes.io/enforce';
const enforce = (level: string) => ({
  description: `Enforce the ${level} Pod Security Standard`,
  patch: [{ op: 'add' as const, path: '/metadata/labels/pod-security.kubernetes.io~1enforce', value: level }],
});
const privileged = deployment({ name: 'agent', spec: hardenedPodSpec({ containers: [container({ securityContext: { privileged: true } })] }) });
const rootPod = deployment({ name: 'legacy', spec: hardenedPodSpec({ securityContext: {} }) });

ruleTester.run(rule, {
  valid: [
    { name: 'enforces restricted', object: namespace('shop', { [label]: 'restricted' }), objects: [deployment()] },
    { name: 'enforces baseline', object: namespace('shop', { [label]: 'baseline' }), objects: [rootPod] },
    { name: 'kube-system is left to the platform', object: namespace('kube-system') },
  ],
  invalid: [
    {
      name: 'no label, every workload passes restricted',
      object: namespace('shop'),
      objects: [deployment()],
      findings: [
        {
          messageId: 'missing',
          data: { namespace: 'shop', advice: 'it could enforce restricted today without rejecting any running workload' },
          path: 'metadata.labels["pod-security.kubernetes.io/enforce"]',
          fix: enforce('restricted'),
        },
      ],
    },
    {
      name: 'a workload running as root: baseline is the most it can enforce today',
      object: namespace('shop'),
      objects: [deployment(), rootPod],
      findings: [{ messageId: 'missing', data: { namespace: 'shop', advice: 'it could enforce baseline today without rejecting any running workload' }, path: 'metadata.labels["pod-security.kubernetes.io/enforce"]', fix: enforce('baseline') }],
    },
    {
      name: 'a privileged workload blocks both levels: no fix offered',
      object: namespace('shop', { [label]: 'privileged' }),
      objects: [deployment(), privileged, pod({ name: 'elsewhere', namespace: 'other', spec: hardenedPodSpec({ containers: [container({ securityContext: { privileged: true } })] }) })],
      findings: [{ messageId: 'privileged', data: { namespace: 'shop', advice: 'baseline would reject Deployment/agent' }, path: 'metadata.labels["pod-security.kubernetes.io/enforce"]', fix: null }],
    },
  ],
});

describe('namespace-pss-enforce-missing as registered', () => {
  it('judges readiness with the PSS pack', () => {
    expect(rules).toContain(registered);
    const snapshot = snapshotOf([namespace('shop'), namespace('ops'), deployment(), deployment({ name: 'agent', namespace: 'ops', spec: hardenedPodSpec({ hostPID: true }) })]);
    const findings = runRules(snapshot, [registered]).findings;
    const readiness = Object.fromEntries(findings.map((f) => [f.resource.name, (f.details as { readyFor?: string }).readyFor ?? null]));
    expect(readiness).toEqual({ shop: 'restricted', ops: null });
    const ops = findings.find((f) => f.resource.name === 'ops')!;
    expect(ops.details?.baselineBlockers).toEqual([{ workload: 'Deployment/agent', checks: expect.arrayContaining(['baseline/hostNamespaces']) }]);
  });
});

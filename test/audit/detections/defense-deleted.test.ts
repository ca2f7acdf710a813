import { describe, expect, it } from 'vitest';
import defenseDeleted from '../../../shared/audit/detections/defense-deleted.ts';
import { detectionRunner } from '../events.ts';

const run = detectionRunner(defenseDeleted);

const deleted = (resource: string, apiGroup: string, name: string, namespace?: string) => ({
  objectRef: { resource, apiGroup, name, apiVersion: 'v1', ...(namespace ? { namespace } : {}) },
});

describe('audit-defense-deleted', () => {
  it('reports a deleted validating webhook, naming who', async () => {
    const { findings } = await run(['delete-webhook']);
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({
      severity: 'high',
      resource: { apiVersion: 'admissionregistration.k8s.io/v1', kind: 'ValidatingWebhookConfiguration', name: 'kyverno-resource-validating-webhook-cfg' },
      message: 'alice@example.com deleted ValidatingWebhookConfiguration kyverno-resource-validating-webhook-cfg',
    });
  });

  it('covers admission policies, network policies, Kyverno and Gatekeeper', async () => {
    const { findings } = await run(
      ['delete-webhook', deleted('validatingadmissionpolicybindings', 'admissionregistration.k8s.io', 'require-labels')],
      ['delete-webhook', deleted('networkpolicies', 'networking.k8s.io', 'default-deny', 'shop')],
      ['delete-webhook', deleted('clusterpolicies', 'kyverno.io', 'disallow-privileged')],
      ['delete-webhook', deleted('k8srequiredlabels', 'constraints.gatekeeper.sh', 'must-have-owner')],
    );
    expect(findings.map((f) => `${f.resource.kind}/${f.resource.namespace ?? ''}/${f.resource.name}`).sort()).toEqual([
      'ClusterPolicy//disallow-privileged',
      'NetworkPolicy/shop/default-deny',
      'ValidatingAdmissionPolicyBinding//require-labels',
      'k8srequiredlabels//must-have-owner',
    ]);
  });

  it('leaves refused deletes, the namespace cascade and other deletes alone', async () => {
    const { findings } = await run(
      ['forbidden-delete-netpol'],
      ['forbidden-delete-netpol', { user: { username: 'system:serviceaccount:kube-system:namespace-controller' }, annotations: { 'authorization.k8s.io/decision': 'allow' }, responseStatus: { code: 200 } }],
      ['delete-webhook', deleted('configmaps', '', 'settings', 'shop')],
      ['delete-webhook', { verb: 'update' }],
    );
    expect(findings).toEqual([]);
  });
});

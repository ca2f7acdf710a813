// No central admission policy: nothing but per-namespace PSA labels stands between a manifest and the cluster.
import { arrayField, defineRule, recordField, stringField } from '../../engine/index.ts';
import { nameOf } from '../../engine/snapshot-index.ts';
import type { SnapshotIndex } from '../../engine/snapshot-index.ts';

const engineNames = /kyverno|gatekeeper|kubewarden|jspolicy/i;
const engineCrdGroups = new Set(['kyverno.io', 'templates.gatekeeper.sh', 'constraints.gatekeeper.sh', 'policies.kubewarden.io']);
const webhookKinds = ['ValidatingWebhookConfiguration', 'MutatingWebhookConfiguration'];

/** What shows that an admission policy engine is installed, or undefined. */
function admissionPolicyEvidence(index: SnapshotIndex): string | undefined {
  for (const kind of webhookKinds) {
    for (const config of index.all(kind)) {
      const names = [nameOf(config), ...arrayField(config, 'webhooks').map((w) => stringField(w, 'name') ?? '')];
      const hit = names.find((name) => engineNames.test(name));
      if (hit) return `${kind} ${nameOf(config)}`;
    }
  }
  const binding = index.all('ValidatingAdmissionPolicyBinding')[0];
  if (binding) return `ValidatingAdmissionPolicyBinding ${nameOf(binding)}`;
  for (const crd of index.all('CustomResourceDefinition')) {
    const group = stringField(recordField(crd, 'spec'), 'group');
    if (group && engineCrdGroups.has(group)) return `CustomResourceDefinition ${nameOf(crd)}`;
  }
  return undefined;
}

export default defineRule({
  id: 'admission-policy-engine-missing',
  meta: {
    title: 'No admission policy engine',
    description:
      'No Kyverno, Gatekeeper or Kubewarden webhook, policy CRD or ValidatingAdmissionPolicy binding was found: nothing enforces organisation-wide rules (approved registries, no privileged pods, required labels) when objects are created. Judged only when the webhook configurations were listed completely.',
    severity: 'medium',
    domain: 'policy',
    targets: ['Snapshot'],
    frameworks: { 'owasp-k8s-2022': ['K04'], 'nsa-cisa': ['pod-security'] },
    remediation:
      'Adopt a policy engine (Kyverno or OPA Gatekeeper), or ValidatingAdmissionPolicies with bindings (GA since Kubernetes 1.30), and start with audit mode for the Pod Security and registry policies.',
    messages: {
      missing: 'Cluster "{{cluster}}" has no admission policy engine (no Kyverno, Gatekeeper or Kubewarden webhook, no ValidatingAdmissionPolicyBinding).',
    },
  },
  check(_object, ctx) {
    // Absence is only meaningful when the webhook configurations were listed completely.
    const listed = ctx.snapshot.coverage.ValidatingWebhookConfiguration;
    if (!listed?.complete) return;
    if (admissionPolicyEvidence(ctx.snapshot)) return;
    ctx.report({ messageId: 'missing', data: { cluster: ctx.snapshot.cluster.name }, path: '' });
  },
});

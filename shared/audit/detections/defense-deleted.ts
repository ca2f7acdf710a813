// An admission webhook, admission policy, network policy or policy-engine policy deleted: a defence switched off,
// often the step before deploying what it would have stopped.
import type { AuditEvent } from '../../model/audit.ts';
import { defineDetection, matchesPrincipal } from '../detection.ts';
import { isFinal, succeeded, writeVerbTerm } from '../event.ts';
import { and, eq, or } from '../filter-pattern.ts';
import { gatekeeperConstraintsGroup, objectOfRef } from '../resources.ts';

/** `group/resource` of the objects whose deletion turns a defence off. */
const defences: ReadonlySet<string> = new Set([
  'admissionregistration.k8s.io/validatingwebhookconfigurations',
  'admissionregistration.k8s.io/mutatingwebhookconfigurations',
  'admissionregistration.k8s.io/validatingadmissionpolicies',
  'admissionregistration.k8s.io/validatingadmissionpolicybindings',
  'networking.k8s.io/networkpolicies',
  'kyverno.io/clusterpolicies',
  'kyverno.io/policies',
  'templates.gatekeeper.sh/constrainttemplates',
]);

/** Controllers that delete what a deleted namespace or owner held: the cascade, not a decision. */
const cascades = ['system:serviceaccount:kube-system:namespace-controller', 'system:serviceaccount:kube-system:generic-garbage-collector'];

function isDefence(event: AuditEvent): boolean {
  const ref = event.objectRef;
  if (!ref?.resource || ref.subresource !== undefined) return false;
  return ref.apiGroup === gatekeeperConstraintsGroup || defences.has(`${ref.apiGroup ?? ''}/${ref.resource}`);
}

export default defineDetection({
  id: 'audit-defense-deleted',
  meta: {
    title: 'An admission control or network policy was deleted',
    description:
      'Deleting a validating or mutating webhook, a ValidatingAdmissionPolicy or its binding, a NetworkPolicy, or a ' +
      'Kyverno or Gatekeeper policy removes a control the cluster relied on; attackers do it before the real change.',
    severity: 'high',
    domain: 'policy',
    targets: ['ValidatingWebhookConfiguration', 'MutatingWebhookConfiguration', 'ValidatingAdmissionPolicy', 'ValidatingAdmissionPolicyBinding', 'NetworkPolicy'],
    frameworks: { 'owasp-k8s-2022': ['K04', 'K07'], 'cis-eks-1.8': ['4.1.11'], 'nsa-cisa': ['network-separation'] },
    remediation:
      'Ask the person named why the object was deleted; if it was not a reviewed change, restore it from Git (or ' +
      'the policy engine\'s chart) and review what was deployed while it was gone.',
    messages: {
      deleted: '{{user}} deleted {{kind}} {{object}}',
    },
  },
  needs: and(
    writeVerbTerm,
    or(
      eq('$.objectRef.apiGroup', 'admissionregistration.k8s.io'),
      eq('$.objectRef.resource', 'networkpolicies'),
      eq('$.objectRef.apiGroup', 'kyverno.io'),
      eq('$.objectRef.apiGroup', 'templates.gatekeeper.sh'),
      eq('$.objectRef.apiGroup', gatekeeperConstraintsGroup),
    ),
  ),
  detect(event, ctx) {
    if ((event.verb !== 'delete' && event.verb !== 'deletecollection') || !isDefence(event)) return;
    if (!isFinal(event) || !succeeded(event)) return;
    const user = event.user.username ?? '(unknown)';
    if (matchesPrincipal(user, cascades)) return;
    const ref = event.objectRef!;
    // A deletecollection names no object: the finding is about the collection in its namespace.
    const object = objectOfRef({ ...ref, name: ref.name ?? `*` });
    if (!object) return;
    ctx.report({
      messageId: 'deleted',
      data: { user, kind: object.kind, object: object.namespace ? `${object.namespace}/${object.name}` : object.name },
      resource: object,
    });
  },
});

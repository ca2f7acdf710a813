import rule from '../../../shared/rules/policy/admission-policy-engine-missing.ts';
import type { KubeObject } from '../../../shared/model/kube.ts';
import { ruleTester } from '../../support/rule-tester.ts';

const webhooksListed = { coverage: { ValidatingWebhookConfiguration: { complete: true, count: 0 }, MutatingWebhookConfiguration: { complete: true, count: 0 } } };
const webhookConfig = (kind: string, name: string, hooks: string[]): KubeObject => ({
  apiVersion: 'admissionregistration.k8s.io/v1',
  kind,
  metadata: { name },
  webhooks: hooks.map((hook) => ({ name: hook, admissionReviewVersions: ['v1'], sideEffects: 'None' })),
});
const awsLbWebhook = webhookConfig('ValidatingWebhookConfiguration', 'aws-load-balancer-webhook', ['vtargetgroupbinding.elbv2.k8s.aws']);
const snapshotRef = { kind: 'Snapshot', name: 'test' };

ruleTester.run(rule, {
  valid: [
    { name: 'Kyverno webhooks', objects: [webhookConfig('ValidatingWebhookConfiguration', 'kyverno-resource-validating-webhook-cfg', ['validate.kyverno.svc-fail'])], snapshot: webhooksListed },
    { name: 'Gatekeeper webhook by hook name', objects: [webhookConfig('ValidatingWebhookConfiguration', 'policy-webhook', ['validation.gatekeeper.sh'])], snapshot: webhooksListed },
    {
      name: 'a ValidatingAdmissionPolicy with a binding',
      objects: [{ apiVersion: 'admissionregistration.k8s.io/v1', kind: 'ValidatingAdmissionPolicyBinding', metadata: { name: 'no-latest' }, spec: { policyName: 'no-latest' } }],
      snapshot: webhooksListed,
    },
    {
      name: 'Gatekeeper CRDs',
      objects: [{ apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition', metadata: { name: 'constrainttemplates.templates.gatekeeper.sh' }, spec: { group: 'templates.gatekeeper.sh' } }],
      snapshot: webhooksListed,
    },
    { name: 'webhook configurations not listed (a manifest scan): absence proves nothing', objects: [] },
  ],
  invalid: [
    {
      name: 'only the AWS Load Balancer Controller webhook',
      objects: [awsLbWebhook],
      snapshot: webhooksListed,
      findings: [{ messageId: 'missing', data: { cluster: 'test' }, path: '', resource: snapshotRef }],
    },
  ],
});

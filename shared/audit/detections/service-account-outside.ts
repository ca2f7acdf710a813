// A service account's token used from outside the cluster: from an address that is not a node or pod network, or by
// a tool people run (kubectl, k9s, Lens). Service-account tokens belong to workloads; a person holding one took it.
import { defineDetection } from '../detection.ts';
import { isAllowed, serviceAccountOf, serviceAccountPrefix } from '../event.ts';
import { and, eq } from '../filter-pattern.ts';
import { inAnyCidr, parseAddress } from '../cidr.ts';

export default defineDetection({
  id: 'audit-service-account-outside',
  meta: {
    title: 'A service account was used from outside the cluster',
    description:
      'A service-account token presented from an address outside the node and pod networks, or by kubectl and ' +
      'similar tools, has left its workload: stolen from a pod or a secret, or shared with a person.',
    severity: 'high',
    domain: 'rbac',
    targets: ['ServiceAccount'],
    frameworks: { 'owasp-k8s-2022': ['K06', 'K08'], 'cis-eks-1.8': ['4.1.6'], 'nsa-cisa': ['authentication-authorization'] },
    remediation:
      'Rotate the token (delete its secret, or restart the pods for projected tokens) and find where it leaked. Give ' +
      'people their own identity (an EKS access entry) instead of a service-account token. If the address is yours ' +
      '(a NAT gateway, a CI runner), add it to the internal CIDRs setting.',
    messages: {
      address: 'service account {{namespace}}/{{name}} was used from {{address}}, outside the cluster networks',
      tool: 'service account {{namespace}}/{{name}} was used by {{tool}}, a tool people run',
    },
  },
  needs: and(eq('$.user.username', `${serviceAccountPrefix}*`), eq('$.userAgent', 'kubectl*')),
  detect(event, ctx) {
    const account = serviceAccountOf(event.user.username);
    if (!account || !isAllowed(event) || event.stage === 'RequestReceived') return;
    const resource = { apiVersion: 'v1', kind: 'ServiceAccount', namespace: account.namespace, name: account.name };
    const agent = event.userAgent ?? '';
    const tool = ctx.settings.humanUserAgents.find((prefix) => agent.toLowerCase().startsWith(prefix.toLowerCase()));
    if (tool) {
      ctx.report({ messageId: 'tool', data: { ...account, tool: agent.split(/[\s/]/)[0] ?? tool }, resource, key: 'user-agent' });
    }
    // The first source IP is the client's; later ones were added by proxies on the way.
    const address = event.sourceIPs?.[0];
    if (ctx.internalCidrs.length === 0 || !address || !parseAddress(address) || inAnyCidr(address, ctx.internalCidrs)) return;
    ctx.report({ messageId: 'address', data: { ...account, address }, resource, key: 'source-address' });
  },
});

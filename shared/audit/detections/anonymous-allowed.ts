// A request nobody authenticated (system:anonymous, system:unauthenticated) that the authorizer allowed.
import type { AuditEvent } from '../../model/audit.ts';
import { defineDetection } from '../detection.ts';
import { isAllowed } from '../event.ts';
import { eq } from '../filter-pattern.ts';

/** Endpoints every cluster serves to anyone by default (system:public-info-viewer, service-account issuer discovery). */
const publicPaths = [/^\/(healthz|livez|readyz)(\/|$|\?)/, /^\/version\/?(\?|$)/, /^\/\.well-known\/openid-configuration\/?$/, /^\/openid\/v1\/jwks\/?$/];

function isAnonymous(event: AuditEvent): boolean {
  return event.user.username === 'system:anonymous' || (event.user.groups ?? []).includes('system:unauthenticated');
}

/** What was reached, coarse enough that one finding stands for a kind of access: `list pods in shop`, `get /metrics`. */
function targetOf(event: AuditEvent): string {
  const ref = event.objectRef;
  if (!ref?.resource) return `${event.verb} ${event.requestURI.split('?')[0]}`;
  const resource = ref.subresource ? `${ref.resource}/${ref.subresource}` : ref.resource;
  return `${event.verb} ${ref.apiGroup ? `${resource}.${ref.apiGroup}` : resource}${ref.namespace ? ` in ${ref.namespace}` : ''}`;
}

export default defineDetection({
  id: 'audit-anonymous-allowed',
  meta: {
    title: 'An anonymous request was allowed',
    description:
      'A binding to system:anonymous or system:unauthenticated lets anyone who reaches the API endpoint act without ' +
      'credentials; on a public EKS endpoint that is the internet.',
    severity: 'high',
    domain: 'rbac',
    targets: ['ClusterRoleBinding', 'RoleBinding'],
    frameworks: { 'owasp-k8s-2022': ['K06', 'K03'], 'nsa-cisa': ['authentication-authorization'] },
    remediation:
      'Find the binding whose subjects include system:anonymous or system:unauthenticated (periscope who-can, or the ' +
      'rbac-public-access rule) and remove those subjects; restrict the public endpoint to known CIDRs.',
    messages: {
      allowed: 'an anonymous request was allowed: {{target}} from {{source}}',
    },
  },
  needs: eq('$.user.username', 'system:anonymous'),
  detect(event, ctx) {
    if (!isAnonymous(event) || !isAllowed(event) || event.stage === 'RequestReceived') return;
    if (!event.objectRef && publicPaths.some((path) => path.test(event.requestURI))) return;
    const username = event.user.username ?? 'system:anonymous';
    const target = targetOf(event);
    ctx.report({
      messageId: 'allowed',
      data: { target, source: event.sourceIPs?.[0] ?? 'an unknown address' },
      resource: { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'User', name: username },
      key: target,
    });
  },
});

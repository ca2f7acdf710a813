// exec, attach or port-forward into a pod: a shell in a running workload, what an attacker does first.
import type { AuditEvent } from '../../model/audit.ts';
import { defineDetection } from '../detection.ts';
import { isAllowed, systemNamespacesOfNote } from '../event.ts';
import { oneOf } from '../filter-pattern.ts';

const interactive: ReadonlySet<string> = new Set(['exec', 'attach', 'portforward']);

function isInteractive(event: AuditEvent): boolean {
  const ref = event.objectRef;
  return ref?.resource === 'pods' && (ref.apiGroup ?? '') === '' && interactive.has(ref.subresource ?? '');
}

export default defineDetection({
  id: 'audit-pod-exec',
  meta: {
    title: 'Someone ran exec, attach or port-forward into a pod',
    description:
      'An interactive session into a running container bypasses the image, the deployment pipeline and its review: ' +
      'the first step after a stolen credential, and a habit that hides changes from GitOps.',
    severity: 'medium',
    domain: 'workload',
    targets: ['Pod'],
    frameworks: { 'owasp-k8s-2022': ['K03', 'K05'], 'nsa-cisa': ['audit-logging'] },
    remediation:
      'Confirm with the person named that the session was expected. Remove pods/exec, pods/attach and ' +
      'pods/portforward from roles that do not need them (periscope who-can create pods/exec), and debug with ' +
      'ephemeral containers from a reviewed role instead.',
    messages: {
      session: '{{user}} ran {{subresource}} into pod {{namespace}}/{{name}}',
    },
  },
  needs: oneOf('$.objectRef.subresource', [...interactive]),
  detect(event, ctx) {
    // The session is authorised when it starts: ResponseStarted (and ResponseComplete when it ends) both count,
    // and land on one finding.
    if (!isInteractive(event) || !isAllowed(event) || event.stage === 'RequestReceived') return;
    const ref = event.objectRef!;
    if (!ref.name || !ref.namespace) return;
    const user = event.user.username ?? '(unknown)';
    ctx.report({
      messageId: 'session',
      data: { user, subresource: ref.subresource!, namespace: ref.namespace, name: ref.name },
      resource: { apiVersion: 'v1', kind: 'Pod', namespace: ref.namespace, name: ref.name },
      key: `${ref.subresource}:${user}`,
      ...(systemNamespacesOfNote.has(ref.namespace) ? { severity: 'high' as const } : {}),
      details: { subresource: ref.subresource },
    });
  },
});

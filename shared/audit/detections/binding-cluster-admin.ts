// A RoleBinding or ClusterRoleBinding written that grants cluster-admin or binds the system:masters group.
import type { AuditEvent } from '../../model/audit.ts';
import { isRecord } from '../../model/kube.ts';
import { defineDetection } from '../detection.ts';
import { isFinal, succeeded, writeVerbTerm } from '../event.ts';
import { and, eq, or } from '../filter-pattern.ts';

const bindingKinds: Readonly<Record<string, string>> = { clusterrolebindings: 'ClusterRoleBinding', rolebindings: 'RoleBinding' };
const pastTense: Readonly<Record<string, string>> = { create: 'created', update: 'updated', patch: 'patched' };

/** The binding as written: the response (the stored object, also after a patch), else the request of a create or
 * update. Metadata-level events carry neither, and the rescan's rules judge the binding instead. */
function bindingOf(event: AuditEvent): Record<string, unknown> | undefined {
  if (isRecord(event.responseObject) && event.responseObject['kind'] !== 'Status') return event.responseObject;
  if (event.verb !== 'patch' && isRecord(event.requestObject)) return event.requestObject;
  return undefined;
}

/** What in the binding makes it an admin grant: `cluster-admin` or `system:masters`. */
function adminGrantOf(binding: Record<string, unknown>): string | undefined {
  const roleRef = binding['roleRef'];
  if (isRecord(roleRef) && roleRef['kind'] === 'ClusterRole' && roleRef['name'] === 'cluster-admin') return 'the cluster-admin ClusterRole';
  const subjects = Array.isArray(binding['subjects']) ? binding['subjects'] : [];
  const masters = subjects.some((subject) => isRecord(subject) && subject['kind'] === 'Group' && subject['name'] === 'system:masters');
  return masters ? 'the system:masters group' : undefined;
}

function subjectsText(binding: Record<string, unknown>): string {
  const subjects = Array.isArray(binding['subjects']) ? binding['subjects'] : [];
  const text = (value: unknown): string => (typeof value === 'string' ? value : '?');
  const names = subjects
    .filter(isRecord)
    .map((subject) => `${text(subject['kind'])} ${typeof subject['namespace'] === 'string' ? `${subject['namespace']}/` : ''}${text(subject['name'])}`);
  return names.length > 0 ? names.join(', ') : 'no subjects';
}

export default defineDetection({
  id: 'audit-binding-cluster-admin',
  meta: {
    title: 'A binding granting cluster-admin or system:masters was created or changed',
    description:
      'Whoever a cluster-admin binding names can do anything in the cluster, including erase its traces; a new ' +
      'one is privilege escalation until proven otherwise.',
    severity: 'critical',
    domain: 'rbac',
    targets: ['ClusterRoleBinding', 'RoleBinding'],
    frameworks: { 'owasp-k8s-2022': ['K03'], 'cis-eks-1.8': ['4.1.1'], 'nsa-cisa': ['authentication-authorization'] },
    remediation:
      'Check with the person named why the binding was written. Bind a narrower role (or an EKS access policy scoped ' +
      'to namespaces) instead, and delete the binding if it was not expected.',
    messages: {
      grant: '{{user}} {{verb}} {{kind}} {{binding}}, which grants {{grant}} to {{subjects}}',
    },
  },
  needs: and(writeVerbTerm, or(eq('$.objectRef.resource', 'clusterrolebindings'), eq('$.objectRef.resource', 'rolebindings'))),
  detect(event, ctx) {
    const ref = event.objectRef;
    const kind = ref?.resource ? bindingKinds[ref.resource] : undefined;
    if (!ref || !kind || ref.apiGroup !== 'rbac.authorization.k8s.io' || ref.subresource !== undefined) return;
    if (!pastTense[event.verb] || !isFinal(event) || !succeeded(event)) return;
    const binding = bindingOf(event);
    const grant = binding ? adminGrantOf(binding) : undefined;
    const metadata = binding && isRecord(binding['metadata']) ? binding['metadata'] : {};
    const name = ref.name ?? (typeof metadata['name'] === 'string' ? metadata['name'] : undefined);
    if (!binding || !grant || !name) return;
    const namespace = kind === 'RoleBinding' ? ref.namespace : undefined;
    ctx.report({
      messageId: 'grant',
      data: {
        user: event.user.username ?? '(unknown)',
        verb: pastTense[event.verb]!,
        kind,
        binding: namespace ? `${namespace}/${name}` : name,
        grant,
        subjects: subjectsText(binding),
      },
      resource: { apiVersion: 'rbac.authorization.k8s.io/v1', kind, ...(namespace ? { namespace } : {}), name },
    });
  },
});

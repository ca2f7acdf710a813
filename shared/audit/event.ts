// Facts of one audit event the relevance filter and the detections share.
import { decisionAnnotation, type AuditEvent } from '../model/audit.ts';
import { eq, or, type FilterTerm } from './filter-pattern.ts';

export const writeVerbs: ReadonlySet<string> = new Set(['create', 'update', 'patch', 'delete', 'deletecollection']);
/** Any write, as a filter term: the first term of every write-reading need, so the pattern factors it out once. */
export const writeVerbTerm: FilterTerm = or(...[...writeVerbs].map((verb) => eq('$.verb', verb)));
export const readVerbs: ReadonlySet<string> = new Set(['get', 'list', 'watch']);

/** The authorizer allowed it. An event without the annotation (an old API server) counts as allowed when it got a
 * response below 400. */
export function isAllowed(event: AuditEvent): boolean {
  const decision = event.annotations?.[decisionAnnotation];
  if (decision !== undefined) return decision === 'allow';
  const code = event.responseStatus?.code;
  return code !== undefined && code < 400;
}

/** Allowed and not failed: the request did what it asked (a 409 or 422 write changed nothing). */
export function succeeded(event: AuditEvent): boolean {
  const code = event.responseStatus?.code;
  return isAllowed(event) && (code === undefined || code < 400);
}

/** The stage at which a request's outcome is known; long-running requests (exec, watch) also log ResponseStarted. */
export function isFinal(event: AuditEvent): boolean {
  return event.stage === 'ResponseComplete';
}

export const serviceAccountPrefix = 'system:serviceaccount:';

/** `system:serviceaccount:<namespace>:<name>` → its namespace and name. */
export function serviceAccountOf(username: string | undefined): { namespace: string; name: string } | undefined {
  if (!username?.startsWith(serviceAccountPrefix)) return undefined;
  const [namespace, name, ...rest] = username.slice(serviceAccountPrefix.length).split(':');
  return namespace && name && rest.length === 0 ? { namespace, name } : undefined;
}

/** The RBAC subject a username is, as a finding's resource names a principal. */
export function principalOf(username: string): { apiVersion: string; kind: string; namespace?: string; name: string } {
  const account = serviceAccountOf(username);
  if (account) return { apiVersion: 'v1', kind: 'ServiceAccount', namespace: account.namespace, name: account.name };
  return { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'User', name: username };
}

/** Namespaces of the control plane and EKS add-ons: a session or change there reaches the whole cluster. */
export const systemNamespacesOfNote: ReadonlySet<string> = new Set(['kube-system', 'kube-public', 'kube-node-lease']);

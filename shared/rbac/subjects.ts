// Who RBAC grants things to: subjects as bindings name them, and identities as the API server sees a caller
// (a user name plus the groups it belongs to, the implicit ones included).

export type SubjectKind = 'User' | 'Group' | 'ServiceAccount';

export interface Subject {
  kind: SubjectKind;
  name: string;
  /** ServiceAccounts only. */
  namespace?: string;
}

export const anonymousUser = 'system:anonymous';
export const unauthenticatedGroup = 'system:unauthenticated';
export const authenticatedGroup = 'system:authenticated';
export const allServiceAccountsGroup = 'system:serviceaccounts';
/** The superuser group: the API server allows it everything before RBAC is consulted. */
export const mastersGroup = 'system:masters';

const serviceAccountUserPrefix = 'system:serviceaccount:';

/** The caller as the authorizer sees it: a subject plus every group it is a member of. */
export interface Identity {
  subject: Subject;
  /** Groups, implicit ones (`system:authenticated`, `system:serviceaccounts:<ns>`...) included. */
  groups: readonly string[];
  /** The IAM principal an EKS access entry or aws-auth mapping authenticates as this subject. */
  iamPrincipalArns?: readonly string[];
}

/** Stable key: `User:alice`, `Group:devs`, `ServiceAccount:shop/web`. */
export function subjectKey(subject: Subject): string {
  return subject.kind === 'ServiceAccount' ? `ServiceAccount:${subject.namespace ?? ''}/${subject.name}` : `${subject.kind}:${subject.name}`;
}

/** The CLI spelling: `sa:shop:web`, `user:alice`, `group:devs`. */
export function formatSubject(subject: Subject): string {
  if (subject.kind === 'ServiceAccount') return `sa:${subject.namespace ?? ''}:${subject.name}`;
  return `${subject.kind === 'User' ? 'user' : 'group'}:${subject.name}`;
}

export class SubjectSyntaxError extends Error {}

/** Parses `sa:<ns>:<name>`, `serviceaccount:<ns>:<name>`, `user:<name>`, `group:<name>` or a bare
 * `system:serviceaccount:<ns>:<name>` user name. */
export function parseSubject(text: string): Subject {
  const trimmed = text.trim();
  if (trimmed.startsWith(serviceAccountUserPrefix)) return normalizeSubject({ kind: 'User', name: trimmed });
  const colon = trimmed.indexOf(':');
  const prefix = colon === -1 ? '' : trimmed.slice(0, colon).toLowerCase();
  const rest = colon === -1 ? '' : trimmed.slice(colon + 1);
  if ((prefix === 'sa' || prefix === 'serviceaccount') && rest.includes(':')) {
    const [namespace, ...name] = rest.split(':');
    if (namespace && name.join(':')) return { kind: 'ServiceAccount', namespace, name: name.join(':') };
  }
  if (prefix === 'user' && rest) return normalizeSubject({ kind: 'User', name: rest });
  if (prefix === 'group' && rest) return { kind: 'Group', name: rest };
  throw new SubjectSyntaxError(
    `"${text}" is not a subject: write sa:<namespace>:<name>, user:<name> or group:<name> (e.g. sa:shop:web, user:alice, group:system:authenticated)`,
  );
}

/** A User named `system:serviceaccount:<ns>:<name>` is that ServiceAccount; the authorizer treats them alike. */
export function normalizeSubject(subject: Subject): Subject {
  if (subject.kind === 'User' && subject.name.startsWith(serviceAccountUserPrefix)) {
    const [namespace, ...name] = subject.name.slice(serviceAccountUserPrefix.length).split(':');
    if (namespace && name.length > 0 && name.join(':')) return { kind: 'ServiceAccount', namespace, name: name.join(':') };
  }
  return subject;
}

/** The groups every caller of this kind belongs to without being told. */
function implicitGroupsOf(subject: Subject): string[] {
  if (subject.kind === 'ServiceAccount') {
    return [allServiceAccountsGroup, `${allServiceAccountsGroup}:${subject.namespace ?? ''}`, authenticatedGroup];
  }
  if (subject.kind === 'User') return subject.name === anonymousUser ? [unauthenticatedGroup] : [authenticatedGroup];
  return [];
}

/** A subject with its implicit groups (a Group stands for itself only). Extra groups come from EKS mappings. */
export function identityOf(subject: Subject, extraGroups: readonly string[] = []): Identity {
  const normalized = normalizeSubject(subject);
  const groups = new Set([...(normalized.kind === 'Group' ? [normalized.name] : []), ...implicitGroupsOf(normalized), ...extraGroups]);
  return { subject: normalized, groups: [...groups] };
}

/** The identity of a pod running as this ServiceAccount: the account plus system:serviceaccounts,
 * system:serviceaccounts:<ns> and system:authenticated. */
export function serviceAccountSubject(namespace: string, name: string): Identity {
  return identityOf({ kind: 'ServiceAccount', namespace, name });
}

/** The groups whose grants count as given to the public or to every authenticated caller. */
const publicGroups: ReadonlySet<string> = new Set([unauthenticatedGroup, authenticatedGroup]);

/** `system:anonymous`, `system:unauthenticated` or `system:authenticated`: grants to them reach everyone. */
export function isPublicSubject(subject: Subject): boolean {
  return (subject.kind === 'User' && subject.name === anonymousUser) || (subject.kind === 'Group' && publicGroups.has(subject.name));
}

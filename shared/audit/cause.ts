// Who changed an object: the audit event turned into the `Cause` a finding carries, and the latest write of each
// object in a batch, keyed as refKey keys a finding's resource (`Deployment/shop/web`, `ClusterRole/admin`).
import type { AuditEvent, Cause } from '../model/audit.ts';
import { refKey } from '../model/kube.ts';
import { isRelevantChange } from './relevance.ts';
import { objectOfRef } from './resources.ts';

/** The IAM principal EKS's authenticator recorded, when there is one. */
function arnOf(event: AuditEvent): string | undefined {
  const extra = event.user.extra;
  return extra?.['arn']?.[0] ?? extra?.['canonicalArn']?.[0];
}

export function causeOf(event: AuditEvent): Cause {
  const ref = event.objectRef ?? {};
  const arn = arnOf(event);
  return {
    username: event.user.username ?? '',
    groups: [...(event.user.groups ?? [])],
    ...(event.impersonatedUser?.username ? { impersonatedUser: event.impersonatedUser.username } : {}),
    ...(arn ? { arn } : {}),
    ...(event.userAgent ? { userAgent: event.userAgent } : {}),
    sourceIPs: [...(event.sourceIPs ?? [])],
    verb: event.verb,
    time: event.stageTimestamp,
    auditID: event.auditID,
    objectRef: {
      resource: ref.resource ?? '',
      ...(ref.subresource ? { subresource: ref.subresource } : {}),
      ...(ref.namespace ? { namespace: ref.namespace } : {}),
      ...(ref.name ? { name: ref.name } : {}),
      ...(ref.apiGroup ? { apiGroup: ref.apiGroup } : {}),
      ...(ref.apiVersion ? { apiVersion: ref.apiVersion } : {}),
    },
  };
}

/** Later first; equal times ordered by auditID so any order of the same events gives the same answer. */
function isLater(a: AuditEvent, b: AuditEvent): boolean {
  const at = Date.parse(a.stageTimestamp);
  const bt = Date.parse(b.stageTimestamp);
  return at !== bt ? at > bt : a.auditID > b.auditID;
}

/**
 * The latest relevant write (create, update, patch, delete; allowed and complete) of each object in `events`, keyed
 * `kind/namespace/name`. Requests naming no object (a deletecollection) are left out.
 */
export function causesByObject(events: Iterable<AuditEvent>): Map<string, Cause> {
  const latest = new Map<string, AuditEvent>();
  for (const event of events) {
    if (!isRelevantChange(event) || !event.objectRef) continue;
    const object = objectOfRef(event.objectRef);
    if (!object) continue;
    const key = refKey(object);
    const previous = latest.get(key);
    if (!previous || isLater(event, previous)) latest.set(key, event);
  }
  return new Map([...latest].map(([key, event]) => [key, causeOf(event)]));
}

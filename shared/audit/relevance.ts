// Which audit events can change what the rules see (they enqueue a rescan), and the CloudWatch Logs subscription
// filter that delivers those plus what the event detections read, so the Lambda is not invoked for every `get`.
import { snapshotTarget } from '../engine/rule.ts';
import { collectedKinds, type KindSpec } from '../kube/kinds.ts';
import type { AuditEvent } from '../model/audit.ts';
import { rules } from '../rules/index.ts';
import { detections } from './detections/index.ts';
import { isFinal, succeeded, writeVerbs, writeVerbTerm } from './event.ts';
import { and, ne, oneOf, or, renderFilterPattern, type FilterTerm } from './filter-pattern.ts';

/** The snapshot's kinds some rule reads: all of them when a rule judges the snapshot as a whole. */
function kindsTheRulesRead(): KindSpec[] {
  const targets = new Set(rules.flatMap((rule) => rule.meta.targets));
  if (targets.has(snapshotTarget)) return [...collectedKinds];
  return collectedKinds.filter((spec) => targets.has(spec.kind));
}

export const relevantKinds: readonly KindSpec[] = kindsTheRulesRead();
const relevantResources = new Set(relevantKinds.map((spec) => `${spec.group}/${spec.resource}`));

/** Subresources whose writes change what a rule reads; status updates (kubelets, controllers) do not. */
const specSubresources: ReadonlySet<string> = new Set(['ephemeralcontainers']);

/** A completed, allowed write of an object the rules read: the cluster's posture may have changed. */
export function isRelevantChange(event: AuditEvent): boolean {
  const ref = event.objectRef;
  if (!ref?.resource || !writeVerbs.has(event.verb) || !isFinal(event) || !succeeded(event)) return false;
  if (ref.subresource !== undefined && !specSubresources.has(ref.subresource)) return false;
  return relevantResources.has(`${ref.apiGroup ?? ''}/${ref.resource}`);
}

/** The filter term of relevant changes (a superset: the pattern cannot tell groups apart cheaply). */
export const relevantChangeTerm: FilterTerm = and(
  writeVerbTerm,
  oneOf('$.objectRef.resource', [...new Set(relevantKinds.map((spec) => spec.resource))].sort()),
);

/** What the subscription filter delivers: relevant changes and every event a detection reads. */
export const auditFilterTerm: FilterTerm = and(
  ne('$.stage', 'RequestReceived'),
  or(relevantChangeTerm, ...detections.map((detection) => detection.needs)),
);

/** The CloudWatch Logs subscription filter pattern (≤ 1024 characters, ≤ 2 regular expressions). */
export function auditFilterPattern(): string {
  return renderFilterPattern(auditFilterTerm);
}

// API resources (the plural in an audit event's objectRef) and the kinds they hold: the snapshot's kinds, plus the
// policy engines' kinds the detections watch. A resource nobody listed keeps its plural as its name.
import { apiVersionOf, collectedKinds, type KindSpec } from '../kube/kinds.ts';
import type { AuditObjectRef } from '../model/audit.ts';
import type { ObjectRef } from '../model/kube.ts';

/** Policy-engine kinds Periscope does not snapshot but whose deletion turns a defence off. */
export const policyEngineKinds: readonly KindSpec[] = [
  { kind: 'ClusterPolicy', group: 'kyverno.io', version: 'v1', resource: 'clusterpolicies', namespaced: false },
  { kind: 'Policy', group: 'kyverno.io', version: 'v1', resource: 'policies', namespaced: true },
  { kind: 'ConstraintTemplate', group: 'templates.gatekeeper.sh', version: 'v1', resource: 'constrainttemplates', namespaced: false },
];

/** Gatekeeper's constraints: one resource per ConstraintTemplate, all in this group. */
export const gatekeeperConstraintsGroup = 'constraints.gatekeeper.sh';

const byResource = new Map<string, KindSpec>();
for (const spec of [...collectedKinds, ...policyEngineKinds]) byResource.set(`${spec.group}/${spec.resource}`, spec);

/** The kind spec of an objectRef's resource in its group, when Periscope knows it. */
export function kindSpecOfRef(ref: Pick<AuditObjectRef, 'resource' | 'apiGroup'>): KindSpec | undefined {
  return ref.resource === undefined ? undefined : byResource.get(`${ref.apiGroup ?? ''}/${ref.resource}`);
}

/** The kind of an objectRef (`pods` → `Pod`), or its plural resource when the kind is not known. */
export function kindOfRef(ref: Pick<AuditObjectRef, 'resource' | 'apiGroup'>): string {
  return kindSpecOfRef(ref)?.kind ?? ref.resource ?? '';
}

/** The object an audit event names, as a finding's resource names it; undefined without a name. */
export function objectOfRef(ref: AuditObjectRef): ObjectRef | undefined {
  if (ref.resource === undefined || ref.name === undefined) return undefined;
  const spec = kindSpecOfRef(ref);
  const group = ref.apiGroup ?? '';
  const apiVersion = ref.apiVersion ? (group === '' ? ref.apiVersion : `${group}/${ref.apiVersion}`) : spec ? apiVersionOf(spec) : group;
  return {
    apiVersion,
    kind: spec?.kind ?? ref.resource,
    ...(ref.namespace ? { namespace: ref.namespace } : {}),
    name: ref.name,
  };
}

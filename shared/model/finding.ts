// A finding: one rule's verdict on one object (or one container of it), with its lifecycle.
import * as z from 'zod';
import { causeSchema, type Cause } from './audit.ts';

export const severities = ['critical', 'high', 'medium', 'low', 'info'] as const;
export type Severity = (typeof severities)[number];
export const severitySchema = z.enum(severities);

/** Higher is worse. */
export function severityRank(severity: Severity): number {
  return severities.length - severities.indexOf(severity);
}

/** The most severe of `list`, or undefined when it is empty. */
export function maxSeverity(list: Iterable<Severity>): Severity | undefined {
  let worst: Severity | undefined;
  for (const severity of list) if (!worst || severityRank(severity) > severityRank(worst)) worst = severity;
  return worst;
}

export function atLeast(severity: Severity, threshold: Severity): boolean {
  return severityRank(severity) >= severityRank(threshold);
}

export const findingStatuses = ['OPEN', 'RESOLVED', 'SUPPRESSED'] as const;
export type FindingStatus = (typeof findingStatuses)[number];

const jsonPatchOpSchema = z.discriminatedUnion('op', [
  z.object({ op: z.literal('add'), path: z.string(), value: z.unknown() }),
  z.object({ op: z.literal('replace'), path: z.string(), value: z.unknown() }),
  z.object({ op: z.literal('remove'), path: z.string() }),
]);
export type JsonPatchOp = z.infer<typeof jsonPatchOpSchema>;

export const fixSchema = z.object({
  description: z.string(),
  /** RFC 6902 JSON Patch against the owning object (the Deployment, not its pods). */
  patch: z.array(jsonPatchOpSchema),
});
export type Fix = z.infer<typeof fixSchema>;

export const frameworkIdsSchema = z.record(z.string(), z.array(z.string()));
/** Framework id → control ids, e.g. `{ 'owasp-k8s-2022': ['K01'], 'pss': ['baseline/privileged'] }`. */
export type FrameworkIds = z.infer<typeof frameworkIdsSchema>;

export const suppressionSchema = z.object({
  reason: z.string(),
  source: z.enum(['annotation', 'exceptions-file', 'platform-default']),
  owner: z.string().optional(),
  expiresAt: z.string().optional(),
  exceptionId: z.string().optional(),
});
export type Suppression = z.infer<typeof suppressionSchema>;

/**
 * Where a GitOps tool builds the object from, read from the labels and annotations Argo CD and Flux put on what they
 * apply: the fix belongs there, not in the cluster. `repository` and `path` are known when the snapshot also holds
 * the Application (or the Flux Kustomization and its GitRepository).
 */
export const gitOpsSourceSchema = z.object({
  tool: z.enum(['argocd', 'flux']),
  /** The object that deploys it: an Argo CD Application, a Flux Kustomization or HelmRelease. */
  kind: z.enum(['Application', 'Kustomization', 'HelmRelease']),
  namespace: z.string().optional(),
  name: z.string(),
  repository: z.string().optional(),
  path: z.string().optional(),
  /** The label or annotation it was read from. */
  via: z.string(),
});
export type GitOpsSource = z.infer<typeof gitOpsSourceSchema>;

/** The client named by a user agent (`kubectl/v1.33.0 (linux/amd64) kubernetes/abc` → `kubectl`). */
function toolOf(userAgent: string | undefined): string | undefined {
  const tool = userAgent?.split(/[/ ]/, 1)[0];
  return tool ? tool : undefined;
}

/** `opened after alice@example.com ran kubectl create at 10:02 UTC`: the latest cause, as people read it. */
export function describeCause(causes: readonly Cause[]): string | undefined {
  const last = causes.at(-1);
  if (!last) return undefined;
  const time = new Date(last.time);
  const at = Number.isNaN(time.getTime()) ? last.time : `${time.toISOString().slice(11, 16)} UTC`;
  const tool = toolOf(last.userAgent);
  const more = causes.length > 1 ? ` (and ${causes.length - 1} earlier change${causes.length > 2 ? 's' : ''})` : '';
  return `opened after ${last.username} ran ${tool ? `${tool} ` : ''}${last.verb} at ${at}${more}`;
}

export const resourceSchema = z.object({
  apiVersion: z.string(),
  kind: z.string(),
  namespace: z.string().optional(),
  name: z.string(),
  container: z.string().optional(),
});
export type FindingResource = z.infer<typeof resourceSchema>;

export const findingSchema = z.object({
  fingerprint: z.string().regex(/^[0-9a-f]{32}$/),
  clusterId: z.string(),
  ruleId: z.string().min(1),
  severity: severitySchema,
  resource: resourceSchema,
  message: z.string().min(1),
  /** Dotted JSON path inside the owning object, e.g. `spec.template.spec.containers[0].securityContext`. */
  path: z.string(),
  fix: fixSchema.optional(),
  frameworks: frameworkIdsSchema,
  status: z.enum(findingStatuses),
  suppression: suppressionSchema.optional(),
  firstSeenAt: z.string(),
  lastSeenAt: z.string(),
  resolvedAt: z.string().optional(),
  /** Hash of what the finding says (message, severity, path, fix): a change means the finding changed. */
  contentHash: z.string(),
  /** Where the object came from, for manifest sources. */
  location: z.object({ file: z.string(), line: z.number().int().positive() }).optional(),
  /** The GitOps source of the object, when it carries Argo CD or Flux tracking labels or annotations. */
  gitops: gitOpsSourceSchema.optional(),
  /** The audit events (oldest first, at most a few) that introduced the object, on findings a live-stream rescan opened. */
  cause: z.array(causeSchema).min(1).optional(),
  /** Extra facts a rule attaches (the granting binding, the hops of an attack path...). */
  details: z.record(z.string(), z.unknown()).optional(),
});
export type Finding = z.infer<typeof findingSchema>;

// Kubernetes audit events (`audit.k8s.io/v1` Event) as the EKS control plane writes them to CloudWatch Logs, and the
// `Cause` a finding carries: who changed the object, how and when. Unknown fields are tolerated (newer API servers add
// some); request and response bodies are kept opaque, since they can hold secret values.
import * as z from 'zod';

export const auditStages = ['RequestReceived', 'ResponseStarted', 'ResponseComplete', 'Panic'] as const;
export type AuditStage = (typeof auditStages)[number];

export const auditLevels = ['None', 'Metadata', 'Request', 'RequestResponse'] as const;
export type AuditLevel = (typeof auditLevels)[number];

/** The annotation the authorizer writes: `allow` or `forbid`. */
export const decisionAnnotation = 'authorization.k8s.io/decision';
export const reasonAnnotation = 'authorization.k8s.io/reason';

export const auditUserSchema = z.object({
  /** Absent only for requests nobody authenticated and no anonymous user was assigned to. */
  username: z.string().optional(),
  uid: z.string().optional(),
  groups: z.array(z.string()).optional(),
  /** On EKS: `arn`, `canonicalArn`, `sessionName`, `accessKeyId`, `principalId`... each a list of strings. */
  extra: z.record(z.string(), z.array(z.string())).optional(),
});
export type AuditUser = z.infer<typeof auditUserSchema>;

export const auditObjectRefSchema = z.object({
  /** The plural resource (`pods`, `clusterrolebindings`). */
  resource: z.string().optional(),
  subresource: z.string().optional(),
  namespace: z.string().optional(),
  name: z.string().optional(),
  uid: z.string().optional(),
  /** '' or absent for the core group. */
  apiGroup: z.string().optional(),
  apiVersion: z.string().optional(),
  resourceVersion: z.string().optional(),
});
export type AuditObjectRef = z.infer<typeof auditObjectRefSchema>;

export const auditEventSchema = z.object({
  kind: z.literal('Event'),
  apiVersion: z.literal('audit.k8s.io/v1'),
  level: z.enum(auditLevels),
  auditID: z.string().min(1),
  stage: z.enum(auditStages),
  requestURI: z.string(),
  /** `get list watch create update patch delete deletecollection`, or the HTTP verb of a non-resource request. */
  verb: z.string().min(1),
  user: auditUserSchema,
  impersonatedUser: auditUserSchema.optional(),
  sourceIPs: z.array(z.string()).optional(),
  /** Client-supplied: a hint, never proof of what made the request. */
  userAgent: z.string().optional(),
  objectRef: auditObjectRefSchema.optional(),
  responseStatus: z.object({ code: z.number().int().optional(), status: z.string().optional(), reason: z.string().optional() }).optional(),
  /** Only at level Request and RequestResponse. May hold secret values: never logged, never copied into a finding. */
  requestObject: z.unknown().optional(),
  /** Only at level RequestResponse. Same caution. */
  responseObject: z.unknown().optional(),
  /** RFC 3339 with microseconds, as the API server writes them. */
  requestReceivedTimestamp: z.iso.datetime({ offset: true }),
  stageTimestamp: z.iso.datetime({ offset: true }),
  annotations: z.record(z.string(), z.string()).optional(),
});
export type AuditEvent = z.infer<typeof auditEventSchema>;

/** The object an audit event acted on, as a finding names it (`resource` is the plural). */
export const causeObjectRefSchema = z.object({
  resource: z.string(),
  subresource: z.string().optional(),
  namespace: z.string().optional(),
  name: z.string().optional(),
  apiGroup: z.string().optional(),
  apiVersion: z.string().optional(),
});

/** Who made a change, how and when: what findings opened after an audited change carry. Never a request body. */
export const causeSchema = z.object({
  username: z.string(),
  groups: z.array(z.string()),
  /** The impersonated user, when the request was made as someone else (`kubectl --as`). */
  impersonatedUser: z.string().optional(),
  /** The IAM principal behind an EKS user (`user.extra.arn`), when the authenticator recorded it. */
  arn: z.string().optional(),
  userAgent: z.string().optional(),
  sourceIPs: z.array(z.string()),
  verb: z.string(),
  /** When the API server finished the request (the event's stageTimestamp). */
  time: z.string(),
  auditID: z.string(),
  objectRef: causeObjectRefSchema,
});
export type Cause = z.infer<typeof causeSchema>;

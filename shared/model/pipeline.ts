// What travels through the serverless pipeline: scan requests on the queue and Periscope's events on its bus.
import * as z from 'zod';
import { findingSchema, severities } from './finding.ts';

const scanReasons = ['cluster-event', 'schedule', 'manual'] as const;
export type ScanReason = (typeof scanReasons)[number];

/** One request to scan one cluster. `requestedAt` is kept across re-enqueues: waits are measured from it. */
export const scanRequestSchema = z.object({
  clusterArn: z.string().regex(/^arn:aws[a-z-]*:eks:[a-z0-9-]+:\d{12}:cluster\/[A-Za-z0-9][A-Za-z0-9_-]*$/, {
    message: 'clusterArn must be an EKS cluster ARN (arn:aws:eks:<region>:<account>:cluster/<name>)',
  }),
  region: z.string().min(1),
  accountId: z.string().regex(/^\d{12}$/),
  reason: z.enum(scanReasons),
  /** What caused it, for logs: the CloudTrail event name and id, or `schedule`. */
  trigger: z.string().optional(),
  requestedAt: z.iso.datetime(),
  /** Do not scan before this time (a cluster still CREATING/UPDATING). */
  notBefore: z.iso.datetime().optional(),
  attempt: z.number().int().nonnegative(),
});
export type ScanRequest = z.infer<typeof scanRequestSchema>;

export const eventSource = 'periscope';
export const eventDetailTypes = {
  scanCompleted: 'Scan Completed',
  findingOpened: 'Finding Opened',
  findingResolved: 'Finding Resolved',
  findingSuppressed: 'Finding Suppressed',
} as const;
export type EventDetailType = (typeof eventDetailTypes)[keyof typeof eventDetailTypes];

const eventClusterSchema = z.object({
  id: z.string(),
  name: z.string(),
  arn: z.string().optional(),
  accountId: z.string().optional(),
  region: z.string().optional(),
});

const countsBySeverity = z.object(Object.fromEntries(severities.map((s) => [s, z.number().int().nonnegative()])));

/** A finding as named in a Scan Completed summary: enough to route it, the whole finding is in its own event. */
const findingSummarySchema = z.object({
  fingerprint: z.string(),
  ruleId: z.string(),
  severity: z.enum(severities),
  resource: findingSchema.shape.resource,
  /** Who introduced the object, on findings a live-stream rescan opened. */
  cause: findingSchema.shape.cause,
});
export type FindingSummary = z.infer<typeof findingSummarySchema>;

/** A stable id per event (`<scanId>/<detail-type>/<fingerprint>`): an outbox re-publish after a failure carries the
 * same id, so a consumer can drop what it has already handled. */
const eventIdSchema = z.string().optional();

export const scanCompletedSchema = z.object({
  eventId: eventIdSchema,
  cluster: eventClusterSchema,
  scanId: z.string(),
  startedAt: z.iso.datetime(),
  completedAt: z.iso.datetime(),
  counts: z.object({
    open: countsBySeverity,
    opened: z.number().int().nonnegative(),
    resolved: z.number().int().nonnegative(),
    unchanged: z.number().int().nonnegative(),
    suppressed: z.number().int().nonnegative(),
  }),
  /** Capped at `summaryCap` entries each; `truncated` says when the full list must be read by scanId. */
  opened: z.array(findingSummarySchema),
  resolved: z.array(findingSummarySchema),
  truncated: z.boolean(),
  coverage: z.record(z.string(), z.object({ complete: z.boolean(), count: z.number(), error: z.string().optional() })),
  /** True for the first scan of a cluster (notifiers send a quiet baseline instead of alerts). */
  baseline: z.boolean(),
});
export type ScanCompleted = z.infer<typeof scanCompletedSchema>;

export const findingEventSchema = z.object({
  eventId: eventIdSchema,
  cluster: eventClusterSchema,
  scanId: z.string(),
  finding: findingSchema,
  /** Why a finding was resolved without a fix being seen (`cluster deleted`). */
  reason: z.string().optional(),
});
export type FindingEvent = z.infer<typeof findingEventSchema>;

export type PeriscopeEvent =
  | { detailType: typeof eventDetailTypes.scanCompleted; detail: ScanCompleted }
  | { detailType: typeof eventDetailTypes.findingOpened; detail: FindingEvent }
  | { detailType: typeof eventDetailTypes.findingResolved; detail: FindingEvent }
  | { detailType: typeof eventDetailTypes.findingSuppressed; detail: FindingEvent };

/** Detail schemas by detail-type, for consumers and for the JSON schemas in events/. */
export const eventDetailSchemas = {
  [eventDetailTypes.scanCompleted]: scanCompletedSchema,
  [eventDetailTypes.findingOpened]: findingEventSchema,
  [eventDetailTypes.findingResolved]: findingEventSchema,
  [eventDetailTypes.findingSuppressed]: findingEventSchema,
} as const;

export const summaryCap = 50;

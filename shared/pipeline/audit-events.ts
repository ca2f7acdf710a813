// audit-events: one CloudWatch Logs subscription batch of a cluster's audit log (issue 13) → event-detection findings
// (stored once, announced once) and, for a change the rules read, a debounced rescan of the cluster through the scan
// queue. Bad input is a log line and a metric, never a crashed batch; request bodies are never logged.
import type { AuditEvent, Cause } from '../model/audit.ts';
import type { Clock, Logger, Metrics } from '../model/cross-cutting.ts';
import type { Finding } from '../model/finding.ts';
import { eventDetailTypes, type PeriscopeEvent, type ScanRequest } from '../model/pipeline.ts';
import { AuditPayloadError, auditEventsOf, clusterNameOfLogGroup, decodeSubscriptionData, type AuditLineError } from '../audit/decode.ts';
import { causesByObject } from '../audit/cause.ts';
import { isRelevantChange } from '../audit/relevance.ts';
import type { PrincipalBaseline } from '../audit/baseline.ts';
import { detect } from '../audit/detect.ts';
import type { AuditDetectionSettings } from '../audit/detection.ts';
import { causeSchema } from '../model/audit.ts';
import type { AuditStreamPort, StorePort } from '../store/port.ts';
import type { EventPublisher, ScanQueue } from './ports.ts';

export interface AuditEventsDeps {
  store: Pick<StorePort, 'getCluster'>;
  audit: AuditStreamPort;
  queue: ScanQueue;
  publisher: EventPublisher;
  /** Where principals' habits are kept (secrets read by a principal that does not usually read them). */
  baseline?: PrincipalBaseline;
  detectionSettings?: Partial<AuditDetectionSettings>;
  clock: Clock;
  logger: Logger;
  metrics: Metrics;
  /** The region the function runs in: a log group subscribes a destination of its own region. */
  region: string;
  /** At most one rescan per cluster per window; the request is delivered at the window's end. */
  rescanWindowSeconds: number;
}

export type AuditBatchResult =
  | { outcome: 'rejected'; reason: string }
  | { outcome: 'ignored'; reason: string }
  | {
      outcome: 'processed';
      clusterArn: string;
      events: number;
      rejectedLines: number;
      relevant: number;
      rescan: 'requested' | 'debounced' | 'none';
      opened: number;
    };

/** SQS's DelaySeconds maximum. */
const maxDelaySeconds = 900;
/** Line errors named in the batch's one log line (the metric counts them all). */
const namedLineErrors = 5;

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** One subscription payload (`awslogs.data`, or a Kinesis record's data from a member account's destination). */
export async function handleAuditPayload(data: string, deps: AuditEventsDeps): Promise<AuditBatchResult> {
  let payload;
  try {
    payload = decodeSubscriptionData(data);
  } catch (error) {
    if (!(error instanceof AuditPayloadError)) throw error;
    deps.logger.error('audit log batch rejected: the payload cannot be read', { reason: error.reason, error: error.message });
    deps.metrics.count('AuditBatchesRejected');
    return { outcome: 'rejected', reason: error.message };
  }
  if (payload.messageType === 'CONTROL_MESSAGE') return { outcome: 'ignored', reason: 'CloudWatch Logs control message' };
  const where = { logGroup: payload.logGroup, logStream: payload.logStream, account: payload.owner };
  const clusterName = clusterNameOfLogGroup(payload.logGroup);
  if (!clusterName) {
    deps.logger.warn('audit log batch ignored: not an EKS cluster log group (/aws/eks/<cluster>/cluster)', where);
    deps.metrics.count('AuditEventsUnknownCluster', payload.logEvents.length);
    return { outcome: 'ignored', reason: `log group ${payload.logGroup} is not an EKS cluster's` };
  }
  const { events, errors } = auditEventsOf(payload);
  logLineErrors(errors, where, deps);

  const clusterArn = `arn:aws:eks:${deps.region}:${payload.owner}:cluster/${clusterName}`;
  const known = await deps.store.getCluster(clusterArn);
  if (!known || known.deletedAt) {
    deps.logger.warn('audit events for a cluster Periscope does not know (run discovery, or check the subscription filter)', {
      ...where,
      clusterArn,
      events: events.length,
      deleted: Boolean(known?.deletedAt),
    });
    deps.metrics.count('AuditEventsUnknownCluster', events.length);
    return { outcome: 'ignored', reason: `cluster ${clusterArn} is not in the inventory` };
  }
  deps.metrics.count('AuditEventsReceived', events.length);

  const relevant = events.filter(isRelevantChange);
  const rescan = relevant.length > 0 ? await requestRescan(clusterArn, relevant, deps) : 'none';
  const opened = await openDetections(events, { id: clusterArn, name: clusterName, batch: `${payload.logStream}/${payload.logEvents[0]?.id ?? ''}` }, deps);
  deps.logger.info('audit log batch processed', { ...where, clusterArn, events: events.length, rejectedLines: errors.length, relevant: relevant.length, rescan, opened });
  return { outcome: 'processed', clusterArn, events: events.length, rejectedLines: errors.length, relevant: relevant.length, rescan, opened };
}

/** One line for the batch's bad lines: how many, and where the first few are (never their text). */
function logLineErrors(errors: readonly AuditLineError[], where: Record<string, string>, deps: AuditEventsDeps): void {
  if (errors.length === 0) return;
  deps.logger.warn('audit log lines skipped: not audit events', {
    ...where,
    count: errors.length,
    first: errors.slice(0, namedLineErrors).map((e) => `${e.where}: ${e.message}`),
  });
  deps.metrics.count('AuditLinesRejected', errors.length);
}

/**
 * Keeps who changed what (for the findings the rescan opens), then takes the cluster's rescan window: the caller that
 * opens it enqueues one scan delivered at the window's end, every other one within the window only adds causes.
 */
async function requestRescan(clusterArn: string, relevant: readonly AuditEvent[], deps: AuditEventsDeps): Promise<'requested' | 'debounced'> {
  const now = deps.clock.now();
  const causes = new Map<string, Cause[]>([...causesByObject(relevant)].map(([key, cause]) => [key, [cause]]));
  if (causes.size > 0) await deps.audit.recordCauses(clusterArn, causes, now);
  const windowSeconds = Math.min(maxDelaySeconds, deps.rescanWindowSeconds);
  if (!(await deps.audit.claimRescanWindow(clusterArn, now, windowSeconds * 1000))) {
    deps.metrics.count('AuditRescansDebounced');
    return 'debounced';
  }
  const { accountId, region } = arnParts(clusterArn);
  const first = relevant[0];
  const request: ScanRequest = {
    clusterArn,
    region,
    accountId,
    reason: 'cluster-event',
    trigger: `audit-log ${first?.verb ?? ''} ${first?.objectRef?.resource ?? ''} ${first?.auditID ?? ''}`.replace(/\s+/g, ' ').trim(),
    requestedAt: now.toISOString(),
    notBefore: new Date(now.getTime() + windowSeconds * 1000).toISOString(),
    attempt: 0,
  };
  try {
    await deps.queue.send(request, windowSeconds);
  } catch (error) {
    // The window is ours but no scan is queued: give it back, so the retry of this batch (or the next) enqueues one.
    await deps.audit.releaseRescanWindow(clusterArn, now).catch((releaseError: unknown) =>
      deps.logger.error('rescan window not released; changes wait for the next window or scheduled scan', { clusterArn, error: errorMessage(releaseError) }),
    );
    throw error;
  }
  deps.metrics.count('AuditRescansRequested');
  return 'requested';
}

function arnParts(clusterArn: string): { accountId: string; region: string } {
  const [, , , region = '', accountId = ''] = clusterArn.split(':');
  return { accountId, region };
}

/** An event finding's cause where every finding keeps it (`cause`), moved out of the details the detections put it in. */
function withOwnCause(finding: Finding): Finding {
  if (finding.cause) return finding;
  const { cause, ...details } = finding.details ?? {};
  const parsed = causeSchema.safeParse(cause);
  if (!parsed.success) return finding;
  const own: Finding = { ...finding, cause: [parsed.data] };
  if (Object.keys(details).length > 0) own.details = details;
  else delete own.details;
  return own;
}

/** Event detections: each finding stored once (its fingerprint names the audit event), announced when stored. */
async function openDetections(events: readonly AuditEvent[], cluster: { id: string; name: string; batch: string }, deps: AuditEventsDeps): Promise<number> {
  if (events.length === 0) return 0;
  const { findings, errors } = await detect(events, {
    clusterId: cluster.id,
    ...(deps.baseline ? { baseline: deps.baseline } : {}),
    ...(deps.detectionSettings ? { settings: deps.detectionSettings } : {}),
  });
  if (errors.length > 0) {
    deps.logger.warn('audit detections skipped events', {
      clusterArn: cluster.id,
      count: errors.length,
      first: errors.slice(0, namedLineErrors).map((e) => `${e.detectionId ?? 'detections'}${e.auditID ? ` on ${e.auditID}` : ''}: ${e.message}`),
    });
    deps.metrics.count('AuditDetectionErrors', errors.length);
  }
  if (findings.length === 0) return 0;
  const opened = await deps.audit.openEventFindings(findings.map(withOwnCause));
  if (opened.length === 0) return 0;
  const { accountId, region } = arnParts(cluster.id);
  const eventCluster = { id: cluster.id, name: cluster.name, arn: cluster.id, accountId, region };
  const published: PeriscopeEvent[] = opened.map((finding) => ({
    detailType: eventDetailTypes.findingOpened,
    detail: { cluster: eventCluster, scanId: `audit:${cluster.batch}`, finding },
  }));
  try {
    await deps.publisher.publish(published);
  } catch (error) {
    // Unstored again, so the batch's retry opens and announces them (stored-but-silent would be lost).
    await deps.audit.forgetEventFindings(opened).catch((forgetError: unknown) => {
      deps.metrics.count('AuditFindingsUnpublished', opened.length);
      deps.logger.error('event findings stored but not announced', { clusterArn: cluster.id, findings: opened.map((f) => f.fingerprint), error: errorMessage(forgetError) });
    });
    throw error;
  }
  deps.metrics.count('AuditFindingsOpened', opened.length);
  return opened.length;
}

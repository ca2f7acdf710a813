// Runs the event detections over a batch of audit events: findings with the rules' shape and fingerprint scheme,
// each carrying the cause (who, how, when). Findings of one fingerprint merge (first and last seen, the earliest
// event as the cause), so any order, split or replay of the same events gives the same findings.
import { formatMessage } from '../engine/rule.ts';
import { contentHashOf, fingerprintOf } from '../engine/fingerprint.ts';
import type { AuditEvent, Cause } from '../model/audit.ts';
import { severityRank, type Finding } from '../model/finding.ts';
import { InMemoryPrincipalBaseline, type BaselineObservation, type BaselineState, type PrincipalBaseline } from './baseline.ts';
import { causeOf } from './cause.ts';
import { parseCidr, type Cidr } from './cidr.ts';
import { defaultAuditDetectionSettings, type AnyDetection, type AuditDetectionSettings, type DetectionHit } from './detection.ts';
import { detections as catalogue } from './detections/index.ts';

export interface DetectContext {
  /** The finding's clusterId: the cluster ARN for EKS (DESIGN §4), as the scans of the same cluster use. */
  clusterId: string;
  settings?: Partial<AuditDetectionSettings>;
  /** Where principals' habits are kept; a fresh in-memory one (learning from this batch) when absent. */
  baseline?: PrincipalBaseline;
  detections?: readonly AnyDetection[];
}

export interface DetectionError {
  detectionId?: string;
  /** The event it happened on, when one. */
  auditID?: string;
  message: string;
}

export interface DetectResult {
  /** Most severe first, then by rule and fingerprint. */
  findings: Finding[];
  errors: DetectionError[];
}

/** The settings with defaults filled in; throws on a malformed CIDR (configuration is the user's to fix). */
export function detectionSettingsOf(settings: Partial<AuditDetectionSettings> = {}): { settings: AuditDetectionSettings; cidrs: Cidr[] } {
  const merged = { ...defaultAuditDetectionSettings, ...settings };
  return { settings: merged, cidrs: merged.internalCidrs.map(parseCidr) };
}

function isEarlierEvent(a: AuditEvent, b: AuditEvent): boolean {
  const at = Date.parse(a.stageTimestamp);
  const bt = Date.parse(b.stageTimestamp);
  return at !== bt ? at < bt : a.auditID < b.auditID;
}

interface Hit {
  detection: AnyDetection;
  hit: DetectionHit;
  event: AuditEvent;
}

function findingOf({ detection, hit, event }: Hit, clusterId: string, lastSeenAt: string): Finding {
  const severity = hit.severity ?? detection.meta.severity;
  const template = detection.meta.messages[hit.messageId] ?? hit.messageId;
  const message = formatMessage(template, hit.data);
  const cause: Cause = causeOf(event);
  const { resource } = hit;
  return {
    fingerprint: fingerprintOf({ clusterId, ruleId: detection.id, kind: resource.kind, namespace: resource.namespace, name: resource.name, key: hit.key }),
    clusterId,
    ruleId: detection.id,
    severity,
    resource: { apiVersion: resource.apiVersion, kind: resource.kind, ...(resource.namespace ? { namespace: resource.namespace } : {}), name: resource.name },
    message,
    path: '',
    frameworks: detection.meta.frameworks,
    status: 'OPEN',
    firstSeenAt: event.stageTimestamp,
    lastSeenAt,
    contentHash: contentHashOf([severity, message, '', null]),
    details: { ...hit.details, cause },
  };
}

async function baselineState(
  events: readonly AuditEvent[],
  detections: readonly AnyDetection[],
  settings: AuditDetectionSettings,
  context: DetectContext,
  errors: DetectionError[],
): Promise<BaselineState | undefined> {
  const learners = detections.filter((detection) => detection.observe !== undefined);
  if (learners.length === 0 || events.length === 0) return { learningStartedAt: new Date(0).toISOString(), firstSeen: new Map() };
  const observations: BaselineObservation[] = [];
  let startedAt = events[0]!.stageTimestamp;
  let startedMs = Date.parse(startedAt);
  for (const event of events) {
    const ms = Date.parse(event.stageTimestamp);
    if (ms < startedMs) {
      startedMs = ms;
      startedAt = event.stageTimestamp;
    }
    for (const detection of learners) {
      const observation = detection.observe!(event, settings);
      if (observation) observations.push(observation);
    }
  }
  try {
    return await (context.baseline ?? new InMemoryPrincipalBaseline()).observe(context.clusterId, { startedAt, observations });
  } catch (error) {
    errors.push({ message: `the principal baseline could not be read or written (${(error as Error).message}); ${learners.map((d) => d.id).join(', ')} skipped this batch` });
    return undefined;
  }
}

export async function detect(events: readonly AuditEvent[], context: DetectContext): Promise<DetectResult> {
  const { settings, cidrs } = detectionSettingsOf(context.settings);
  const detections = context.detections ?? catalogue;
  const errors: DetectionError[] = [];
  const baseline = await baselineState(events, detections, settings, context, errors);
  const runnable = baseline ? detections : detections.filter((detection) => !detection.observe);
  const state = baseline ?? { learningStartedAt: new Date(0).toISOString(), firstSeen: new Map<string, string>() };

  const earliest = new Map<string, Hit>();
  const latest = new Map<string, string>();
  // One context per detection, reused for every event: the hits of the event being judged collect in `hits`.
  const hits: DetectionHit[] = [];
  const contexts = runnable.map((detection) => ({
    detection,
    ctx: { settings, internalCidrs: cidrs, baseline: state, report: (hit: DetectionHit) => void hits.push(hit) },
  }));
  for (const event of events) {
    for (const { detection, ctx } of contexts) {
      hits.length = 0;
      try {
        detection.detect(event, ctx);
      } catch (error) {
        errors.push({ detectionId: detection.id, auditID: event.auditID, message: (error as Error).message });
        continue;
      }
      for (const hit of hits) {
        const { resource } = hit;
        const fingerprint = fingerprintOf({ clusterId: context.clusterId, ruleId: detection.id, kind: resource.kind, namespace: resource.namespace, name: resource.name, key: hit.key });
        const seen = earliest.get(fingerprint);
        if (!seen || isEarlierEvent(event, seen.event)) earliest.set(fingerprint, { detection, hit, event });
        const last = latest.get(fingerprint);
        if (!last || Date.parse(event.stageTimestamp) > Date.parse(last)) latest.set(fingerprint, event.stageTimestamp);
      }
    }
  }
  const findings = [...earliest].map(([fingerprint, hit]) => findingOf(hit, context.clusterId, latest.get(fingerprint)!));
  findings.sort((a, b) => severityRank(b.severity) - severityRank(a.severity) || a.ruleId.localeCompare(b.ruleId) || a.fingerprint.localeCompare(b.fingerprint));
  return { findings, errors };
}

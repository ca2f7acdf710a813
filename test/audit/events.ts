// Real-shaped audit events (test/fixtures/audit/events.json, EKS as it logs them), by name, with overrides.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { detect } from '../../shared/audit/detect.ts';
import type { AnyDetection, AuditDetectionSettings } from '../../shared/audit/detection.ts';
import { auditEventSchema, type AuditEvent } from '../../shared/model/audit.ts';

export const fixturesDir = join(import.meta.dirname, '..', 'fixtures', 'audit');

const raw = JSON.parse(readFileSync(join(fixturesDir, 'events.json'), 'utf8')) as Record<string, Record<string, unknown>>;

/** The named fixture as the JSON the API server wrote, with top-level fields replaced. */
export function rawEvent(name: string, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  const event = raw[name];
  if (!event) throw new Error(`no audit fixture "${name}" (have: ${Object.keys(raw).join(', ')})`);
  return { ...structuredClone(event), ...overrides };
}

/** The named fixture parsed, as the decoder hands it on. */
export function auditEvent(name: string, overrides: Record<string, unknown> = {}): AuditEvent {
  return auditEventSchema.parse(rawEvent(name, overrides));
}

export const fixtureNames: readonly string[] = Object.keys(raw);

export const clusterId = 'arn:aws:eks:eu-west-1:111122223333:cluster/prod';

/** Runs one detection over named fixtures (each `[name, overrides?]`), as `detect` runs the catalogue. */
export function detectionRunner(detection: AnyDetection, settings: Partial<AuditDetectionSettings> = {}) {
  return (...events: Parameters<typeof auditEvent>[]) => detect(events.map((args) => auditEvent(...args)), { clusterId, detections: [detection], settings });
}

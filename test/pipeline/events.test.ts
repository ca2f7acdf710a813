// Scan Completed names at most summaryCap findings of each list: the worst ones, so a digest built from a
// truncated event still shows what matters most.
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { ClusterRef } from '../../shared/model/cluster.ts';
import { findingSchema, type Finding, type Severity } from '../../shared/model/finding.ts';
import { eventDetailTypes, summaryCap, type PeriscopeEvent, type ScanCompleted } from '../../shared/model/pipeline.ts';
import { scanEvents } from '../../shared/pipeline/events.ts';
import { reconcile, summarize, type Reconciliation } from '../../shared/store/reconcile.ts';
import { countsOf } from '../../shared/store/records.ts';
import { cluster } from './harness.ts';

const clusterRef: ClusterRef = { id: cluster.arn, name: cluster.name, arn: cluster.arn, accountId: cluster.accountId, region: cluster.region, source: 'eks' };

function finding(severity: Severity, name: string): Finding {
  return findingSchema.parse({
    fingerprint: createHash('md5').update(name).digest('hex'),
    clusterId: cluster.arn,
    ruleId: `rule-${severity}`,
    severity,
    resource: { apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'shop', name },
    message: `${severity} finding on ${name}`,
    path: 'spec',
    frameworks: {},
    status: 'OPEN',
    firstSeenAt: '2026-11-23T10:00:00.000Z',
    lastSeenAt: '2026-11-23T10:00:00.000Z',
    contentHash: 'b'.repeat(16),
  });
}

/** The events of a scan of the test cluster that reconciled to `reconciliation`. */
function eventsOf(reconciliation: Reconciliation): PeriscopeEvent[] {
  return scanEvents({
    cluster: clusterRef,
    scanId: 'scan-2',
    startedAt: '2026-11-23T10:00:00.000Z',
    completedAt: '2026-11-23T10:01:00.000Z',
    outcome: { reconciliation, summary: summarize(reconciliation), counts: countsOf(reconciliation.active) },
    coverage: {},
    baseline: false,
  });
}

/** Scan Completed of a scan that opens `opened` and resolves `resolved` (stored open before it). */
function completedOf(opened: Finding[], resolved: Finding[] = []): ScanCompleted {
  const stored = resolved.map((f) => ({ ...f, reopenCount: 0 }));
  const coverage = { Deployment: { complete: true, count: opened.length } };
  const events = eventsOf(reconcile(stored, opened, coverage, { scannedAt: '2026-11-23T10:01:00.000Z' }));
  const completed = events.find((e) => e.detailType === eventDetailTypes.scanCompleted);
  return completed!.detail;
}

const many = (severity: Severity, count: number, prefix: string) => Array.from({ length: count }, (_, i) => finding(severity, `${prefix}${i}`));

describe('scanEvents: Scan Completed', () => {
  it('lists the worst findings first when it truncates at summaryCap, keeping the order within a severity', () => {
    const lows = many('low', summaryCap + 10, 'low');
    const mediums = many('medium', 3, 'med');
    const criticals = many('critical', 2, 'crit');
    const highs = many('high', 4, 'high');
    // The engine's order puts them anywhere: the worst come last here.
    const completed = completedOf([...lows, ...mediums, ...criticals, ...highs]);

    expect(completed.truncated).toBe(true);
    expect(completed.counts.opened).toBe(summaryCap + 19);
    expect(completed.opened).toHaveLength(summaryCap);
    expect(completed.opened.slice(0, 9).map((s) => s.resource.name)).toEqual([
      'crit0', 'crit1', 'high0', 'high1', 'high2', 'high3', 'med0', 'med1', 'med2',
    ]);
    expect(completed.opened.slice(9).map((s) => s.resource.name)).toEqual(lows.slice(0, summaryCap - 9).map((f) => f.resource.name));
  });

  it('orders the resolved list the same way', () => {
    const completed = completedOf([], [...many('info', summaryCap, 'info'), finding('critical', 'fixed')]);
    expect(completed.resolved[0]).toMatchObject({ severity: 'critical', resource: { name: 'fixed' } });
    expect(completed.resolved).toHaveLength(summaryCap);
    expect(completed.truncated).toBe(true);
  });

  it('keeps a short list whole, worst first, and does not mark it truncated', () => {
    const completed = completedOf([finding('low', 'a'), finding('high', 'b'), finding('medium', 'c')]);
    expect(completed.opened.map((s) => s.severity)).toEqual(['high', 'medium', 'low']);
    expect(completed.truncated).toBe(false);
  });
});

describe('scanEvents: Finding Suppressed', () => {
  it('publishes one per finding an exception covers from this scan on, with its suppression, and no Finding Opened for it', () => {
    const open = finding('high', 'was-open');
    const suppression = { reason: 'accepted until the migration', source: 'exceptions-file' as const, owner: 'platform' };
    const now = { ...open, status: 'SUPPRESSED' as const, suppression, lastSeenAt: '2026-11-23T10:01:00.000Z' };
    const fresh = { ...finding('low', 'new-and-suppressed'), status: 'SUPPRESSED' as const, suppression };
    const reconciliation = reconcile([{ ...open, reopenCount: 0 }], [now, fresh], { Deployment: { complete: true, count: 2 } }, { scannedAt: '2026-11-23T10:01:00.000Z' });
    const events = eventsOf(reconciliation);
    const suppressed = events.filter((e) => e.detailType === eventDetailTypes.findingSuppressed);
    expect(suppressed.map((e) => (e.detail as { finding: Finding }).finding.fingerprint).sort()).toEqual([open.fingerprint, fresh.fingerprint].sort());
    expect(suppressed.every((e) => (e.detail as { finding: Finding }).finding.suppression?.reason === suppression.reason)).toBe(true);
    expect(events.filter((e) => e.detailType === eventDetailTypes.findingOpened)).toEqual([]);
  });
});

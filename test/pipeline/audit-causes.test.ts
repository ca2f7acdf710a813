// Causes on findings: a scan with the audit stream's causes opens its findings with the change that introduced the
// object; older changes, unchanged findings and unreadable causes leave findings as they were.
import { describe, expect, it } from 'vitest';
import type { Cause } from '../../shared/model/audit.ts';
import { describeCause } from '../../shared/model/finding.ts';
import { refKey } from '../../shared/model/kube.ts';
import { eventDetailTypes, scanRequestSchema, type FindingEvent, type ScanCompleted } from '../../shared/model/pipeline.ts';
import { withCauses } from '../../shared/pipeline/audit-causes.ts';
import { scanCluster } from '../../shared/pipeline/scan-cluster.ts';
import { finding } from '../store/findings.ts';
import { cluster, clusterSnapshot, harness } from './harness.ts';

function cause(time: string, overrides: Partial<Cause> = {}): Cause {
  return {
    username: 'alice@example.com',
    groups: ['system:authenticated'],
    userAgent: 'kubectl/v1.33.1 (linux/amd64) kubernetes/8adc0f0',
    sourceIPs: ['203.0.113.7'],
    verb: 'patch',
    time,
    auditID: 'a1b2c3',
    objectRef: { resource: 'deployments', apiGroup: 'apps', namespace: 'shop', name: 'api' },
    ...overrides,
  };
}

const request = (requestedAt: string) =>
  scanRequestSchema.parse({ clusterArn: cluster.arn, region: cluster.region, accountId: cluster.accountId, reason: 'cluster-event', requestedAt, attempt: 0 });

describe('withCauses', () => {
  const web = finding({ kind: 'Deployment', namespace: 'shop', name: 'web' });
  const causes = new Map([[refKey(web.resource), [cause('2026-12-02T10:02:00Z')]]]);

  it('attaches the causes of the finding’s object', () => {
    expect(withCauses([web], causes, undefined)[0]?.cause).toEqual([cause('2026-12-02T10:02:00Z')]);
  });

  it('leaves changes older than the previous scan out (that scan saw them)', () => {
    expect(withCauses([web], causes, '2026-12-02T10:05:00Z')[0]?.cause).toBeUndefined();
    expect(withCauses([web], causes, '2026-12-02T10:01:00Z')[0]?.cause).toHaveLength(1);
  });

  it('leaves findings of other objects alone', () => {
    const other = finding({ kind: 'Deployment', namespace: 'shop', name: 'api' });
    expect(withCauses([other], causes, undefined)).toEqual([other]);
  });
});

describe('describeCause', () => {
  it('says who ran what, when', () => {
    expect(describeCause([cause('2026-12-02T10:02:41.123456Z')])).toBe('opened after alice@example.com ran kubectl patch at 10:02 UTC');
  });
  it('counts earlier changes and names an unknown client by its verb alone', () => {
    const { userAgent: _ua, ...noAgent } = cause('2026-12-02T11:30:00Z');
    expect(describeCause([cause('2026-12-02T10:00:00Z'), cause('2026-12-02T10:30:00Z'), noAgent])).toBe(
      'opened after alice@example.com ran patch at 11:30 UTC (and 2 earlier changes)',
    );
  });
});

describe('scanCluster with the audit stream’s causes', () => {
  function setup(read: () => Promise<Map<string, Cause[]>>) {
    const h = harness();
    h.directory.put({ ...cluster, status: 'ACTIVE' });
    h.source.snapshots.set(cluster.arn, clusterSnapshot(true));
    const reads: string[] = [];
    h.deps.causes = {
      causes: async (clusterId) => {
        reads.push(clusterId);
        return read();
      },
    };
    return { h, reads };
  }

  it('opens findings with the cause of their object, in Finding Opened and in Scan Completed’s summary', async () => {
    const key = refKey({ kind: 'Deployment', namespace: 'shop', name: 'api' });
    const { h, reads } = setup(async () => new Map([[key, [cause('2026-11-23T09:59:00Z')]]]));
    await scanCluster(request('2026-11-23T10:00:00.000Z'), h.deps);
    expect(reads).toEqual([cluster.arn]);
    const opened = h.publisher.ofType(eventDetailTypes.findingOpened).map((e) => (e.detail as FindingEvent).finding);
    expect(opened).toHaveLength(1);
    expect(refKey(opened[0]!.resource)).toBe(key);
    expect(opened[0]?.cause).toEqual([cause('2026-11-23T09:59:00Z')]);
    const completed = h.publisher.ofType(eventDetailTypes.scanCompleted)[0]?.detail as ScanCompleted;
    expect(completed.opened[0]?.cause).toEqual([cause('2026-11-23T09:59:00Z')]);
    expect([...(h.store.findings.get(cluster.arn)?.values() ?? [])][0]?.cause).toHaveLength(1);
  });

  it('opens findings without a cause when the causes cannot be read, and says so', async () => {
    const { h } = setup(() => Promise.reject(new Error('ProvisionedThroughputExceededException')));
    const result = await scanCluster(request('2026-11-23T10:00:00.000Z'), h.deps);
    expect(result).toMatchObject({ outcome: 'scanned', opened: 1 });
    expect((h.publisher.ofType(eventDetailTypes.findingOpened)[0]?.detail as FindingEvent).finding.cause).toBeUndefined();
    expect(h.logger.lines.map((l) => l.message)).toContain('audit causes not read; findings open without them');
    expect(h.metrics.counts.get('AuditCausesUnavailable')).toBe(1);
  });
});

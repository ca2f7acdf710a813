// publishFleetReport: the fleet view read through the store's fleet reads, rendered, and written through the real S3
// client to a local S3: a dated copy, then latest.html (the key the Slack digest links to).
import { S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { S3ReportBucket } from '../../functions/adapters/s3-report-bucket.ts';
import { silentLogger, type Metrics } from '../../shared/model/cross-cutting.ts';
import { emptySeverityCounts, riskScore, type FleetClusterRow, type FleetInventoryOptions, type FleetReads } from '../../shared/model/fleet.ts';
import { fleetReportKeys, latestFleetReportKey, publishFleetReport } from '../../shared/pipeline/fleet-report.ts';
import { startLocalS3, type LocalS3 } from '../../shared/sandbox/s3-receiver.ts';
import { fleetNow, fleetOf, recordFleet, roleOf } from '../store/fleet-fixture.ts';
import { newStore, startDynalite } from '../store/harness.ts';

const now = new Date('2026-12-02T16:05:09.123Z');
let s3: LocalS3;
beforeAll(async () => {
  s3 = await startLocalS3({ now: () => now });
});
afterAll(async () => {
  await s3?.stop();
});

function row(i: number): FleetClusterRow {
  const open = { ...emptySeverityCounts(), high: i % 7, medium: i % 11 };
  return {
    clusterId: `arn:aws:eks:eu-west-1:111122223333:cluster/c${i}`,
    name: `c${i}`,
    support: { phase: 'standard' },
    deleted: false,
    lastScanAt: '2026-12-02T12:00:00.000Z',
    lastScanResult: i === 3 ? 'failed' : 'succeeded',
    coverageProblems: [],
    stale: false,
    open,
    openTotal: open.high + open.medium,
    suppressed: 0,
    attackPaths: 0,
    trend: { opened: 0, resolved: 0, scans: 1, failedScans: 0, days: [{ day: '2026-12-02', opened: 1, resolved: 0, open: open.high + open.medium }] },
    risk: riskScore(open, 0),
  };
}

/** The store's fleet reads for a fleet of 50 clusters; records the options it was asked with. */
function fleetReads(asked: FleetInventoryOptions[]): Pick<FleetReads, 'fleetInventory' | 'fleetOpenTally'> {
  const clusters = Array.from({ length: 50 }, (_, i) => row(i));
  return {
    fleetInventory: (options) => {
      asked.push(options);
      return Promise.resolve({ at: options.now, since: options.since, clusters, errors: ['CLUSTER#x FINDING#y: unreadable'] });
    },
    fleetOpenTally: () =>
      Promise.resolve({
        byCategory: Object.fromEntries(clusters.map((c) => [c.clusterId, { K01: c.openTotal }])),
        byRule: { 'image-latest-tag': { severity: 'medium', clusters: Object.fromEntries(clusters.map((c) => [c.clusterId, c.open.medium])) } },
        errors: [],
      }),
  };
}

describe('publishFleetReport', () => {
  it('writes the rendered fleet view to a dated key, then to latest.html, encrypted and as HTML', async () => {
    const asked: FleetInventoryOptions[] = [];
    const counted: string[] = [];
    const metrics: Metrics = { count: (name, value = 1) => void counted.push(`${name}=${value}`) };
    const bucket = new S3ReportBucket(new S3Client({ endpoint: s3.url, forcePathStyle: true, region: 'eu-west-1', credentials: { accessKeyId: 'AKIAFLEET', secretAccessKey: 'secret' } }), 'reports');
    const result = await publishFleetReport({ reads: fleetReads(asked), bucket, clock: { now: () => now }, logger: silentLogger, metrics, settings: { trendDays: 7, staleAfterHours: 24 } });

    expect(result).toMatchObject({ keys: { dated: 'fleet-report/2026/12/02/fleet-20261202T160509Z.html', latest: 'fleet-report/latest.html' }, clusters: 50, errors: 1 });
    expect(s3.requests.filter((r) => r.method === 'PUT').map((r) => r.path.split('?')[0])).toEqual([
      '/reports/fleet-report/2026/12/02/fleet-20261202T160509Z.html',
      '/reports/fleet-report/latest.html',
    ]);
    const latest = s3.objects.get('reports/fleet-report/latest.html')!;
    expect(latest).toMatchObject({ contentType: 'text/html; charset=utf-8', serverSideEncryption: 'AES256' });
    expect(latest.body).toBe(s3.objects.get(`reports/${result.keys.dated}`)!.body);
    expect(latest.body.startsWith('<!doctype html>')).toBe(true);
    expect(latest.body).toContain('<title>Periscope — fleet report</title>');
    expect(latest.body.match(/<th scope="row">/g)).toHaveLength(50);
    expect(result.bytes).toBe(Buffer.byteLength(latest.body));

    // The trend window starts at midnight UTC, trendDays back; attack paths are the catalogue's path rules.
    expect(asked).toEqual([{ now: now.toISOString(), since: '2026-11-25T00:00:00.000Z', staleAfterHours: 24, attackPathRules: ['path-public-workload-pivot'] }]);
    expect(counted).toEqual(['FleetReportsWritten=1', 'FleetReportItemErrors=1']);
  });

  it('writes nothing when the store cannot be read (the schedule retries; the last good latest.html stays)', async () => {
    const before = s3.requests.length;
    const bucket = new S3ReportBucket(new S3Client({ endpoint: s3.url, forcePathStyle: true, region: 'eu-west-1', credentials: { accessKeyId: 'a', secretAccessKey: 'b' } }), 'reports');
    const reads: Pick<FleetReads, 'fleetInventory' | 'fleetOpenTally'> = {
      fleetInventory: () => Promise.reject(new Error('ProvisionedThroughputExceededException')),
      fleetOpenTally: () => Promise.resolve({ byCategory: {}, byRule: {}, errors: [] }),
    };
    await expect(publishFleetReport({ reads, bucket, clock: { now: () => now }, logger: silentLogger, metrics: { count() {} } })).rejects.toThrow(/ProvisionedThroughput/);
    expect(s3.requests.length).toBe(before);
  });

  it('names keys by the UTC time, under the prefix', () => {
    expect(fleetReportKeys('reports/', new Date('2027-01-09T03:04:05.999Z'))).toEqual({ dated: 'reports/2027/01/09/fleet-20270109T030405Z.html', latest: 'reports/latest.html' });
    expect(latestFleetReportKey()).toBe('fleet-report/latest.html');
  });
});

describe('publishFleetReport over a fleet recorded in dynalite', () => {
  it('renders 55 synthetic clusters read through FindingStore with Queries only', async () => {
    const backend = await startDynalite();
    const t = await newStore(backend);
    try {
      const fleet = fleetOf(55);
      await recordFleet(t.store, fleet);
      const commands: string[] = [];
      t.client.middlewareStack.add(
        (next, context) => async (args) => {
          commands.push(context.commandName ?? '?');
          return next(args);
        },
        { step: 'initialize', name: 'countReportReads' },
      );
      const puts: { key: string; body: string }[] = [];
      const bucket = { put: (o: { key: string; body: string }) => Promise.resolve(void puts.push(o)) };
      const result = await publishFleetReport({ reads: t.store, bucket, clock: { now: () => new Date(fleetNow) }, logger: silentLogger, metrics: { count() {} } });

      const live = fleet.filter((_, i) => !roleOf(i).deleted);
      expect(result.clusters).toBe(live.length);
      expect(new Set(commands)).toEqual(new Set(['QueryCommand']));
      const html = puts[1]!.body;
      expect(puts.map((p) => p.key)).toEqual([result.keys.dated, 'fleet-report/latest.html']);
      expect(html.match(/<th scope="row">/g)).toHaveLength(live.length);
      // Every failed cluster is listed as failing, with the error its scan recorded.
      const failed = live.filter((c) => roleOf(fleet.indexOf(c)).failed && !roleOf(fleet.indexOf(c)).notRescanned);
      expect(failed.length).toBeGreaterThan(3);
      const attention = html.slice(html.indexOf('<section id="attention">'), html.indexOf('<section id="heatmap">'));
      expect(attention.match(/<tr class="reason-failed">/g)).toHaveLength(failed.length);
      expect(attention).toContain('Unauthorized: the scanner role has no access entry');
      expect(html).toContain('<section id="top-rules"><h2>Top rules across the fleet');
    } finally {
      t.close();
      await backend.stop();
    }
  });
});

// The FindingStore against real DynamoDB implementations (dynalite always; DynamoDB Local where Java is present),
// through the real @aws-sdk/client-dynamodb + lib-dynamodb clients.
import { PutCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FileExceptions, parseExceptionsFile } from '../../shared/engine/exceptions-file.ts';
import { runRules } from '../../shared/engine/run.ts';
import type { ClusterRef } from '../../shared/model/cluster.ts';
import { silentLogger, type LogAttributes } from '../../shared/model/cross-cutting.ts';
import type { Finding } from '../../shared/model/finding.ts';
import type { KindCoverage } from '../../shared/model/snapshot.ts';
import privilegedContainer from '../../shared/rules/workload/privileged-container.ts';
import { LeaseHeldError, LeaseLostError, StoreWriteError, TicketConflictError } from '../../shared/store/errors.ts';
import { documentClientOf, type FindingStore } from '../../shared/store/finding-store.ts';
import type { ScanOutcome } from '../../shared/store/port.ts';
import { formatSummary } from '../../shared/store/reconcile.ts';
import { container, deployment, hardenedPodSpec, snapshotOf } from '../support/fixtures.ts';
import { coverage, finding, manyFindings, workloadKinds } from './findings.ts';
import { dynamoDbLocalUnavailable, newStore, startDynalite, startDynamoDbLocal, type Backend, type TestStore } from './harness.ts';

const prod: ClusterRef = {
  id: 'arn:aws:eks:eu-west-1:111122223333:cluster/prod',
  name: 'prod',
  arn: 'arn:aws:eks:eu-west-1:111122223333:cluster/prod',
  accountId: '111122223333',
  region: 'eu-west-1',
  source: 'eks',
};
const staging: ClusterRef = { ...prod, id: prod.id.replace('prod', 'staging'), name: 'staging', arn: prod.id.replace('prod', 'staging') };
const full = coverage(workloadKinds);

async function scan(
  t: TestStore,
  findings: readonly Finding[],
  options: { cluster?: ClusterRef; at?: string; coverage?: Record<string, KindCoverage>; owner?: string; store?: FindingStore } = {},
): Promise<ScanOutcome> {
  const store = options.store ?? t.store;
  const cluster = options.cluster ?? prod;
  if (options.at) t.clock.now = options.at;
  const lease = await store.acquireLease(cluster.id, options.owner ?? 'scanner-1');
  return store.recordScan({
    lease,
    cluster,
    clusterInfo: { name: cluster.name, version: '1.31', status: 'ACTIVE', endpointPublicAccess: true, endpointPrivateAccess: false },
    findings: findings.map((f) => ({ ...f, clusterId: cluster.id, firstSeenAt: t.clock.now, lastSeenAt: t.clock.now })),
    coverage: options.coverage ?? full,
    scannedAt: t.clock.now,
    timings: { snapshot: 1200, evaluate: 40 },
  });
}

// The write-count test uses the issue's 5,000 findings on dynalite; DynamoDB Local (a JVM on a shared 2-core
// machine) runs the same assertions on 1,000 to keep the suite fast: the count of writes does not depend on it.
const backends: { name: string; start: () => Promise<Backend>; skip?: string; bulk: number }[] = [
  { name: 'dynalite', start: startDynalite, bulk: 5000 },
  { name: 'dynamodb-local', start: startDynamoDbLocal, skip: dynamoDbLocalUnavailable, bulk: 1000 },
];

for (const { name, start, skip, bulk } of backends) {
  describe.skipIf(skip !== undefined)(`FindingStore on ${name}${skip ? ` (skipped: ${skip})` : ''}`, () => {
    let backend: Backend;
    beforeAll(async () => {
      backend = await start();
    });
    afterAll(async () => {
      await backend?.stop();
    });

    it('follows a finding through open → resolved → reopened → suppressed → expired exception', async () => {
      const t = await newStore(backend);
      const cluster: ClusterRef = { id: 'manifests:shop', name: 'shop', source: 'manifests' };
      const privileged = deployment({ spec: hardenedPodSpec({ containers: [container({ securityContext: { privileged: true } })] }) });
      const fixed = deployment();
      const exceptionsYaml = [
        'exceptions:',
        '  - rule: privileged-*',
        '    namespace: shop',
        '    kind: Deployment',
        '    name: web',
        '    reason: Needs /dev access until the vendor ships v2',
        '    owner: shop-team@example.com',
        '    expires: 2026-03-01',
      ].join('\n');
      const entries = parseExceptionsFile(exceptionsYaml, 'exceptions.yaml');
      const run = async (object: typeof privileged, at: string, withExceptions = false) => {
        t.clock.now = at;
        const exceptions = new FileExceptions(entries, { now: at });
        const snapshot = snapshotOf([object], { cluster, takenAt: at });
        const result = runRules(snapshot, [privilegedContainer], withExceptions ? { exceptions: [exceptions] } : {});
        const lease = await t.store.acquireLease(cluster.id, `scan-${at}`);
        const outcome = await t.store.recordScan({ lease, cluster, findings: result.findings, coverage: snapshot.coverage, scannedAt: at });
        return { outcome, report: exceptions.report() };
      };

      const opened = await run(privileged, '2026-01-01T00:00:00.000Z');
      expect(formatSummary(opened.outcome.summary)).toBe('1 new, 0 resolved, 0 unchanged, 0 suppressed');
      const [first] = await t.store.findings(cluster.id);
      expect(first).toMatchObject({ status: 'OPEN', firstSeenAt: '2026-01-01T00:00:00.000Z', reopenCount: 0, ruleId: 'privileged-container' });
      expect(await t.store.openFindingsOfRule('privileged-container')).toHaveLength(1);

      const resolved = await run(fixed, '2026-01-02T00:00:00.000Z');
      expect(resolved.outcome.summary).toMatchObject({ resolved: 1, opened: 0 });
      expect((await t.store.findings(cluster.id))[0]).toMatchObject({ status: 'RESOLVED', resolvedAt: '2026-01-02T00:00:00.000Z' });
      expect(await t.store.openFindingsOfRule('privileged-container')).toEqual([]);
      expect(await t.store.findings(cluster.id, { status: 'open' })).toEqual([]);

      const reopened = await run(privileged, '2026-01-03T00:00:00.000Z');
      expect(reopened.outcome.summary.reopened).toBe(1);
      expect((await t.store.findings(cluster.id))[0]).toMatchObject({
        status: 'OPEN', firstSeenAt: '2026-01-01T00:00:00.000Z', reopenCount: 1, lastSeenAt: '2026-01-03T00:00:00.000Z',
      });

      const suppressed = await run(privileged, '2026-02-01T00:00:00.000Z', true);
      expect(formatSummary(suppressed.outcome.summary)).toBe('0 new, 0 resolved, 0 unchanged, 1 suppressed');
      expect(suppressed.report.unused).toEqual([]);
      expect((await t.store.findings(cluster.id))[0]).toMatchObject({
        status: 'SUPPRESSED',
        suppression: { source: 'exceptions-file', reason: 'Needs /dev access until the vendor ships v2', owner: 'shop-team@example.com', expiresAt: '2026-03-01' },
      });
      expect(await t.store.openFindingsOfRule('privileged-container')).toEqual([]);
      expect(await t.store.openFindingsAtLeast('info')).toEqual([]);

      const expired = await run(privileged, '2026-03-02T00:00:00.000Z', true);
      expect(expired.outcome.summary.unsuppressed).toBe(1);
      expect(formatSummary(expired.outcome.summary)).toBe('1 new, 0 resolved, 0 unchanged, 0 suppressed');
      expect(expired.report.expired.map((u) => [u.entry.line, u.matched])).toEqual([[2, 1]]);
      const [last] = await t.store.findings(cluster.id);
      expect(last).toMatchObject({ status: 'OPEN', firstSeenAt: '2026-01-01T00:00:00.000Z', reopenCount: 1 });
      expect(last?.suppression).toBeUndefined();

      const history = await t.store.scans(cluster.id);
      expect(history.map((s) => s.scannedAt)).toEqual([
        '2026-03-02T00:00:00.000Z', '2026-02-01T00:00:00.000Z', '2026-01-03T00:00:00.000Z', '2026-01-02T00:00:00.000Z', '2026-01-01T00:00:00.000Z',
      ]);
      expect(history[0]).toMatchObject({ result: 'succeeded', summary: { unsuppressed: 1 }, counts: { open: { critical: 1 }, suppressed: 0 } });
      expect(history[0]?.expiresAt).toBe(Date.parse('2026-03-02T00:00:00.000Z') / 1000 + 90 * 86_400);
      expect(await t.store.scans(cluster.id, { limit: 2 })).toHaveLength(2);
      t.close();
    });

    it('never resolves on a partial listing, and resolves once the kind is complete again', async () => {
      const t = await newStore(backend);
      const web = finding({ name: 'web' });
      const api = finding({ name: 'api', kind: 'DaemonSet' });
      await scan(t, [web, api], { at: '2026-01-01T00:00:00.000Z' });
      t.resetWrites();
      const partial = await scan(t, [], {
        at: '2026-01-02T00:00:00.000Z',
        coverage: coverage(workloadKinds, { Deployment: { complete: false, count: 40, error: 'failed: 500 on page 2' } }),
      });
      expect(partial.result).toBe('partial');
      expect(partial.summary).toMatchObject({ resolved: 1, notCovered: 1 });
      expect(partial.reconciliation.resolved.map((f) => f.resource.name)).toEqual(['api']);
      const stored = await t.store.findings(prod.id);
      expect(stored.find((f) => f.resource.name === 'web')).toMatchObject({ status: 'OPEN', lastSeenAt: '2026-01-01T00:00:00.000Z' });
      const complete = await scan(t, [], { at: '2026-01-03T00:00:00.000Z' });
      expect(complete.reconciliation.resolved.map((f) => f.resource.name)).toEqual(['web']);
      t.close();
    });

    it(`records a rescan of ${bulk} unchanged findings with at most 3 write requests`, async () => {
      const t = await newStore(backend);
      const findings = manyFindings(bulk, { clusterId: prod.id });
      const first = await scan(t, findings, { at: '2026-01-01T00:00:00.000Z' });
      const firstWrites = t.totalWrites();
      expect(first.summary.opened).toBe(bulk);
      expect(t.writes.get('BatchWriteItemCommand')).toBe(bulk / 25);
      expect(firstWrites).toBe(bulk / 25 + 3);
      expect(first.writeRequests).toBe(bulk / 25 + 2);
      console.log(`[${name}] first scan of ${bulk} findings: ${firstWrites} write requests`);

      t.resetWrites();
      const rescan = await scan(t, findings, { at: '2026-01-02T00:00:00.000Z' });
      expect(rescan.summary).toMatchObject({ opened: 0, resolved: 0, unchanged: bulk });
      expect(t.totalWrites()).toBeLessThanOrEqual(3);
      expect(t.writes.get('BatchWriteItemCommand')).toBeUndefined();
      console.log(`[${name}] unchanged rescan of ${bulk} findings: ${t.totalWrites()} write requests`);

      // lastSeenAt of the unchanged findings is carried by the scan, not rewritten per item.
      const open = await t.store.findings(prod.id, { status: 'open' });
      expect(open).toHaveLength(bulk);
      expect(new Set(open.map((f) => f.lastSeenAt))).toEqual(new Set(['2026-01-02T00:00:00.000Z']));
      const cluster = await t.store.getCluster(prod.id);
      expect(cluster?.counts?.open).toEqual({ critical: bulk / 4, high: bulk / 4, medium: bulk / 4, low: bulk / 4, info: 0 });
      t.close();
    });

    it('refreshes the inventory in the scan\'s own cluster-item write: a deleted cluster seen again, in 2 writes', async () => {
      const t = await newStore(backend);
      await t.store.upsertCluster(prod);
      await t.store.markClusterDeleted(prod.id, '2026-01-01T00:00:00.000Z');
      t.clock.now = '2026-01-02T00:00:00.000Z';
      const lease = await t.store.acquireLease(prod.id, 'scanner-1');
      t.resetWrites();
      await t.store.recordScan({
        lease,
        cluster: prod,
        clusterInfo: { name: 'prod', arn: prod.arn, status: 'ACTIVE', version: '1.33', endpointPublicAccess: false },
        findings: [],
        coverage: full,
        scannedAt: t.clock.now,
        seenAt: '2026-01-01T23:59:58.000Z',
      });
      expect(t.totalWrites()).toBe(2);
      const after = await t.store.getCluster(prod.id);
      expect(after).toMatchObject({ deleted: false, seenAt: '2026-01-01T23:59:58.000Z', version: '1.33', status: 'ACTIVE', endpointPublicAccess: false });
      expect(after?.deletedAt).toBeUndefined();
      expect((await t.store.clusters()).map((c) => c.clusterId)).toEqual([prod.id]);

      // Without seenAt (resolveAllFindings of a deleted cluster) the write leaves seenAt and deletedAt alone.
      await t.store.markClusterDeleted(prod.id, '2026-01-03T00:00:00.000Z');
      t.clock.now = '2026-01-03T00:00:00.000Z';
      await t.store.recordScan({ lease: await t.store.acquireLease(prod.id, 'scanner-2'), cluster: prod, findings: [], coverage: full, scannedAt: t.clock.now });
      expect(await t.store.getCluster(prod.id)).toMatchObject({ seenAt: '2026-01-01T23:59:58.000Z', deletedAt: '2026-01-03T00:00:00.000Z' });
      t.close();
    });

    it('records a failed first scan with the cluster\'s description in the inventory, in 2 writes', async () => {
      const t = await newStore(backend);
      const lease = await t.store.acquireLease(prod.id, 'scanner-1');
      t.resetWrites();
      await t.store.recordScanFailure({
        lease,
        cluster: prod,
        clusterInfo: { name: 'prod', arn: prod.arn, status: 'ACTIVE', version: '1.32' },
        seenAt: '2026-01-01T00:00:00.000Z',
        error: 'listing pods: HTTP 500',
        at: '2026-01-01T00:00:05.000Z',
      });
      expect(t.totalWrites()).toBe(2);
      expect((await t.store.clusters())[0]).toMatchObject({
        clusterId: prod.id, name: 'prod', accountId: prod.accountId, region: prod.region, source: 'eks', status: 'ACTIVE', version: '1.32',
        seenAt: '2026-01-01T00:00:00.000Z', lastScanResult: 'failed', lastScanError: 'listing pods: HTTP 500', deleted: false,
      });
      t.close();
    });

    it('lets one scan of a cluster run at a time; an expired lease is taken over', async () => {
      const t = await newStore(backend, { leaseMs: 60_000 });
      const other = t.peer({ leaseMs: 60_000 });
      const lease = await t.store.acquireLease(prod.id, 'scanner-a');
      await expect(other.acquireLease(prod.id, 'scanner-b')).rejects.toThrow(LeaseHeldError);
      await expect(other.acquireLease(prod.id, 'scanner-b')).rejects.toThrow(/being scanned by scanner-a/);
      // Another cluster is independent.
      await other.acquireLease(staging.id, 'scanner-b');

      t.clock.now = '2026-01-01T00:02:00.000Z';
      const takeover = await other.acquireLease(prod.id, 'scanner-b');
      expect(takeover.takenOverFrom).toBe('scanner-a');
      await expect(
        t.store.recordScan({ lease, cluster: prod, findings: [], coverage: full, scannedAt: t.clock.now }),
      ).rejects.toThrow(LeaseLostError);
      await other.releaseLease(takeover);
      await t.store.acquireLease(prod.id, 'scanner-c');

      const contenders = await Promise.allSettled(
        ['w1', 'w2', 'w3', 'w4', 'w5'].map((owner) => t.peer().acquireLease('manifests:race', owner)),
      );
      expect(contenders.filter((c) => c.status === 'fulfilled')).toHaveLength(1);
      expect(contenders.filter((c) => c.status === 'rejected').every((c) => c.reason instanceof LeaseHeldError)).toBe(true);
      t.close();
    });

    it('tryAcquireLease gives undefined while another scan holds a live lease, and takes an expired one over', async () => {
      const t = await newStore(backend, { leaseMs: 60_000 });
      const lease = await t.store.acquireLease(prod.id, 'scanner-a');
      expect(await t.peer().tryAcquireLease(prod.id, 'scanner-b')).toBeUndefined();
      expect(await t.store.tryAcquireLease(prod.id, 'scanner-a')).toMatchObject({ clusterId: prod.id, owner: 'scanner-a' });
      t.clock.now = '2026-01-01T00:02:00.000Z';
      expect(await t.peer().tryAcquireLease(prod.id, 'scanner-b')).toMatchObject({ owner: 'scanner-b', takenOverFrom: 'scanner-a' });
      await expect(t.store.recordScan({ lease, cluster: prod, findings: [], coverage: full, scannedAt: t.clock.now })).rejects.toThrow(LeaseLostError);
      t.close();
    });

    it('resolves every open finding of a deleted cluster through reconcile and history, once, and not during a scan', async () => {
      const t = await newStore(backend);
      const web = finding({ name: 'web', kind: 'Deployment' });
      const agent = finding({ name: 'agent', kind: 'DaemonSet', severity: 'high' });
      await scan(t, [web, agent], { at: '2026-01-01T00:00:00.000Z' });

      const lease = await t.peer().acquireLease(prod.id, 'scan-in-flight');
      await expect(t.store.resolveAllFindings(prod, '2026-01-02T00:00:00.000Z')).rejects.toThrow(LeaseHeldError);
      await t.peer().releaseLease(lease);

      t.clock.now = '2026-01-02T00:00:05.000Z';
      const resolved = await t.store.resolveAllFindings(prod, '2026-01-02T00:00:00.000Z');
      expect(resolved.map((f) => [f.resource.name, f.status, f.resolvedAt]).sort()).toEqual([
        ['agent', 'RESOLVED', '2026-01-02T00:00:00.000Z'],
        ['web', 'RESOLVED', '2026-01-02T00:00:00.000Z'],
      ]);
      expect(await t.store.findings(prod.id, { status: 'open' })).toEqual([]);
      const [record] = await t.store.scans(prod.id);
      expect(record).toMatchObject({ scannedAt: '2026-01-02T00:00:00.000Z', startedAt: '2026-01-02T00:00:00.000Z', result: 'succeeded' });
      expect([...(record?.resolved ?? [])].sort()).toEqual([agent.fingerprint, web.fingerprint].sort());
      expect((await t.store.getCluster(prod.id))?.leaseOwner).toBeUndefined();

      expect(await t.store.resolveAllFindings(prod, '2026-01-03T00:00:00.000Z')).toEqual([]);
      expect(await t.store.scans(prod.id)).toHaveLength(2);
      t.close();
    });

    it('answers the fleet queries: by rule, by severity, the inventory and scan history', async () => {
      const t = await newStore(backend);
      await scan(t, [
        finding({ name: 'a', ruleId: 'host-network', severity: 'high' }),
        finding({ name: 'b', ruleId: 'privileged-container', severity: 'critical' }),
        finding({ name: 'c', ruleId: 'missing-limits', severity: 'low' }),
      ], { at: '2026-01-01T00:00:00.000Z' });
      await scan(t, [
        finding({ name: 'x', ruleId: 'host-network', severity: 'high' }),
        finding({ name: 'y', ruleId: 'run-as-root', severity: 'medium' }),
        finding({ name: 'z', ruleId: 'host-network', severity: 'high', suppression: { reason: 'reviewed by platform', source: 'exceptions-file' } }),
      ], { cluster: staging, at: '2026-01-02T00:00:00.000Z' });

      const hostNetwork = await t.store.openFindingsOfRule('host-network');
      expect(hostNetwork.map((f) => `${f.clusterId.split('/')[1]}:${f.resource.name}`).sort()).toEqual(['prod:a', 'staging:x']);
      const high = await t.store.openFindingsAtLeast('high');
      expect(high.map((f) => f.resource.name)).toEqual(['b', 'a', 'x']);
      expect((await t.store.openFindingsAtLeast('medium')).map((f) => f.resource.name).sort()).toEqual(['a', 'b', 'x', 'y']);

      const inventory = await t.store.clusters();
      expect(inventory.map((c) => c.name).sort()).toEqual(['prod', 'staging']);
      expect(inventory.find((c) => c.name === 'staging')).toMatchObject({
        clusterId: staging.id, arn: staging.arn, accountId: '111122223333', region: 'eu-west-1', version: '1.31', status: 'ACTIVE',
        endpointPublicAccess: true, lastScanAt: '2026-01-02T00:00:00.000Z', lastScanResult: 'succeeded', deleted: false,
        counts: { open: { critical: 0, high: 1, medium: 1, low: 0, info: 0 }, suppressed: 1 },
      });
      expect(inventory.every((c) => c.leaseOwner === undefined)).toBe(true);

      await t.store.markClusterDeleted(staging.id, '2026-01-03T00:00:00.000Z');
      expect(await t.store.getCluster(staging.id)).toMatchObject({ deleted: true, deletedAt: '2026-01-03T00:00:00.000Z' });
      await t.store.upsertCluster({ id: 'arn:aws:eks:us-east-1:444455556666:cluster/new', name: 'new', source: 'eks' }, { name: 'new', version: '1.32' });
      expect((await t.store.clusters()).map((c) => c.name).sort()).toEqual(['new', 'prod', 'staging']);

      const lease = await t.store.acquireLease(prod.id, 'scanner-9');
      await t.store.recordScanFailure({ lease, cluster: prod, error: 'Unauthorized: the scanner role has no access entry', at: '2026-01-04T00:00:00.000Z' });
      expect(await t.store.getCluster(prod.id)).toMatchObject({ lastScanResult: 'failed', lastScanError: expect.stringContaining('access entry') });
      expect((await t.store.scans(prod.id))[0]).toMatchObject({ result: 'failed' });
      expect(await t.store.findings(prod.id, { status: 'open' })).toHaveLength(3);
      t.close();
    });

    it('gives one ticket per rule × cluster to concurrent claimants, with versioned updates', async () => {
      const t = await newStore(backend);
      const claims = await Promise.all(['sync-1', 'sync-2', 'sync-3', 'sync-4'].map((who) => t.peer().claimTicket(prod.id, 'host-network', who)));
      const winners = claims.filter((c) => c.claimed);
      expect(winners).toHaveLength(1);
      const winner = winners[0]!.ticket.claimedBy;
      expect(claims.every((c) => c.ticket.claimedBy === winner)).toBe(true);

      const updated = await t.store.updateTicket(prod.id, 'host-network', { issueKey: 'SEC-42', fingerprints: ['f1'] }, 1);
      expect(updated).toMatchObject({ issueKey: 'SEC-42', version: 2, claimedBy: winner });
      await expect(t.store.updateTicket(prod.id, 'host-network', { state: 'Done' }, 1)).rejects.toThrow(TicketConflictError);
      expect(await t.store.getTicket(prod.id, 'host-network')).toMatchObject({ issueKey: 'SEC-42', version: 2 });
      expect(await t.store.releaseTicketClaim(prod.id, 'host-network', winner)).toBe(false);

      await t.store.claimTicket(prod.id, 'run-as-root', 'sync-1');
      expect(await t.store.releaseTicketClaim(prod.id, 'run-as-root', 'sync-2')).toBe(false);
      expect(await t.store.releaseTicketClaim(prod.id, 'run-as-root', 'sync-1')).toBe(true);
      expect((await t.store.tickets(prod.id)).map((x) => x.ruleId)).toEqual(['host-network']);
      t.close();
    });

    it('converges after a writer killed halfway, announcing what the dead scan never did', async () => {
      const t = await newStore(backend, { leaseMs: 60_000 });
      const findings = manyFindings(500, { clusterId: prod.id });
      t.faults.killAfterBatches = 9;
      await expect(scan(t, findings, { at: '2026-01-01T00:00:00.000Z', owner: 'dead' })).rejects.toThrow(/writer killed/);
      const half = await t.store.findings(prod.id);
      expect(half.length).toBeGreaterThan(0);
      expect(half.length).toBeLessThan(500);
      delete t.faults.killAfterBatches;

      // The dead scan's lease blocks until it expires, then the rescan converges.
      await expect(scan(t, findings, { at: '2026-01-01T00:00:30.000Z', owner: 'rescan' })).rejects.toThrow(LeaseHeldError);
      const rescan = await scan(t, findings, { at: '2026-01-01T00:05:00.000Z', owner: 'rescan' });
      expect(rescan.summary.opened).toBe(500);
      expect(rescan.reconciliation.writes.length).toBe(500 - half.length);
      const stored = await t.store.findings(prod.id);
      expect(stored).toHaveLength(500);
      expect(stored.every((f) => f.status === 'OPEN')).toBe(true);
      const again = await scan(t, findings, { at: '2026-01-02T00:00:00.000Z', owner: 'next' });
      expect(again.summary).toMatchObject({ opened: 0, unchanged: 500 });
      expect(again.reconciliation.writes).toEqual([]);
      t.close();
    });

    it('retries throttled batches and unprocessed items with bounded jittered backoff', async () => {
      const t = await newStore(backend);
      t.faults.throttleBatches = 2;
      t.faults.partialBatches = 5;
      const findings = manyFindings(120, { clusterId: prod.id });
      const outcome = await scan(t, findings, { at: '2026-01-01T00:00:00.000Z' });
      expect(outcome.summary.opened).toBe(120);
      expect(await t.store.findings(prod.id)).toHaveLength(120);
      expect(t.sleeps.length).toBeGreaterThanOrEqual(5);
      expect(t.sleeps.every((ms) => ms >= 0 && ms <= 5_000)).toBe(true);

      const stubborn = await newStore(backend, { maxBatchAttempts: 3 });
      stubborn.faults.throttleBatches = 100;
      await expect(scan(stubborn, findings, { at: '2026-01-01T00:00:00.000Z' })).rejects.toThrow(StoreWriteError);
      await expect(scan(stubborn, findings, { at: '2026-01-01T00:00:00.000Z', owner: 'scanner-1' })).rejects.toThrow(/still throttled after 3 attempts/);
      t.close();
      stubborn.close();
    });

    it('spreads open findings over the shards of the open-by-severity index, and reads them all back in order', async () => {
      const t = await newStore(backend);
      const findings = manyFindings(160, { clusterId: prod.id });
      await scan(t, findings, { at: '2026-01-01T00:00:00.000Z' });
      const doc = documentClientOf(t.client);
      // Written before the index was sharded: still under the bare severity key.
      const legacy = { ...finding({ name: 'legacy', clusterId: prod.id, severity: 'critical' }), status: 'OPEN', reopenCount: 0 };
      await doc.send(new PutCommand({
        TableName: t.tableName,
        Item: { PK: `CLUSTER#${prod.id}`, SK: `FINDING#${legacy.fingerprint}`, ...legacy, openSeverityKey: 'SEVERITY#critical', openSeveritySort: `${prod.id}#${legacy.ruleId}#${legacy.fingerprint}` },
      }));
      const items = (await doc.send(new ScanCommand({ TableName: t.tableName }))).Items ?? [];
      const criticalKeys = new Set(items.map((item) => item.openSeverityKey).filter((key) => typeof key === 'string' && key.startsWith('SEVERITY#critical#')));
      expect(criticalKeys.size).toBeGreaterThan(4);
      const critical = await t.store.openFindingsAtLeast('critical');
      const expected = [...findings.filter((f) => f.severity === 'critical'), legacy]
        .map((f) => `${f.clusterId}#${f.ruleId}#${f.fingerprint}`)
        .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
      expect(critical.map((f) => `${f.clusterId}#${f.ruleId}#${f.fingerprint}`)).toEqual(expected);
      t.close();
    });

    it('skips a malformed stored item, naming its key, and processes the rest', async () => {
      const itemErrors: string[] = [];
      const logger = { ...silentLogger, error: (_message: string, attributes?: LogAttributes) => void itemErrors.push(String(attributes?.message)) };
      const t = await newStore(backend, { logger });
      const web = finding({ name: 'web', clusterId: prod.id });
      await scan(t, [web, finding({ name: 'api', clusterId: prod.id })], { at: '2026-01-01T00:00:00.000Z' });
      const doc = documentClientOf(t.client);
      await doc.send(new PutCommand({
        TableName: t.tableName,
        Item: { PK: `CLUSTER#${prod.id}`, SK: 'FINDING#0000000000000000000000000000beef', status: 'OPEN', severity: 'catastrophic' },
      }));
      const outcome = await scan(t, [web], { at: '2026-01-02T00:00:00.000Z' });
      expect(outcome.itemErrors).toHaveLength(1);
      expect(outcome.itemErrors[0]?.key).toEqual({ PK: `CLUSTER#${prod.id}`, SK: 'FINDING#0000000000000000000000000000beef' });
      expect(itemErrors[0]).toMatch(/Skipped malformed item PK=CLUSTER#arn:aws:eks:eu-west-1:111122223333:cluster\/prod SK=FINDING#0+beef/);
      expect(outcome.summary).toMatchObject({ resolved: 1, unchanged: 1 });
      t.close();
    });
  });
}

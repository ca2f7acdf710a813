import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { baselineKey } from '../../shared/audit/baseline.ts';
import { detect } from '../../shared/audit/detect.ts';
import secretReadUnusual from '../../shared/audit/detections/secret-read-unusual.ts';
import { documentClientOf } from '../../shared/store/finding-store.ts';
import { DynamoPrincipalBaseline } from '../../shared/store/audit-baseline.ts';
import { auditEvent, clusterId } from '../audit/events.ts';
import { newStore, startDynalite, type Backend, type TestStore } from './harness.ts';

let backend: Backend;
beforeAll(async () => {
  backend = await startDynalite();
});
afterAll(async () => {
  await backend.stop();
});

async function setup(): Promise<{ test: TestStore; baseline: () => DynamoPrincipalBaseline }> {
  const test = await newStore(backend);
  return { test, baseline: () => new DynamoPrincipalBaseline({ client: documentClientOf(test.client), tableName: test.tableName }) };
}

const observation = (principal: string, access: string, at: string) => ({ principal, access, at });

describe('DynamoPrincipalBaseline (dynalite)', () => {
  it('keeps the earliest cluster start and first-seen times, whatever order batches arrive in', async () => {
    const { test, baseline } = await setup();
    const store = baseline();
    const key = baselineKey('alice', 'secrets:shop');
    const later = await store.observe(clusterId, { startedAt: '2026-12-05T00:00:00Z', observations: [observation('alice', 'secrets:shop', '2026-12-05T00:00:00.500Z')] });
    expect(later).toEqual({ learningStartedAt: '2026-12-05T00:00:00.000Z', firstSeen: new Map([[key, '2026-12-05T00:00:00.500Z']]) });
    const earlier = await store.observe(clusterId, { startedAt: '2026-12-01T10:00:00.123456Z', observations: [observation('alice', 'secrets:shop', '2026-12-01T10:00:00.123456Z')] });
    expect(earlier).toEqual({ learningStartedAt: '2026-12-01T10:00:00.123Z', firstSeen: new Map([[key, '2026-12-01T10:00:00.123Z']]) });
    // A second process reads what the first wrote.
    const again = await baseline().observe(clusterId, { startedAt: '2026-12-09T00:00:00Z', observations: [observation('alice', 'secrets:shop', '2026-12-09T00:00:00Z')] });
    expect(again).toEqual(earlier);
    test.close();
  });

  it('writes nothing for a replayed batch, and one conditional write per new key', async () => {
    const { test, baseline } = await setup();
    const batch = { startedAt: '2026-12-01T00:00:00Z', observations: [observation('a', 'secrets:x', '2026-12-01T00:00:01Z'), observation('a', 'secrets:x', '2026-12-01T00:00:02Z'), observation('b', 'secrets:*', '2026-12-01T00:00:03Z')] };
    const store = baseline();
    await store.observe(clusterId, batch);
    expect(test.writes.get('UpdateItemCommand')).toBe(3); // the cluster start and two keys
    test.resetWrites();
    await store.observe(clusterId, batch);
    expect(test.totalWrites()).toBe(0);
    test.close();
  });

  it('agrees with a concurrent writer: the earliest time wins and both answer it', async () => {
    const { test, baseline } = await setup();
    const [one, two] = await Promise.all([
      baseline().observe(clusterId, { startedAt: '2026-12-03T00:00:00Z', observations: [observation('a', 'secrets:x', '2026-12-03T00:00:00Z')] }),
      baseline().observe(clusterId, { startedAt: '2026-12-02T00:00:00Z', observations: [observation('a', 'secrets:x', '2026-12-02T00:00:00Z')] }),
    ]);
    const after = await baseline().observe(clusterId, { startedAt: '2026-12-09T00:00:00Z', observations: [observation('a', 'secrets:x', '2026-12-09T00:00:00Z')] });
    expect(after.firstSeen.get(baselineKey('a', 'secrets:x'))).toBe('2026-12-02T00:00:00.000Z');
    expect(after.learningStartedAt).toBe('2026-12-02T00:00:00.000Z');
    expect(two.firstSeen.get(baselineKey('a', 'secrets:x'))).toBe('2026-12-02T00:00:00.000Z');
    expect(['2026-12-02T00:00:00.000Z', '2026-12-03T00:00:00.000Z']).toContain(one.firstSeen.get(baselineKey('a', 'secrets:x')));
    test.close();
  });

  it('stays out of the cluster\'s findings', async () => {
    const { test, baseline } = await setup();
    await baseline().observe(clusterId, { startedAt: '2026-12-01T00:00:00Z', observations: [observation('a', 'secrets:x', '2026-12-01T00:00:00Z')] });
    const { findings } = await test.store.loadCluster(clusterId);
    expect(findings).toEqual([]);
    test.close();
  });

  it('drives the secret-read detection as the in-memory baseline does, across processes and replays', async () => {
    const { test, baseline } = await setup();
    const context = () => ({ clusterId, baseline: baseline(), detections: [secretReadUnusual] });
    expect((await detect([auditEvent('sa-in-cluster-secret-get')], context())).findings).toEqual([]);
    const first = await detect([auditEvent('sa-kubectl-get-secrets')], context());
    const replay = await detect([auditEvent('sa-kubectl-get-secrets')], context());
    expect(first.findings.map((f) => f.message)).toEqual([
      'system:serviceaccount:build:ci listed secrets in namespace payments, which it did not during the learning period',
    ]);
    expect(replay.findings).toEqual(first.findings);
    test.close();
  });
});

// How the collector meets a misbehaving API server: every injected fault, RBAC denials, bad tokens, a wrong CA.
import { describe, expect, it } from 'vitest';
import { collectSnapshot, type KubeClient } from '../../shared/kube/index.ts';
import type { ClusterRef } from '../../shared/model/cluster.ts';
import type { Snapshot } from '../../shared/model/snapshot.ts';
import { generateTls } from '../../shared/sandbox/tls.ts';
import type { Fault } from '../../shared/sandbox/kube-api/index.ts';
import { syntheticCluster } from '../../shared/sandbox/kube-api/synthetic.ts';
import { clusterName, scanClient, useEmulator } from './emulator-harness.ts';

const cluster: ClusterRef = { id: 'kubeconfig:test', name: clusterName, source: 'kubeconfig' };
const objects = syntheticCluster({ objects: 120 });
const pods = objects.filter((object) => object.kind === 'Pod').length;
const PAGE = 10;

const emulator = useEmulator(objects);

interface Run {
  snapshot: Snapshot;
  client: KubeClient;
  sleeps: number[];
  renewals: number;
  podRequests: { status: number; outcome: string }[];
}

async function scan(options: { faults?: Fault[]; tokenCluster?: string; tokenClock?: () => Date; caData?: string } = {}): Promise<Run> {
  const api = emulator();
  api.setFaults(options.faults ?? []);
  const { faults: _faults, ...clientOptions } = options;
  const scan = scanClient(api, { ...clientOptions, retry: { maxAttempts: 4, baseDelayMs: 100, maxDelayMs: 5000 } });
  const since = api.requests.length;
  const snapshot = await collectSnapshot({ client: scan.client, cluster, pageLimit: PAGE });
  const podRequests = api.requests.slice(since).filter((request) => request.kind === 'Pod');
  return { ...scan, snapshot, podRequests };
}

function expectCompletePods(snapshot: Snapshot) {
  expect(snapshot.coverage.Pod).toEqual({ complete: true, count: pods });
  const names = snapshot.objects.Pod!.map((pod) => `${pod.metadata?.namespace}/${pod.metadata?.name}`);
  expect(new Set(names).size).toBe(pods);
}

describe('retries', () => {
  it('waits as long as a 429 Retry-After asks, then goes on', async () => {
    const run = await scan({ faults: [{ kind: 'Pod', nth: 2, effect: { type: 'status', status: 429, retryAfterSeconds: 3 } }] });
    expectCompletePods(run.snapshot);
    expect(run.sleeps).toEqual([3000]);
    expect(run.podRequests.map((request) => request.status)).toEqual([200, 429, ...Array(Math.ceil(pods / PAGE) - 1).fill(200)]);
    expect(run.client.stats.retries).toBe(1);
  });

  it('caps a Retry-After at the policy maximum', async () => {
    const run = await scan({ faults: [{ kind: 'Pod', nth: 1, effect: { type: 'status', status: 429, retryAfterSeconds: 600 } }] });
    expectCompletePods(run.snapshot);
    expect(run.sleeps).toEqual([5000]);
  });

  it('backs off exponentially through 500s and 503s', async () => {
    const run = await scan({
      faults: [
        { kind: 'Pod', nth: 3, times: 2, effect: { type: 'status', status: 500 } },
        { kind: 'Pod', nth: 5, effect: { type: 'status', status: 503 } },
      ],
    });
    expectCompletePods(run.snapshot);
    expect(run.sleeps).toHaveLength(3);
    // Attempt n waits between half and all of 100 ms × 2^(n-1).
    expect(run.sleeps[0]).toBeGreaterThanOrEqual(50);
    expect(run.sleeps[0]).toBeLessThanOrEqual(100);
    expect(run.sleeps[1]).toBeGreaterThanOrEqual(100);
    expect(run.sleeps[1]).toBeLessThanOrEqual(200);
  });

  it('retries a reset connection and a truncated body', async () => {
    const run = await scan({
      faults: [
        { kind: 'Pod', nth: 2, effect: { type: 'reset' } },
        { kind: 'Pod', nth: 4, effect: { type: 'truncate' } },
        { kind: 'Secret', nth: 1, effect: { type: 'truncate' } },
      ],
    });
    expectCompletePods(run.snapshot);
    expect(run.podRequests.map((request) => request.outcome)).toContain('reset');
    expect(run.podRequests.map((request) => request.outcome)).toContain('truncated');
    expect(run.snapshot.coverage.Secret).toMatchObject({ complete: true });
    expect(run.client.stats.retries).toBe(3);
  });

  it('survives latency', async () => {
    const run = await scan({ faults: [{ kind: 'Namespace', effect: { type: 'latency', ms: 30 } }] });
    expect(run.snapshot.coverage.Namespace).toMatchObject({ complete: true });
    expect(run.client.stats.retries).toBe(0);
  });

  it('gives up after the bounded attempts, marks that kind failed and scans the rest', async () => {
    const run = await scan({ faults: [{ kind: 'Pod', nth: 2, effect: { type: 'status', status: 500 } }, { kind: 'Pod', nth: 3, times: 10, effect: { type: 'status', status: 500 } }] });
    expect(run.snapshot.coverage.Pod).toEqual({
      complete: false,
      count: PAGE,
      error: 'failed: HTTP 500 InternalError after 4 attempt(s) while listing pods (/api/v1/pods): injected 500',
    });
    expect(run.sleeps).toHaveLength(3);
    expect(run.snapshot.coverage.Deployment).toMatchObject({ complete: true });
  });

  it('gives up on a connection that keeps resetting, with the reason', async () => {
    const run = await scan({ faults: [{ kind: 'Service', effect: { type: 'reset' } }] });
    expect(run.snapshot.coverage.Service).toMatchObject({ complete: false, count: 0 });
    expect(run.snapshot.coverage.Service!.error).toMatch(/^failed: listing services \(\/api\/v1\/services\): connection: .*after 4 attempts/);
    expect(run.snapshot.coverage.Pod).toMatchObject({ complete: true });
  });
});

describe('expired continue tokens', () => {
  it('restarts a list once after 410 Gone, without duplicates', async () => {
    const run = await scan({ faults: [{ kind: 'Pod', nth: 3, effect: { type: 'status', status: 410 } }] });
    expectCompletePods(run.snapshot);
    const statuses = run.podRequests.map((request) => request.status);
    expect(statuses.slice(0, 3)).toEqual([200, 200, 410]);
    expect(run.podRequests).toHaveLength(3 + Math.ceil(pods / PAGE));
    expect(run.sleeps).toEqual([]);
  });

  it('restarts when the server really expired the token mid-list', async () => {
    let expired = false;
    const api = emulator();
    const { client } = scanClient(api);
    const since = api.requests.length;
    const snapshot = await collectSnapshot({
      client,
      cluster,
      pageLimit: PAGE,
      onProgress: (event) => {
        if (event.kind === 'Pod' && event.phase === 'page' && event.pages === 2 && !expired) {
          expired = true;
          api.expireContinueTokens();
        }
      },
    });
    expectCompletePods(snapshot);
    expect(api.requests.slice(since).filter((request) => request.kind === 'Pod' && request.outcome === 'expired')).toHaveLength(1);
  });

  it('marks the kind failed when the restarted list expires again', async () => {
    const run = await scan({ faults: [{ kind: 'Pod', nth: 2, times: 2, effect: { type: 'status', status: 410 } }] });
    expect(run.snapshot.coverage.Pod).toMatchObject({ complete: false, error: expect.stringMatching(/410 Gone\) twice/) });
  });
});

describe('authorization', () => {
  it('records a forbidden kind as incomplete with the reason, and scans the rest', async () => {
    emulator().setForbiddenKinds(['Secret', 'ClusterRole']);
    const run = await scan();
    expect(run.snapshot.coverage.Secret).toEqual({
      complete: false,
      count: 0,
      error: 'forbidden: secrets is forbidden: User "periscope" cannot list resource "secrets" in API group "" at the cluster scope',
    });
    expect(run.snapshot.coverage.ClusterRole).toMatchObject({ complete: false, error: expect.stringMatching(/^forbidden: /) });
    expect(run.snapshot.objects.Secret).toEqual([]);
    expect(run.snapshot.coverage.Pod).toMatchObject({ complete: true });
    expect(run.sleeps).toEqual([]);
  });

  it('renews the token once on a 401 and carries on', async () => {
    const run = await scan({ faults: [{ kind: 'Pod', nth: 2, effect: { type: 'status', status: 401 } }] });
    expectCompletePods(run.snapshot);
    expect(run.renewals).toBe(1);
    expect(run.client.stats.renewals).toBe(1);
  });

  it('refuses a token signed for another cluster, and stops asking', async () => {
    const since = emulator().requests.length;
    const run = await scan({ tokenCluster: 'someone-elses-cluster' });
    const requests = emulator().requests.slice(since);
    expect(requests.every((request) => request.status === 401)).toBe(true);
    // The first kind is tried twice (the second time with a fresh token); the others are not tried at all.
    expect(requests).toHaveLength(2);
    expect(run.snapshot.coverage.Namespace!.error).toMatch(/^failed: unauthorized \(401\) while listing namespaces/);
    expect(run.snapshot.coverage.Pod!.error).toMatch(/^failed: not listed after an earlier failure \(unauthorized \(401\)/);
    for (const coverage of Object.values(run.snapshot.coverage)) {
      expect(coverage).toMatchObject({ complete: false, count: 0, error: expect.stringMatching(/unauthorized \(401\)/) });
    }
  });

  it('refuses an expired token', async () => {
    const signedLongAgo = () => new Date(Date.now() - 16 * 60_000);
    const run = await scan({ tokenClock: signedLongAgo });
    expect(run.renewals).toBe(1);
    expect(run.snapshot.coverage.Namespace).toMatchObject({ complete: false, error: expect.stringMatching(/unauthorized/) });
  });

  it('verifies TLS: a server whose certificate the CA did not sign is refused', async () => {
    const otherCa = Buffer.from(generateTls().caPem).toString('base64');
    const since = emulator().requests.length;
    const run = await scan({ caData: otherCa });
    expect(emulator().requests.length).toBe(since);
    expect(run.sleeps).toEqual([]);
    for (const coverage of Object.values(run.snapshot.coverage)) {
      expect(coverage).toMatchObject({ complete: false, error: expect.stringMatching(/does not verify against the cluster CA/) });
    }
  });
});

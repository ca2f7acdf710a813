// Every wait of a live collection is bounded, and each bound that stops a kind is recorded as that kind's incomplete
// coverage, never as a clean read: a continue token that never ends (page cap), a kind that hangs (the request
// timeout, the scan's deadline), a credential source that keeps failing, a server that keeps resetting (the retry
// budget). Against the API emulator over HTTPS, with small bounds so the tests stay fast.
import { describe, expect, it } from 'vitest';
import { collectSnapshot, type KubeClient } from '../../shared/kube/index.ts';
import type { ClusterRef } from '../../shared/model/cluster.ts';
import type { KindCoverage } from '../../shared/model/snapshot.ts';
import { syntheticCluster } from '../../shared/sandbox/kube-api/synthetic.ts';
import { credentials, scanClient, useEmulator } from './emulator-harness.ts';

const cluster: ClusterRef = { id: 'kubeconfig:test', name: 'bounds', source: 'kubeconfig' };
const objects = syntheticCluster({ objects: 60 });
const emulator = useEmulator(objects);

function incomplete(coverage: Record<string, KindCoverage>): string[] {
  return Object.entries(coverage).flatMap(([kind, entry]) => (entry.complete ? [] : [kind]));
}

describe('a continue token that never ends', () => {
  it('stops the kind at the page cap, records it incomplete with the reason, and reads the other kinds', async () => {
    const api = emulator();
    api.setFaults([{ kind: 'Pod', effect: { type: 'endless' } }]);
    const { client } = scanClient(api);
    const snapshot = await collectSnapshot({ client, cluster, pageLimit: 5, maxPagesPerKind: 7 });
    expect(snapshot.coverage.Pod).toMatchObject({
      complete: false,
      error: 'failed: listing pods (/api/v1/pods) stopped after 7 pages of 5: the server kept handing out continue tokens (raise the page cap if the kind really is that large)',
    });
    expect(api.requests.filter((request) => request.kind === 'Pod')).toHaveLength(7);
    expect(incomplete(snapshot.coverage)).toEqual(['Pod']);
  });

  it('refuses a page cap that is not a whole number of at least 1', async () => {
    const { client } = scanClient(emulator());
    await expect(collectSnapshot({ client, cluster, maxPagesPerKind: 0 })).rejects.toThrow(/maxPagesPerKind must be a whole number/);
  });
});

describe('a kind that hangs', () => {
  it('is given up after the per-request timeout and its retries, as a failed kind', async () => {
    const api = emulator();
    api.setFaults([{ kind: 'Service', effect: { type: 'latency', ms: 20_000 } }]);
    const { client } = scanClient(api, { requestTimeoutMs: 150, retry: { maxAttempts: 2 } });
    const snapshot = await collectSnapshot({ client, cluster });
    expect(snapshot.coverage.Service).toMatchObject({ complete: false, count: 0 });
    expect(snapshot.coverage.Service!.error).toMatch(/^failed: listing services \(\/api\/v1\/services\): connection: .*(aborted|timeout|TimeoutError).*after 2 attempts/i);
    expect(incomplete(snapshot.coverage)).toEqual(['Service']);
  });

  it('stops at the scan deadline: the hanging kind and every kind not read by then are incomplete, with the reason', async () => {
    const api = emulator();
    // Every kind but the first is slow, one of them hangs: the deadline falls in the middle of the collection.
    api.setFaults([
      { kind: 'Service', effect: { type: 'latency', ms: 20_000 } },
      { kind: 'Pod', effect: { type: 'latency', ms: 20_000 } },
    ]);
    const { client } = scanClient(api);
    const snapshot = await collectSnapshot({ client, cluster, deadlineMs: 400, concurrency: 2 });
    expect(snapshot.coverage.Service).toMatchObject({ complete: false, error: expect.stringMatching(/the scan's deadline of 400 ms passed/) });
    expect(snapshot.coverage.Pod).toMatchObject({ complete: false, error: expect.stringMatching(/the scan's deadline of 400 ms passed/) });
    expect(snapshot.coverage.Namespace).toMatchObject({ complete: true });
    for (const kind of incomplete(snapshot.coverage)) {
      expect(snapshot.coverage[kind]!.error, kind).toMatch(/the scan's deadline of 400 ms passed/);
    }
  });

  it('refuses a deadline that is not a positive number', async () => {
    const { client } = scanClient(emulator());
    await expect(collectSnapshot({ client, cluster, deadlineMs: 0 })).rejects.toThrow(/deadlineMs must be a positive number/);
  });
});

describe('a credential source that keeps failing with errors other than 401', () => {
  it('tries a bounded number of times in all, then records every kind as not read', async () => {
    let calls = 0;
    const failing = async () => {
      calls += 1;
      throw Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' });
    };
    const { client } = scanClient(emulator(), { credentialSource: failing, retry: { maxAttempts: 5 } });
    const since = emulator().requests.length;
    const snapshot = await collectSnapshot({ client, cluster });
    // One request's attempts, not five for each of the 25 kinds.
    expect(calls).toBe(5);
    expect(emulator().requests.length).toBe(since);
    const kinds = Object.keys(snapshot.coverage);
    expect(incomplete(snapshot.coverage)).toEqual(kinds);
    expect(snapshot.coverage.Namespace!.error).toMatch(/^failed: listing namespaces .*could not authenticate: .*ThrottlingException.*Rate exceeded.*after 5 attempts/);
    expect(snapshot.coverage.Pod!.error).toMatch(/^failed: not listed after an earlier failure .*could not authenticate/);
    expect(JSON.stringify(snapshot.coverage)).not.toContain(credentials.secretAccessKey);
  });
});

describe('the retry budget', () => {
  it('caps the retries of the whole client however many kinds keep failing', async () => {
    const api = emulator();
    api.setFaults(['Service', 'Pod', 'Secret', 'ConfigMap'].map((kind) => ({ kind, effect: { type: 'reset' as const } })));
    const { client } = scanClient(api, { retry: { maxAttempts: 5, budget: 6 } });
    const snapshot = await collectSnapshot({ client, cluster });
    expect(client.stats.retries).toBe(6);
    expect(incomplete(snapshot.coverage).sort()).toEqual(['ConfigMap', 'Pod', 'Secret', 'Service']);
    expect(Object.values(snapshot.coverage).map((entry) => entry.error ?? '').join('\n')).toMatch(/budget of 6 retries is spent/);
  });
});

describe('items are taken as they arrive', () => {
  it('hands each item to `take` and keeps only what it returns', async () => {
    const { client }: { client: KubeClient } = scanClient(emulator());
    const seen: string[] = [];
    const page = await client.listPage('/api/v1/pods', { limit: 4 }, {
      take: (item) => {
        const name = (item as { metadata: { name: string } }).metadata.name;
        seen.push(name);
        return seen.length % 2 === 0 ? undefined : name;
      },
    });
    expect(seen).toHaveLength(4);
    expect(page.items).toEqual([seen[0], seen[2]]);
    expect(page.continueToken).toEqual(expect.any(String));
  });
});


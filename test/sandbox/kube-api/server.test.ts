// The emulator as client-node's own typed API sees it: pagination, 410 with a fresh continue token, metadata-only
// lists, namespaced lists, authentication, and the fault plan's counting.
import * as k8s from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eksTokenProvider } from '../../../shared/eks/index.ts';
import { kubeConfigForEndpoint } from '../../../shared/kube/index.ts';
import { startKubeApi, type KubeApi } from '../../../shared/sandbox/kube-api/index.ts';
import { FaultPlan } from '../../../shared/sandbox/kube-api/faults.ts';

const credentials = { accessKeyId: 'AKIDTEST', secretAccessKey: 'test-secret' };
const secrets = Array.from({ length: 5 }, (_, i) => ({
  kind: 'Secret',
  metadata: { name: `s${i}`, namespace: i < 3 ? 'a' : 'b', annotations: { note: `n${i}` } },
  data: { key: 'dmFsdWU=' },
}));

let api: KubeApi;
let core: k8s.CoreV1Api;
beforeAll(async () => {
  api = await startKubeApi({ objects: secrets, clusterName: 'sandbox', region: 'us-east-1', credentials: [credentials], staticTokens: ['static'] });
  const tokens = eksTokenProvider({ clusterName: 'sandbox', region: 'us-east-1', credentials });
  core = kubeConfigForEndpoint({ name: 'sandbox', server: api.url, caData: api.caData }, tokens).makeApiClient(k8s.CoreV1Api);
});
afterAll(async () => api.stop());

describe('the Kubernetes API emulator', () => {
  it('pages a list with limit and continue, for client-node typed calls', async () => {
    const first = await core.listSecretForAllNamespaces({ limit: 2 });
    expect(first.items.map((secret) => secret.metadata?.name)).toEqual(['s0', 's1']);
    expect(first.metadata?.remainingItemCount).toBe(3);
    const second = await core.listSecretForAllNamespaces({ limit: 2, _continue: first.metadata!._continue! });
    expect(second.items.map((secret) => secret.metadata?.name)).toEqual(['s2', 's3']);
    const last = await core.listSecretForAllNamespaces({ limit: 2, _continue: second.metadata!._continue! });
    expect(last.items.map((secret) => secret.metadata?.name)).toEqual(['s4']);
    expect(last.metadata?._continue).toBeUndefined();
  });

  it('answers 410 Expired, with a fresh continue token, once the token expired', async () => {
    const first = await core.listSecretForAllNamespaces({ limit: 2 });
    api.expireContinueTokens();
    const error = await core.listSecretForAllNamespaces({ limit: 2, _continue: first.metadata!._continue! }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(k8s.ApiException);
    const apiError = error as k8s.ApiException<string>;
    expect(apiError.code).toBe(410);
    const body = JSON.parse(apiError.body) as { reason: string; metadata: { continue: string } };
    expect(body.reason).toBe('Expired');
    const resumed = await core.listSecretForAllNamespaces({ limit: 2, _continue: body.metadata.continue });
    expect(resumed.items.map((secret) => secret.metadata?.name)).toEqual(['s2', 's3']);
  });

  it('expires continue tokens after their time to live', async () => {
    let now = Date.parse('2026-03-01T10:00:00Z');
    const short = await startKubeApi({ objects: secrets, staticTokens: ['static'], continueTtlMs: 1000, clock: () => new Date(now) });
    try {
      const get = (query: string) => fetchJson(short, `/api/v1/secrets?limit=2${query}`);
      const first = (await get('')).body as { metadata: { continue: string } };
      now += 1001;
      expect((await get(`&continue=${first.metadata.continue}`)).status).toBe(410);
    } finally {
      await short.stop();
    }
  });

  it('sends only metadata when asked for PartialObjectMetadataList', async () => {
    const list = await core.listSecretForAllNamespaces(
      {},
      k8s.setHeaderOptions('Accept', 'application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1'),
    );
    expect(list.kind).toBe('PartialObjectMetadataList');
    expect(list.items).toHaveLength(5);
    expect(list.items.every((item) => item.data === undefined)).toBe(true);
    expect(list.items[0]!.metadata?.annotations).toEqual({ note: 'n0' });
  });

  it('lists one namespace, and reflects changes', async () => {
    expect((await core.listNamespacedSecret({ namespace: 'b' })).items.map((s) => s.metadata?.name)).toEqual(['s3', 's4']);
    api.apply({ kind: 'Secret', metadata: { name: 's9', namespace: 'b' } });
    api.delete('Secret', 'b', 's3');
    expect((await core.listNamespacedSecret({ namespace: 'b' })).items.map((s) => s.metadata?.name)).toEqual(['s4', 's9']);
    api.setObjects(secrets);
  });

  it('refuses requests without a valid token, and unknown paths', async () => {
    expect((await fetchJson(api, '/api/v1/secrets', 'nope')).status).toBe(401);
    expect((await fetchJson(api, '/api/v1/secrets', null)).status).toBe(401);
    expect((await fetchJson(api, '/apis/example.com/v1/widgets')).status).toBe(404);
    expect((await fetchJson(api, '/api/v1/namespaces/a/nodes')).status).toBe(404);
  });

  it('refuses objects of kinds it does not serve', async () => {
    await expect(startKubeApi({ objects: [{ kind: 'Widget', metadata: { name: 'w' } }] })).rejects.toThrow(/does not serve kind "Widget"/);
  });
});

describe('FaultPlan', () => {
  it('fires on the Nth matching request, the given number of times', () => {
    const plan = new FaultPlan([
      { kind: 'Pod', nth: 2, times: 2, effect: { type: 'reset' } },
      { effect: { type: 'latency', ms: 5 } },
    ]);
    const fired = ['Pod', 'Secret', 'Pod', 'Pod', 'Pod'].map((kind) => plan.next(kind).map((effect) => effect.type));
    expect(fired).toEqual([['latency'], ['latency'], ['reset', 'latency'], ['reset', 'latency'], ['latency']]);
  });
});

/** A raw request with the emulator's CA, for status codes client-node would turn into exceptions. */
async function fetchJson(server: KubeApi, path: string, token: string | null = 'static'): Promise<{ status: number; body: unknown }> {
  const https = await import('node:https');
  return new Promise((resolve, reject) => {
    const request = https.request(
      `${server.url}${path}`,
      { ca: server.caPem, headers: token === null ? {} : { authorization: `Bearer ${token}` } },
      (response) => {
        let text = '';
        response.on('data', (chunk: Buffer) => (text += chunk.toString()));
        response.on('end', () => resolve({ status: response.statusCode ?? 0, body: JSON.parse(text) as unknown }));
      },
    );
    request.on('error', reject);
    request.end();
  });
}

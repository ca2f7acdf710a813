// The node:https list client from an endpoint and a token source (how the scan Lambda connects, without
// @kubernetes/client-node): SigV4 tokens, renewal on a 401, TLS verified, no redirect followed.
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { eksTokenProvider } from '../../shared/eks/index.ts';
import { collectSnapshot, createKubeClient, collectedKinds } from '../../shared/kube/index.ts';
import type { ClusterRef } from '../../shared/model/cluster.ts';
import { syntheticCluster } from '../../shared/sandbox/kube-api/synthetic.ts';
import { generateTls } from '../../shared/sandbox/tls.ts';
import { clusterName, credentials, region, useEmulator } from './emulator-harness.ts';

const cluster: ClusterRef = { id: 'kubeconfig:test', name: clusterName, source: 'kubeconfig' };
const objects = syntheticCluster({ objects: 80 });
const emulator = useEmulator(objects);

function endpointClient(options: { caData?: string } = {}) {
  const api = emulator();
  const tokens = eksTokenProvider({ clusterName, region, credentials });
  let invalidated = 0;
  const counted = { token: () => tokens.token(), invalidate: () => ((invalidated += 1), tokens.invalidate()) };
  const client = createKubeClient({
    endpoint: { name: clusterName, server: `${api.url}/`, caData: options.caData ?? api.caData },
    tokens: counted,
    sleep: async () => {},
  });
  return { client, invalidations: () => invalidated };
}

describe('createKubeClient from an endpoint and a token source', () => {
  it('lists every kind with SigV4-signed tokens', async () => {
    const { client } = endpointClient();
    const snapshot = await collectSnapshot({ client, cluster, pageLimit: 9 });
    for (const spec of collectedKinds) {
      expect(snapshot.coverage[spec.kind], spec.kind).toEqual({ complete: true, count: objects.filter((object) => object.kind === spec.kind).length });
    }
    expect(client.server).toBe(emulator().url);
  });

  it('renews the token through the source on a 401, once per request', async () => {
    emulator().setFaults([{ kind: 'Pod', nth: 2, effect: { type: 'status', status: 401 } }]);
    const { client, invalidations } = endpointClient();
    const snapshot = await collectSnapshot({ client, cluster, pageLimit: 9 });
    expect(snapshot.coverage.Pod).toMatchObject({ complete: true });
    expect(invalidations()).toBe(1);
    expect(client.stats.renewals).toBe(1);
  });

  it('collectSnapshot builds it from `endpoint` and `tokens`', async () => {
    const api = emulator();
    const tokens = eksTokenProvider({ clusterName, region, credentials });
    const snapshot = await collectSnapshot({ endpoint: { name: clusterName, server: api.url, caData: api.caData }, tokens, cluster, skipKinds: ['Secret'] });
    expect(snapshot.coverage.Pod).toMatchObject({ complete: true });
    expect(snapshot.coverage.Secret).toMatchObject({ complete: false, error: expect.stringMatching(/^skipped/) });
  });

  it('refuses a certificate the cluster CA did not sign, and plain http', async () => {
    const { client } = endpointClient({ caData: Buffer.from(generateTls().caPem).toString('base64') });
    const error = await client.listPage('/api/v1/pods', {}).then(() => undefined, (e: unknown) => e);
    expect(error).toMatchObject({ name: 'KubeConnectionError', untrusted: true, attempts: 1 });
    const tokens = eksTokenProvider({ clusterName, region, credentials });
    expect(() => createKubeClient({ endpoint: { name: clusterName, server: 'http://127.0.0.1:1', caData: 'x' }, tokens })).toThrow(/is not https/);
  });

  it('does not follow a redirect: the token never goes where the server points', async () => {
    const tls = generateTls();
    const elsewhere: string[] = [];
    const server = https.createServer({ key: tls.keyPem, cert: tls.certPem }, (request, response) => {
      if (request.url?.startsWith('/elsewhere')) {
        elsewhere.push(request.url);
        response.end('{}');
        return;
      }
      response.writeHead(302, { location: '/elsewhere/api/v1/pods' });
      response.end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const tokens = eksTokenProvider({ clusterName, region, credentials });
      const url = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
      const client = createKubeClient({ endpoint: { name: clusterName, server: url, caData: Buffer.from(tls.caPem).toString('base64') }, tokens });
      const error = await client.listPage('/api/v1/pods', {}).then(() => undefined, (e: unknown) => e);
      expect(error).toMatchObject({ name: 'KubeApiError', status: 302, attempts: 1 });
      expect(elsewhere).toEqual([]);
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });
});

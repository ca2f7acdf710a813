// shared/connect/kube-context.ts, through `liveSnapshot({ context })`, end to end for an EKS cluster: a kubeconfig as `aws eks update-kubeconfig` writes it
// (an EKS endpoint name, the cluster CA, the `aws eks get-token` exec plugin), the Kubernetes API emulator reached
// under that name through an injected resolver (TLS verified against the name), and the fake EKS API.
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { KubeConfig } from '@kubernetes/client-node';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { liveSnapshot, type LiveOptions } from '../../shared/cli/live-source.ts';
import { eksClusterOf } from '../../shared/connect/kube-context.ts';
import type { AwsCredentials } from '../../shared/eks/index.ts';
import type { RetryEvent } from '../../shared/kube/index.ts';
import { startFakeEks, type FakeEks } from '../../shared/sandbox/fake-eks/index.ts';
import { startKubeApi, type KubeApi } from '../../shared/sandbox/kube-api/index.ts';
import { syntheticCluster } from '../../shared/sandbox/kube-api/synthetic.ts';
import { lookupOverride } from '../kube/emulator-harness.ts';

const region = 'eu-west-1';
const host = 'ABCDEF0123456789ABCDEF0123456789.gr7.eu-west-1.eks.amazonaws.com';
const arn = 'arn:aws:eks:eu-west-1:111122223333:cluster/payments';
const credentials: AwsCredentials = { accessKeyId: 'AKIDSCANNER', secretAccessKey: 'scanner-secret' };
const objects = syntheticCluster({ objects: 40 });
const pods = objects.filter((object) => object.kind === 'Pod').length;
const lookup = lookupOverride({ [host.toLowerCase()]: '127.0.0.1' });

let api: KubeApi;
let eks: FakeEks;
let dir: string;
let server: string;
beforeAll(async () => {
  api = await startKubeApi({
    objects,
    clusterName: 'payments',
    region,
    credentials: [credentials],
    staticTokens: ['static-token'],
    hostnames: [host.toLowerCase()],
  });
  server = `https://${host}:${new URL(api.url).port}`;
  eks = await startFakeEks({ region, clusters: [{ name: 'payments', endpoint: server, caData: api.caData }] });
  dir = mkdtempSync(path.join(tmpdir(), 'periscope-context-'));
});
afterAll(async () => {
  await Promise.all([api.stop(), eks.stop()]);
  rmSync(dir, { recursive: true, force: true });
});
beforeEach(() => {
  api.setFaults([]);
  rmSync(path.join(dir, 'plugin-ran'), { force: true });
});

/** An executable standing in for an exec plugin: records that it ran, prints an ExecCredential with `token`. */
function plugin(name: string, token: string): string {
  const file = path.join(dir, name);
  const credential = JSON.stringify({
    apiVersion: 'client.authentication.k8s.io/v1beta1',
    kind: 'ExecCredential',
    status: { token },
  });
  writeFileSync(file, `#!/bin/sh\ntouch '${path.join(dir, 'plugin-ran')}'\nprintf '%s' '${credential}'\n`);
  chmodSync(file, 0o755);
  return file;
}
const pluginRan = () => existsSync(path.join(dir, 'plugin-ran'));

function kubeconfig(options: { server?: string; caData?: string; command: string; args: string[]; env?: { name: string; value: string }[] }): string {
  const file = path.join(dir, `config-${Math.random().toString(36).slice(2)}.yaml`);
  const exec = {
    apiVersion: 'client.authentication.k8s.io/v1beta1',
    command: options.command,
    args: options.args,
    ...(options.env ? { env: options.env } : {}),
  };
  writeFileSync(
    file,
    JSON.stringify({
      apiVersion: 'v1',
      kind: 'Config',
      clusters: [{ name: 'payments-cluster', cluster: { server: options.server ?? server, 'certificate-authority-data': options.caData ?? api.caData } }],
      users: [{ name: 'payments-user', user: { exec } }],
      contexts: [{ name: 'prod', context: { cluster: 'payments-cluster', user: 'payments-user' } }],
      'current-context': 'prod',
    }),
  );
  return file;
}

const getToken = ['eks', 'get-token', '--cluster-name', 'payments', '--region', region];

function options(extra: Partial<LiveOptions> = {}): LiveOptions {
  return { lookup, eksEndpoint: eks.url, credentials, ...extra };
}

describe('liveSnapshot --context on an EKS endpoint', () => {
  it('adds the DescribeCluster facts, takes the ARN as cluster id and signs its own tokens instead of running aws', async () => {
    const file = kubeconfig({ command: plugin('aws', 'from-the-cli'), args: getToken });
    const snapshot = await liveSnapshot({ context: 'prod', kubeconfig: file }, options());
    expect(snapshot.cluster).toEqual({ id: arn, name: 'payments', arn, accountId: '111122223333', region, source: 'kubeconfig' });
    expect(snapshot.clusterInfo).toMatchObject({ name: 'payments', arn, status: 'ACTIVE', version: '1.31', endpoint: server });
    expect(snapshot.coverage['eks:DescribeCluster']).toEqual({ complete: true, count: 1 });
    const eksCoverage = Object.entries(snapshot.coverage).filter(([key]) => key.startsWith('eks:'));
    expect(eksCoverage.map(([key]) => key).sort()).toEqual([
      'eks:DescribeAccessEntry',
      'eks:DescribeAddon',
      'eks:DescribeAddonVersions',
      'eks:DescribeCluster',
      'eks:DescribeClusterVersions',
      'eks:DescribeNodegroup',
      'eks:ListAccessEntries',
      'eks:ListAddons',
      'eks:ListAssociatedAccessPolicies',
      'eks:ListNodegroups',
    ]);
    expect(eksCoverage.filter(([, coverage]) => !coverage.complete)).toEqual([]);
    expect(eks.calls).toContain('DescribeCluster');
    expect(snapshot.coverage.Pod).toEqual({ complete: true, count: pods });
    // The `aws` on the kubeconfig never ran: the emulator only took tokens Periscope signed for cluster payments.
    expect(pluginRan()).toBe(false);
    expect(api.requests.filter((request) => request.outcome === 'unauthorized')).toEqual([]);
  });

  it('renews the token once after a 401, and the scan completes', async () => {
    api.setFaults([{ kind: 'Pod', nth: 1, effect: { type: 'status', status: 401 } }]);
    let resolved = 0;
    const counting = async () => {
      resolved += 1;
      return credentials;
    };
    const retries: RetryEvent[] = [];
    const file = kubeconfig({ command: plugin('aws', 'from-the-cli'), args: getToken });
    const snapshot = await liveSnapshot(
      { context: 'prod', kubeconfig: file },
      options({ credentials: counting, onRetry: (event) => retries.push(event) }),
    );
    expect(retries.map((event) => event.reason)).toEqual(['unauthorized: renewing token']);
    expect(retries[0]?.path).toMatch(/\/pods$/);
    expect(snapshot.coverage.Pod).toEqual({ complete: true, count: pods });
    expect(api.requests.filter((request) => request.status === 401)).toHaveLength(1);
    // Once for DescribeCluster, once for the first token, once for the token signed after the 401.
    expect(resolved).toBe(3);
    expect(pluginRan()).toBe(false);
  });

  it('still verifies the certificate against the endpoint name', async () => {
    // An emulator whose certificate is for localhost and 127.0.0.1 only, reached under the EKS name.
    const other = await startKubeApi({ objects, clusterName: 'payments', region, credentials: [credentials] });
    try {
      const file = kubeconfig({
        server: `https://${host}:${new URL(other.url).port}`,
        caData: other.caData,
        command: 'aws',
        args: getToken,
      });
      const snapshot = await liveSnapshot({ context: 'prod', kubeconfig: file }, options());
      expect(snapshot.coverage.Namespace?.complete).toBe(false);
      expect(snapshot.coverage.Namespace?.error).toMatch(/ERR_TLS_CERT_ALTNAME_INVALID/);
      expect(snapshot.coverage.Namespace?.error).toMatch(/does not verify against the cluster CA/);
      expect(other.requests).toEqual([]);
    } finally {
      await other.stop();
    }
  });
});

describe('liveSnapshot --context with other exec plugins', () => {
  it('runs a non-AWS exec plugin itself, and runs it again after a 401', async () => {
    api.setFaults([{ kind: 'Pod', nth: 1, effect: { type: 'status', status: 401 } }]);
    const retries: RetryEvent[] = [];
    const file = kubeconfig({ server: api.url, command: plugin('kubelogin', 'static-token'), args: ['get-token'] });
    const snapshot = await liveSnapshot({ context: 'prod', kubeconfig: file }, options({ onRetry: (event) => retries.push(event) }));
    expect(pluginRan()).toBe(true);
    expect(snapshot.cluster).toEqual({ id: 'kubeconfig:prod', name: 'prod', source: 'kubeconfig' });
    expect(snapshot.coverage.Deployment).toMatchObject({ complete: true });
    expect(snapshot.coverage.Pod).toEqual({ complete: true, count: pods });
    expect(retries.filter((event) => event.reason.startsWith('unauthorized'))).toHaveLength(1);
  });

  it('reports a failing plugin as "failed (exit N)", never with its stderr, and runs it once', async () => {
    const secret = 'xoxb-123456789012-abcdefghijklmnop';
    const command = path.join(dir, 'failing-login');
    writeFileSync(command, `#!/bin/sh\necho run >> '${command}.runs'\necho "refresh failed for ${secret}" >&2\nexit 4\n`);
    chmodSync(command, 0o755);
    const file = kubeconfig({ server: api.url, command, args: ['get-token'] });
    const snapshot = await liveSnapshot({ context: 'prod', kubeconfig: file }, options());
    const text = JSON.stringify(snapshot.coverage);
    expect(text).not.toContain(secret);
    expect(snapshot.coverage.Namespace).toEqual({
      complete: false,
      count: 0,
      error: `failed: listing namespaces (/api/v1/namespaces): could not authenticate: exec plugin ${command} failed (exit 4)`,
    });
    for (const coverage of Object.values(snapshot.coverage)) expect(coverage.complete).toBe(false);
    expect(readFileSync(`${command}.runs`, 'utf8').trim().split('\n')).toHaveLength(1);
  });

  it('kills a plugin that hangs at the exec timeout, and records every kind as not read', async () => {
    const command = path.join(dir, 'hanging-login');
    writeFileSync(command, '#!/bin/sh\nsleep 30\n');
    chmodSync(command, 0o755);
    const file = kubeconfig({ server: api.url, command, args: [] });
    const snapshot = await liveSnapshot({ context: 'prod', kubeconfig: file }, options({ execTimeoutMs: 300 }));
    expect(snapshot.coverage.Namespace!.error).toBe(
      `failed: listing namespaces (/api/v1/namespaces): could not authenticate: exec plugin ${command} did not finish within 0.3 s and was killed`,
    );
    expect(snapshot.coverage.Pod!.error).toMatch(/^failed: not listed after an earlier failure/);
  });

  it('leaves `aws` with a flag it does not know to the plugin', async () => {
    const file = kubeconfig({ command: plugin('aws', 'static-token'), args: [...getToken, '--endpoint-url', 'https://sts.example'] });
    const snapshot = await liveSnapshot({ context: 'prod', kubeconfig: file }, options());
    expect(pluginRan()).toBe(true);
    expect(snapshot.coverage.Pod).toEqual({ complete: true, count: pods });
    expect(snapshot.cluster.id).toBe(arn);
  });
});

describe('eksClusterOf', () => {
  const config = (server: string, clusterName: string, args?: string[]) => {
    const kubeConfig = new KubeConfig();
    kubeConfig.loadFromOptions({
      clusters: [{ name: clusterName, server }],
      users: [{ name: 'u', ...(args ? { exec: { command: 'aws', args, apiVersion: 'client.authentication.k8s.io/v1beta1' } } : {}) }],
      contexts: [{ name: 'c', cluster: clusterName, user: 'u' }],
      currentContext: 'c',
    });
    return kubeConfig;
  };
  const endpoint = 'https://0123456789ABCDEF0123456789ABCDEF.gr7.eu-west-1.eks.amazonaws.com';

  it('reads the name from an EKS cluster ARN and the region from the endpoint', () => {
    expect(eksClusterOf(config(endpoint, 'arn:aws:eks:eu-west-1:111122223333:cluster/payments'))).toEqual({ name: 'payments', region });
  });

  it('reads the name from the aws eks get-token arguments', () => {
    expect(eksClusterOf(config(endpoint, 'short', ['eks', 'get-token', '--cluster-name', 'orders']))).toEqual({ name: 'orders', region });
  });

  it('is undefined for a server that is not an EKS endpoint', () => {
    expect(eksClusterOf(config('https://127.0.0.1:6443', 'arn:aws:eks:eu-west-1:111122223333:cluster/payments'))).toBeUndefined();
  });
});

// liveSnapshot end to end: the fake EKS API and the Kubernetes API emulator, through the real AWS SDK and client-node.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { liveSnapshot, progressLine } from '../../shared/cli/live-source.ts';
import { jsonReportSchema } from '../../shared/report/json.ts';
import { startFakeEks, type FakeEks } from '../../shared/sandbox/fake-eks/index.ts';
import { startKubeApi, type KubeApi } from '../../shared/sandbox/kube-api/index.ts';
import { syntheticCluster } from '../../shared/sandbox/kube-api/synthetic.ts';
import { runCli } from './run-cli.ts';

const region = 'eu-west-1';
const credentials = { accessKeyId: 'AKIDSCANNER', secretAccessKey: 'scanner-secret' };
const objects = syntheticCluster({ objects: 60 });

let api: KubeApi;
let eks: FakeEks;
let dir: string;
beforeAll(async () => {
  api = await startKubeApi({ objects, clusterName: 'payments', region, credentials: [credentials], staticTokens: ['static-token'] });
  eks = await startFakeEks({ region, clusters: [{ name: 'payments', status: 'CREATING', endpoint: api.url, caData: api.caData }] });
  dir = mkdtempSync(path.join(tmpdir(), 'periscope-live-'));
});
afterAll(async () => {
  await Promise.all([api.stop(), eks.stop()]);
  rmSync(dir, { recursive: true, force: true });
});

function kubeconfigFile(cluster: Record<string, unknown>): string {
  const file = path.join(dir, `config-${Math.random().toString(36).slice(2)}.yaml`);
  writeFileSync(
    file,
    JSON.stringify({
      apiVersion: 'v1',
      kind: 'Config',
      clusters: [{ name: 'local', cluster: { server: api.url, ...cluster } }],
      users: [{ name: 'me', user: { token: 'static-token' } }],
      contexts: [{ name: 'dev', context: { cluster: 'local', user: 'me' } }],
      'current-context': 'dev',
    }),
  );
  return file;
}

describe('liveSnapshot --eks', () => {
  it('waits for a cluster that is still CREATING, then scans it with a verified token once ACTIVE', async () => {
    const target = { eks: 'payments', region };
    const options = { eksEndpoint: eks.url, credentials };
    await expect(liveSnapshot(target, options)).rejects.toThrow(
      'EKS cluster "payments" in eu-west-1 is CREATING and has no reachable API yet; scan it again once it is ACTIVE.',
    );
    eks.setClusterStatus('payments', 'ACTIVE');
    const lines: string[] = [];
    const describedBefore = eks.calls.filter((call) => call === 'DescribeCluster').length;
    const snapshot = await liveSnapshot(target, { ...options, onProgress: (progress) => lines.push(progressLine(progress)) });
    // One DescribeCluster per scan: the status check and the connection share it.
    expect(eks.calls.filter((call) => call === 'DescribeCluster').length - describedBefore).toBe(1);
    expect(snapshot.cluster).toMatchObject({ id: 'arn:aws:eks:eu-west-1:111122223333:cluster/payments', source: 'eks', region });
    expect(snapshot.clusterInfo).toMatchObject({ name: 'payments', status: 'ACTIVE', version: '1.31' });
    expect(snapshot.coverage['eks:DescribeCluster']).toEqual({ complete: true, count: 1 });
    const pods = objects.filter((object) => object.kind === 'Pod').length;
    expect(snapshot.coverage.Pod).toEqual({ complete: true, count: pods });
    expect(lines).toContain(`[25/25] Pod: ${pods} objects`);
    expect(lines).toContain('[1/25] Namespace: 0 objects (0 pages)');
  });

  it('says why when the cluster cannot be described', async () => {
    await expect(liveSnapshot({ eks: 'nope', region }, { eksEndpoint: eks.url, credentials })).rejects.toThrow(
      /Cannot describe EKS cluster "nope" in eu-west-1: failed: eks:DescribeCluster on cluster nope: ResourceNotFoundException/,
    );
  });
});

describe('liveSnapshot --context', () => {
  it('scans the cluster of a kubeconfig context', async () => {
    const snapshot = await liveSnapshot({ context: 'dev', kubeconfig: kubeconfigFile({ 'certificate-authority-data': api.caData }) });
    expect(snapshot.cluster).toEqual({ id: 'kubeconfig:dev', name: 'dev', source: 'kubeconfig' });
    expect(snapshot.clusterInfo).toBeUndefined();
    expect(snapshot.coverage.Deployment).toMatchObject({ complete: true });
  });

  it('refuses a context that turns TLS verification off', async () => {
    const file = kubeconfigFile({ 'insecure-skip-tls-verify': true });
    await expect(liveSnapshot({ context: 'dev', kubeconfig: file })).rejects.toThrow(/insecure-skip-tls-verify; Periscope always verifies TLS/);
  });

  it('names the known contexts when the one asked for is missing', async () => {
    const file = kubeconfigFile({ 'certificate-authority-data': api.caData });
    await expect(liveSnapshot({ context: 'prod', kubeconfig: file })).rejects.toThrow(/No context "prod" in .*; known contexts: dev\./);
  });
});

describe('periscope scan --context --timeout / --max-pages', () => {
  it('stops reading at the deadline and reports the kinds not read as incomplete, not as clean', async () => {
    api.setFaults([{ kind: 'Service', effect: { type: 'latency', ms: 20_000 } }]);
    try {
      const file = kubeconfigFile({ 'certificate-authority-data': api.caData });
      const result = await runCli(['scan', '--context', 'dev', '--kubeconfig', file, '--timeout', '2', '--format', 'json']);
      const report = jsonReportSchema.parse(JSON.parse(result.stdout));
      expect(report.coverage.Service).toMatchObject({ complete: false, error: expect.stringMatching(/the scan's deadline of 2 s passed/) });
      expect(report.coverage.Namespace).toMatchObject({ complete: true });
    } finally {
      api.setFaults([]);
    }
  });

  it('stops a list that never ends at --max-pages', async () => {
    api.setFaults([{ kind: 'Namespace', effect: { type: 'endless' } }]);
    try {
      const file = kubeconfigFile({ 'certificate-authority-data': api.caData });
      const result = await runCli(['scan', '--context', 'dev', '--kubeconfig', file, '--max-pages', '3', '--format', 'json']);
      const report = jsonReportSchema.parse(JSON.parse(result.stdout));
      expect(report.coverage.Namespace).toMatchObject({ complete: false, error: expect.stringMatching(/stopped after 3 pages/) });
    } finally {
      api.setFaults([]);
    }
  });

  it('refuses a --timeout or --max-pages that is not a positive number', async () => {
    const file = kubeconfigFile({ 'certificate-authority-data': api.caData });
    const timeout = await runCli(['scan', '--context', 'dev', '--kubeconfig', file, '--timeout', 'soon']);
    expect(timeout.code).toBe(2);
    expect(timeout.stderr).toContain('--timeout takes a positive number of seconds, not "soon".');
    const pages = await runCli(['scan', '--context', 'dev', '--kubeconfig', file, '--max-pages', '2.5']);
    expect(pages.stderr).toContain('--max-pages takes a positive whole number of pages, not "2.5".');
  });
});

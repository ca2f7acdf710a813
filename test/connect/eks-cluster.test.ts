// eksClusterSnapshot end to end: the fake EKS API and the Kubernetes API emulator, through the real AWS SDK and
// client-node; a description handed in (the scan Lambda's) is not asked for again.
import { EKSClient } from '@aws-sdk/client-eks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EksNotConnectableError, eksClusterSnapshot } from '../../shared/connect/eks-cluster.ts';
import { EksClusterDirectory } from '../../shared/eks/directory.ts';
import { startFakeEks, type FakeEks } from '../../shared/sandbox/fake-eks/index.ts';
import { startKubeApi, type KubeApi } from '../../shared/sandbox/kube-api/index.ts';
import { syntheticCluster } from '../../shared/sandbox/kube-api/synthetic.ts';

const region = 'eu-west-1';
const accountId = '111122223333';
const arn = `arn:aws:eks:${region}:${accountId}:cluster/payments`;
const credentials = { accessKeyId: 'AKIDSCANNER', secretAccessKey: 'scanner-secret' };
const objects = syntheticCluster({ objects: 30 });

let api: KubeApi;
let eks: FakeEks;
let client: EKSClient;
beforeAll(async () => {
  api = await startKubeApi({ objects, clusterName: 'payments', region, credentials: [credentials] });
  eks = await startFakeEks({
    region,
    accountId,
    clusters: [
      { name: 'payments', endpoint: api.url, caData: api.caData, nodegroups: [{ nodegroupName: 'general', version: '1.31' }] },
      { name: 'unborn' },
    ],
  });
  client = new EKSClient({ region, endpoint: eks.url, credentials });
});
afterAll(async () => {
  client?.destroy();
  await Promise.all([api?.stop(), eks?.stop()]);
});

const describeCalls = () => eks.calls.filter((call) => call === 'DescribeCluster').length;

describe('eksClusterSnapshot', () => {
  it('connects with the description it is given, without calling DescribeCluster again', async () => {
    const directory = new EksClusterDirectory({ credentials: () => undefined, eks: () => client });
    const state = await directory.describe({ name: 'payments', arn, region, accountId });
    expect(state?.clusterInfo).toBeDefined();
    const before = describeCalls();
    const snapshot = await eksClusterSnapshot({
      eks: client,
      clusterName: 'payments',
      region,
      credentials,
      described: { info: state!.clusterInfo!, caData: state!.certificateAuthority! },
      identity: { id: arn, arn, accountId, region },
    });
    expect(describeCalls()).toBe(before);
    expect(snapshot.cluster).toEqual({ id: arn, name: 'payments', region, source: 'eks', arn, accountId });
    expect(snapshot.coverage['eks:DescribeCluster']).toEqual({ complete: true, count: 1 });
    expect(snapshot.clusterInfo?.nodeGroups).toEqual([{ name: 'general', version: '1.31', status: 'ACTIVE' }]);
    expect(snapshot.coverage.Pod).toEqual({ complete: true, count: objects.filter((object) => object.kind === 'Pod').length });
  });

  it('describes the cluster once when nothing was described', async () => {
    const before = describeCalls();
    const snapshot = await eksClusterSnapshot({ eks: client, clusterName: 'payments', region, credentials }, { skipKinds: ['Secret'] });
    expect(describeCalls() - before).toBe(1);
    expect(snapshot.cluster.id).toBe(arn);
    expect(snapshot.coverage.Secret).toMatchObject({ complete: false, error: expect.stringMatching(/^skipped/) });
  });

  it('says why it cannot connect: no endpoint yet, or DescribeCluster failed', async () => {
    const unborn = eksClusterSnapshot({ eks: client, clusterName: 'unborn', region, credentials });
    await expect(unborn).rejects.toThrow(EksNotConnectableError);
    await expect(unborn).rejects.toMatchObject({ status: 'ACTIVE', why: 'the cluster has no endpoint or certificate authority yet' });
    const missing = eksClusterSnapshot({ eks: client, clusterName: 'nope', region, credentials });
    await expect(missing).rejects.toMatchObject({
      describeError: expect.stringMatching(/^failed: eks:DescribeCluster on cluster nope: ResourceNotFoundException/),
    });
  });
});

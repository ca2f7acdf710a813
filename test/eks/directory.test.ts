// EksClusterDirectory with the real @aws-sdk/client-eks against the fake EKS API.
import { EKSClient } from '@aws-sdk/client-eks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EksClusterDirectory, type AwsAccess } from '../../shared/eks/directory.ts';
import { startFakeEks, type FakeEks } from '../../shared/sandbox/fake-eks/index.ts';

const account = '111122223333';
const region = 'eu-west-1';

describe('EksClusterDirectory against the fake EKS API', () => {
  let eks: FakeEks;
  let directory: EksClusterDirectory;

  beforeAll(async () => {
    eks = await startFakeEks({
      region,
      accountId: account,
      pageSize: 2,
      clusters: [{ name: 'a', status: 'CREATING' }, { name: 'b' }, { name: 'c', version: '1.30', caData: 'Q0EgYnVuZGxl' }],
    });
    const client = new EKSClient({ region, endpoint: eks.url, credentials: { accessKeyId: 'AKIDLOCAL', secretAccessKey: 'local' } });
    const access: AwsAccess = { credentials: () => undefined, eks: () => client };
    directory = new EksClusterDirectory(access);
  });
  afterAll(async () => eks?.stop());

  it('lists every page', async () => {
    const clusters = await directory.list({ accountId: account, region });
    expect(clusters.map((c) => c.arn)).toEqual(['a', 'b', 'c'].map((n) => `arn:aws:eks:${region}:${account}:cluster/${n}`));
  });

  it('describes status and version, and a missing cluster as undefined', async () => {
    const where = { name: 'a', arn: `arn:aws:eks:${region}:${account}:cluster/a`, region, accountId: account };
    expect(await directory.describe(where)).toMatchObject({ status: 'CREATING' });
    expect(await directory.describe({ ...where, name: 'c' })).toMatchObject({ status: 'ACTIVE', version: '1.30' });
    expect(await directory.describe({ ...where, name: 'gone' })).toBeUndefined();
  });

  it('returns the whole description, so the snapshot source need not describe the cluster again', async () => {
    const where = { name: 'c', arn: `arn:aws:eks:${region}:${account}:cluster/c`, region, accountId: account };
    const state = await directory.describe(where);
    expect(state?.clusterInfo).toMatchObject({ name: 'c', arn: where.arn, version: '1.30', status: 'ACTIVE' });
    expect(state?.certificateAuthority).toBe('Q0EgYnVuZGxl');
  });
});


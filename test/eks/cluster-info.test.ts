// describeEksCluster with the real @aws-sdk/client-eks against the fake EKS API.
import { EKSClient, ListClustersCommand } from '@aws-sdk/client-eks';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { describeEksCluster } from '../../shared/eks/index.ts';
import { startFakeEks, type FakeEks, type FakeEksCluster } from '../../shared/sandbox/fake-eks/index.ts';

const region = 'eu-west-1';
const credentials = { accessKeyId: 'AKIDSCANNER', secretAccessKey: 'scanner-secret' };
const adminView = 'arn:aws:eks::aws:cluster-access-policy/AmazonEKSAdminViewPolicy';

const payments: FakeEksCluster = {
  name: 'payments',
  version: '1.30',
  endpoint: 'https://ABCDEF0123456789.gr7.eu-west-1.eks.amazonaws.com',
  caData: Buffer.from('-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n').toString('base64'),
  details: {
    resourcesVpcConfig: { endpointPublicAccess: true, endpointPrivateAccess: true, publicAccessCidrs: ['203.0.113.0/24'], clusterSecurityGroupId: 'sg-123' },
    logging: { clusterLogging: [{ types: ['api', 'audit'], enabled: true }, { types: ['scheduler'], enabled: false }] },
    encryptionConfig: [{ resources: ['secrets'], provider: { keyArn: 'arn:aws:kms:eu-west-1:111122223333:key/abc' } }],
    identity: { oidc: { issuer: 'https://oidc.eks.eu-west-1.amazonaws.com/id/ABC' } },
    accessConfig: { authenticationMode: 'API', bootstrapClusterCreatorAdminPermissions: true },
  },
  accessEntries: [
    { principalArn: 'arn:aws:iam::111122223333:role/periscope-scanner', policies: [{ policyArn: adminView, accessScope: { type: 'cluster' } }] },
    {
      principalArn: 'arn:aws:iam::111122223333:role/dev-team',
      kubernetesGroups: ['developers'],
      username: 'dev:{{SessionName}}',
      policies: [{ policyArn: 'arn:aws:eks::aws:cluster-access-policy/AmazonEKSEditPolicy', accessScope: { type: 'namespace', namespaces: ['dev-*'] } }],
    },
    { principalArn: 'arn:aws:iam::111122223333:role/nodes', type: 'EC2_LINUX' },
  ],
  nodegroups: [
    { nodegroupName: 'general', version: '1.30', releaseVersion: '1.30.4-20240917', amiType: 'AL2_x86_64', nodeRole: 'arn:aws:iam::111122223333:role/nodes', remoteAccess: { ec2SshKey: 'ops' } },
    { nodegroupName: 'spot', version: '1.29', amiType: 'AL2023_x86_64_STANDARD' },
  ],
  addons: [
    { addonName: 'vpc-cni', addonVersion: 'v1.18.1-eksbuild.1' },
    { addonName: 'coredns', addonVersion: 'v1.11.1-eksbuild.9', serviceAccountRoleArn: 'arn:aws:iam::111122223333:role/coredns' },
  ],
};

let eks: FakeEks;
let client: EKSClient;
beforeAll(async () => {
  eks = await startFakeEks({
    region,
    clusters: [payments, { name: 'analytics' }],
    pageSize: 1,
    clock: () => new Date('2026-03-01T00:00:00Z'),
    addonCatalogue: [
      {
        addonName: 'vpc-cni',
        versions: [
          { addonVersion: 'v1.19.0-eksbuild.1', compatibleWith: ['1.30', '1.31'], defaultFor: [] },
          { addonVersion: 'v1.18.3-eksbuild.2', defaultFor: ['1.30'] },
          { addonVersion: 'v1.18.1-eksbuild.1', compatibleWith: ['1.30'] },
        ],
      },
      { addonName: 'coredns', versions: [{ addonVersion: 'v1.11.1-eksbuild.9', defaultFor: ['1.30', '1.29'] }] },
    ],
  });
  client = new EKSClient({ region, endpoint: eks.url, credentials, maxAttempts: 1 });
});
afterAll(async () => {
  client.destroy();
  await eks.stop();
});
beforeEach(() => eks.clearFailures());

describe('describeEksCluster', () => {
  it('gathers DescribeCluster, access entries, node groups, add-ons and the support calendar', async () => {
    const described = await describeEksCluster({ eks: client, clusterName: 'payments' });
    expect(described.ref).toEqual({
      id: 'arn:aws:eks:eu-west-1:111122223333:cluster/payments',
      arn: 'arn:aws:eks:eu-west-1:111122223333:cluster/payments',
      accountId: '111122223333',
      name: 'payments',
      region,
      source: 'eks',
    });
    expect(described.endpoint).toEqual({ name: 'payments', server: payments.endpoint, caData: payments.caData });
    const info = described.clusterInfo!;
    expect(info).toMatchObject({
      name: 'payments',
      arn: 'arn:aws:eks:eu-west-1:111122223333:cluster/payments',
      version: '1.30',
      platformVersion: 'eks.10',
      status: 'ACTIVE',
      endpointPublicAccess: true,
      endpointPrivateAccess: true,
      publicAccessCidrs: ['203.0.113.0/24'],
      clusterSecurityGroupId: 'sg-123',
      logging: { api: true, audit: true, scheduler: false },
      secretsEncryptionKeyArn: 'arn:aws:kms:eu-west-1:111122223333:key/abc',
      authenticationMode: 'API',
      bootstrapClusterCreatorAdminPermissions: true,
      supportType: 'EXTENDED',
      oidcIssuer: 'https://oidc.eks.eu-west-1.amazonaws.com/id/ABC',
      createdAt: '2024-01-15T00:00:00.000Z',
    });
    expect(info.accessEntries).toEqual([
      {
        principalArn: 'arn:aws:iam::111122223333:role/periscope-scanner',
        type: 'STANDARD',
        username: 'arn:aws:iam::111122223333:role/periscope-scanner',
        kubernetesGroups: [],
        policies: [{ policyArn: adminView, accessScope: { type: 'cluster' } }],
      },
      {
        principalArn: 'arn:aws:iam::111122223333:role/dev-team',
        type: 'STANDARD',
        username: 'dev:{{SessionName}}',
        kubernetesGroups: ['developers'],
        policies: [
          { policyArn: 'arn:aws:eks::aws:cluster-access-policy/AmazonEKSEditPolicy', accessScope: { type: 'namespace', namespaces: ['dev-*'] } },
        ],
      },
      {
        principalArn: 'arn:aws:iam::111122223333:role/nodes',
        type: 'EC2_LINUX',
        username: 'arn:aws:iam::111122223333:role/nodes',
        kubernetesGroups: [],
        policies: [],
      },
    ]);
    expect(info.nodeGroups).toEqual([
      { name: 'general', version: '1.30', releaseVersion: '1.30.4-20240917', amiType: 'AL2_x86_64', status: 'ACTIVE', nodeRole: 'arn:aws:iam::111122223333:role/nodes', remoteAccess: { ec2SshKey: 'ops' } },
      { name: 'spot', version: '1.29', amiType: 'AL2023_x86_64_STANDARD', status: 'ACTIVE' },
    ]);
    expect(info.addons).toEqual([
      { name: 'vpc-cni', version: 'v1.18.1-eksbuild.1', defaultVersion: 'v1.18.3-eksbuild.2', status: 'ACTIVE' },
      { name: 'coredns', version: 'v1.11.1-eksbuild.9', defaultVersion: 'v1.11.1-eksbuild.9', status: 'ACTIVE', serviceAccountRoleArn: 'arn:aws:iam::111122223333:role/coredns' },
    ]);
    expect(info.versionSupport).toEqual({
      clusterVersion: '1.30',
      status: 'EXTENDED_SUPPORT',
      releaseDate: '2024-05-23T00:00:00.000Z',
      endOfStandardSupportDate: '2025-07-23T00:00:00.000Z',
      endOfExtendedSupportDate: '2026-07-23T00:00:00.000Z',
    });
    expect(described.coverage).toEqual({
      'eks:DescribeCluster': { complete: true, count: 1 },
      'eks:ListAccessEntries': { complete: true, count: 3 },
      'eks:DescribeAccessEntry': { complete: true, count: 3 },
      'eks:ListAssociatedAccessPolicies': { complete: true, count: 3 },
      'eks:ListNodegroups': { complete: true, count: 2 },
      'eks:DescribeNodegroup': { complete: true, count: 2 },
      'eks:ListAddons': { complete: true, count: 2 },
      'eks:DescribeAddon': { complete: true, count: 2 },
      'eks:DescribeAddonVersions': { complete: true, count: 2 },
      'eks:DescribeClusterVersions': { complete: true, count: 1 },
    });
    // Page size 1 on the fake: three access entries took three ListAccessEntries pages.
    expect(eks.calls.filter((call) => call === 'ListAccessEntries').length).toBeGreaterThanOrEqual(3);
  });

  it('records a failing call as a coverage gap and keeps everything else', async () => {
    eks.failCall('ListAssociatedAccessPolicies');
    eks.failCall('DescribeAddonVersions', { status: 500, type: 'ServerException', message: 'boom' });
    const described = await describeEksCluster({ eks: client, clusterName: 'payments' });
    expect(described.coverage['eks:ListAssociatedAccessPolicies']).toEqual({
      complete: false,
      count: 0,
      error:
        'forbidden: eks:ListAssociatedAccessPolicies on cluster payments: AccessDeniedException: User is not authorized to perform: ' +
        'eks:ListAssociatedAccessPolicies (grant eks:ListAssociatedAccessPolicies to the scanner role)',
    });
    expect(described.coverage['eks:DescribeAddonVersions']).toEqual({
      complete: false,
      count: 0,
      error: 'failed: eks:DescribeAddonVersions on cluster payments: ServerException: boom',
    });
    const info = described.clusterInfo!;
    expect(info.accessEntries?.map((entry) => entry.policies)).toEqual([[], [], []]);
    expect(info.addons?.map((addon) => addon.defaultVersion)).toEqual([undefined, undefined]);
    expect(info.nodeGroups).toHaveLength(2);
    expect(described.coverage['eks:DescribeCluster']).toEqual({ complete: true, count: 1 });
  });

  it('does not crash when DescribeCluster fails: no facts, no endpoint, the reason in coverage', async () => {
    const described = await describeEksCluster({ eks: client, clusterName: 'missing' });
    expect(described.clusterInfo).toBeUndefined();
    expect(described.endpoint).toBeUndefined();
    expect(described.ref).toEqual({ id: 'eks:eu-west-1:missing', name: 'missing', region, source: 'eks' });
    expect(described.coverage['eks:DescribeCluster']).toMatchObject({
      complete: false,
      error: expect.stringContaining('ResourceNotFoundException: No cluster found for name: missing.'),
    });
    expect(described.coverage['eks:ListAccessEntries']).toEqual({ complete: false, count: 0, error: 'skipped: DescribeCluster failed' });
  });

  it('skips access entries on a CONFIG_MAP-only cluster', async () => {
    eks.putCluster({ name: 'legacy', details: { accessConfig: { authenticationMode: 'CONFIG_MAP' } } });
    const described = await describeEksCluster({ eks: client, clusterName: 'legacy' });
    expect(described.clusterInfo?.accessEntries).toBeUndefined();
    expect(described.coverage['eks:ListAccessEntries']).toMatchObject({ complete: false, error: expect.stringMatching(/^skipped: .*aws-auth/) });
  });
});

describe('the fake EKS API', () => {
  it('lists clusters across pages and moves a cluster from CREATING to ACTIVE', async () => {
    const names: string[] = [];
    let nextToken: string | undefined;
    do {
      const page = await client.send(new ListClustersCommand(nextToken ? { nextToken } : {}));
      names.push(...(page.clusters ?? []));
      nextToken = page.nextToken;
    } while (nextToken);
    expect(names).toEqual(expect.arrayContaining(['analytics', 'payments']));
    eks.setClusterStatus('analytics', 'CREATING');
    expect((await describeEksCluster({ eks: client, clusterName: 'analytics' })).clusterInfo?.status).toBe('CREATING');
    eks.setClusterStatus('analytics', 'ACTIVE');
    expect((await describeEksCluster({ eks: client, clusterName: 'analytics' })).clusterInfo?.status).toBe('ACTIVE');
  });
});

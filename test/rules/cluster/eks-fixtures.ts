// EKS cluster facts for rule tests: a DescribeCluster response shaped like the real one (the `Cluster` type of
// @aws-sdk/client-eks), mapped to ClusterInfo by the connector's own function, plus the parts other calls add.
import type { Cluster } from '@aws-sdk/client-eks';
import { clusterInfoOf } from '../../../shared/eks/cluster-info.ts';
import type { ClusterInfo, ClusterRef } from '../../../shared/model/cluster.ts';
import type { Snapshot } from '../../../shared/model/snapshot.ts';

const arn = 'arn:aws:eks:eu-west-1:111122223333:cluster/prod';

/** A hardened cluster as DescribeCluster returns it: private endpoint only, every log type, a customer KMS key,
 * API authentication mode, a supported version. Tests override one thing at a time. */
export function describeClusterOutput(overrides: Partial<Cluster> = {}): Cluster {
  return {
    name: 'prod',
    arn,
    createdAt: new Date('2025-06-02T09:14:03.512Z'),
    version: '1.33',
    endpoint: 'https://0123456789ABCDEF0123456789ABCDEF.gr7.eu-west-1.eks.amazonaws.com',
    roleArn: 'arn:aws:iam::111122223333:role/prod-cluster-role',
    resourcesVpcConfig: {
      subnetIds: ['subnet-0a1b2c3d4e5f60718', 'subnet-0f1e2d3c4b5a69788'],
      securityGroupIds: ['sg-0123456789abcdef0'],
      clusterSecurityGroupId: 'sg-0fedcba9876543210',
      vpcId: 'vpc-0abc1234def567890',
      endpointPublicAccess: false,
      endpointPrivateAccess: true,
      publicAccessCidrs: [],
    },
    kubernetesNetworkConfig: { serviceIpv4Cidr: '172.20.0.0/16', ipFamily: 'ipv4', elasticLoadBalancing: { enabled: false } },
    logging: {
      clusterLogging: [{ types: ['api', 'audit', 'authenticator', 'controllerManager', 'scheduler'], enabled: true }],
    },
    identity: { oidc: { issuer: 'https://oidc.eks.eu-west-1.amazonaws.com/id/0123456789ABCDEF0123456789ABCDEF' } },
    status: 'ACTIVE',
    certificateAuthority: { data: 'LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0tCg==' },
    platformVersion: 'eks.12',
    tags: { team: 'platform' },
    encryptionConfig: [
      // The deprecated field is still what EKS returns for clusters with a customer key (see shared/eks/cluster-info.ts).
      // eslint-disable-next-line @typescript-eslint/no-deprecated
      { resources: ['secrets'], provider: { keyArn: 'arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab' } },
    ],
    accessConfig: { authenticationMode: 'API', bootstrapClusterCreatorAdminPermissions: false },
    upgradePolicy: { supportType: 'EXTENDED' },
    ...overrides,
  };
}

/** ClusterInfo for a DescribeCluster output, with the extra facts other EKS calls bring. */
export function clusterInfo(overrides: Partial<Cluster> = {}, extra: Partial<ClusterInfo> = {}): ClusterInfo {
  return { ...clusterInfoOf(describeClusterOutput(overrides), 'prod'), ...extra };
}

export const eksCluster: ClusterRef = { id: arn, name: 'prod', arn, accountId: '111122223333', region: 'eu-west-1', source: 'eks' };

/** Snapshot overrides for a scan of an EKS cluster taken at `takenAt`. */
export function eksSnapshot(info: ClusterInfo, takenAt = '2026-01-15T06:00:00.000Z'): Partial<Snapshot> {
  return { cluster: eksCluster, clusterInfo: info, takenAt };
}

/** The resource a cluster-level finding names. */
export const clusterResource = { kind: 'EKSCluster', name: 'prod' };

// The EKS API per account and region: DescribeCluster and ListClusters, with the target account's role assumed
// for clusters outside the scanner's account. One client per account/region, built once per cold start.
// The directory implements the pipeline's ClusterDirectory port.
import { DescribeClusterCommand, EKSClient, ResourceNotFoundException, paginateListClusters } from '@aws-sdk/client-eks';
import { fromTemporaryCredentials } from '@aws-sdk/credential-providers';
import type { AwsCredentialIdentityProvider } from '@smithy/types';
import { clusterArnOf } from './cluster-arn.ts';
import type { ClusterDirectory, ClusterLocation, ClusterState, DiscoveryTarget } from './port.ts';
import { clusterInfoOf } from './cluster-info.ts';

export interface AwsAccess {
  /** Credentials for an account: the function's own, or the target account's role. */
  credentials(accountId: string): AwsCredentialIdentityProvider | undefined;
  eks(accountId: string, region: string): EKSClient;
}

/** Role ARNs by account come from the discovery targets; the scanner's own account uses the function's role. */
export function awsAccess(targets: readonly DiscoveryTarget[], externalId?: string): AwsAccess {
  const roles = new Map(targets.flatMap((t) => (t.roleArn ? [[t.accountId, t.roleArn] as const] : [])));
  const providers = new Map<string, AwsCredentialIdentityProvider>();
  const clients = new Map<string, EKSClient>();
  const credentials = (accountId: string): AwsCredentialIdentityProvider | undefined => {
    const roleArn = roles.get(accountId);
    if (!roleArn) return undefined;
    let provider = providers.get(accountId);
    if (!provider) {
      provider = fromTemporaryCredentials({
        params: { RoleArn: roleArn, RoleSessionName: 'periscope-scanner', ...(externalId ? { ExternalId: externalId } : {}) },
      });
      providers.set(accountId, provider);
    }
    return provider;
  };
  return {
    credentials,
    eks(accountId, region) {
      const key = `${accountId}/${region}`;
      let client = clients.get(key);
      if (!client) {
        const provider = credentials(accountId);
        client = new EKSClient({ region, maxAttempts: 5, ...(provider ? { credentials: provider } : {}) });
        clients.set(key, client);
      }
      return client;
    },
  };
}

export class EksClusterDirectory implements ClusterDirectory {
  readonly #access: AwsAccess;

  constructor(access: AwsAccess) {
    this.#access = access;
  }

  /** The whole description, so the snapshot source connects without describing the cluster again. */
  async describe(cluster: ClusterLocation): Promise<ClusterState | undefined> {
    try {
      const out = await this.#access.eks(cluster.accountId, cluster.region).send(new DescribeClusterCommand({ name: cluster.name }));
      const found = out.cluster;
      if (!found) return undefined;
      const state: ClusterState = { ...cluster, status: found.status ?? 'UNKNOWN' };
      if (found.version) state.version = found.version;
      if (found.endpoint) state.endpoint = found.endpoint;
      if (found.resourcesVpcConfig?.endpointPublicAccess !== undefined) {
        state.endpointPublicAccess = found.resourcesVpcConfig.endpointPublicAccess;
      }
      state.clusterInfo = clusterInfoOf(found, cluster.name);
      if (found.certificateAuthority?.data) state.certificateAuthority = found.certificateAuthority.data;
      return state;
    } catch (error) {
      if (error instanceof ResourceNotFoundException || (error as { name?: string }).name === 'ResourceNotFoundException') {
        return undefined;
      }
      throw error;
    }
  }

  async list(target: DiscoveryTarget): Promise<ClusterLocation[]> {
    const client = this.#access.eks(target.accountId, target.region);
    const clusters: ClusterLocation[] = [];
    for await (const page of paginateListClusters({ client }, {})) {
      for (const name of page.clusters ?? []) {
        clusters.push({ name, region: target.region, accountId: target.accountId, arn: clusterArnOf(target.accountId, target.region, name) });
      }
    }
    return clusters;
  }
}

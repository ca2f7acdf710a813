// Connects to an EKS cluster and reads it: EKS facts (shared/eks), a renewing token signed with the
// credentials that reach the cluster's account, and the Kubernetes snapshot (shared/kube).
import { fromNodeProviderChain } from '@aws-sdk/credential-providers';
import { describeEksCluster } from '../../shared/eks/cluster-info.ts';
import { eksTokenProvider } from '../../shared/eks/token.ts';
import { collectSnapshot } from '../../shared/kube/collector.ts';
import type { Snapshot } from '../../shared/model/snapshot.ts';
import type { ClusterLocation, SnapshotSource } from '../../shared/pipeline/ports.ts';
import type { AwsAccess } from './eks-directory.ts';

export class EksSnapshotSource implements SnapshotSource {
  readonly #access: AwsAccess;
  readonly #ownCredentials = fromNodeProviderChain();

  constructor(access: AwsAccess) {
    this.#access = access;
  }

  async snapshot(cluster: ClusterLocation, options: { skipSecrets: boolean }): Promise<Snapshot> {
    const eks = this.#access.eks(cluster.accountId, cluster.region);
    const description = await describeEksCluster({ eks, clusterName: cluster.name });
    if (!description.endpoint) {
      const why = description.coverage['eks:DescribeCluster']?.error ?? 'the cluster has no endpoint or certificate authority yet';
      throw new Error(`cannot connect to cluster ${cluster.arn}: ${why}`);
    }
    const tokens = eksTokenProvider({
      clusterName: cluster.name,
      region: cluster.region,
      credentials: this.#access.credentials(cluster.accountId) ?? this.#ownCredentials,
    });
    const ref = { ...description.ref, id: cluster.arn, arn: cluster.arn, accountId: cluster.accountId, region: cluster.region };
    return collectSnapshot({
      // An endpoint and a token source, not a KubeConfig: the bundle then carries no @kubernetes/client-node.
      endpoint: description.endpoint,
      tokens,
      cluster: ref,
      ...(description.clusterInfo ? { clusterInfo: description.clusterInfo } : {}),
      coverage: description.coverage,
      skipKinds: options.skipSecrets ? ['Secret'] : [],
    });
  }
}

// The scan function's SnapshotSource: the cluster the directory described, read through shared/connect with a
// token signed by the credentials that reach the cluster's account.
import { fromNodeProviderChain } from '@aws-sdk/credential-providers';
import { EksNotConnectableError, eksClusterSnapshot } from '../../shared/connect/eks-cluster.ts';
import type { AwsAccess } from '../../shared/eks/directory.ts';
import type { Snapshot } from '../../shared/model/snapshot.ts';
import type { SnapshotSource } from '../../shared/pipeline/ports.ts';
import type { ClusterState } from '../../shared/eks/port.ts';

export class EksSnapshotSource implements SnapshotSource {
  readonly #access: AwsAccess;
  readonly #ownCredentials = fromNodeProviderChain();
  /** The time budget of the next collection (the invocation's remaining time less a margin), when there is one. */
  readonly #deadlineMs: () => number | undefined;

  constructor(access: AwsAccess, deadlineMs: () => number | undefined = () => undefined) {
    this.#access = access;
    this.#deadlineMs = deadlineMs;
  }

  async snapshot(cluster: ClusterState, options: { skipSecrets: boolean }): Promise<Snapshot> {
    const target = {
      eks: this.#access.eks(cluster.accountId, cluster.region),
      clusterName: cluster.name,
      region: cluster.region,
      credentials: this.#access.credentials(cluster.accountId) ?? this.#ownCredentials,
      ...(cluster.clusterInfo
        ? { described: { info: cluster.clusterInfo, ...(cluster.certificateAuthority ? { caData: cluster.certificateAuthority } : {}) } }
        : {}),
      identity: { id: cluster.arn, arn: cluster.arn, accountId: cluster.accountId, region: cluster.region },
    };
    try {
      const deadlineMs = this.#deadlineMs();
      return await eksClusterSnapshot(target, { skipKinds: options.skipSecrets ? ['Secret'] : [], ...(deadlineMs ? { deadlineMs } : {}) });
    } catch (error) {
      if (error instanceof EksNotConnectableError) throw new Error(`cannot connect to cluster ${cluster.arn}: ${error.why}`, { cause: error });
      throw error;
    }
  }
}

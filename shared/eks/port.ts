// The EKS side's contract, owned here like the store's: where a cluster lives, what DescribeCluster says of it, and
// the directory and enroller the pipeline's use cases take (shared/eks implements them over the SDK, tests fake them).
import type { ClusterInfo } from '../model/cluster.ts';

/** Where a cluster lives: enough to call the EKS API for it (the adapter maps the account to a role). */
export interface ClusterLocation {
  name: string;
  arn: string;
  region: string;
  accountId: string;
}

export type ClusterStatus = 'ACTIVE' | 'CREATING' | 'DELETING' | 'FAILED' | 'PENDING' | 'UPDATING';

export interface ClusterState extends ClusterLocation {
  /** A ClusterStatus, or whatever status EKS adds later, as it said it. */
  status: string;
  version?: string;
  endpoint?: string;
  endpointPublicAccess?: boolean;
  /** All DescribeCluster said, for the snapshot source: one DescribeCluster per scan. */
  clusterInfo?: ClusterInfo;
  /** The endpoint's CA bundle (base64 of the PEM). */
  certificateAuthority?: string;
}

/** One place clusters are listed: an account in a region, reached with `roleArn` when it is another account. */
export interface DiscoveryTarget {
  accountId: string;
  region: string;
  roleArn?: string;
}

/** The EKS API, as the pipeline uses it. */
export interface ClusterDirectory {
  /** DescribeCluster; `undefined` when the cluster does not exist (ResourceNotFoundException). */
  describe(cluster: ClusterLocation): Promise<ClusterState | undefined>;
  /** ListClusters in one account and region (every page). */
  list(target: DiscoveryTarget): Promise<ClusterLocation[]>;
}

/** Creates the scanner's own access entry (AmazonEKSAdminViewPolicy) on a cluster: the opt-in auto-enrol mode. */
export interface AccessEnroller {
  /** Idempotent: an existing entry is success. */
  enrol(cluster: ClusterLocation): Promise<void>;
}

// What the pipeline's use cases need from the world, as interfaces: functions/ plugs in AWS, tests plug in fakes.
import type { ClusterInfo } from '../model/cluster.ts';
import type { PeriscopeEvent, ScanRequest } from '../model/pipeline.ts';
import type { Snapshot } from '../model/snapshot.ts';

/** Where a cluster lives: enough to call the EKS API for it (the adapter maps the account to a role). */
export interface ClusterLocation {
  name: string;
  arn: string;
  region: string;
  accountId: string;
}

export type ClusterStatus = 'ACTIVE' | 'CREATING' | 'DELETING' | 'FAILED' | 'PENDING' | 'UPDATING';

export interface ClusterState extends ClusterLocation {
  status: ClusterStatus | string;
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

/** Connect to a cluster and read it: EKS facts plus every kind the rules need. */
export interface SnapshotSource {
  /** `cluster` is what the directory described (status ACTIVE). */
  snapshot(cluster: ClusterState, options: { skipSecrets: boolean }): Promise<Snapshot>;
}

export interface ScanQueue {
  /** Send with an optional delay (SQS caps it at 900 s). */
  send(request: ScanRequest, delaySeconds?: number): Promise<void>;
  sendBatch(requests: ScanRequest[]): Promise<void>;
}

export interface EventPublisher {
  publish(events: PeriscopeEvent[]): Promise<void>;
}

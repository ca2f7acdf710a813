// What the pipeline's use cases need from the world, as interfaces: functions/ plugs in AWS, tests plug in fakes.
import type { ClusterState } from '../eks/port.ts';
import type { PeriscopeEvent, ScanRequest } from '../model/pipeline.ts';
import type { Snapshot } from '../model/snapshot.ts';

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

// Wires the use cases to the in-memory fakes, the way functions/ wires them to AWS.
import { runRules } from '../../shared/engine/run.ts';
import type { Snapshot } from '../../shared/model/snapshot.ts';
import type { ClusterEventDeps } from '../../shared/pipeline/cluster-events.ts';
import type { DiscoverDeps } from '../../shared/pipeline/discover.ts';
import type { ClusterLocation } from '../../shared/eks/port.ts';
import type { ScanDeps } from '../../shared/pipeline/scan-cluster.ts';
import privilegedContainer from '../../shared/rules/workload/privileged-container.ts';
import { container, deployment, hardenedPodSpec, snapshotOf } from '../support/fixtures.ts';
import {
  CapturedPublisher,
  CountingMetrics,
  FakeClock,
  FakeDirectory,
  FakeQueue,
  FakeSnapshotSource,
  InMemoryStore,
  RecordingLogger,
} from './fakes.ts';

export const cluster: ClusterLocation = {
  name: 'payments-prod',
  arn: 'arn:aws:eks:eu-west-1:111122223333:cluster/payments-prod',
  region: 'eu-west-1',
  accountId: '111122223333',
};

export function harness() {
  const clock = new FakeClock();
  const directory = new FakeDirectory();
  const store = new InMemoryStore(clock);
  const queue = new FakeQueue();
  const publisher = new CapturedPublisher();
  const logger = new RecordingLogger();
  const metrics = new CountingMetrics();
  const source = new FakeSnapshotSource(clock);
  let ids = 0;
  const deps: ScanDeps & DiscoverDeps & ClusterEventDeps = {
    clock,
    directory,
    store,
    queue,
    publisher,
    logger,
    metrics,
    source,
    evaluate: (snapshot: Snapshot) => runRules(snapshot, [privilegedContainer]),
    newScanId: () => `scan-${++ids}`,
  };
  return { clock, directory, store, queue, publisher, logger, metrics, source, deps };
}

/** A cluster snapshot with one privileged Deployment (`api`) and, optionally, more objects. */
export function clusterSnapshot(privileged: boolean, takenAt = '2026-11-23T10:00:00.000Z'): Snapshot {
  const spec = privileged
    ? hardenedPodSpec({ containers: [container({ securityContext: { privileged: true } })] })
    : hardenedPodSpec();
  const base = snapshotOf([deployment({ name: 'api', spec })], { takenAt });
  return {
    ...base,
    cluster: { id: cluster.arn, name: cluster.name, arn: cluster.arn, accountId: cluster.accountId, region: cluster.region, source: 'eks' },
  };
}

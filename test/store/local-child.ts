// A child process of local.concurrency.test.ts: opens the on-disk local store, records one scan of its own cluster
// and a scan of the cluster all children share, then closes. Exits non-zero with the error on stderr if any step fails.
import { runRules } from '../../shared/engine/run.ts';
import type { ClusterRef } from '../../shared/model/cluster.ts';
import privilegedContainer from '../../shared/rules/workload/privileged-container.ts';
import { openLocalStore, type LocalStore } from '../../shared/store/local.ts';
import { container, deployment, hardenedPodSpec, snapshotOf } from '../support/fixtures.ts';

const [dir, name] = process.argv.slice(2);
if (!dir || !name) throw new Error('usage: local-child.ts <store dir> <name>');

async function record(local: LocalStore, cluster: ClusterRef, workload: string): Promise<void> {
  const at = new Date().toISOString();
  const objects = [deployment({ name: workload, spec: hardenedPodSpec({ containers: [container({ securityContext: { privileged: true } })] }) })];
  const snapshot = snapshotOf(objects, { cluster, takenAt: at });
  const lease = await local.store.acquireLease(cluster.id, `cli-${process.pid}`);
  await local.store.recordScan({ lease, cluster, findings: runRules(snapshot, [privilegedContainer]).findings, coverage: snapshot.coverage, scannedAt: at });
}

const local = await openLocalStore({ dir, lockWaitMs: 120_000 });
try {
  await record(local, { id: `kubeconfig:${name}`, name, source: 'kubeconfig' }, 'web');
  await record(local, { id: 'kubeconfig:shared', name: 'shared', source: 'kubeconfig' }, name);
} finally {
  await local.close();
}

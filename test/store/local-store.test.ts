// The embedded store the CLI uses: dynalite on disk, so a second local scan shows what is new and what was fixed.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runRules } from '../../shared/engine/run.ts';
import type { ClusterRef } from '../../shared/model/cluster.ts';
import type { KubeObject } from '../../shared/model/kube.ts';
import privilegedContainer from '../../shared/rules/workload/privileged-container.ts';
import { localStoreDir, openLocalStore, type LocalStore } from '../../shared/store/local.ts';
import { formatSummary } from '../../shared/store/reconcile.ts';
import { container, deployment, hardenedPodSpec, snapshotOf } from '../support/fixtures.ts';

const cluster: ClusterRef = { id: 'kubeconfig:dev', name: 'dev', source: 'kubeconfig' };
const privileged = (name: string): KubeObject =>
  deployment({ name, spec: hardenedPodSpec({ containers: [container({ securityContext: { privileged: true } })] }) });

async function scanLocally(local: LocalStore, objects: KubeObject[], at: string): Promise<string> {
  const snapshot = snapshotOf(objects, { cluster, takenAt: at });
  const { findings } = runRules(snapshot, [privilegedContainer]);
  const lease = await local.store.acquireLease(cluster.id, `cli-${process.pid}`);
  const outcome = await local.store.recordScan({ lease, cluster, findings, coverage: snapshot.coverage, scannedAt: at });
  return formatSummary(outcome.summary);
}

describe('openLocalStore', () => {
  const dirs: string[] = [];
  afterEach(async () => {
    await Promise.all(dirs.splice(0).map((d) => rm(d, { recursive: true, force: true })));
  });

  it('keeps findings on disk between runs, so the second scan says what is new and what was fixed', async () => {
    const home = await mkdtemp(join(tmpdir(), 'periscope-home-'));
    dirs.push(home);
    const dir = localStoreDir(home);
    expect(dir).toBe(join(home, 'store'));

    const first = await openLocalStore({ dir });
    expect(first.endpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(await scanLocally(first, [privileged('web'), privileged('api')], '2026-01-01T00:00:00.000Z')).toBe(
      '2 new, 0 resolved, 0 unchanged, 0 suppressed',
    );
    await first.close();

    const second = await openLocalStore({ dir });
    expect(await scanLocally(second, [deployment({ name: 'web' }), privileged('api'), privileged('db')], '2026-01-02T00:00:00.000Z')).toBe(
      '1 new, 1 resolved, 1 unchanged, 0 suppressed',
    );
    expect((await second.store.clusters()).map((c) => [c.clusterId, c.lastScanResult])).toEqual([['kubeconfig:dev', 'succeeded']]);
    await second.close();
  });

  it('refuses a second opener after waiting its time, with a message saying what to do', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'periscope-store-'));
    dirs.push(dir);
    const holder = await openLocalStore({ dir });
    await expect(openLocalStore({ dir, lockWaitMs: 300 })).rejects.toThrow(/in use by process \d+\. Wait for that periscope command to finish/);
    await holder.close();
    const next = await openLocalStore({ dir });
    await next.close();
  });

  it('runs in memory when no directory is given', async () => {
    const local = await openLocalStore();
    expect(await scanLocally(local, [privileged('web')], '2026-01-01T00:00:00.000Z')).toBe('1 new, 0 resolved, 0 unchanged, 0 suppressed');
    await local.close();
  });
});

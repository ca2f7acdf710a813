// A finding resolves only when its kind and every kind its rule reads was completely listed: with Services or
// RoleBindings forbidden, the attack paths and blast radii a scan cannot see are kept open, through the real store
// on dynalite and the CLI's local store.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runRules } from '../../shared/engine/run.ts';
import type { ClusterRef } from '../../shared/model/cluster.ts';
import type { KubeObject } from '../../shared/model/kube.ts';
import type { KindCoverage } from '../../shared/model/snapshot.ts';
import { rules } from '../../shared/rules/index.ts';
import { demoClusterObjects } from '../../shared/sandbox/demo/cluster.ts';
import type { FindingStore } from '../../shared/store/finding-store.ts';
import { openLocalStore } from '../../shared/store/local.ts';
import { reconcile, ruleKindsOf } from '../../shared/store/reconcile.ts';
import { snapshotOf } from '../support/fixtures.ts';
import { newStore, startDynalite, type Backend } from './harness.ts';

const cluster: ClusterRef = { id: 'kubeconfig:demo', name: 'demo', source: 'kubeconfig' };
const t0 = '2026-01-01T00:00:00.000Z';
const t1 = '2026-01-02T00:00:00.000Z';

/** One scan of the demo cluster with `forbidden` kinds denied (listed as the collector records a 403). */
function scanOf(forbidden: readonly string[], at: string) {
  const objects: KubeObject[] = demoClusterObjects().filter((object) => !forbidden.includes(String(object.kind)));
  const snapshot = snapshotOf(objects, { cluster, takenAt: at });
  const coverage: Record<string, KindCoverage> = { ...snapshot.coverage };
  for (const kind of forbidden) coverage[kind] = { complete: false, count: 0, error: `forbidden: ${kind.toLowerCase()}s is forbidden` };
  return { findings: runRules({ ...snapshot, coverage }, rules).findings, coverage };
}

async function twoScans(store: FindingStore, forbidden: readonly string[]) {
  const first = scanOf([], t0);
  await store.recordScan({ lease: await store.acquireLease(cluster.id, 'scan-0'), cluster, findings: first.findings, coverage: first.coverage, scannedAt: t0 });
  const second = scanOf(forbidden, t1);
  const outcome = await store.recordScan({ lease: await store.acquireLease(cluster.id, 'scan-1'), cluster, findings: second.findings, coverage: second.coverage, scannedAt: t1 });
  return { first, second, outcome };
}

const cases = [
  { forbidden: ['Service'], rule: 'path-public-workload-pivot' },
  { forbidden: ['RoleBinding', 'ClusterRoleBinding'], rule: 'rbac-workload-blast-radius' },
];

describe('reconcile with a kind its rule reads forbidden', () => {
  let backend: Backend;
  beforeAll(async () => {
    backend = await startDynalite();
  });
  afterAll(async () => backend.stop());

  for (const { forbidden, rule } of cases) {
    it(`keeps ${rule} findings open with ${forbidden.join(' and ')} forbidden (dynalite)`, async () => {
      const t = await newStore(backend);
      try {
        const { first, second, outcome } = await twoScans(t.store, forbidden);
        const before = first.findings.filter((f) => f.ruleId === rule);
        expect(before.length).toBeGreaterThan(0);
        // The engine no longer sees (some of) them: without the kind it cannot build the chain.
        const seen = new Set(second.findings.map((f) => f.fingerprint));
        expect(before.filter((f) => !seen.has(f.fingerprint)).length).toBeGreaterThan(0);
        expect(outcome.reconciliation.resolved.filter((f) => f.ruleId === rule)).toEqual([]);
        const open = new Set((await t.store.findings(cluster.id)).filter((f) => f.status === 'OPEN').map((f) => f.fingerprint));
        expect(before.filter((f) => !open.has(f.fingerprint))).toEqual([]);
        expect(outcome.summary.notCovered).toBeGreaterThanOrEqual(before.length);
      } finally {
        t.close();
      }
    });
  }

  it('keeps them open in the local store too, and resolves them once the kind is read again and they are gone', async () => {
    const local = await openLocalStore({});
    try {
      const { first, outcome } = await twoScans(local.store, ['Service']);
      const paths = first.findings.filter((f) => f.ruleId === 'path-public-workload-pivot');
      expect(paths.length).toBeGreaterThan(0);
      expect(outcome.reconciliation.resolved.filter((f) => f.ruleId === 'path-public-workload-pivot')).toEqual([]);
      // Complete again, without the Services: now the paths are really gone.
      const third = scanOf([], '2026-01-03T00:00:00.000Z');
      const noServices = third.findings.filter((f) => f.ruleId !== 'path-public-workload-pivot');
      const done = await local.store.recordScan({
        lease: await local.store.acquireLease(cluster.id, 'scan-2'),
        cluster,
        findings: noServices,
        coverage: third.coverage,
        scannedAt: '2026-01-03T00:00:00.000Z',
      });
      expect(done.reconciliation.resolved.filter((f) => f.ruleId === 'path-public-workload-pivot').length).toBe(paths.length);
    } finally {
      await local.close();
    }
  });

  it('looks at the rule, not only the finding\'s own kind (the declaration decides)', () => {
    const { findings, coverage } = scanOf([], t0);
    const stored = reconcile([], findings, coverage, { scannedAt: t0 }).writes;
    const partial = { ...coverage, Service: { complete: false, count: 0, error: 'forbidden: services' } };
    const withReads = reconcile(stored, [], partial, { scannedAt: t1, committedAt: t0 });
    const withoutReads = reconcile(stored, [], partial, {
      scannedAt: t1,
      committedAt: t0,
      ruleKinds: ruleKindsOf(rules.map((r) => ({ id: r.id, meta: {} }))),
    });
    const isPath = (f: { ruleId: string }) => f.ruleId === 'path-public-workload-pivot';
    expect(withReads.resolved.filter(isPath)).toEqual([]);
    expect(withoutReads.resolved.filter(isPath).length).toBeGreaterThan(0);
  });
});

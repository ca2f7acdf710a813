import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Finding } from '../../shared/model/finding.ts';
import type { KindCoverage } from '../../shared/model/snapshot.ts';
import { alertsOf, formatSummary, kindCovered, reconcile, summarize } from '../../shared/store/reconcile.ts';
import type { StoredFinding } from '../../shared/store/records.ts';
import { coverage, finding } from './findings.ts';

const t0 = '2026-01-01T00:00:00.000Z';
const t1 = '2026-01-02T00:00:00.000Z';
const t2 = '2026-01-03T00:00:00.000Z';
const full = coverage(['Deployment', 'DaemonSet', 'StatefulSet', 'CronJob']);

/** What the store holds after writing a reconciliation on top of `stored`. */
function applied(stored: readonly StoredFinding[], writes: readonly StoredFinding[]): StoredFinding[] {
  const map = new Map(stored.map((f) => [f.fingerprint, f]));
  for (const w of writes) map.set(w.fingerprint, w);
  return [...map.values()];
}

function at(f: Finding, time: string): Finding {
  return { ...f, firstSeenAt: time, lastSeenAt: time };
}

describe('reconcile', () => {
  const web = finding({ name: 'web' });
  const api = finding({ name: 'api' });

  it('opens new findings, with no writes for what is already known', () => {
    const first = reconcile([], [web, api], full, { scannedAt: t0 });
    expect(first.opened.map((f) => f.resource.name)).toEqual(['web', 'api']);
    expect(first.writes).toHaveLength(2);
    expect(first.opened[0]).toMatchObject({ status: 'OPEN', firstSeenAt: t0, reopenCount: 0, lastChange: 'opened', changedAt: t0 });

    const second = reconcile(first.writes, [at(web, t1), at(api, t1)], full, { scannedAt: t1, committedAt: t0 });
    expect(second.writes).toEqual([]);
    expect(second.unchanged.map((f) => f.resource.name)).toEqual(['web', 'api']);
    expect(summarize(second)).toMatchObject({ opened: 0, resolved: 0, unchanged: 2, suppressed: 0 });
  });

  it('resolves a finding that is gone when its kind was completely listed', () => {
    const stored = reconcile([], [web, api], full, { scannedAt: t0 }).writes;
    const result = reconcile(stored, [at(api, t1)], full, { scannedAt: t1, committedAt: t0 });
    expect(result.resolved).toHaveLength(1);
    expect(result.resolved[0]).toMatchObject({ fingerprint: web.fingerprint, status: 'RESOLVED', resolvedAt: t1, firstSeenAt: t0 });
    expect(result.writes.map((f) => f.fingerprint)).toEqual([web.fingerprint]);
    expect(result.active.map((f) => f.fingerprint)).toEqual([api.fingerprint]);
  });

  it('never resolves a finding whose kind was listed partially, failed or not at all', () => {
    const stored = reconcile([], [web], full, { scannedAt: t0 }).writes;
    const partials: Record<string, KindCoverage>[] = [
      { Deployment: { complete: false, count: 10, error: 'failed: 500 on page 3' } },
      { Deployment: { complete: false, count: 0, error: 'forbidden: list deployments' } },
      {},
    ];
    for (const partial of partials) {
      const result = reconcile(stored, [], partial, { scannedAt: t1, committedAt: t0 });
      expect(result.resolved).toEqual([]);
      expect(result.writes).toEqual([]);
      expect(result.notCovered.map((f) => f.fingerprint)).toEqual([web.fingerprint]);
      expect(result.active).toHaveLength(1);
      expect(summarize(result).notCovered).toBe(1);
    }
  });

  it('keeps the findings of rules that did not run', () => {
    const stored = reconcile([], [web], full, { scannedAt: t0 }).writes;
    const result = reconcile(stored, [], full, { scannedAt: t1, committedAt: t0, skippedRules: ['privileged-container'] });
    expect(result.resolved).toEqual([]);
    expect(result.notCovered).toHaveLength(1);
  });

  it('judges cluster-level findings by the EKS calls and snapshot-level ones by every kind', () => {
    expect(kindCovered('EKSCluster', { 'eks:DescribeCluster': { complete: true, count: 1 } })).toBe(true);
    expect(kindCovered('EKSCluster', { 'eks:DescribeCluster': { complete: true, count: 1 }, 'eks:ListAddons': { complete: false, count: 0, error: 'forbidden' } })).toBe(false);
    expect(kindCovered('EKSCluster', { Pod: { complete: true, count: 1 } })).toBe(false);
    expect(kindCovered('Snapshot', full)).toBe(true);
    expect(kindCovered('Snapshot', { ...full, Pod: { complete: false, count: 3 } })).toBe(false);
  });

  it('reopens a resolved finding keeping its first-seen time and counting reopenings', () => {
    let stored = reconcile([], [web], full, { scannedAt: t0 }).writes;
    stored = applied(stored, reconcile(stored, [], full, { scannedAt: t1, committedAt: t0 }).writes);
    const back = reconcile(stored, [at(web, t2)], full, { scannedAt: t2, committedAt: t1 });
    expect(back.reopened).toHaveLength(1);
    expect(back.reopened[0]).toMatchObject({ status: 'OPEN', firstSeenAt: t0, lastSeenAt: t2, reopenCount: 1 });
    expect(back.reopened[0]?.resolvedAt).toBeUndefined();
    const gone = reconcile(applied(stored, back.writes), [], full, { scannedAt: '2026-01-04T00:00:00.000Z', committedAt: t2 });
    const again = reconcile(applied(applied(stored, back.writes), gone.writes), [web], full, { scannedAt: '2026-01-05T00:00:00.000Z', committedAt: '2026-01-04T00:00:00.000Z' });
    expect(again.reopened[0]?.reopenCount).toBe(2);
  });

  it('moves findings into and out of suppression', () => {
    const suppression = { reason: 'Node agent needs host access', source: 'exceptions-file' as const, owner: 'platform' };
    const stored = reconcile([], [web], full, { scannedAt: t0 }).writes;
    const hidden = reconcile(stored, [finding({ name: 'web', suppression })], full, { scannedAt: t1, committedAt: t0 });
    expect(hidden.suppressed).toHaveLength(1);
    expect(hidden.suppressed[0]).toMatchObject({ status: 'SUPPRESSED', suppression, firstSeenAt: t0 });
    expect(summarize(hidden)).toMatchObject({ suppressed: 1, unchanged: 0, opened: 0 });

    const back = reconcile(applied(stored, hidden.writes), [at(web, t2)], full, { scannedAt: t2, committedAt: t1 });
    expect(back.unsuppressed).toHaveLength(1);
    expect(back.unsuppressed[0]).toMatchObject({ status: 'OPEN', firstSeenAt: t0 });
    expect(back.unsuppressed[0]?.suppression).toBeUndefined();
    expect(formatSummary(summarize(back))).toBe('1 new, 0 resolved, 0 unchanged, 0 suppressed');

    const newSuppressed = reconcile([], [finding({ name: 'db', suppression })], full, { scannedAt: t0 });
    expect(newSuppressed.suppressed).toHaveLength(1);
    expect(newSuppressed.opened).toEqual([]);
  });

  it('alerts on new, reopened and no-longer-suppressed findings (in that order) and on resolved ones; not on the rest', () => {
    const suppression = { reason: 'Node agent needs host access', source: 'exceptions-file' as const };
    const db = finding({ name: 'db' });
    const agent = finding({ name: 'agent' });
    const first = reconcile([], [web, api, db, finding({ name: 'agent', suppression })], full, { scannedAt: t0 });
    const second = reconcile(first.writes, [at(web, t1), at(agent, t1)], full, { scannedAt: t1, committedAt: t0 });
    const third = reconcile(applied(first.writes, second.writes), [at(web, t2), at(agent, t2), at(api, t2), finding({ name: 'cache' })], full, {
      scannedAt: t2,
      committedAt: t1,
    });
    expect(alertsOf(second).opened.map((f) => f.resource.name)).toEqual(['agent']);
    expect(alertsOf(second).resolved.map((f) => f.resource.name)).toEqual(['api', 'db']);
    expect(alertsOf(third).opened.map((f) => f.resource.name)).toEqual(['cache', 'api']);
    expect(alertsOf(third).resolved).toEqual([]);
    expect(third.unchanged.map((f) => f.resource.name)).toEqual(['web', 'agent']);
  });

  it('reports a changed message or suppression reason as changed, and writes it', () => {
    const stored = reconcile([], [web], full, { scannedAt: t0 }).writes;
    const result = reconcile(stored, [finding({ name: 'web', message: 'Container app runs privileged (new wording)' })], full, { scannedAt: t1, committedAt: t0 });
    expect(result.changed).toHaveLength(1);
    expect(result.writes).toHaveLength(1);
    expect(result.changed[0]?.firstSeenAt).toBe(t0);
  });

  it('announces again the changes a crashed scan stored but never recorded', () => {
    const crashed = reconcile([], [web, api], full, { scannedAt: t0 }).writes;
    // No committed scan: the cluster item was never written.
    const rerun = reconcile(crashed, [at(web, t1), at(api, t1)], full, { scannedAt: t1 });
    expect(rerun.opened).toHaveLength(2);
    expect(rerun.writes).toEqual([]);
    const committed = reconcile(crashed, [at(web, t1), at(api, t1)], full, { scannedAt: t1, committedAt: t0 });
    expect(committed.opened).toEqual([]);
    expect(committed.unchanged).toHaveLength(2);
  });

  it('formats the CLI line from the summary', () => {
    const stored = reconcile([], [web, api], full, { scannedAt: t0 }).writes;
    const db = finding({ name: 'db' });
    const hidden = finding({ name: 'agent', suppression: { reason: 'platform agent, reviewed', source: 'platform-default' } });
    const result = reconcile(stored, [at(api, t1), db, hidden], full, { scannedAt: t1, committedAt: t0 });
    expect(formatSummary(summarize(result))).toBe('1 new, 1 resolved, 1 unchanged, 1 suppressed');
  });

  it('converges: applying a reconciliation and reconciling the same scan again changes nothing', () => {
    const names = ['a', 'b', 'c', 'd', 'e', 'f'];
    const state = fc.record({
      name: fc.constantFrom(...names),
      suppressed: fc.boolean(),
      wording: fc.constantFrom('x', 'y'),
    });
    const scan = fc.uniqueArray(state, { selector: (s) => s.name, maxLength: names.length });
    fc.assert(
      fc.property(fc.array(fc.tuple(scan, fc.boolean()), { minLength: 1, maxLength: 5 }), (scans) => {
        let stored: StoredFinding[] = [];
        scans.forEach(([specs, complete], i) => {
          const time = new Date(Date.UTC(2026, 0, 1 + i)).toISOString();
          const committedAt = i === 0 ? undefined : new Date(Date.UTC(2026, 0, i)).toISOString();
          const current = specs.map((s) =>
            finding({
              name: s.name,
              message: `m-${s.wording}`,
              at: time,
              ...(s.suppressed ? { suppression: { reason: 'reviewed exception', source: 'exceptions-file' as const } } : {}),
            }),
          );
          const cov = complete ? full : { Deployment: { complete: false, count: 0 } };
          const result = reconcile(stored, current, cov, { scannedAt: time, committedAt });
          // Every current finding lands in exactly one bucket.
          const buckets = [result.opened, result.reopened, result.changed, result.suppressed, result.unsuppressed, result.unchanged];
          for (const f of current) expect(buckets.flat().filter((b) => b.fingerprint === f.fingerprint)).toHaveLength(1);
          // Nothing resolves without complete coverage.
          if (!complete) expect(result.resolved).toEqual([]);
          stored = applied(stored, result.writes);
          const again = reconcile(stored, current, cov, { scannedAt: time, committedAt: time });
          expect(again.writes).toEqual([]);
          // Stored state mirrors the scan.
          for (const f of current) expect(stored.find((s) => s.fingerprint === f.fingerprint)?.status).toBe(f.status);
          if (complete) {
            const seen = new Set(current.map((f) => f.fingerprint));
            for (const s of stored) if (!seen.has(s.fingerprint)) expect(s.status).toBe('RESOLVED');
          }
        });
      }),
      { numRuns: 200 },
    );
  });
});

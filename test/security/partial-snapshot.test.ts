// Invariant: a partial snapshot never resolves a finding. Each case scans twice: the first scan opens findings,
// the second is partial in one way (a kind forbidden or cut short, a failed EKS call, a rule that did not run, a
// rule that threw on the object, a manifest that did not parse) and must leave those findings as they were.
import { describe, expect, it } from 'vitest';
import { defineRule, type AnyRule } from '../../shared/engine/rule.ts';
import { engineErrorRuleId, runRules } from '../../shared/engine/run.ts';
import { manifestSnapshot, parseManifests } from '../../shared/kube/manifests.ts';
import type { KubeObject } from '../../shared/model/kube.ts';
import type { KindCoverage, Snapshot } from '../../shared/model/snapshot.ts';
import { rules } from '../../shared/rules/index.ts';
import { checkedKinds } from '../../shared/cli/manifest-source.ts';
import { reconcile, type Reconciliation } from '../../shared/store/reconcile.ts';
import type { StoredFinding } from '../../shared/store/records.ts';
import { deployment, snapshotOf } from '../support/fixtures.ts';

const t0 = '2026-01-01T00:00:00.000Z';
const t1 = '2026-01-02T00:00:00.000Z';

/** Reports every Deployment labelled `flagged`; throws on one annotated `explode` (a shape the rule did not expect). */
const fragile = defineRule({
  id: 'fragile-rule',
  meta: {
    title: 'Fragile test rule',
    description: 'Flags labelled Deployments; throws on annotated ones.',
    severity: 'high',
    domain: 'workload',
    targets: ['Deployment'],
    frameworks: {},
    remediation: 'Remove the label.',
    messages: { flagged: 'Deployment {{name}} is flagged.' },
  },
  check(object, ctx) {
    const meta = object.metadata ?? {};
    if (meta.annotations?.explode) throw new TypeError("Cannot read properties of undefined (reading 'containers')");
    if (meta.labels?.flagged) ctx.report({ messageId: 'flagged', data: { name: String(meta.name) }, path: 'metadata.labels' });
  },
});

/** A cross-object rule: one finding per Deployment, reported on the Deployment; throws when any is annotated. */
const fragileWhole = defineRule({
  id: 'fragile-snapshot-rule',
  meta: {
    title: 'Fragile snapshot rule',
    description: 'Flags every Deployment from the Snapshot pseudo-kind; throws when one is annotated.',
    severity: 'medium',
    domain: 'workload',
    targets: ['Snapshot'],
    frameworks: {},
    remediation: 'None.',
    messages: { seen: 'Deployment {{name}} is seen.' },
  },
  check(_object, ctx) {
    for (const d of ctx.snapshot.all('Deployment')) {
      if (d.metadata?.annotations?.explode) throw new Error('cannot evaluate');
      ctx.report({ messageId: 'seen', data: { name: String(d.metadata?.name) }, path: '', resource: { apiVersion: 'apps/v1', kind: 'Deployment', namespace: d.metadata?.namespace, name: String(d.metadata?.name) } });
    }
  },
});

function flagged(name: string, extra: { explode?: boolean } = {}): KubeObject {
  const d = deployment({ name });
  d.metadata = { ...d.metadata, labels: { ...(d.metadata?.labels ?? {}), flagged: 'yes' } };
  if (extra.explode) d.metadata.annotations = { explode: 'yes' };
  return d;
}

function scan(snapshot: Snapshot, stored: readonly StoredFinding[], catalogue: readonly AnyRule[], committedAt?: string): Reconciliation {
  const result = runRules(snapshot, catalogue);
  return reconcile(stored, result.findings, snapshot.coverage, {
    scannedAt: snapshot.takenAt,
    ...(committedAt ? { committedAt } : {}),
    skippedRules: result.skipped.map((s) => s.ruleId),
  });
}

function openOf(r: Reconciliation, ruleId: string): string[] {
  return r.active.filter((f) => f.ruleId === ruleId && f.status === 'OPEN').map((f) => f.resource.name).sort();
}

describe('a partial snapshot never resolves a finding', () => {
  const first = scan(snapshotOf([flagged('web'), flagged('api')], { takenAt: t0 }), [], [fragile]);

  it('opens what the first, complete scan finds', () => {
    expect(openOf(first, 'fragile-rule')).toEqual(['api', 'web']);
  });

  const partialCoverages: [string, Record<string, KindCoverage>][] = [
    ['the kind is forbidden', { Deployment: { complete: false, count: 0, error: 'forbidden: deployments.apps is forbidden' } }],
    ['the listing broke off after a page', { Deployment: { complete: false, count: 0, error: 'failed: HTTP 500 on page 2' } }],
    ['the kind is missing from coverage', {}],
  ];
  for (const [why, coverage] of partialCoverages) {
    it(`keeps findings open when ${why}`, () => {
      const second = scan({ ...snapshotOf([], { takenAt: t1 }), coverage }, first.writes, [fragile], t0);
      expect(second.resolved).toEqual([]);
      expect(second.writes).toEqual([]);
      expect(openOf(second, 'fragile-rule')).toEqual(['api', 'web']);
    });
  }

  it('keeps cluster-level findings when an EKS call failed', () => {
    const eksRule = defineRule({
      id: 'eks-fact-rule',
      meta: { ...fragile.meta, targets: ['EKSCluster'], requires: ['clusterInfo'], messages: { bad: 'bad' } },
      check(_o, ctx) {
        ctx.report({ messageId: 'bad', data: {}, path: 'logging' });
      },
    });
    const info = { name: 'test', arn: 'arn:aws:eks:eu-west-1:111122223333:cluster/test', status: 'ACTIVE' };
    const stored = scan(snapshotOf([], { takenAt: t0, clusterInfo: info, coverage: { 'eks:DescribeCluster': { complete: true, count: 1 } } }), [], [eksRule]).writes;
    expect(stored).toHaveLength(1);
    const failed = { 'eks:DescribeCluster': { complete: true, count: 1 }, 'eks:ListAccessEntries': { complete: false, count: 0, error: 'failed: AccessDeniedException' } };
    // The rule no longer reports (the facts it needed were not fetched), but the EKS facts were partial.
    const silent = defineRule({ ...eksRule, check() {} });
    const second = scan(snapshotOf([], { takenAt: t1, clusterInfo: info, coverage: failed }), stored, [silent], t0);
    expect(second.resolved).toEqual([]);
    // And without cluster facts at all the rule is skipped: nothing resolves either.
    const skipped = scan(snapshotOf([], { takenAt: t1 }), stored, [silent], t0);
    expect(skipped.resolved).toEqual([]);
  });

  it('keeps a rule\'s earlier finding on an object when the rule threw on that object', () => {
    const second = scan(snapshotOf([flagged('web', { explode: true }), deployment({ name: 'api' })], { takenAt: t1 }), first.writes, [fragile], t0);
    // `api` was fixed (label removed) and evaluated fine: resolved. `web` could not be evaluated: not resolved.
    expect(second.resolved.map((f) => f.resource.name)).toEqual(['api']);
    expect(openOf(second, 'fragile-rule')).toEqual(['web']);
    expect(second.notCovered.map((f) => f.resource.name)).toEqual(['web']);
    // The failure itself is visible as an engine-error finding on that object.
    expect(second.opened.filter((f) => f.ruleId === engineErrorRuleId).map((f) => f.resource.name)).toEqual(['web']);

    // Once the rule runs on the object again, the finding follows the object's real state.
    const third = scan(snapshotOf([deployment({ name: 'web' })], { takenAt: '2026-01-03T00:00:00.000Z' }), applied(first.writes, second.writes), [fragile], t1);
    expect(third.resolved.map((f) => `${f.ruleId}:${f.resource.name}`).sort()).toEqual([`${engineErrorRuleId}:web`, 'fragile-rule:web']);
  });

  it('keeps every finding of a once-per-snapshot rule that threw', () => {
    const seeded = scan(snapshotOf([flagged('web'), flagged('api')], { takenAt: t0 }), [], [fragileWhole]);
    expect(openOf(seeded, 'fragile-snapshot-rule')).toEqual(['api', 'web']);
    const second = scan(snapshotOf([flagged('web'), flagged('api', { explode: true })], { takenAt: t1 }), seeded.writes, [fragileWhole], t0);
    expect(second.resolved).toEqual([]);
    expect(openOf(second, 'fragile-snapshot-rule')).toEqual(['api', 'web']);
  });

  it('keeps a finding on an object whose manifest no longer parses (scan -f with a store)', () => {
    const good = 'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web, namespace: shop}\nspec:\n  template:\n    spec:\n      containers:\n      - name: app\n        image: nginx:1.27\n        securityContext: {privileged: true}\n';
    const snapshotFrom = (text: string, takenAt: string): { snapshot: Snapshot; errors: number } => {
      const parsed = parseManifests(text, 'deploy.yaml');
      const { snapshot } = manifestSnapshot(parsed.objects, { path: 'deploy.yaml', name: 'deploy', takenAt, checkedKinds: checkedKinds(), errors: parsed.errors });
      return { snapshot, errors: parsed.errors.length };
    };
    const one = snapshotFrom(good, t0);
    const firstScan = scan(one.snapshot, [], rules);
    expect(firstScan.opened.some((f) => f.ruleId === 'privileged-container')).toBe(true);

    // A stray tab makes the document invalid YAML: the Deployment is not read at all this time.
    const broken = snapshotFrom(good.replace('containers:', 'containers:\n\t- oops: ['), t1);
    expect(broken.errors).toBe(1);
    expect(broken.snapshot.coverage.Deployment).toMatchObject({ complete: false, error: expect.stringContaining('deploy.yaml:') });
    const second = scan(broken.snapshot, firstScan.writes, rules, t0);
    expect(second.resolved).toEqual([]);
    expect(openOf(second, 'privileged-container')).toEqual(['web']);
  });
});

function applied(stored: readonly StoredFinding[], writes: readonly StoredFinding[]): StoredFinding[] {
  const map = new Map(stored.map((f) => [f.fingerprint, f]));
  for (const w of writes) map.set(w.fingerprint, w);
  return [...map.values()];
}

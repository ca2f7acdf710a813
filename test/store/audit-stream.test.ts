// The audit stream's records against dynalite through the real SDK: the debounce window is one conditional write that
// exactly one of many concurrent callers wins, causes round-trip by object, event findings are stored once.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Cause } from '../../shared/model/audit.ts';
import type { Finding } from '../../shared/model/finding.ts';
import { AuditStreamStore } from '../../shared/store/audit-stream.ts';
import { documentClientOf } from '../../shared/store/finding-store.ts';
import { finding } from './findings.ts';
import { newStore, startDynalite, type Backend, type TestStore } from './harness.ts';

const cluster = 'arn:aws:eks:eu-west-1:111122223333:cluster/prod';
const at = new Date('2026-12-02T10:00:00.000Z');

function cause(name: string, time = '2026-12-02T10:00:00.000Z'): Cause {
  return {
    username: 'alice@example.com',
    groups: ['system:authenticated'],
    userAgent: 'kubectl/v1.33.1 (linux/amd64) kubernetes/8adc0f0',
    sourceIPs: ['203.0.113.7'],
    verb: 'create',
    time,
    auditID: `audit-${name}`,
    objectRef: { resource: 'pods', namespace: 'ops', name, apiVersion: 'v1' },
  };
}

let backend: Backend;
let t: TestStore;
let audit: AuditStreamStore;

beforeAll(async () => {
  backend = await startDynalite();
});
afterAll(async () => {
  t?.close();
  await backend.stop();
});

async function fresh(): Promise<void> {
  t?.close();
  t = await newStore(backend);
  audit = new AuditStreamStore({ client: documentClientOf(t.client), tableName: t.tableName });
}

describe('AuditStreamStore', () => {
  it('opens one rescan window per cluster: of 20 concurrent claims exactly one wins, with one write each', async () => {
    await fresh();
    const claims = await Promise.all(Array.from({ length: 20 }, () => audit.claimRescanWindow(cluster, at, 60_000)));
    expect(claims.filter(Boolean)).toHaveLength(1);
    expect(t.writes.get('UpdateItemCommand')).toBe(20);
    // Another cluster has its own window.
    expect(await audit.claimRescanWindow(cluster.replace('prod', 'staging'), at, 60_000)).toBe(true);
  });

  it('opens the next window only once the open one has ended', async () => {
    await fresh();
    expect(await audit.claimRescanWindow(cluster, at, 60_000)).toBe(true);
    expect(await audit.claimRescanWindow(cluster, new Date(at.getTime() + 59_999), 60_000)).toBe(false);
    expect(await audit.claimRescanWindow(cluster, new Date(at.getTime() + 60_000), 60_000)).toBe(true);
  });

  it('gives back a window whose scan could not be queued, and only that window', async () => {
    await fresh();
    expect(await audit.claimRescanWindow(cluster, at, 60_000)).toBe(true);
    await audit.releaseRescanWindow(cluster, new Date(at.getTime() + 1)); // not the opener: left alone
    expect(await audit.claimRescanWindow(cluster, new Date(at.getTime() + 2), 60_000)).toBe(false);
    await audit.releaseRescanWindow(cluster, at);
    expect(await audit.claimRescanWindow(cluster, new Date(at.getTime() + 3), 60_000)).toBe(true);
  });

  it('keeps causes by object, 25 objects a write, and reads them back', async () => {
    await fresh();
    const byObject = new Map(Array.from({ length: 60 }, (_, i) => [`Pod/ops/web-${i}`, [cause(`web-${i}`)]]));
    await audit.recordCauses(cluster, byObject, at);
    expect(t.writes.get('BatchWriteItemCommand')).toBe(3);
    const read = await audit.causes(cluster);
    expect(read.size).toBe(60);
    expect(read.get('Pod/ops/web-7')).toEqual([cause('web-7')]);
    expect((await audit.causes(cluster.replace('prod', 'staging'))).size).toBe(0);
  });

  it('stores an event finding once: a replay stores nothing, and a forgotten one can be stored again', async () => {
    await fresh();
    const exec: Finding = finding({ clusterId: cluster, ruleId: 'audit-pod-exec', kind: 'Pod', name: 'debug' });
    expect(await audit.openEventFindings([exec])).toEqual([exec]);
    expect(await audit.openEventFindings([exec])).toEqual([]);
    expect(await audit.eventFindings(cluster)).toEqual([exec]);
    await audit.forgetEventFindings([exec]);
    expect(await audit.openEventFindings([exec])).toEqual([exec]);
  });

  it('keeps event findings out of the range a scan reconciles', async () => {
    await fresh();
    const exec: Finding = finding({ clusterId: cluster, ruleId: 'audit-pod-exec', kind: 'Pod', name: 'debug' });
    await audit.openEventFindings([exec]);
    expect(await t.store.findings(cluster)).toEqual([]);
  });
});

// notifySecurityHub with the real SDK client (SecurityHubFindings) against the local Security Hub receiver, which
// checks every finding against the ASFF and refuses more than 100 per request.
import { SecurityHubClient } from '@aws-sdk/client-securityhub';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Finding } from '../../shared/model/finding.ts';
import { eventDetailTypes } from '../../shared/model/pipeline.ts';
import { SecurityHubFindings } from '../../shared/notify/securityhub/client.ts';
import { notifySecurityHub, type FindingChange, type FindingChangeType, type NotifySecurityHubDeps } from '../../shared/pipeline/notify-securityhub.ts';
import { finding, manyFindings, prod, testCatalogue } from '../notify/support.ts';
import { startSecurityHubReceiver, type SecurityHubReceiver } from '../support/securityhub-receiver.ts';

const accountId = '111122223333';
const product = { partition: 'aws', region: 'eu-west-1', accountId };
const productArn = `arn:aws:securityhub:eu-west-1:${accountId}:product/${accountId}/default`;
const cluster = { id: prod.id, name: prod.name, arn: prod.arn!, accountId: prod.accountId!, region: prod.region! };

let receiver: SecurityHubReceiver;
beforeAll(async () => {
  receiver = await startSecurityHubReceiver({ accountId });
});
afterAll(async () => {
  await receiver.stop();
});
afterEach(() => {
  receiver.findings.clear();
  receiver.requests.length = 0;
});

function clientOf(maxAttempts: number): SecurityHubFindings {
  return new SecurityHubFindings(
    new SecurityHubClient({ endpoint: receiver.url, region: 'eu-west-1', credentials: { accessKeyId: 'AKIDLOCAL', secretAccessKey: 'local-secret' }, maxAttempts }),
  );
}

interface Run {
  deps: NotifySecurityHubDeps;
  sleeps: number[];
  logs: { level: string; message: string; attributes?: Record<string, unknown> }[];
  counts: Record<string, number>;
}

function run(options: { sdkAttempts?: number; maxAttempts?: number } = {}): Run {
  const sleeps: number[] = [];
  const logs: Run['logs'] = [];
  const counts: Record<string, number> = {};
  const log = (level: string) => (message: string, attributes?: Record<string, unknown>) => void logs.push({ level, message, ...(attributes ? { attributes } : {}) });
  return {
    sleeps,
    logs,
    counts,
    deps: {
      hub: clientOf(options.sdkAttempts ?? 1),
      product,
      links: { docsUrl: 'https://docs.example/rules.md' },
      catalogue: testCatalogue,
      logger: { debug: log('debug'), info: log('info'), warn: log('warn'), error: log('error') },
      metrics: { count: (name, value = 1) => void (counts[name] = (counts[name] ?? 0) + value) },
      sleep: async (ms) => void sleeps.push(ms),
      random: () => 1,
      ...(options.maxAttempts ? { maxAttempts: options.maxAttempts } : {}),
    },
  };
}

let messages = 0;
function change(detailType: FindingChangeType, f: Finding, reason?: string): FindingChange {
  messages += 1;
  return { messageId: `m-${messages}`, detailType, detail: { cluster, scanId: 'scan-7', finding: f, ...(reason ? { reason } : {}) } };
}
const opened = (f: Finding) => change(eventDetailTypes.findingOpened, f);
const resolved = (f: Finding, at = '2026-11-24T09:00:00.000Z', reason?: string) =>
  change(eventDetailTypes.findingResolved, { ...f, status: 'RESOLVED', resolvedAt: at, lastSeenAt: f.lastSeenAt }, reason);
const suppressed = (f: Finding, at = '2026-11-24T09:00:00.000Z') =>
  change(eventDetailTypes.findingSuppressed, { ...f, status: 'SUPPRESSED', lastSeenAt: at, suppression: { reason: 'accepted until the Q1 migration', source: 'exceptions-file', owner: 'platform' } });
/** The same finding seen again later: reopened, or no longer suppressed. */
const reopened = (f: Finding, at = '2026-11-25T09:00:00.000Z') => opened({ ...f, status: 'OPEN', lastSeenAt: at });

describe('notifySecurityHub: imports', () => {
  it('imports 250 new findings in requests of at most 100, each a valid ASFF finding keyed by its fingerprint', async () => {
    const findings = manyFindings(250);
    const r = run();
    const result = await notifySecurityHub(findings.map(opened), r.deps);
    expect(result).toMatchObject({ imported: 250, updated: 0, failed: [], batchItemFailures: [] });
    expect(receiver.requests).toEqual([
      { operation: 'BatchImportFindings', count: 100, status: 200 },
      { operation: 'BatchImportFindings', count: 100, status: 200 },
      { operation: 'BatchImportFindings', count: 50, status: 200 },
    ]);
    expect(receiver.findings.size).toBe(250);
    for (const f of findings) expect(receiver.findings.get(`${productArn} ${f.fingerprint}`)?.workflow).toBe('NEW');
    expect(r.counts.SecurityHubFindingsImported).toBe(250);
  });

  it('never duplicates: a re-delivered batch updates the same findings', async () => {
    const findings = manyFindings(30);
    await notifySecurityHub(findings.map(opened), run().deps);
    const again = await notifySecurityHub(findings.map(opened), run().deps);
    expect(again.batchItemFailures).toEqual([]);
    expect(receiver.findings.size).toBe(30);
    expect([...receiver.findings.values()].map((f) => f.imports)).toEqual(Array(30).fill(2));
  });

  it('sends one finding once when the batch holds several of its changes, the latest winning; every message succeeds', async () => {
    const f = finding({ name: 'flapping' });
    const first = opened(f);
    const fixed = resolved(f);
    const result = await notifySecurityHub([fixed, first], run().deps);
    expect(result.batchItemFailures).toEqual([]);
    expect(receiver.requests.filter((q) => q.operation === 'BatchImportFindings')).toEqual([{ operation: 'BatchImportFindings', count: 1, status: 200 }]);
    expect(receiver.byId(f.fingerprint)).toMatchObject({ workflow: 'RESOLVED', finding: { RecordState: 'ARCHIVED', Compliance: { Status: 'PASSED' } } });
  });
});

describe('notifySecurityHub: workflow', () => {
  it('a resolved finding is archived, PASSED and RESOLVED, with a note saying why', async () => {
    const f = finding({ name: 'fixed' });
    await notifySecurityHub([opened(f)], run().deps);
    const result = await notifySecurityHub([resolved(f, '2026-11-24T09:00:00.000Z', 'cluster deleted')], run().deps);
    expect(result).toMatchObject({ imported: 1, updated: 1, batchItemFailures: [] });
    const stored = receiver.byId(f.fingerprint)!;
    expect(stored).toMatchObject({ workflow: 'RESOLVED', note: 'Periscope: resolved (cluster deleted).', imports: 2 });
    expect(stored.finding).toMatchObject({ RecordState: 'ARCHIVED', Compliance: { Status: 'PASSED' }, UpdatedAt: '2026-11-24T09:00:00.000Z' });
  });

  it('a suppressed finding is SUPPRESSED with the exception as its note, and NEW again when the exception goes', async () => {
    const f = finding({ name: 'accepted' });
    await notifySecurityHub([opened(f)], run().deps);
    await notifySecurityHub([suppressed(f)], run().deps);
    expect(receiver.byId(f.fingerprint)).toMatchObject({ workflow: 'SUPPRESSED', note: 'Periscope: suppressed: accepted until the Q1 migration; owner platform.' });
    expect(receiver.byId(f.fingerprint)?.finding).toMatchObject({ RecordState: 'ACTIVE', Compliance: { Status: 'FAILED' } });
    await notifySecurityHub([reopened(f)], run().deps);
    expect(receiver.byId(f.fingerprint)).toMatchObject({ workflow: 'NEW', note: 'Periscope: open again.' });
  });

  it('a resolved finding that comes back is active and NEW again', async () => {
    const f = finding({ name: 'regressed' });
    await notifySecurityHub([opened(f)], run().deps);
    await notifySecurityHub([resolved(f)], run().deps);
    await notifySecurityHub([reopened(f)], run().deps);
    expect(receiver.byId(f.fingerprint)).toMatchObject({ workflow: 'NEW', finding: { RecordState: 'ACTIVE', Compliance: { Status: 'FAILED' } } });
    expect(receiver.findings.size).toBe(1);
  });

  it('a finding first seen suppressed is created SUPPRESSED (the update finds it or the import already set it)', async () => {
    const f = finding({ name: 'born-suppressed' });
    const result = await notifySecurityHub([suppressed(f)], run().deps);
    expect(result.batchItemFailures).toEqual([]);
    expect(receiver.byId(f.fingerprint)?.workflow).toBe('SUPPRESSED');
  });

  it('groups workflow updates by status and note, 100 findings per request', async () => {
    const findings = manyFindings(150, 'gone');
    await notifySecurityHub(findings.map(opened), run().deps);
    receiver.requests.length = 0;
    const result = await notifySecurityHub(findings.map((f) => resolved(f)), run().deps);
    expect(result).toMatchObject({ imported: 150, updated: 150, batchItemFailures: [] });
    expect(receiver.requests.filter((q) => q.operation === 'BatchUpdateFindings').map((q) => q.count)).toEqual([100, 50]);
    expect([...receiver.findings.values()].every((f) => f.workflow === 'RESOLVED')).toBe(true);
  });
});

describe('notifySecurityHub: failures', () => {
  it('retries FailedFindings with backoff until they are taken', async () => {
    const findings = manyFindings(5, 'flaky');
    receiver.failImport(findings[2]!.fingerprint, 2);
    const r = run();
    const result = await notifySecurityHub(findings.map(opened), r.deps);
    expect(result).toMatchObject({ imported: 5, batchItemFailures: [] });
    expect(receiver.requests.map((q) => q.count)).toEqual([5, 1, 1]);
    expect(r.sleeps).toEqual([250, 500]);
  });

  it('reports the messages of a finding that still fails, and only those, as batch item failures', async () => {
    const findings = manyFindings(4, 'stuck');
    const bad = findings[1]!;
    receiver.failImport(bad.fingerprint, 100);
    const changes = [...findings.map(opened), opened(bad)];
    const r = run();
    const result = await notifySecurityHub(changes, r.deps);
    expect(result.imported).toBe(3);
    expect(result.failed).toEqual([{ fingerprint: bad.fingerprint, error: 'BatchImportFindings: InternalException: injected InternalException' }]);
    expect(result.batchItemFailures.map((f) => f.itemIdentifier).sort()).toEqual([changes[1]!.messageId, changes[4]!.messageId].sort());
    expect(receiver.requests.filter((q) => q.operation === 'BatchImportFindings')).toHaveLength(4);
    expect(r.counts.SecurityHubFindingsFailed).toBe(1);
    expect(r.logs.some((l) => l.level === 'error' && l.attributes?.fingerprint === bad.fingerprint)).toBe(true);
  });

  it('does not retry a finding the API calls invalid', async () => {
    const f = finding({ name: 'invalid' });
    receiver.failImport(f.fingerprint, 100, 'InvalidInput');
    const result = await notifySecurityHub([opened(f)], run().deps);
    expect(result.failed).toHaveLength(1);
    expect(receiver.requests).toHaveLength(1);
  });

  it('waits out throttling: the use case retries a request the SDK gave up on', async () => {
    const findings = manyFindings(3, 'throttled');
    receiver.throttle(1);
    const r = run({ sdkAttempts: 1 });
    const result = await notifySecurityHub(findings.map(opened), r.deps);
    expect(result).toMatchObject({ imported: 3, batchItemFailures: [] });
    expect(receiver.requests.map((q) => q.status)).toEqual([429, 200]);
    expect(r.sleeps).toHaveLength(1);
  });

  it("the SDK's own retry absorbs a short throttle (429 ThrottlingException)", async () => {
    receiver.throttle(1);
    const r = run({ sdkAttempts: 3 });
    const result = await notifySecurityHub([opened(finding({ name: 'sdk-retry' }))], r.deps);
    expect(result.batchItemFailures).toEqual([]);
    expect(receiver.requests.map((q) => q.status)).toEqual([429, 200]);
    expect(r.sleeps).toEqual([]);
  });

  it('fails every message of the batch when Security Hub keeps throttling', async () => {
    const findings = manyFindings(3, 'always-throttled');
    receiver.throttle(100);
    const changes = findings.map(opened);
    const result = await notifySecurityHub(changes, run({ maxAttempts: 2 }).deps);
    receiver.throttle(0);
    expect(result.batchItemFailures.map((f) => f.itemIdentifier).sort()).toEqual(changes.map((c) => c.messageId).sort());
    expect(result.failed[0]?.error).toMatch(/ThrottlingException.*retried/);
  });

  it('a workflow update that stays unprocessed fails its message; the re-delivery then succeeds without a duplicate', async () => {
    const f = finding({ name: 'sticky' });
    await notifySecurityHub([opened(f)], run().deps);
    receiver.failUpdate(f.fingerprint, 4);
    const event = suppressed(f);
    const first = await notifySecurityHub([event], run().deps);
    expect(first.batchItemFailures).toEqual([{ itemIdentifier: event.messageId }]);
    expect(receiver.byId(f.fingerprint)?.workflow).toBe('NEW');
    const again = await notifySecurityHub([event], run().deps);
    expect(again.batchItemFailures).toEqual([]);
    expect(receiver.byId(f.fingerprint)?.workflow).toBe('SUPPRESSED');
    expect(receiver.findings.size).toBe(1);
  });
});

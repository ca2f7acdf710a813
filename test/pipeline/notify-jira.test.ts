// syncJira end to end: the real FindingStore on dynalite, the real Jira client, the local Jira receiver.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Finding } from '../../shared/model/finding.ts';
import type { FetchLike } from '../../shared/notify/http.ts';
import { JiraClient, type JiraAuth } from '../../shared/notify/jira/client.ts';
import { groupLabel, jiraSettings, type JiraFlavour, type JiraSettingsInput } from '../../shared/notify/jira/issue.ts';
import { JiraSync } from '../../shared/pipeline/jira-sync.ts';
import { silentLogger, noMetrics } from '../../shared/model/cross-cutting.ts';
import { sweepPendingTickets, syncJira } from '../../shared/pipeline/notify-jira.ts';
import { adfProblems, JiraReceiver } from '../../shared/sandbox/jira-receiver.ts';
import { newStore, startDynalite, type Backend, type TestStore } from '../store/harness.ts';
import { finding, prod, scanCompleted, testCatalogue } from '../notify/support.ts';

let backend: Backend;
let receiver: JiraReceiver;
let db: TestStore;
let scanNumber = 0;

beforeAll(async () => {
  backend = await startDynalite();
  receiver = new JiraReceiver({ projects: ['SEC'] });
  await receiver.start();
});
afterAll(async () => {
  await receiver.stop();
  await backend.stop();
});
beforeEach(async () => {
  db = await newStore(backend);
  db.clock.now = '2026-11-23T10:00:00.000Z';
  receiver.clearFaults();
  receiver.issues.clear();
  receiver.requests.length = 0;
  scanNumber = 0;
});

/** Records a complete scan of prod with exactly these findings open (what the scan pipeline does). */
async function scan(findings: Finding[]): Promise<string> {
  scanNumber += 1;
  const at = new Date(Date.parse('2026-11-23T10:00:00.000Z') + scanNumber * 3600_000).toISOString();
  db.clock.now = at;
  const lease = await db.store.acquireLease(prod.id);
  await db.store.recordScan({
    lease,
    cluster: prod,
    findings: findings.map((f) => ({ ...f, firstSeenAt: at, lastSeenAt: at })),
    coverage: { Deployment: { complete: true, count: findings.length }, Service: { complete: true, count: 1 } },
    scannedAt: at,
    scanId: `scan-${scanNumber}`,
  });
  return `scan-${scanNumber}`;
}

type SyncOptions = { flavour?: JiraFlavour; settings?: Partial<JiraSettingsInput>; sleeps?: number[]; claimant?: string; fetch?: FetchLike };

function jiraSync(options: SyncOptions = {}): JiraSync {
  const flavour = options.flavour ?? 'cloud';
  const auth: JiraAuth = flavour === 'cloud' ? { kind: 'basic', email: 'periscope@example.com', apiToken: 'test-token' } : { kind: 'bearer', token: 'test-pat' };
  const jira = new JiraClient({
    baseUrl: receiver.url,
    flavour,
    auth,
    retry: { sleep: async (ms) => void options.sleeps?.push(ms), random: () => 0, maxAttempts: 3 },
    ...(options.fetch ? { fetch: options.fetch } : {}),
  });
  return new JiraSync({
    store: db.store,
    jira,
    settings: jiraSettings({ projectKey: 'SEC', flavour, ...options.settings }),
    catalogue: testCatalogue,
    claimant: options.claimant ?? 'test-run',
    clock: { now: () => new Date(db.clock.now) },
  });
}

function sync(options: SyncOptions = {}) {
  const tickets = jiraSync(options);
  return (scanId: string) => syncJira(scanCompleted({ scanId }), { findings: db.store, tickets, logger: silentLogger, metrics: noMetrics });
}

const writes = (): string[] => receiver.requests.filter((r) => r.method === 'POST').map((r) => `${r.path.replace(/^\/rest\/api\/\d/, '')} ${r.status}`);
const issueOf = (ruleId: string) => [...receiver.issues.values()].find((i) => i.labels.includes(groupLabel(prod.id, ruleId)));

const web = finding({ name: 'web' });
const worker = finding({ name: 'worker', container: 'sidecar' });
const legacy = finding({ name: 'legacy', namespace: 'ops' });
const agent = finding({ ruleId: 'host-namespaces', name: 'agent' });
const batch = finding({ ruleId: 'run-as-non-root', name: 'batch' });

describe('syncJira', () => {
  it('keeps one ticket per rule × cluster: created, commented on change, closed when fixed, reopened', async () => {
    const run = sync();
    const first = await run(await scan([web, worker, legacy, agent, batch]));
    expect(first.created).toBe(2);
    expect(receiver.issues.size).toBe(2);
    const privileged = issueOf('privileged-container');
    expect(privileged).toMatchObject({ summary: '[Periscope] Privileged container on prod', priority: 'Highest', status: { name: 'To Do' } });
    expect(adfProblems(privileged?.description)).toEqual([]);
    expect(JSON.stringify(privileged?.description)).toContain('Affected resources (3)');
    expect(issueOf('host-namespaces')?.priority).toBe('High');
    expect(issueOf('run-as-non-root')).toBeUndefined();

    // Redelivery of the same event, or a rescan with no change: nothing is written to Jira.
    receiver.requests.length = 0;
    await run('scan-1');
    await run(await scan([web, worker, legacy, agent, batch]));
    expect(writes()).toEqual([]);

    // A new resource and a fixed one: one comment on the existing ticket, no new ticket.
    const newOne = finding({ name: 'new-one' });
    const changed = await run(await scan([worker, legacy, newOne, agent]));
    expect(changed.results.find((r) => r.key === 'privileged-container')?.outcome).toBe('commented');
    expect(receiver.issues.size).toBe(2);
    expect(privileged?.comments).toHaveLength(1);
    const comment = JSON.stringify(privileged?.comments[0]?.body);
    expect(comment).toContain('new-one');
    expect(comment).toContain('Deployment shop/web (container app)');
    expect(comment).toContain('3 affected now');

    // Every privileged container fixed: a comment and the done transition.
    const fixed = await run(await scan([agent]));
    expect(fixed.results.find((r) => r.key === 'privileged-container')?.outcome).toBe('closed');
    expect(privileged?.status.name).toBe('Done');
    expect(privileged?.transitions).toEqual(['Done']);
    expect(JSON.stringify(privileged?.comments[1]?.body)).toContain('every affected resource is fixed');
    expect(issueOf('host-namespaces')?.status.name).toBe('To Do');

    // It comes back: the same ticket is reopened, with the resources in a comment.
    const back = await run(await scan([agent, legacy]));
    expect(back.results.find((r) => r.key === 'privileged-container')?.outcome).toBe('reopened');
    expect(receiver.issues.size).toBe(2);
    expect(privileged?.transitions).toEqual(['Done', 'Reopen']);
    expect(JSON.stringify(privileged?.comments[2]?.body)).toContain('legacy');
    await expect(db.store.getTicket(prod.id, 'privileged-container')).resolves.toMatchObject({ state: 'open', fingerprints: [legacy.fingerprint] });
  });

  it('creates one ticket per group when ten deliveries of the same event run at once', async () => {
    const scanId = await scan([web, worker, agent]);
    const reports = await Promise.all(Array.from({ length: 10 }, (_, i) => sync({ claimant: `run-${i}` })(scanId)));
    expect(receiver.issues.size).toBe(2);
    expect(writes().filter((w) => w === '/issue 201')).toHaveLength(2);
    expect(reports.reduce((sum, r) => sum + r.created, 0)).toBe(2);
    const tickets = await db.store.tickets(prod.id);
    expect(tickets.map((t) => [t.ruleId, t.state, Boolean(t.issueKey)]).sort()).toEqual([
      ['host-namespaces', 'open', true],
      ['privileged-container', 'open', true],
    ]);

    // Ten concurrent deliveries of a change comment once.
    const next = await scan([web, worker, legacy, agent]);
    await Promise.all(Array.from({ length: 10 }, (_, i) => sync({ claimant: `again-${i}` })(next)));
    expect(issueOf('privileged-container')?.comments).toHaveLength(1);
  });

  it('a create whose answer was lost (504 after the issue was made) gives one ticket, recorded in the store', async () => {
    receiver.failNext(1, { status: 504, afterHandling: true });
    const result = await sync()(await scan([web]));
    expect(result.created).toBe(1);
    expect(receiver.issues.size).toBe(1);
    expect(await db.store.tickets(prod.id)).toEqual([expect.objectContaining({ issueKey: issueOf('privileged-container')?.key, state: 'open' })]);
    const again = await sync()(await scan([web]));
    expect(again.results.map((r) => r.outcome)).toEqual(['unchanged']);
    expect(receiver.issues.size).toBe(1);
  });

  it('survives a Jira outage: the groups stay pending and the next scan creates their tickets, once', async () => {
    receiver.failNext(1000, { status: 503 });
    const down = await sync()(await scan([web, agent]));
    expect(down.pending).toBe(2);
    expect(receiver.issues.size).toBe(0);
    expect((await db.store.tickets(prod.id)).map((t) => t.state)).toEqual(['pending', 'pending']);

    receiver.clearFaults();
    const up = await sync()(await scan([web, agent]));
    expect(up.created).toBe(2);
    expect(up.pending).toBe(0);
    expect(receiver.issues.size).toBe(2);
    const again = await sync()(await scan([web, agent]));
    expect(again.results.map((r) => r.outcome)).toEqual(['unchanged', 'unchanged']);
    expect(receiver.issues.size).toBe(2);
  });

  it('retries a failed close on the next scan without commenting twice', async () => {
    // Jira goes down right after the comment: the transition fails.
    let transitionsDown = false;
    const fetchWithOutage = async (url: string, init: RequestInit): Promise<Response> =>
      transitionsDown && url.endsWith('/transitions') ? new Response('{"errorMessages":["down"]}', { status: 503 }) : fetch(url, init);
    await sync()(await scan([web]));
    transitionsDown = true;
    const closing = await sync({ fetch: fetchWithOutage })(await scan([]));
    expect(closing.results[0]?.outcome).toBe('pending');
    const issue = issueOf('privileged-container');
    expect(issue?.status.name).toBe('To Do');
    expect(issue?.comments).toHaveLength(1);

    transitionsDown = false;
    const retried = await sync({ fetch: fetchWithOutage })(await scan([]));
    expect(retried.results[0]?.outcome).toBe('closed');
    expect(issue?.status.name).toBe('Done');
    expect(issue?.comments).toHaveLength(1);
  });

  it('adopts the issue of a crashed creation instead of creating a second one', async () => {
    await scan([web]);
    // A sync claimed the group, created the issue, and died before recording its key.
    await db.store.claimTicket(prod.id, 'privileged-container', 'crashed-run');
    const jira = new JiraClient({ baseUrl: receiver.url, flavour: 'cloud', auth: { kind: 'basic', email: 'periscope@example.com', apiToken: 'test-token' } });
    const orphan = await jira.createIssue('SEC', 'Task', { summary: 'orphan', labels: [groupLabel(prod.id, 'privileged-container')], description: [] });

    // While the claim is fresh, others wait for it.
    const waiting = await sync()('scan-1');
    expect(waiting.results[0]?.outcome).toBe('in-progress');
    db.clock.now = new Date(Date.parse(db.clock.now) + 10 * 60_000).toISOString();
    const report = await sync()('scan-1');
    expect(report.results[0]).toMatchObject({ outcome: 'commented', issueKey: orphan.key });
    expect(receiver.issues.size).toBe(1);
    expect(await db.store.getTicket(prod.id, 'privileged-container')).toMatchObject({ issueKey: orphan.key, state: 'open', fingerprints: [web.fingerprint] });
  });

  it('speaks REST v2 and wiki markup to Jira Data Center', async () => {
    const sleeps: number[] = [];
    receiver.failNext(1, { status: 429, retryAfterSeconds: 1 });
    await sync({ flavour: 'data-center', sleeps })(await scan([web, agent]));
    expect(sleeps).toEqual([1000]);
    const issue = issueOf('privileged-container');
    expect(issue?.apiVersion).toBe(2);
    expect(typeof issue?.description).toBe('string');
    expect(issue?.description).toContain('||Kind||Namespace||Name||Container||Finding||');
    await sync({ flavour: 'data-center' })(await scan([agent]));
    expect(issue?.status.name).toBe('Done');
    expect(typeof issue?.comments[0]?.body).toBe('string');
  });

  it('opens one ticket per finding for the chosen severities', async () => {
    await sync({ settings: { perFindingSeverities: ['critical'] } })(await scan([web, worker, agent]));
    expect(receiver.issues.size).toBe(3);
    expect([...receiver.issues.values()].map((i) => i.summary).sort()).toEqual([
      '[Periscope] Pod shares host namespaces on prod',
      '[Periscope] Privileged container: Deployment shop/web (container app) on prod',
      '[Periscope] Privileged container: Deployment shop/worker (container sidecar) on prod',
    ]);
  });
});

describe('sweepPendingTickets', () => {
  const sweep = (options: SyncOptions & { stop?: () => boolean } = {}) =>
    sweepPendingTickets({ store: db.store, tickets: jiraSync(options), logger: silentLogger, metrics: noMetrics, ...(options.stop ? { stop: options.stop } : {}) });
  const jiraCalls = (): string[] => receiver.requests.map((r) => `${r.method} ${r.path.replace(/^\/rest\/api\/\d/, '')}`);
  /** DynamoDB Query requests sent by the store, counted on the real client. */
  function countQueries(): () => number {
    let queries = 0;
    db.client.middlewareStack.add(
      (next, context) => async (args) => {
        if (context.commandName === 'QueryCommand') queries += 1;
        return next(args);
      },
      { step: 'initialize', name: `countQueries${Math.random()}` },
    );
    return () => queries;
  }

  it('closes a ticket whose close failed in a Jira outage once no scan comes again, exactly once', async () => {
    await sync()(await scan([web, worker]));
    const issue = issueOf('privileged-container');
    expect(issue?.status.name).toBe('To Do');

    // Everything fixed while Jira answers 500: the comment and the close fail, the group is left pending.
    receiver.failNext(1000, { status: 500 });
    const closing = await sync()(await scan([]));
    expect(closing.results).toMatchObject([{ key: 'privileged-container', outcome: 'pending' }]);
    expect(await db.store.getTicket(prod.id, 'privileged-container')).toMatchObject({ state: 'pending', fingerprints: [web.fingerprint, worker.fingerprint].sort() });
    expect(issue?.status.name).toBe('To Do');
    expect(issue?.comments).toHaveLength(0);

    // Jira is back and the cluster stays clean: no Scan Completed reaches the function again. The sweep closes it.
    receiver.clearFaults();
    receiver.requests.length = 0;
    const swept = await sweep();
    expect(swept).toMatchObject({ clusters: 1, synced: 1, closed: 1, created: 0, pending: 0, failed: [] });
    expect(issue?.status.name).toBe('Done');
    expect(issue?.transitions).toEqual(['Done']);
    expect(issue?.comments).toHaveLength(1);
    expect(JSON.stringify(issue?.comments[0]?.body)).toContain('every affected resource is fixed');
    expect(JSON.stringify(issue?.comments[0]?.body)).toContain('scan-2');
    expect(jiraCalls().filter((c) => c.startsWith('POST'))).toEqual([
      `POST /issue/${issue?.key}/comment`,
      `POST /issue/${issue?.key}/transitions`,
    ]);
    expect(await db.store.getTicket(prod.id, 'privileged-container')).toMatchObject({ state: 'done', fingerprints: [] });

    // Settled: the next sweep reads the ticket items and calls Jira not at all.
    receiver.requests.length = 0;
    const again = await sweep();
    expect(again).toMatchObject({ clusters: 1, synced: 0, closed: 0 });
    expect(receiver.requests).toHaveLength(0);
    expect(issue?.comments).toHaveLength(1);
  });

  it('creates a ticket whose creation failed in a Jira outage, once, even with two sweeps at once', async () => {
    receiver.failNext(1000, { status: 500 });
    const down = await sync()(await scan([web, agent]));
    expect(down.pending).toBe(2);
    expect(receiver.issues.size).toBe(0);

    // The sweep while Jira is still down: nothing is lost, the groups stay pending.
    const stillDown = await sweep();
    expect(stillDown).toMatchObject({ synced: 1, created: 0, pending: 2 });
    expect((await db.store.tickets(prod.id)).map((t) => t.state)).toEqual(['pending', 'pending']);

    receiver.clearFaults();
    const [a, b] = await Promise.all([sweep({ claimant: 'sweep-a' }), sweep({ claimant: 'sweep-b' })]);
    expect((a?.created ?? 0) + (b?.created ?? 0)).toBe(2);
    expect(receiver.issues.size).toBe(2);
    expect(writes().filter((w) => w === '/issue 201')).toHaveLength(2);
    expect(issueOf('privileged-container')?.summary).toBe('[Periscope] Privileged container on prod');
    expect((await db.store.tickets(prod.id)).map((t) => t.state)).toEqual(['open', 'open']);

    receiver.requests.length = 0;
    expect(await sweep()).toMatchObject({ synced: 0, created: 0 });
    expect(receiver.requests).toHaveLength(0);
  });

  it('settles a failed creation whose findings went away without opening an issue', async () => {
    receiver.failNext(1000, { status: 500 });
    await sync()(await scan([web]));
    await scan([]);
    receiver.clearFaults();
    receiver.requests.length = 0;

    // One search for an issue an earlier attempt may have created; none: the group settles, nothing is created.
    expect(await sweep()).toMatchObject({ synced: 1, created: 0, pending: 0 });
    expect(receiver.issues.size).toBe(0);
    expect(jiraCalls()).toHaveLength(1);
    expect(jiraCalls()[0]).toContain('/search');
    expect(await db.store.getTicket(prod.id, 'privileged-container')).toMatchObject({ state: 'done' });
    receiver.requests.length = 0;
    expect(await sweep()).toMatchObject({ synced: 0 });
    expect(receiver.requests).toHaveLength(0);

    // The finding comes back: the event path creates the ticket as usual.
    const back = await sync()(await scan([web]));
    expect(back.created).toBe(1);
  });

  it('closes the open tickets of a deleted cluster, whose deletion sends no Scan Completed', async () => {
    await sync()(await scan([web, agent]));
    // Deletion resolves the findings and marks the inventory item; Jira hears nothing of it.
    await scan([]);
    await db.store.markClusterDeleted(prod.id);
    const swept = await sweep();
    expect(swept).toMatchObject({ synced: 1, closed: 2 });
    expect([...receiver.issues.values()].map((i) => i.status.name)).toEqual(['Done', 'Done']);
    expect(JSON.stringify(issueOf('host-namespaces')?.comments[0]?.body)).toContain('deleted-');
    receiver.requests.length = 0;
    expect(await sweep()).toMatchObject({ synced: 0 });
    expect(receiver.requests).toHaveLength(0);
  });

  it('leaves fresh claims to their owner and costs a settled cluster one Query and no Jira call', async () => {
    await sync()(await scan([web]));
    await scan([agent]);
    // Another sync has just claimed host-namespaces and is creating its issue.
    await db.store.claimTicket(prod.id, 'host-namespaces', 'busy-run');
    const queries = countQueries();
    receiver.requests.length = 0;
    expect(await sweep()).toMatchObject({ clusters: 1, synced: 0 });
    expect(queries()).toBe(2); // the inventory, then the cluster's ticket items
    expect(receiver.requests).toHaveLength(0);

    // The claim goes stale (its owner crashed): the sweep takes it over and creates the issue.
    db.clock.now = new Date(Date.parse(db.clock.now) + 10 * 60_000).toISOString();
    expect(await sweep()).toMatchObject({ synced: 1, created: 1 });
    expect(issueOf('host-namespaces')).toBeDefined();
  });

  it('stops before the next cluster when told to, leaving the rest to the next sweep', async () => {
    receiver.failNext(1000, { status: 500 });
    await sync()(await scan([web]));
    receiver.clearFaults();
    const stopped = await sweep({ stop: () => true });
    expect(stopped).toMatchObject({ clusters: 1, unvisited: 1, synced: 0 });
    expect(receiver.issues.size).toBe(0);
    expect(await sweep({ stop: () => false })).toMatchObject({ unvisited: 0, created: 1 });
  });
});

// Fleet views: `periscope fleet` (the inventory read) and `periscope findings` queries over N clusters of M findings
// in a DynamoDB table on dynalite. dynalite runs in a child process, so this process is only the client, as the CLI
// is. The table is loaded through the store's own record path (recordScan of each cluster's synthetic findings, two
// scans a day apart so the trend window has history). Each read is timed; its requests are counted by SDK
// middleware (by command), and its peak heap is sampled every 5 ms above the heap before it.
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { spawn, type ChildProcess } from 'node:child_process';
import { buildFleetView, type FleetFindingsQuery } from '../../shared/model/fleet.ts';
import { syntheticFleet } from '../../shared/sandbox/synthetic/fleet.ts';
import { rules } from '../../shared/rules/index.ts';
import { documentClientOf, FindingStore } from '../../shared/store/finding-store.ts';
import { mapLimit } from '../../shared/store/fleet.ts';
import { ensureTable } from '../../shared/store/local.ts';

export interface FleetViewsOptions {
  clusters: number;
  findingsPerCluster: number;
}

export interface FleetViewRead {
  label: string;
  /** Requests by command (QueryCommand, ...). */
  requests: Record<string, number>;
  items: number;
  /** Rows (clusters or findings) in the answer. */
  rows: number;
  ms: number;
  /** Peak heap above the heap before the read, MiB. */
  peakHeapMiB: number;
}

export interface FleetViewsResult {
  clusters: number;
  findings: number;
  loadMs: number;
  loadWriteRequests: number;
  reads: FleetViewRead[];
}

async function startDynaliteChild(): Promise<{ endpoint: string; child: ChildProcess }> {
  const script = "import dynalite from 'dynalite'; const s = dynalite({ createTableMs: 0 }); s.listen(0, '127.0.0.1', () => console.log(s.address().port));";
  const child = spawn(process.execPath, ['--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
  const port = await new Promise<string>((resolve, reject) => {
    child.once('error', reject);
    child.stdout.once('data', (chunk: Buffer) => resolve(chunk.toString('utf8').trim()));
  });
  return { endpoint: `http://127.0.0.1:${port}`, child };
}

export async function fleetViewsSection(options: FleetViewsOptions, log: (line: string) => void = () => {}): Promise<FleetViewsResult> {
  const { endpoint, child } = await startDynaliteChild();
  const client = new DynamoDBClient({ endpoint, region: 'local', credentials: { accessKeyId: 'local', secretAccessKey: 'local' }, maxAttempts: 8 });
  const counts: Record<string, number> = {};
  let items = 0;
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const name = context.commandName ?? '?';
      counts[name] = (counts[name] ?? 0) + 1;
      const result = await next(args);
      items += ((result.output as { Items?: unknown[] }).Items ?? []).length;
      return result;
    },
    { step: 'initialize', name: 'benchCountRequests' },
  );
  try {
    await ensureTable(client);
    const store = new FindingStore({ client: documentClientOf(client) });
    const fleet = syntheticFleet({ clusters: options.clusters, findingsPerCluster: options.findingsPerCluster, templates: 4 });
    const now = Date.now();
    const first = new Date(now - 2 * 86_400_000).toISOString();
    const second = new Date(now - 86_400_000).toISOString();
    const loadStart = performance.now();
    let findings = 0;
    let done = 0;
    await mapLimit(fleet, 8, async (c) => {
      const all = c.findings(first);
      findings += all.length;
      let lease = await store.acquireLease(c.cluster.id, 'bench');
      await store.recordScan({ lease, cluster: c.cluster, clusterInfo: c.info, findings: all, coverage: c.coverage, scannedAt: first });
      // The second scan resolves a tenth of them.
      const kept = all.slice(0, Math.ceil(all.length * 0.9)).map((f) => ({ ...f, lastSeenAt: second }));
      lease = await store.acquireLease(c.cluster.id, 'bench');
      await store.recordScan({ lease, cluster: c.cluster, clusterInfo: c.info, findings: kept, coverage: c.coverage, scannedAt: second });
      done += 1;
      if (done % 100 === 0) log(`fleet-views: loaded ${done} of ${fleet.length} clusters`);
    });
    const loadMs = Math.round(performance.now() - loadStart);
    const loadWriteRequests = (counts.BatchWriteItemCommand ?? 0) + (counts.PutItemCommand ?? 0) + (counts.UpdateItemCommand ?? 0);

    const reads: FleetViewRead[] = [];
    const measure = async (label: string, read: () => Promise<number>): Promise<void> => {
      for (const key of Object.keys(counts)) delete counts[key];
      items = 0;
      globalThis.gc?.();
      const before = process.memoryUsage().heapUsed;
      let peak = before;
      const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().heapUsed)), 5);
      const started = performance.now();
      const rows = await read();
      const ms = Math.round(performance.now() - started);
      clearInterval(sampler);
      peak = Math.max(peak, process.memoryUsage().heapUsed);
      reads.push({ label, requests: { ...counts }, items, rows, ms, peakHeapMiB: Math.round((peak - before) / 2 ** 20) });
      log(`fleet-views: ${label}: ${ms} ms`);
    };
    const since = new Date(now - 7 * 86_400_000).toISOString();
    const attackPathRules = rules.filter((r) => r.meta.domain === 'path').map((r) => r.id);
    const inventoryOptions = { since, now: new Date(now).toISOString(), attackPathRules };
    await measure('periscope fleet (inventory, 7-day trend)', async () => (await store.fleetInventory(inventoryOptions)).clusters.length);
    await measure('fleet view (inventory + open tally, for the HTML report)', async () => (await buildFleetView(store, inventoryOptions)).clusters.length);
    const sample = fleet[0]!.findings(first)[0]!;
    const queries: [string, FleetFindingsQuery][] = [
      ['findings --severity critical', { status: 'open', severities: ['critical'] }],
      [`findings --rule ${sample.ruleId}`, { status: 'open', rules: [sample.ruleId] }],
      ['findings --framework K03', { status: 'open', frameworks: ['K03'] }],
      [`findings --cluster ${fleet[0]!.cluster.name}`, { status: 'open', clusters: [fleet[0]!.cluster.name] }],
      ['findings --status resolved --since 7', { status: 'resolved', since }],
    ];
    for (const [label, query] of queries) await measure(label, async () => (await store.fleetFindings(query)).findings.length);
    return { clusters: fleet.length, findings, loadMs, loadWriteRequests, reads };
  } finally {
    client.destroy();
    child.kill();
  }
}

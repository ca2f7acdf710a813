// Every function bundled once by esbuild (as the CDK construct does), then each bundle run in its own Node 24
// process with its events/ samples, against the fake EKS API, the emulator, dynalite and the captured bus.
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localClusterArn, startLocalPipeline, type LocalPipeline } from '../../shared/sandbox/local-pipeline.ts';
import { bundleFunctions, type BundleResult } from '../../scripts/bundle.ts';
import { eksSampleNames, eventsDir } from '../pipeline/samples.ts';

const run = promisify(execFile);
const marker = '@@result ';

// Runs one bundle over several events in one process: a cold start, then warm invocations.
const runner = `
import { readFileSync } from 'node:fs';
const [bundle, ...files] = process.argv.slice(2);
const { handler } = await import(bundle);
for (const file of files) {
  const context = { functionName: 'bundle-test', functionVersion: '$LATEST', awsRequestId: 'r-' + file.length,
    invokedFunctionArn: 'arn:aws:lambda:eu-west-1:111122223333:function:bundle-test', memoryLimitInMB: '1024',
    logGroupName: 'local', logStreamName: 'local', getRemainingTimeInMillis: () => 600000 };
  try {
    const result = await handler(JSON.parse(readFileSync(file, 'utf8')), context);
    console.log(${JSON.stringify(marker)} + JSON.stringify({ file, node: process.version, result }));
  } catch (error) {
    console.log(${JSON.stringify(marker)} + JSON.stringify({ file, node: process.version, error: String(error) }));
  }
}
`;

let dir: string;
let bundles: Map<string, BundleResult>;
let local: LocalPipeline;

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'periscope-bundles-'));
  const [results, pipeline] = await Promise.all([bundleFunctions(dir), startLocalPipeline({ status: 'ACTIVE' })]);
  bundles = new Map(results.map((r) => [r.name, r]));
  local = pipeline;
  await writeFile(path.join(dir, 'runner.mjs'), runner);
});

afterAll(async () => {
  await local?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

async function invoke(name: string, samples: string[]): Promise<{ file: string; node: string; result?: unknown; error?: string }[]> {
  const bundle = bundles.get(name)!;
  const { stdout } = await run(process.execPath, [path.join(dir, 'runner.mjs'), bundle.file, ...samples.map((s) => path.join(eventsDir, s))], {
    // Only what a Lambda would have: no node_modules next to the bundle, no NODE_OPTIONS from the test runner.
    env: { PATH: process.env.PATH ?? '', ...local.env, POWERTOOLS_LOG_LEVEL: 'ERROR' },
    cwd: dir,
    timeout: 60_000,
  });
  return stdout
    .split('\n')
    .filter((line) => line.startsWith(marker))
    .map((line) => JSON.parse(line.slice(marker.length)));
}

describe('bundled functions on Node 24', () => {
  it('bundles each function into one ESM file', () => {
    expect([...bundles.keys()]).toEqual(expect.arrayContaining(['cluster-events', 'discover', 'scan']));
    for (const bundle of bundles.values()) expect(bundle.bytes).toBeGreaterThan(100_000);
  });

  it('scan: the SQS sample scans the cluster, stores findings and publishes events', async () => {
    const [out] = await invoke('scan', ['sqs-scan-request.json']);
    expect(out?.node).toMatch(/^v24\./);
    expect(out).toMatchObject({ result: { batchItemFailures: [] } });
    expect((await local.store.store.findings(localClusterArn, { status: 'open' })).length).toBeGreaterThan(0);
    expect(local.receiver.events.map((e) => e.detailType)).toContain('Scan Completed');
  });

  it('discover: the schedule sample lists the cluster and queues its scan', async () => {
    const before = local.receiver.messages.length;
    const [out] = await invoke('discover', ['schedule-discover.json']);
    expect(out).toMatchObject({ result: { found: 1, enqueued: 1, deleted: 0 } });
    expect(local.receiver.messages.length).toBe(before + 1);
  });

  it('cluster-events: every EKS sample, DeleteCluster last', async () => {
    const samples = eksSampleNames().filter((s) => s !== 'eks-delete-cluster.json');
    const outs = await invoke('cluster-events', [...samples, 'eks-delete-cluster.json']);
    const byFile = new Map(outs.map((o) => [path.basename(o.file), o]));
    expect(byFile.size).toBe(samples.length + 1);
    for (const sample of samples) {
      const expected = sample === 'eks-failed-update.json' ? 'ignored' : 'enqueued';
      expect(byFile.get(sample), sample).toMatchObject({ result: { outcome: expected } });
    }
    expect(byFile.get('eks-delete-cluster.json')).toMatchObject({ result: { outcome: 'deleted', clusterArn: localClusterArn } });
    expect(local.receiver.events.some((e) => e.detailType === 'Finding Resolved')).toBe(true);
  });
});

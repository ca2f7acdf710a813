// One measurement in a fresh process, for its peak memory (VmHWM): reading one huge list page (streamed item by item
// as the client does now, or buffered and JSON.parse'd whole as it did before), or writing the JSON report of many
// findings (streamed a finding at a time, or rendered as one string as before). Reports over IPC.
import { request } from 'node:https';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { writeReport } from '../shared/cli/output.ts';
import { createKubeClient } from '../shared/kube/client.ts';
import { kindSpec } from '../shared/kube/kinds.ts';
import { shapeObject } from '../shared/kube/shape.ts';
import type { Finding } from '../shared/model/finding.ts';
import { jsonReportChunks, renderJson } from '../shared/report/json.ts';
import { rules } from '../shared/rules/index.ts';
import { peakRssMiB } from './children.ts';

export interface StreamingChildResult {
  mode: string;
  startRssMiB: number;
  peakRssMiB: number;
  /** Items kept, or findings written. */
  count: number;
  /** Bytes read or written. */
  bytes: number;
  ms: number;
  /** What failed, when the way measured could not finish (a string past V8's limit, say). */
  error?: string;
}

const [mode = '', ...args] = process.argv.slice(2);

async function readPage(url: string, caPem: string, streamed: boolean): Promise<{ count: number; bytes: number }> {
  if (streamed) {
    const client = createKubeClient({
      endpoint: { name: 'bench', server: url, caData: Buffer.from(caPem).toString('base64') },
      tokens: { token: async () => 'bench-token', invalidate: () => undefined },
      requestTimeoutMs: 600_000,
    });
    const spec = kindSpec('Pod');
    if (!spec) throw new Error('no Pod kind');
    const page = await client.listPage('/api/v1/pods', {}, { take: (item) => shapeObject(spec, item, new Map()) });
    return { count: page.items.length, bytes: 0 };
  }
  // The client before: the whole body in one Buffer, then one JSON.parse of its text.
  const body = await new Promise<Buffer>((resolve, reject) => {
    const outgoing = request(`${url}/api/v1/pods`, { ca: caPem, headers: { authorization: 'Bearer bench-token' } }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => resolve(Buffer.concat(chunks)));
      response.on('error', reject);
    });
    outgoing.on('error', reject);
    outgoing.end();
  });
  const parsed = JSON.parse(body.toString('utf8')) as { items: unknown[] };
  return { count: parsed.items.length, bytes: body.length };
}

function syntheticFindings(count: number): Finding[] {
  const findings: Finding[] = [];
  for (let index = 0; index < count; index += 1) {
    const name = `web-${index.toString(36)}`;
    findings.push({
      fingerprint: index.toString(16).padStart(32, '0'),
      clusterId: 'arn:aws:eks:eu-west-1:111122223333:cluster/bench',
      ruleId: 'privileged-container',
      severity: 'critical',
      resource: { apiVersion: 'apps/v1', kind: 'Deployment', namespace: `team-${index % 500}`, name, container: 'app' },
      message: `Container "app" of Deployment ${name} runs privileged.`,
      path: 'spec.template.spec.containers[0].securityContext.privileged',
      fix: { description: 'Set privileged to false', patch: [{ op: 'replace', path: '/spec/template/spec/containers/0/securityContext/privileged', value: false }] },
      frameworks: { 'owasp-k8s-2022': ['K01'], 'cis-eks-1.8': ['4.2.1'], pss: ['baseline/privileged'] },
      status: 'OPEN',
      firstSeenAt: '2026-01-01T00:00:00.000Z',
      lastSeenAt: '2026-01-01T00:00:00.000Z',
      contentHash: 'c'.repeat(16),
    });
  }
  return findings;
}

async function writeFindings(count: number, streamed: boolean): Promise<{ count: number; bytes: number }> {
  const findings = syntheticFindings(count);
  const report = {
    cluster: { id: 'arn:aws:eks:eu-west-1:111122223333:cluster/bench', name: 'bench', source: 'eks' as const },
    scannedAt: '2026-01-01T00:00:00.000Z',
    coverage: {},
    findings,
    rules,
  };
  const dir = mkdtempSync(path.join(tmpdir(), 'periscope-bench-json-'));
  const file = path.join(dir, 'report.json');
  try {
    await writeReport(streamed ? jsonReportChunks(report) : renderJson(report), file);
    return { count, bytes: statSync(file).size };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const startRssMiB = await peakRssMiB();
const started = performance.now();
const result: StreamingChildResult = { mode: `${mode} ${args.at(-1) ?? ''}`.trim(), startRssMiB, peakRssMiB: 0, count: 0, bytes: 0, ms: 0 };
try {
  const outcome =
    mode === 'page'
      ? await readPage(args[0] ?? '', Buffer.from(args[1] ?? '', 'base64').toString('utf8'), args[2] === 'streamed')
      : await writeFindings(Number(args[0]), args[1] === 'streamed');
  Object.assign(result, outcome);
} catch (error) {
  result.error = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}
result.ms = Math.round(performance.now() - started);
result.peakRssMiB = await peakRssMiB();
process.send?.({ type: 'result', result });
process.disconnect?.();

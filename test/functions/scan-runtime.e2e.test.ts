// The scan function's deadline, end to end in process: the real handler against the fake EKS API and the Kubernetes
// API emulator, with a kind that hangs. The collection stops in time for the scan to be recorded, and the kind cut
// off is recorded incomplete with the reason.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ScanRequest } from '../../shared/model/pipeline.ts';
import { lambdaContext, localClusterArn, sqsEventOf, startLocalPipeline, type LocalPipeline } from '../../shared/sandbox/local-pipeline.ts';

let local: LocalPipeline;
let scan: (event: unknown, context: unknown) => Promise<{ batchItemFailures: { itemIdentifier: string }[] }>;

beforeAll(async () => {
  local = await startLocalPipeline({ status: 'ACTIVE' });
  Object.assign(process.env, local.env, { AWS_ENDPOINT_URL_DYNAMODB: local.store.endpoint, POWERTOOLS_LOG_LEVEL: 'ERROR', POWERTOOLS_METRICS_DISABLED: 'true' });
  scan = (await import('../../functions/scan.ts')).handler as never;
});

afterAll(async () => local?.stop());

describe('the scan function under a hanging API server', () => {
  it('cuts the collection off by the invocation\'s remaining time and records the kind incomplete, not clean', async () => {
    local.kube.setFaults([{ kind: 'Service', effect: { type: 'latency', ms: 30_000 } }]);
    const request: ScanRequest = {
      clusterArn: localClusterArn,
      region: 'eu-west-1',
      accountId: '111122223333',
      reason: 'schedule',
      requestedAt: new Date().toISOString(),
      attempt: 0,
    };
    // 3 s left: the collection gets half of it (the margin for recording the scan does not fit).
    const context = { ...lambdaContext('periscope-scan'), getRemainingTimeInMillis: () => 3_000 };
    const result = await scan(sqsEventOf(JSON.stringify(request)), context);
    expect(result.batchItemFailures).toEqual([]);
    const completed = local.receiver.events.at(-1)!;
    expect(completed.detailType).toBe('Scan Completed');
    const coverage = (completed.detail as { coverage: Record<string, { complete: boolean; error?: string }> }).coverage;
    expect(coverage.Service).toMatchObject({ complete: false, error: expect.stringMatching(/the scan's deadline of 1\.5 s passed/) });
    expect(coverage.Namespace).toMatchObject({ complete: true });
  });
});

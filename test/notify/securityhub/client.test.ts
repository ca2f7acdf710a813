// SecurityHubFindings with the real SDK client against the local Security Hub receiver.
import { BatchImportFindingsCommand, SecurityHubClient } from '@aws-sdk/client-securityhub';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toAsff } from '../../../shared/notify/securityhub/asff.ts';
import { SecurityHubError, SecurityHubFindings } from '../../../shared/notify/securityhub/client.ts';
import { startSecurityHubReceiver, type SecurityHubReceiver } from '../../support/securityhub-receiver.ts';
import { manyFindings, prod, testCatalogue } from '../support.ts';

const accountId = '111122223333';
const product = { partition: 'aws', region: 'eu-west-1', accountId };
const productArn = `arn:aws:securityhub:eu-west-1:${accountId}:product/${accountId}/default`;
const cluster = { id: prod.id, name: prod.name, arn: prod.arn!, region: prod.region! };
const rule = testCatalogue('privileged-container')!;
const asffOf = (count: number, prefix: string) => manyFindings(count, prefix).map((finding) => toAsff({ finding, cluster, rule, product }));

let receiver: SecurityHubReceiver;
let sdk: SecurityHubClient;
beforeAll(async () => {
  receiver = await startSecurityHubReceiver({ accountId });
  sdk = new SecurityHubClient({ endpoint: receiver.url, region: 'eu-west-1', credentials: { accessKeyId: 'AKIDLOCAL', secretAccessKey: 'local-secret' }, maxAttempts: 1 });
});
afterAll(async () => {
  await receiver.stop();
});

describe('SecurityHubFindings', () => {
  it('imports findings and answers the ones that failed, with their code', async () => {
    const findings = asffOf(3, 'client');
    receiver.failImport(findings[0]!.Id!, 1, 'InternalException');
    const failed = await new SecurityHubFindings(sdk).importFindings(findings);
    expect(failed).toEqual([{ id: findings[0]!.Id, code: 'InternalException', message: 'injected InternalException' }]);
    expect(receiver.byId(findings[1]!.Id!)).toBeDefined();
  });

  it('refuses more than 100 findings before sending them (the API would refuse the request)', async () => {
    const before = receiver.requests.length;
    await expect(new SecurityHubFindings(sdk).importFindings(asffOf(101, 'too-many'))).rejects.toMatchObject({ name: 'SecurityHubError', retryable: false, code: 'TooManyFindings' });
    expect(receiver.requests.length).toBe(before);
    // The receiver, like the API, refuses such a request as a whole.
    await expect(sdk.send(new BatchImportFindingsCommand({ Findings: asffOf(101, 'direct') }))).rejects.toMatchObject({ name: 'InvalidInputException' });
  });

  it('turns throttling into a retryable SecurityHubError and a refusal into a final one', async () => {
    receiver.throttle(1);
    const throttled = await new SecurityHubFindings(sdk).importFindings(asffOf(1, 'slow')).catch((error: unknown) => error);
    expect(throttled).toBeInstanceOf(SecurityHubError);
    expect(throttled).toMatchObject({ code: 'ThrottlingException', retryable: true });
    const refused = await new SecurityHubFindings(sdk).updateWorkflow({ ids: [], productArn, status: 'RESOLVED' });
    expect(refused).toEqual([]);
    const invalid = await new SecurityHubFindings(sdk)
      .updateWorkflow({ ids: ['x'], productArn, status: 'RESOLVED', note: 'n'.repeat(600) })
      .catch((error: unknown) => error);
    expect(invalid).toMatchObject({ name: 'SecurityHubError', code: 'InvalidInputException', retryable: false });
  });

  it('updates the workflow of known findings and reports the unknown ones as not found', async () => {
    const [known] = asffOf(1, 'known');
    await new SecurityHubFindings(sdk).importFindings([known!]);
    const unprocessed = await new SecurityHubFindings(sdk).updateWorkflow({ ids: [known!.Id!, 'f'.repeat(32)], productArn, status: 'SUPPRESSED', note: 'accepted' });
    expect(unprocessed).toEqual([{ id: 'f'.repeat(32), code: 'FindingNotFound', message: 'Finding Not Found' }]);
    expect(receiver.byId(known!.Id!)).toMatchObject({ workflow: 'SUPPRESSED', note: 'accepted' });
  });
});

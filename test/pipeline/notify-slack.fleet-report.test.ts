// The Slack digest's link to the fleet report: presigned at send time through the real S3 client against a local
// S3, posted to the local Slack receiver; no link while no report exists, and a lookup failure never holds the
// digest back.
import { S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { S3ReportBucket } from '../../functions/adapters/s3-report-bucket.ts';
import { silentLogger, type Metrics } from '../../shared/model/cross-cutting.ts';
import { SlackSender } from '../../shared/notify/slack/sender.ts';
import { fleetReportContentType } from '../../shared/pipeline/fleet-report.ts';
import { notifySlack } from '../../shared/pipeline/notify-slack.ts';
import { startLocalS3, type LocalS3 } from '../../shared/sandbox/s3-receiver.ts';
import { SlackReceiver } from '../../shared/sandbox/slack-receiver.ts';
import { finding, scanCompleted, testCatalogue } from '../notify/support.ts';

const slack = new SlackReceiver();
let s3: LocalS3;
const now = new Date('2026-12-02T16:00:00.000Z');
const counted: string[] = [];
const metrics: Metrics = { count: (name) => void counted.push(name) };

beforeAll(async () => {
  await slack.start();
  s3 = await startLocalS3({ now: () => now });
});
afterAll(async () => {
  await Promise.allSettled([slack.stop(), s3?.stop()]);
});
beforeEach(() => {
  slack.messages.length = 0;
  counted.length = 0;
});

const bucket = () => new S3ReportBucket(new S3Client({ endpoint: s3.url, forcePathStyle: true, region: 'eu-west-1', credentials: { accessKeyId: 'AKIASLACK', secretAccessKey: 'slack-secret-key' }, maxAttempts: 1 }), 'reports');
const deps = () => ({
  slack: new SlackSender({ target: { kind: 'webhook', url: slack.webhookUrl } }),
  minSeverity: 'high' as const,
  catalogue: testCatalogue,
  fleetReport: bucket().linksTo('fleet-report/latest.html', { expiresInSeconds: 12 * 3600, clock: { now: () => now } }),
  logger: silentLogger,
  metrics,
});
const event = () => scanCompleted({ opened: [finding({ name: 'web' })] });

describe('notifySlack with the fleet report', () => {
  it('posts no link while no report was written', async () => {
    await notifySlack(event(), deps());
    expect(slack.messages).toHaveLength(1);
    expect(JSON.stringify(slack.messages[0])).not.toContain('Fleet report');
  });

  it('links the latest report with a URL signed at send time that opens it', async () => {
    await bucket().put({ key: 'fleet-report/latest.html', body: '<!doctype html><p>fleet</p>', contentType: fleetReportContentType });
    await notifySlack(event(), deps());
    const text = JSON.stringify(slack.messages[0]?.blocks);
    const url = /<(http:\/\/127\.0\.0\.1:\d+\/reports\/fleet-report\/latest\.html\?[^|>]+)\|Fleet report>/.exec(text)?.[1];
    expect(url).toBeDefined();
    expect(new URL(url!).searchParams.get('X-Amz-Date')).toBe('20261202T160000Z');
    expect(new URL(url!).searchParams.get('X-Amz-Expires')).toBe('43200');
    expect(text).toContain('link valid until 2026-12-03 04:00 UTC');
    expect(text).not.toContain('slack-secret-key');
    const opened = await fetch(url!);
    expect(await opened.text()).toBe('<!doctype html><p>fleet</p>');
  });

  it('still posts the digest, without the link, when the report cannot be looked up', async () => {
    s3.failNext(1);
    const result = await notifySlack(event(), deps());
    expect(result.sent).toBe(true);
    expect(slack.messages).toHaveLength(1);
    expect(JSON.stringify(slack.messages[0])).not.toContain('Fleet report');
    expect(counted).toContain('FleetReportLinkFailed');
  });
});

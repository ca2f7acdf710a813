// The report bucket adapter: the real S3 client against a local S3 (PutObject with SSE and an HTML content type),
// and the presigned link of the latest report (shape, expiry, nothing secret in it).
import { S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { S3ReportBucket, maxLinkSeconds } from '../../../functions/adapters/s3-report-bucket.ts';
import { fleetReportContentType } from '../../../shared/pipeline/fleet-report.ts';
import { startLocalS3, type LocalS3 } from '../../../shared/sandbox/s3-receiver.ts';

const bucketName = 'periscope-fleet-reports';
const credentials = { accessKeyId: 'AKIAEXAMPLEFLEET0001', secretAccessKey: 'fleet/secret/key+never+in+a+url', sessionToken: 'session-token-from-the-role' };
let s3: LocalS3;
let now = new Date('2026-12-02T16:00:00.000Z');
const clock = { now: () => now };

function client(): S3Client {
  return new S3Client({ endpoint: s3.url, forcePathStyle: true, region: 'eu-west-1', credentials, maxAttempts: 3 });
}

beforeAll(async () => {
  s3 = await startLocalS3({ now: () => now });
});
afterAll(async () => {
  await s3?.stop();
});

describe('S3ReportBucket', () => {
  it('writes the page with SSE-S3, the HTML content type and no-store, signed', async () => {
    const bucket = new S3ReportBucket(client(), bucketName);
    const body = '<!doctype html><title>fleet é</title>';
    await bucket.put({ key: 'fleet-report/latest.html', body, contentType: fleetReportContentType });
    const stored = s3.objects.get(`${bucketName}/fleet-report/latest.html`);
    expect(stored).toMatchObject({ body, contentType: 'text/html; charset=utf-8', serverSideEncryption: 'AES256', cacheControl: 'no-store' });
    expect(s3.requests.at(-1)).toMatchObject({ method: 'PUT', path: `/${bucketName}/fleet-report/latest.html?x-id=PutObject`, signed: true, status: 200 });
  });

  it('retries S3 throttling, and names the bucket and key when writing fails', async () => {
    const bucket = new S3ReportBucket(client(), bucketName);
    s3.failNext(1);
    await bucket.put({ key: 'fleet-report/a.html', body: 'a', contentType: fleetReportContentType });
    expect(s3.objects.get(`${bucketName}/fleet-report/a.html`)?.body).toBe('a');
    s3.failNext(3);
    await expect(bucket.put({ key: 'fleet-report/b.html', body: 'b', contentType: fleetReportContentType })).rejects.toThrow(
      /could not write the fleet report to s3:\/\/periscope-fleet-reports\/fleet-report\/b\.html: .*reduce your request rate/,
    );
  });

  it('gives no link while no report was written', async () => {
    const links = new S3ReportBucket(client(), bucketName).linksTo('fleet-report/none.html', { expiresInSeconds: 3600, clock });
    expect(await links.latest()).toBeUndefined();
  });

  it('presigns a GET of the latest report: SigV4 query, the asked expiry, no secret key; it opens until it expires', async () => {
    const bucket = new S3ReportBucket(client(), bucketName);
    now = new Date('2026-12-02T16:00:00.000Z');
    await bucket.put({ key: 'fleet-report/latest.html', body: '<p>latest</p>', contentType: fleetReportContentType });
    now = new Date('2026-12-02T17:30:00.000Z');
    const link = await bucket.linksTo('fleet-report/latest.html', { expiresInSeconds: 12 * 3600, clock }).latest();
    expect(link).toBeDefined();
    const url = new URL(link!.url);
    expect(`${url.origin}${url.pathname}`).toBe(`${s3.url}/${bucketName}/fleet-report/latest.html`);
    const q = Object.fromEntries(url.searchParams);
    expect(Object.keys(q).sort()).toEqual(
      ['X-Amz-Algorithm', 'X-Amz-Content-Sha256', 'X-Amz-Credential', 'X-Amz-Date', 'X-Amz-Expires', 'X-Amz-Security-Token', 'X-Amz-Signature', 'X-Amz-SignedHeaders', 'x-amz-checksum-mode', 'x-id'].sort(),
    );
    expect(q['X-Amz-Algorithm']).toBe('AWS4-HMAC-SHA256');
    expect(q['X-Amz-Credential']).toBe('AKIAEXAMPLEFLEET0001/20261202/eu-west-1/s3/aws4_request');
    expect(q['X-Amz-Date']).toBe('20261202T173000Z');
    expect(q['X-Amz-Expires']).toBe(String(12 * 3600));
    expect(q['X-Amz-SignedHeaders']).toBe('host');
    expect(q['X-Amz-Signature']).toMatch(/^[0-9a-f]{64}$/);
    // The secret key never leaves the process; the session token is what a presigned URL must carry.
    expect(link!.url).not.toContain(credentials.secretAccessKey);
    expect(link!.url).not.toContain(encodeURIComponent(credentials.secretAccessKey));
    expect(link).toMatchObject({ generatedAt: '2026-12-02T16:00:00.000Z', expiresAt: '2026-12-03T05:30:00.000Z' });

    const opened = await fetch(link!.url);
    expect(opened.status).toBe(200);
    expect(await opened.text()).toBe('<p>latest</p>');
    now = new Date('2026-12-03T05:30:01.000Z');
    expect((await fetch(link!.url)).status).toBe(403);
  });

  it('keeps the expiry within S3\'s 7 days and at least a minute', async () => {
    const bucket = new S3ReportBucket(client(), bucketName);
    const long = await bucket.linksTo('fleet-report/latest.html', { expiresInSeconds: 30 * 86_400, clock }).latest();
    expect(new URL(long!.url).searchParams.get('X-Amz-Expires')).toBe(String(maxLinkSeconds));
    const short = await bucket.linksTo('fleet-report/latest.html', { expiresInSeconds: 1, clock }).latest();
    expect(new URL(short!.url).searchParams.get('X-Amz-Expires')).toBe('60');
  });
});

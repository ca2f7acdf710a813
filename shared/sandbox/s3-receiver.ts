// A local stand-in for the three S3 calls the fleet report makes (path-style): PutObject (signed, SSE header and
// content type recorded), HeadObject, and GetObject through a presigned URL (checked for a signature and refused
// once X-Amz-Date + X-Amz-Expires has passed). Point the SDK at it with `endpoint` and `forcePathStyle: true`.
import { createHash } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface StoredObject {
  bucket: string;
  key: string;
  body: string;
  contentType: string | undefined;
  serverSideEncryption: string | undefined;
  cacheControl: string | undefined;
  lastModified: Date;
}

export interface ReceivedS3Request {
  method: string;
  /** Path and query as received. */
  path: string;
  /** Whether it carried a SigV4 Authorization header (never its value). */
  signed: boolean;
  status: number;
}

export interface LocalS3 {
  /** http://127.0.0.1:<port> */
  url: string;
  readonly objects: Map<string, StoredObject>;
  readonly requests: ReceivedS3Request[];
  /** The next `count` requests fail with S3's 503 SlowDown. */
  failNext(count: number): void;
  stop(): Promise<void>;
}

const xmlError = (code: string, message: string): string =>
  `<?xml version="1.0" encoding="UTF-8"?><Error><Code>${code}</Code><Message>${message}</Message></Error>`;

/** `20261202T160000Z` → its time. */
function amzDate(text: string | null): number | undefined {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(text ?? '');
  return m ? Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6])) : undefined;
}

/** A body sent with `content-encoding: aws-chunked`: the chunks' data without their signatures and trailers. */
function unchunk(raw: Buffer): Buffer {
  const parts: Buffer[] = [];
  let at = 0;
  for (;;) {
    const end = raw.indexOf('\r\n', at);
    if (end < 0) break;
    const size = parseInt(raw.subarray(at, end).toString('latin1').split(';')[0] ?? '', 16);
    if (!Number.isFinite(size) || size === 0) break;
    parts.push(raw.subarray(end + 2, end + 2 + size));
    at = end + 2 + size + 2;
  }
  return Buffer.concat(parts);
}

export async function startLocalS3(options: { now?: () => Date } = {}): Promise<LocalS3> {
  const now = options.now ?? (() => new Date());
  const objects = new Map<string, StoredObject>();
  const requests: ReceivedS3Request[] = [];
  let failures = 0;
  const server = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const url = new URL(request.url ?? '/', 'http://127.0.0.1');
      const method = request.method ?? 'GET';
      const signed = /^AWS4-HMAC-SHA256 Credential=\S+, SignedHeaders=\S+, Signature=[0-9a-f]{64}$/.test(request.headers.authorization ?? '');
      const reply = (status: number, headers: Record<string, string> = {}, body = ''): void => {
        requests.push({ method, path: `${url.pathname}${url.search}`, signed, status });
        response.writeHead(status, { 'x-amz-request-id': createHash('sha1').update(String(requests.length)).digest('hex').slice(0, 16), ...headers });
        response.end(method === 'HEAD' ? undefined : body);
      };
      const error = (status: number, code: string, message: string): void => reply(status, { 'content-type': 'application/xml' }, xmlError(code, message));
      if (failures > 0) {
        failures -= 1;
        return error(503, 'SlowDown', 'Please reduce your request rate.');
      }
      const [, bucket = '', ...rest] = url.pathname.split('/');
      const key = rest.map((part) => decodeURIComponent(part)).join('/');
      const id = `${bucket}/${key}`;
      const presigned = url.searchParams.has('X-Amz-Signature');
      if (!signed && !presigned) return error(403, 'AccessDenied', 'Anonymous access is forbidden for this bucket.');
      if (presigned) {
        const date = amzDate(url.searchParams.get('X-Amz-Date'));
        const expires = Number(url.searchParams.get('X-Amz-Expires'));
        if (date === undefined || !Number.isInteger(expires) || !/^[0-9a-f]{64}$/.test(url.searchParams.get('X-Amz-Signature') ?? '')) {
          return error(403, 'AuthorizationQueryParametersError', 'X-Amz-Date, X-Amz-Expires and X-Amz-Signature must be present and well formed.');
        }
        if (now().getTime() > date + expires * 1000) return error(403, 'AccessDenied', 'Request has expired');
        if (method !== 'GET') return error(403, 'SignatureDoesNotMatch', 'A presigned URL is for the method it was signed for.');
      }
      switch (method) {
        case 'PUT': {
          const raw = Buffer.concat(chunks);
          const body = (request.headers['content-encoding'] ?? '').includes('aws-chunked') ? unchunk(raw) : raw;
          const stored: StoredObject = {
            bucket,
            key,
            body: body.toString('utf8'),
            contentType: request.headers['content-type'],
            serverSideEncryption: request.headers['x-amz-server-side-encryption'] as string | undefined,
            cacheControl: request.headers['cache-control'],
            lastModified: now(),
          };
          objects.set(id, stored);
          return reply(200, { etag: `"${createHash('md5').update(body).digest('hex')}"`, ...(stored.serverSideEncryption ? { 'x-amz-server-side-encryption': stored.serverSideEncryption } : {}) });
        }
        case 'HEAD':
        case 'GET': {
          const stored = objects.get(id);
          if (!stored) return error(404, 'NoSuchKey', 'The specified key does not exist.');
          return reply(
            200,
            {
              'content-type': url.searchParams.get('response-content-type') ?? stored.contentType ?? 'binary/octet-stream',
              'content-length': String(Buffer.byteLength(stored.body)),
              'last-modified': stored.lastModified.toUTCString(),
              etag: `"${createHash('md5').update(stored.body).digest('hex')}"`,
            },
            stored.body,
          );
        }
        default:
          return error(405, 'MethodNotAllowed', `the local S3 does not implement ${method}`);
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    objects,
    requests,
    failNext: (count) => {
      failures += count;
    },
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

// What the Slack and Jira receivers share: a loopback HTTP server on an ephemeral port that records every request
// (secrets masked), can write each one as a JSON file, and fails the next N requests on demand.
import { mkdir, writeFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';

export interface RecordedRequest {
  seq: number;
  method: string;
  /** Path and query, as received. */
  path: string;
  /** Headers without credentials. */
  headers: Record<string, string>;
  body: unknown;
  status: number;
  at: string;
}

export interface Reply {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

export interface Fault {
  status: number;
  retryAfterSeconds?: number;
  body?: unknown;
  /** The request is carried out, then its answer is lost and `status` sent instead (a gateway timeout after the
   * issue was created, say). */
  afterHandling?: boolean;
}

export interface ReceiverOptions {
  /** Each request is also written there as `<seq>-<method>-<path>.json` (the demo keeps them). */
  outputDir?: string;
}

const hiddenHeaders = new Set(['authorization', 'cookie', 'proxy-authorization']);

export abstract class HttpReceiver {
  readonly requests: RecordedRequest[] = [];
  readonly #outputDir: string | undefined;
  readonly #faults: Fault[] = [];
  #server: Server | undefined;
  #port = 0;
  #writes: Promise<unknown>[] = [];

  constructor(options: ReceiverOptions = {}) {
    this.#outputDir = options.outputDir;
  }

  get origin(): string {
    if (!this.#server) throw new Error('The receiver is not started: call start() first.');
    return `http://127.0.0.1:${this.#port}`;
  }

  /** The next `count` requests fail with `status` (429 carries Retry-After when given). */
  failNext(count: number, fault: Fault): void {
    for (let i = 0; i < count; i += 1) this.#faults.push(fault);
  }

  /** Faults not consumed yet. */
  get pendingFaults(): number {
    return this.#faults.length;
  }

  clearFaults(): void {
    this.#faults.length = 0;
  }

  async start(): Promise<void> {
    if (this.#server) return;
    if (this.#outputDir) await mkdir(this.#outputDir, { recursive: true });
    const server = createServer((req, res) => {
      this.#serve(req, res).catch((error: unknown) => {
        res.writeHead(500, { 'content-type': 'text/plain' });
        res.end(`receiver error: ${error instanceof Error ? error.message : String(error)}`);
      });
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve());
    });
    this.#port = (server.address() as AddressInfo).port;
    this.#server = server;
  }

  async stop(): Promise<void> {
    const server = this.#server;
    this.#server = undefined;
    if (server) {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
    await Promise.all(this.#writes);
  }

  /** Answers one request; `body` is the parsed JSON (or the raw text when it is not JSON). */
  protected abstract handle(method: string, url: URL, body: unknown, raw: string, req: IncomingMessage): Reply;

  /** The body a fault answers with, in the service's style. */
  protected abstract faultBody(fault: Fault, url: URL): unknown;

  async #serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks).toString('utf8');
    let body: unknown = raw;
    if (raw !== '') {
      try {
        body = JSON.parse(raw);
      } catch {
        body = raw;
      }
    }
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const fault = this.#faults.shift();
    let reply: Reply;
    if (fault) {
      if (fault.afterHandling) this.handle(req.method ?? 'GET', url, body, raw, req);
      reply = { status: fault.status, body: fault.body ?? this.faultBody(fault, url) };
      if (fault.retryAfterSeconds !== undefined) reply.headers = { 'retry-after': String(fault.retryAfterSeconds) };
    } else {
      reply = this.handle(req.method ?? 'GET', url, body, raw, req);
    }
    const headers = Object.fromEntries(
      Object.entries(req.headers)
        .filter(([name]) => !hiddenHeaders.has(name))
        .map(([name, value]) => [name, Array.isArray(value) ? value.join(', ') : (value ?? '')]),
    );
    const recorded: RecordedRequest = {
      seq: this.requests.length + 1,
      method: req.method ?? 'GET',
      path: `${url.pathname}${url.search}`,
      headers,
      body,
      status: reply.status,
      at: new Date().toISOString(),
    };
    this.requests.push(recorded);
    if (this.#outputDir) {
      const name = `${String(recorded.seq).padStart(4, '0')}-${recorded.method}-${url.pathname.replace(/[^A-Za-z0-9.-]+/g, '_').replace(/^_+|_+$/g, '')}.json`;
      this.#writes.push(writeFile(join(this.#outputDir, name), `${JSON.stringify(recorded, null, 2)}\n`));
    }
    const payload = reply.body === undefined ? '' : typeof reply.body === 'string' ? reply.body : JSON.stringify(reply.body);
    const contentType = typeof reply.body === 'string' ? 'text/plain; charset=utf-8' : 'application/json';
    res.writeHead(reply.status, { 'content-type': contentType, ...reply.headers });
    res.end(payload);
  }
}

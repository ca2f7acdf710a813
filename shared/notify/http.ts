// What the Slack and Jira adapters share about talking HTTP: typed delivery errors that say whether a retry
// can help, Retry-After parsing, and one bounded retry loop (429 waits as told, 5xx and network errors back off).
import type { Logger } from '../model/cross-cutting.ts';

export type FetchLike = (input: string, init: RequestInit) => Promise<Response>;

/** A failed delivery. `retryable` says whether the same request can succeed later (rate limit, outage). */
export class DeliveryError extends Error {
  override readonly name: string = 'DeliveryError';
  readonly service: 'slack' | 'jira';
  /** HTTP status, absent for network failures. */
  readonly status: number | undefined;
  /** The service's error code (`channel_not_found`, `invalid_payload`...) or a short reason. */
  readonly code: string;
  readonly retryable: boolean;
  /** What the service asked to wait before retrying (429 Retry-After). */
  readonly retryAfterMs: number | undefined;

  constructor(
    service: 'slack' | 'jira',
    message: string,
    details: { status?: number; code: string; retryable: boolean; retryAfterMs?: number; cause?: unknown },
  ) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.service = service;
    this.status = details.status;
    this.code = details.code;
    this.retryable = details.retryable;
    this.retryAfterMs = details.retryAfterMs;
  }
}

/** `Retry-After` as milliseconds: delta-seconds or an HTTP date; undefined when absent or unreadable. */
export function retryAfterMs(value: string | null | undefined, now: Date): number | undefined {
  if (value === null || value === undefined || value.trim() === '') return undefined;
  const trimmed = value.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.ceil(Number(trimmed) * 1000);
  const date = Date.parse(trimmed);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - now.getTime());
}

/** Status codes worth another try: rate limits, timeouts and server-side failures. */
export function isRetryableStatus(status: number): boolean {
  return status === 408 || status === 429 || status >= 500;
}

export interface RetryOptions {
  /** Total attempts, the first included (default 4). */
  maxAttempts?: number;
  /** First backoff for 5xx/network failures; doubles each attempt, full jitter (default 500 ms). */
  baseDelayMs?: number;
  maxDelayMs?: number;
  /** Longest Retry-After honoured; a longer one gives up at once with a retryable error (default 30 s). */
  maxRetryAfterMs?: number;
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
}

const defaultSleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Runs `attempt` until it returns, throws a non-retryable DeliveryError, or attempts run out (then the last
 * error is thrown). A retryable error's `retryAfterMs` is waited as told, within `maxRetryAfterMs`.
 */
export async function withRetries<T>(
  what: string,
  options: RetryOptions,
  logger: Logger,
  attempt: (n: number) => Promise<T>,
): Promise<T> {
  const maxAttempts = options.maxAttempts ?? 4;
  const base = options.baseDelayMs ?? 500;
  const cap = options.maxDelayMs ?? 8_000;
  const maxRetryAfter = options.maxRetryAfterMs ?? 30_000;
  const sleep = options.sleep ?? defaultSleep;
  const random = options.random ?? Math.random;
  for (let n = 1; ; n += 1) {
    try {
      return await attempt(n);
    } catch (error) {
      if (!(error instanceof DeliveryError) || !error.retryable || n >= maxAttempts) throw error;
      if (error.retryAfterMs !== undefined && error.retryAfterMs > maxRetryAfter) {
        logger.warn(`${what}: asked to wait longer than allowed, giving up for now`, {
          status: error.status,
          retryAfterMs: error.retryAfterMs,
          maxRetryAfterMs: maxRetryAfter,
        });
        throw error;
      }
      const delay = error.retryAfterMs ?? Math.floor(random() * Math.min(cap, base * 2 ** (n - 1)));
      logger.warn(`${what}: attempt ${n} of ${maxAttempts} failed, retrying`, {
        status: error.status,
        code: error.code,
        delayMs: delay,
      });
      await sleep(delay);
    }
  }
}

/** Names a network failure without echoing the URL (a webhook URL is a secret). */
export function networkFailureCode(error: unknown): string {
  const cause = (error as { cause?: { code?: unknown } } | undefined)?.cause;
  if (cause && typeof cause.code === 'string') return cause.code;
  if (error instanceof Error && error.name === 'TimeoutError') return 'timeout';
  if (error instanceof Error && error.name === 'AbortError') return 'aborted';
  return 'network_error';
}

/** Only HTTPS leaves the machine; plain HTTP is accepted for loopback receivers (tests, the demo). */
export function assertSafeEndpoint(url: URL, what: string): void {
  if (url.protocol === 'https:') return;
  const loopback = url.hostname === '127.0.0.1' || url.hostname === 'localhost' || url.hostname === '[::1]';
  if (url.protocol === 'http:' && loopback) return;
  throw new Error(`${what} must be an https:// URL (plain http is only accepted for 127.0.0.1/localhost); fix the secret or configuration.`);
}

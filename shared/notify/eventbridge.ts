// Publishes Periscope's events on its EventBridge bus, in PutEvents calls that stay under the service limits
// (10 entries and 256 KB per call), retrying the entries EventBridge reports as failed.
import { PutEventsCommand, type EventBridgeClient, type PutEventsRequestEntry } from '@aws-sdk/client-eventbridge';
import type { Logger } from '../model/cross-cutting.ts';
import { eventSource, type PeriscopeEvent } from '../model/pipeline.ts';

export const maxEntriesPerCall = 10;
/** PutEvents: the total entry size of one call must not exceed 256 KB. */
export const maxBytesPerCall = 256 * 1024;

const encoder = new TextEncoder();

/** The entry size as EventBridge computes it: Time (14 bytes), Source, DetailType, Detail, Resources. */
export function entrySize(entry: PutEventsRequestEntry): number {
  let size = entry.Time ? 14 : 0;
  for (const text of [entry.Source, entry.DetailType, entry.Detail, ...(entry.Resources ?? [])]) {
    if (text) size += encoder.encode(text).byteLength;
  }
  return size;
}

/** Groups entries into calls of at most 10 entries and 256 KB, in order. */
export function batchEntries(entries: readonly PutEventsRequestEntry[]): PutEventsRequestEntry[][] {
  const batches: PutEventsRequestEntry[][] = [];
  let current: PutEventsRequestEntry[] = [];
  let bytes = 0;
  for (const entry of entries) {
    const size = entrySize(entry);
    if (current.length > 0 && (current.length === maxEntriesPerCall || bytes + size > maxBytesPerCall)) {
      batches.push(current);
      current = [];
      bytes = 0;
    }
    current.push(entry);
    bytes += size;
  }
  if (current.length > 0) batches.push(current);
  return batches;
}

/** A finding event larger than one call allows loses its bulky optional parts (details, then fix). */
function fitted(event: PeriscopeEvent): PeriscopeEvent {
  if (event.detailType === 'Scan Completed') return event;
  const { details: _details, ...withoutDetails } = event.detail.finding;
  const { fix: _fix, ...bare } = withoutDetails;
  return { ...event, detail: { ...event.detail, finding: bare } };
}

export class EventPublishError extends Error {
  readonly failed: { detailType: string; errorCode?: string; errorMessage?: string }[];
  constructor(busName: string, failed: EventPublishError['failed']) {
    const first = failed[0];
    super(
      `${failed.length} event(s) could not be put on bus ${busName} ` +
        `(first: ${first?.detailType ?? '?'}: ${first?.errorCode ?? ''} ${first?.errorMessage ?? ''}). ` +
        'Check that the bus exists and the function may call events:PutEvents on it.',
    );
    this.name = 'EventPublishError';
    this.failed = failed;
  }
}

export interface EventBridgePublisherOptions {
  busName: string;
  client: Pick<EventBridgeClient, 'send'>;
  logger?: Logger;
  /** Retries of entries EventBridge reported as failed (throttling, internal errors). */
  retries?: number;
}

/** Fits the pipeline's EventPublisher port. */
export class EventBridgePublisher {
  readonly #options: EventBridgePublisherOptions;

  constructor(options: EventBridgePublisherOptions) {
    this.#options = options;
  }

  toEntry(event: PeriscopeEvent): PutEventsRequestEntry {
    const resources = event.detail.cluster.arn ? [event.detail.cluster.arn] : [];
    const build = (e: PeriscopeEvent): PutEventsRequestEntry => ({
      EventBusName: this.#options.busName,
      Source: eventSource,
      DetailType: e.detailType,
      Detail: JSON.stringify(e.detail),
      Resources: resources,
    });
    const entry = build(event);
    if (entrySize(entry) <= maxBytesPerCall) return entry;
    const smaller = build(fitted(event));
    if (entrySize(smaller) <= maxBytesPerCall) {
      this.#options.logger?.warn('event too large for EventBridge: fix and details dropped', { detailType: event.detailType });
      return smaller;
    }
    throw new EventPublishError(this.#options.busName, [
      { detailType: event.detailType, errorCode: 'TooLarge', errorMessage: `entry is ${entrySize(smaller)} bytes` },
    ]);
  }

  async publish(events: PeriscopeEvent[]): Promise<void> {
    if (events.length === 0) return;
    const failed: EventPublishError['failed'] = [];
    for (const batch of batchEntries(events.map((event) => this.toEntry(event)))) {
      let pending = batch;
      for (let attempt = 0; pending.length > 0; attempt += 1) {
        const response = await this.#options.client.send(new PutEventsCommand({ Entries: pending }));
        if (!response.FailedEntryCount) break;
        const results = response.Entries ?? [];
        const retry = pending.filter((_, i) => results[i]?.ErrorCode);
        if (attempt >= (this.#options.retries ?? 2)) {
          for (const [i, entry] of pending.entries()) {
            const result = results[i];
            if (result?.ErrorCode) {
              failed.push({ detailType: entry.DetailType ?? '', errorCode: result.ErrorCode, errorMessage: result.ErrorMessage ?? '' });
            }
          }
          break;
        }
        pending = retry;
      }
    }
    if (failed.length > 0) throw new EventPublishError(this.#options.busName, failed);
  }
}

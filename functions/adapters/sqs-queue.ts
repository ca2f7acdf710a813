// The scan queue on SQS: one message per ScanRequest, delays capped at SQS's 15 minutes, batches of 10.
import { SendMessageBatchCommand, SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { ScanRequest } from '../../shared/model/pipeline.ts';
import type { ScanQueue } from '../../shared/pipeline/ports.ts';

const maxDelaySeconds = 900;
const maxBatch = 10;

export class SqsScanQueue implements ScanQueue {
  readonly #client: Pick<SQSClient, 'send'>;
  readonly #queueUrl: string;

  constructor(client: Pick<SQSClient, 'send'>, queueUrl: string) {
    this.#client = client;
    this.#queueUrl = queueUrl;
  }

  async send(request: ScanRequest, delaySeconds?: number): Promise<void> {
    await this.#client.send(
      new SendMessageCommand({
        QueueUrl: this.#queueUrl,
        MessageBody: JSON.stringify(request),
        ...(delaySeconds ? { DelaySeconds: Math.min(maxDelaySeconds, Math.max(0, Math.round(delaySeconds))) } : {}),
      }),
    );
  }

  async sendBatch(requests: ScanRequest[]): Promise<void> {
    for (let start = 0; start < requests.length; start += maxBatch) {
      const chunk = requests.slice(start, start + maxBatch);
      let entries = chunk.map((request, i) => ({ Id: String(i), MessageBody: JSON.stringify(request) }));
      for (let attempt = 0; entries.length > 0; attempt += 1) {
        const out = await this.#client.send(new SendMessageBatchCommand({ QueueUrl: this.#queueUrl, Entries: entries }));
        const failed = new Set((out.Failed ?? []).map((f) => f.Id));
        if (failed.size === 0) break;
        if (attempt >= 2) {
          const first = out.Failed?.[0];
          throw new Error(
            `${failed.size} scan request(s) could not be queued on ${this.#queueUrl} (${first?.Code ?? ''}: ${first?.Message ?? ''}); ` +
              'the next discovery run sends them again.',
          );
        }
        entries = entries.filter((e) => failed.has(e.Id));
      }
    }
  }
}

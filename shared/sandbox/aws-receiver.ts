// A local receiver for the two AWS write APIs the pipeline calls besides DynamoDB and EKS: SQS SendMessage(Batch)
// and EventBridge PutEvents (AWS JSON protocol). It records what it is sent, so `npm run invoke` and the tests
// see the scan requests and Periscope's events without AWS. Point the SDK at it with
// AWS_ENDPOINT_URL_SQS / AWS_ENDPOINT_URL_EVENTBRIDGE (or a client `endpoint`).
import { createHash, randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReceivedMessage {
  queueUrl: string;
  body: string;
  delaySeconds: number;
}

export interface ReceivedEvent {
  busName: string;
  source: string;
  detailType: string;
  detail: unknown;
  resources: string[];
}

export interface AwsReceiver {
  /** http://127.0.0.1:<port> */
  url: string;
  readonly messages: ReceivedMessage[];
  readonly events: ReceivedEvent[];
  /** Removes and returns the oldest message, like a consumer would. */
  takeMessage(): ReceivedMessage | undefined;
  /** Makes the next PutEvents calls report every entry as failed (to test retries and errors). */
  failPutEvents(times: number): void;
  stop(): Promise<void>;
}

const md5 = (text: string): string => createHash('md5').update(text, 'utf8').digest('hex');

export async function startAwsReceiver(): Promise<AwsReceiver> {
  const messages: ReceivedMessage[] = [];
  const events: ReceivedEvent[] = [];
  let failures = 0;

  const handle = (target: string, input: Record<string, unknown>): { status: number; body: unknown } => {
    switch (target) {
      case 'AmazonSQS.SendMessage': {
        const body = typeof input.MessageBody === 'string' ? input.MessageBody : '';
        messages.push({ queueUrl: String(input.QueueUrl), body, delaySeconds: Number(input.DelaySeconds ?? 0) });
        return { status: 200, body: { MessageId: randomUUID(), MD5OfMessageBody: md5(body) } };
      }
      case 'AmazonSQS.SendMessageBatch': {
        const entries = (input.Entries ?? []) as { Id: string; MessageBody: string; DelaySeconds?: number }[];
        const successful = entries.map((entry) => {
          messages.push({ queueUrl: String(input.QueueUrl), body: entry.MessageBody, delaySeconds: entry.DelaySeconds ?? 0 });
          return { Id: entry.Id, MessageId: randomUUID(), MD5OfMessageBody: md5(entry.MessageBody) };
        });
        return { status: 200, body: { Successful: successful, Failed: [] } };
      }
      case 'AWSEvents.PutEvents': {
        const entries = (input.Entries ?? []) as { EventBusName?: string; Source: string; DetailType: string; Detail: string; Resources?: string[] }[];
        if (failures > 0) {
          failures -= 1;
          return {
            status: 200,
            body: { FailedEntryCount: entries.length, Entries: entries.map(() => ({ ErrorCode: 'InternalFailure', ErrorMessage: 'injected' })) },
          };
        }
        for (const entry of entries) {
          events.push({
            busName: entry.EventBusName ?? 'default',
            source: entry.Source,
            detailType: entry.DetailType,
            detail: JSON.parse(entry.Detail) as unknown,
            resources: entry.Resources ?? [],
          });
        }
        return { status: 200, body: { FailedEntryCount: 0, Entries: entries.map(() => ({ EventId: randomUUID() })) } };
      }
      default:
        return { status: 400, body: { __type: 'UnknownOperationException', message: `the local receiver does not implement ${target}` } };
    }
  };

  const server = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const target = String(request.headers['x-amz-target'] ?? '');
      let result: { status: number; body: unknown };
      try {
        result = handle(target, JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as Record<string, unknown>);
      } catch (error) {
        result = { status: 400, body: { __type: 'SerializationException', message: String(error) } };
      }
      const contentType = target.startsWith('AmazonSQS.') ? 'application/x-amz-json-1.0' : 'application/x-amz-json-1.1';
      response.writeHead(result.status, { 'content-type': contentType, 'x-amzn-requestid': randomUUID() });
      response.end(JSON.stringify(result.body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    messages,
    events,
    takeMessage: () => messages.shift(),
    failPutEvents(times) {
      failures = times;
    },
    stop: () => new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve()))),
  };
}

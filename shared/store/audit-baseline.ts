// The principal baseline of the audit detections in the findings table: one item per cluster (when its learning
// began) and one per principal × access (when it was first seen), beside the cluster's findings:
// `PK=CLUSTER#<id>`, `SK=BASELINE` and `SK=BASELINE#<access>#<principal>` (sorted before `FINDING#`, so a cluster's
// findings query never reads them). A batch is read first (BatchGet) and only earlier times are written, each with a
// condition that keeps the earliest, so replays and steady state write nothing and concurrent writers agree.
import { BatchGetCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import {
  baselineTime,
  summarizeBatch,
  type BaselineBatch,
  type BaselineState,
  type PrincipalBaseline,
} from '../audit/baseline.ts';
import { isConditionFailure } from './errors.ts';
import { clusterPK } from './records.ts';
import { findingsTable } from './table.ts';

export const baselineSK = 'BASELINE';
export const baselineAccessSK = (access: string, principal: string): string => `${baselineSK}#${access}#${principal}`;

export interface DynamoPrincipalBaselineOptions {
  client: DynamoDBDocumentClient;
  tableName?: string;
  /** Attempts for keys DynamoDB leaves unprocessed in a BatchGet. */
  maxBatchAttempts?: number;
  sleep?: (ms: number) => Promise<void>;
}

interface Wanted {
  key: { PK: string; SK: string };
  /** The time this batch would record. */
  at: string;
  /** Whose answer it is: `baselineKey` of the access, or '' for the cluster's start. */
  answer: string;
}

const batchGetLimit = 100;

export class DynamoPrincipalBaseline implements PrincipalBaseline {
  readonly #client: DynamoDBDocumentClient;
  readonly #tableName: string;
  readonly #maxBatchAttempts: number;
  readonly #sleep: (ms: number) => Promise<void>;
  /** Write requests made, for the benchmark and tests. */
  writeRequests = 0;

  constructor(options: DynamoPrincipalBaselineOptions) {
    this.#client = options.client;
    this.#tableName = options.tableName ?? findingsTable.defaultName;
    this.#maxBatchAttempts = options.maxBatchAttempts ?? 5;
    this.#sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
  }

  async observe(clusterId: string, batch: BaselineBatch): Promise<BaselineState> {
    const pk = clusterPK(clusterId);
    const wanted: Wanted[] = [{ key: { PK: pk, SK: baselineSK }, at: baselineTime(batch.startedAt), answer: '' }];
    for (const [answer, observation] of summarizeBatch(batch)) {
      wanted.push({ key: { PK: pk, SK: baselineAccessSK(observation.access, observation.principal) }, at: observation.at, answer });
    }
    const stored = await this.#read(wanted.map((w) => w.key));
    const answers = new Map<string, string>();
    for (const item of wanted) {
      const current = stored.get(item.key.SK);
      answers.set(item.answer, current !== undefined && current <= item.at ? current : await this.#keepEarliest(item));
    }
    const firstSeen = new Map<string, string>();
    for (const [answer, at] of answers) if (answer !== '') firstSeen.set(answer, at);
    return { learningStartedAt: answers.get('')!, firstSeen };
  }

  /** Writes `at` unless an earlier time is stored (by another writer meanwhile); returns what is stored after. */
  async #keepEarliest(item: Wanted): Promise<string> {
    this.writeRequests += 1;
    try {
      await this.#client.send(
        new UpdateCommand({
          TableName: this.#tableName,
          Key: item.key,
          UpdateExpression: 'SET firstSeenAt = :at',
          ConditionExpression: 'attribute_not_exists(firstSeenAt) OR firstSeenAt > :at',
          ExpressionAttributeValues: { ':at': item.at },
        }),
      );
      return item.at;
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
      const stored = await this.#read([item.key]);
      return stored.get(item.key.SK) ?? item.at;
    }
  }

  /** SK → stored firstSeenAt of the keys, in BatchGets of 100, retrying unprocessed keys. */
  async #read(keys: readonly { PK: string; SK: string }[]): Promise<Map<string, string>> {
    const found = new Map<string, string>();
    for (let start = 0; start < keys.length; start += batchGetLimit) {
      let pending: Record<string, unknown>[] = keys.slice(start, start + batchGetLimit);
      for (let attempt = 1; pending.length > 0; attempt += 1) {
        if (attempt > this.#maxBatchAttempts) {
          throw new Error(`DynamoDB left ${pending.length} baseline keys unread after ${this.#maxBatchAttempts} attempts (throttled); the batch will be retried`);
        }
        if (attempt > 1) await this.#sleep(50 * 2 ** attempt);
        const out = await this.#client.send(new BatchGetCommand({ RequestItems: { [this.#tableName]: { Keys: pending, ProjectionExpression: 'SK, firstSeenAt' } } }));
        for (const item of out.Responses?.[this.#tableName] ?? []) {
          if (typeof item['SK'] === 'string' && typeof item['firstSeenAt'] === 'string') found.set(item['SK'], item['firstSeenAt']);
        }
        pending = out.UnprocessedKeys?.[this.#tableName]?.Keys ?? [];
      }
    }
    return found;
  }
}

// What the live change stream (EKS audit logs, issue 13) keeps in the findings table, next to each cluster's items:
// the rescan window of the debounce (`SK=AUDIT#RESCAN`), the causes of recent changes by object (`SK=CAUSE#<object>`,
// with a TTL) and the findings of event detections (`SK=EVENT#<fingerprint>`, outside the range a scan reconciles,
// so a rescan never resolves an exec that happened).
import { BatchWriteCommand, DeleteCommand, PutCommand, QueryCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import * as z from 'zod';
import { causeSchema, type Cause } from '../model/audit.ts';
import { findingSchema, type Finding } from '../model/finding.ts';
import { silentLogger, type Logger } from '../model/cross-cutting.ts';
import { isConditionFailure } from './errors.ts';
import { clusterPK, scanRetentionDays } from './records.ts';
import type { AuditStreamPort } from './port.ts';
import { findingsTable } from './table.ts';

export const rescanWindowSK = 'AUDIT#RESCAN';
export const causePrefix = 'CAUSE#';
export const eventFindingPrefix = 'EVENT#';
/** How long the causes of a change wait for the scan that reads them (well past any debounce window). */
export const causeRetentionSeconds = 24 * 3600;
/** Causes kept per object: the latest ones. */
export const causesPerObject = 5;

const batchSize = 25;
const maxBatchAttempts = 5;

export interface AuditStreamStoreOptions {
  client: DynamoDBDocumentClient;
  tableName?: string;
  logger?: Logger;
}

const causeItemSchema = z.object({ object: z.string(), causes: z.array(causeSchema) });

export class AuditStreamStore implements AuditStreamPort {
  readonly tableName: string;
  readonly #client: DynamoDBDocumentClient;
  readonly #logger: Logger;

  constructor(options: AuditStreamStoreOptions) {
    this.#client = options.client;
    this.tableName = options.tableName ?? findingsTable.defaultName;
    this.#logger = options.logger ?? silentLogger;
  }

  /**
   * Takes the cluster's rescan window (`now` .. `now + windowMs`) when none is open: one conditional write, so of
   * any number of concurrent Lambdas exactly one wins a window. False while another window is open.
   */
  async claimRescanWindow(clusterId: string, now: Date, windowMs: number): Promise<boolean> {
    const endsAt = new Date(now.getTime() + windowMs).toISOString();
    try {
      await this.#client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { PK: clusterPK(clusterId), SK: rescanWindowSK },
          UpdateExpression: 'SET windowEndsAt = :ends, windowOpenedAt = :now, expiresAt = :ttl',
          ConditionExpression: 'attribute_not_exists(windowEndsAt) OR windowEndsAt <= :now',
          ExpressionAttributeValues: {
            ':ends': endsAt,
            ':now': now.toISOString(),
            ':ttl': Math.floor(now.getTime() / 1000) + causeRetentionSeconds,
          },
        }),
      );
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  }

  /** Closes the window opened at `now` (only that one: a later window is left alone). */
  async releaseRescanWindow(clusterId: string, now: Date): Promise<void> {
    try {
      await this.#client.send(
        new DeleteCommand({
          TableName: this.tableName,
          Key: { PK: clusterPK(clusterId), SK: rescanWindowSK },
          ConditionExpression: 'windowOpenedAt = :now',
          ExpressionAttributeValues: { ':now': now.toISOString() },
        }),
      );
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
    }
  }

  /** Keeps the causes of each changed object (the latest `causesPerObject`), 25 objects a write. */
  async recordCauses(clusterId: string, byObject: ReadonlyMap<string, readonly Cause[]>, now: Date): Promise<void> {
    const ttl = Math.floor(now.getTime() / 1000) + causeRetentionSeconds;
    const items = [...byObject].map(([object, causes]) => ({
      PK: clusterPK(clusterId),
      SK: `${causePrefix}${object}`,
      object,
      causes: causes.slice(-causesPerObject),
      expiresAt: ttl,
    }));
    for (let i = 0; i < items.length; i += batchSize) await this.#writeBatch(items.slice(i, i + batchSize));
  }

  async #writeBatch(items: Record<string, unknown>[]): Promise<void> {
    let pending = items.map((Item) => ({ PutRequest: { Item } }));
    for (let attempt = 1; pending.length > 0; attempt += 1) {
      if (attempt > maxBatchAttempts) {
        throw new Error(`${pending.length} cause writes to table ${this.tableName} stayed unprocessed after ${maxBatchAttempts} attempts`);
      }
        const out = await this.#client.send(new BatchWriteCommand({ RequestItems: { [this.tableName]: pending } }));
      pending = (out.UnprocessedItems?.[this.tableName] ?? []).filter(
        (r): r is { PutRequest: { Item: Record<string, unknown> } } => r.PutRequest?.Item !== undefined,
      );
      if (pending.length > 0) await new Promise((resolve) => setTimeout(resolve, 20 * attempt));
    }
  }

  /** The causes kept for the cluster's recently changed objects, by object key (`objectKeyOf`). */
  async causes(clusterId: string): Promise<Map<string, Cause[]>> {
    const out = new Map<string, Cause[]>();
    let start: Record<string, unknown> | undefined;
    do {
      const page = await this.#client.send(
        new QueryCommand({
          TableName: this.tableName,
          KeyConditionExpression: 'PK = :pk AND begins_with(SK, :c)',
          ExpressionAttributeValues: { ':pk': clusterPK(clusterId), ':c': causePrefix },
          ExclusiveStartKey: start,
        }),
      );
      for (const item of page.Items ?? []) {
        const parsed = causeItemSchema.safeParse(item);
        if (parsed.success) out.set(parsed.data.object, parsed.data.causes);
        else this.#logger.warn('stored audit cause skipped: it does not parse', { sk: String(item.SK), error: parsed.error.issues[0]?.message });
      }
      start = page.LastEvaluatedKey;
    } while (start);
    return out;
  }

  /**
   * Stores each event-detection finding once (a conditional put on its fingerprint, which names the audit event):
   * returns the ones stored now. A replayed batch stores, and so opens, nothing.
   */
  async openEventFindings(findings: readonly Finding[]): Promise<Finding[]> {
    const opened: Finding[] = [];
    for (const finding of findings) {
        try {
        await this.#client.send(
          new PutCommand({
            TableName: this.tableName,
            Item: {
              PK: clusterPK(finding.clusterId),
              SK: `${eventFindingPrefix}${finding.fingerprint}`,
              ...finding,
              expiresAt: Math.floor(Date.parse(finding.firstSeenAt) / 1000) + scanRetentionDays * 86_400,
            },
            ConditionExpression: 'attribute_not_exists(SK)',
          }),
        );
        opened.push(finding);
      } catch (error) {
        if (!isConditionFailure(error)) throw error;
      }
    }
    return opened;
  }

  async forgetEventFindings(findings: readonly Finding[]): Promise<void> {
    for (const finding of findings) {
        await this.#client.send(
        new DeleteCommand({ TableName: this.tableName, Key: { PK: clusterPK(finding.clusterId), SK: `${eventFindingPrefix}${finding.fingerprint}` } }),
      );
    }
  }

  /** The cluster's event-detection findings. */
  async eventFindings(clusterId: string): Promise<Finding[]> {
    const page = await this.#client.send(
      new QueryCommand({
        TableName: this.tableName,
        KeyConditionExpression: 'PK = :pk AND begins_with(SK, :e)',
        ExpressionAttributeValues: { ':pk': clusterPK(clusterId), ':e': eventFindingPrefix },
      }),
    );
    return (page.Items ?? []).flatMap((item) => {
      const parsed = findingSchema.safeParse(item);
      return parsed.success ? [parsed.data] : [];
    });
  }
}

// The findings table, defined once: the CDK stack, the local dynalite store and the tests all build it from here.
import type { CreateTableCommandInput } from '@aws-sdk/client-dynamodb';

export interface KeyAttribute {
  name: string;
  type: 'S';
}

export interface IndexDefinition {
  /** What the index answers (DESIGN §5 access pattern). */
  purpose: string;
  name: string;
  partitionKey: KeyAttribute;
  sortKey: KeyAttribute;
  projection: 'ALL';
}

export interface TableDefinition {
  defaultName: string;
  partitionKey: KeyAttribute;
  sortKey: KeyAttribute;
  /** Sparse global secondary indexes: only items that carry the index keys appear in them. */
  indexes: readonly IndexDefinition[];
  /** Epoch seconds; scan records carry it (90 days), everything else lives until resolved history is pruned. */
  timeToLiveAttribute: string;
  billingMode: 'PAY_PER_REQUEST';
}

export const openByRuleIndex = 'open-by-rule';
export const openBySeverityIndex = 'open-by-severity';
/** Partition keys per severity in the open-by-severity index. Its keys are the five severities, and a fleet's first
 * scan writes nearly all of its findings under two or three of them: more write units a second than one partition
 * takes (1,000), measured in BENCHMARKS.md ("Fleet"). Findings spread over the shards by fingerprint. */
export const severityIndexShards = 8;
export const inventoryIndex = 'inventory';
/** The stack output naming the deployed table (`periscope fleet --stack Periscope` reads it). */
export const findingsTableOutput = 'FindingsTableName';

export const findingsTable: TableDefinition = {
  defaultName: 'periscope-findings',
  partitionKey: { name: 'PK', type: 'S' },
  sortKey: { name: 'SK', type: 'S' },
  indexes: [
    {
      purpose: 'open findings of one rule across the fleet',
      name: openByRuleIndex,
      partitionKey: { name: 'openRuleKey', type: 'S' },
      sortKey: { name: 'openRuleSort', type: 'S' },
      projection: 'ALL',
    },
    {
      purpose: 'open findings of one severity across the fleet (query each shard of each severity at or above a threshold)',
      name: openBySeverityIndex,
      partitionKey: { name: 'openSeverityKey', type: 'S' },
      sortKey: { name: 'openSeveritySort', type: 'S' },
      projection: 'ALL',
    },
    {
      purpose: 'the cluster inventory (one item per cluster)',
      name: inventoryIndex,
      partitionKey: { name: 'inventoryKey', type: 'S' },
      sortKey: { name: 'inventorySort', type: 'S' },
      projection: 'ALL',
    },
  ],
  timeToLiveAttribute: 'expiresAt',
  billingMode: 'PAY_PER_REQUEST',
};

/** The CreateTable request for the local store and tests (the CDK stack maps the same definition). */
export function createTableInput(tableName: string = findingsTable.defaultName): CreateTableCommandInput {
  const keyNames = new Set<string>();
  const attributes: KeyAttribute[] = [];
  const add = (key: KeyAttribute): void => {
    if (keyNames.has(key.name)) return;
    keyNames.add(key.name);
    attributes.push(key);
  };
  add(findingsTable.partitionKey);
  add(findingsTable.sortKey);
  for (const index of findingsTable.indexes) {
    add(index.partitionKey);
    add(index.sortKey);
  }
  return {
    TableName: tableName,
    BillingMode: findingsTable.billingMode,
    AttributeDefinitions: attributes.map((a) => ({ AttributeName: a.name, AttributeType: a.type })),
    KeySchema: [
      { AttributeName: findingsTable.partitionKey.name, KeyType: 'HASH' },
      { AttributeName: findingsTable.sortKey.name, KeyType: 'RANGE' },
    ],
    GlobalSecondaryIndexes: findingsTable.indexes.map((index) => ({
      IndexName: index.name,
      KeySchema: [
        { AttributeName: index.partitionKey.name, KeyType: 'HASH' },
        { AttributeName: index.sortKey.name, KeyType: 'RANGE' },
      ],
      Projection: { ProjectionType: index.projection },
    })),
  };
}

// Typed store failures: each says what went wrong, where, and whether trying again can help.

export class LeaseHeldError extends Error {
  override readonly name = 'LeaseHeldError';
  readonly retryable = true;
  readonly clusterId: string;
  readonly holder: string | undefined;
  readonly expiresAt: string | undefined;

  constructor(clusterId: string, holder: string | undefined, expiresAt: string | undefined) {
    super(
      `Cluster ${clusterId} is already being scanned by ${holder ?? 'another scan'}` +
        (expiresAt ? ` (lease until ${expiresAt})` : '') +
        '; this scan did not start. Retry later: a crashed scan\'s lease expires on its own.',
    );
    this.clusterId = clusterId;
    this.holder = holder;
    this.expiresAt = expiresAt;
  }
}

export class LeaseLostError extends Error {
  override readonly name = 'LeaseLostError';
  readonly retryable = true;
  readonly clusterId: string;

  constructor(clusterId: string, owner: string) {
    super(
      `The scan lease of cluster ${clusterId} held by ${owner} expired and was taken over before the scan ` +
        'was recorded; its findings were written but the cluster summary was not. The next scan converges; ' +
        'if this repeats, raise the lease duration above the scan time.',
    );
    this.clusterId = clusterId;
  }
}

/** The scan was recorded but its events could not be published: they stay in the outbox, and the next attempt
 * (`pendingEvents`) publishes them. */
export class EventsPendingError extends Error {
  override readonly name = 'EventsPendingError';
  readonly retryable = true;
  readonly clusterId: string;
  readonly scanId: string;

  constructor(clusterId: string, scanId: string, cause: unknown) {
    super(
      `Scan ${scanId} of cluster ${clusterId} was recorded but its events were not published ` +
        `(${cause instanceof Error ? cause.message : String(cause)}); they are kept in the outbox for the retry.`,
      { cause },
    );
    this.clusterId = clusterId;
    this.scanId = scanId;
  }
}

export class StoreWriteError extends Error {
  override readonly name = 'StoreWriteError';
  readonly retryable = true;

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

export class TicketConflictError extends Error {
  override readonly name = 'TicketConflictError';
  readonly retryable = true;

  constructor(clusterId: string, ruleId: string, expectedVersion: number) {
    super(
      `The ticket of rule ${ruleId} on cluster ${clusterId} was changed by another sync since version ` +
        `${expectedVersion}; read it again and re-apply the change.`,
    );
  }
}

/** A stored item that does not parse: skipped, named by its key, the rest is processed. */
export interface StoreItemError {
  key: { PK: string; SK: string };
  message: string;
}

export function isConditionFailure(error: unknown): boolean {
  return error instanceof Error && error.name === 'ConditionalCheckFailedException';
}

const throttleNames = new Set([
  'ProvisionedThroughputExceededException',
  'ThrottlingException',
  'RequestLimitExceeded',
  'TooManyRequestsException',
]);

export function isThrottle(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const retryable = (error as { $retryable?: { throttling?: boolean } }).$retryable;
  return throttleNames.has(error.name) || retryable?.throttling === true;
}

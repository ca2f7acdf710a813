// What each principal usually does, learnt from the audit stream: when the cluster's learning began, and when each
// principal first made each kind of access. Decisions use event times only, and an observation only ever moves a
// first-seen time earlier, so a replayed batch gets the same answers and opens nothing new.

export interface BaselineObservation {
  /** The username. */
  principal: string;
  /** What it did, as a detection names it (`secrets:payments`). */
  access: string;
  /** ISO time of the event. */
  at: string;
}

export interface BaselineBatch {
  /** The earliest event time of the batch: learning starts at the first batch the cluster ever sent. */
  startedAt: string;
  observations: readonly BaselineObservation[];
}

export interface BaselineState {
  /** When the cluster's learning period began (its earliest observed event). */
  learningStartedAt: string;
  /** First-seen time of each observed principal × access, keyed by `baselineKey`. */
  firstSeen: ReadonlyMap<string, string>;
}

/** The port: an in-memory implementation here, the DynamoDB one in shared/store/audit-baseline.ts. */
export interface PrincipalBaseline {
  /** Records the batch (earliest times win) and returns the state after it for the observed keys. */
  observe(clusterId: string, batch: BaselineBatch): Promise<BaselineState>;
}

export function baselineKey(principal: string, access: string): string {
  return `${principal}\u0000${access}`;
}

/** The earlier of two ISO times (either may carry microseconds). */
export function earlier(a: string, b: string): string {
  return Date.parse(b) < Date.parse(a) ? b : a;
}

/** An ISO time in one fixed form (milliseconds, `Z`), so stored times compare as strings. */
export function baselineTime(time: string): string {
  const ms = Date.parse(time);
  if (Number.isNaN(ms)) throw new Error(`"${time}" is not an ISO time`);
  return new Date(ms).toISOString();
}

/** The earliest time of each key in a batch, and the batch's start: what an implementation has to record. */
export function summarizeBatch(batch: BaselineBatch): Map<string, BaselineObservation> {
  const earliest = new Map<string, BaselineObservation>();
  for (const { principal, access, at } of batch.observations) {
    const observation = { principal, access, at: baselineTime(at) };
    const key = baselineKey(principal, access);
    const seen = earliest.get(key);
    if (!seen || observation.at < seen.at) earliest.set(key, observation);
  }
  return earliest;
}

export class InMemoryPrincipalBaseline implements PrincipalBaseline {
  private readonly clusters = new Map<string, { startedAt: string; firstSeen: Map<string, string> }>();

  observe(clusterId: string, batch: BaselineBatch): Promise<BaselineState> {
    const startedAt = baselineTime(batch.startedAt);
    let cluster = this.clusters.get(clusterId);
    if (!cluster) {
      cluster = { startedAt, firstSeen: new Map() };
      this.clusters.set(clusterId, cluster);
    }
    cluster.startedAt = earlier(cluster.startedAt, startedAt);
    const firstSeen = new Map<string, string>();
    for (const [key, observation] of summarizeBatch(batch)) {
      const seen = cluster.firstSeen.get(key);
      const at = seen === undefined ? observation.at : earlier(seen, observation.at);
      cluster.firstSeen.set(key, at);
      firstSeen.set(key, at);
    }
    return Promise.resolve({ learningStartedAt: cluster.startedAt, firstSeen });
  }
}

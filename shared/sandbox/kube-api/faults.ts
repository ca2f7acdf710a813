// Fault injection for the Kubernetes API emulator: which request misbehaves, and how.

export type FaultEffect =
  /** Delay the response, then answer normally. */
  | { type: 'latency'; ms: number }
  /** Answer with this status and a Kubernetes Status body (429 and 503 may carry Retry-After). */
  | { type: 'status'; status: 401 | 403 | 404 | 410 | 429 | 500 | 502 | 503; retryAfterSeconds?: number }
  /** Destroy the connection without answering. */
  | { type: 'reset' }
  /** Send the headers and half the body, then close the connection. */
  | { type: 'truncate' }
  /** Ignore the continue parameter: the first page again, every time, always with a continue token (a list that
   * never ends). */
  | { type: 'endless' };

export interface Fault {
  /** The kind whose list requests misbehave (`Pod`, `Secret`, ...); every kind when absent. */
  kind?: string;
  /** Start at the Nth matching request (1-based); the first when absent. */
  nth?: number;
  /** How many times it fires: once by default when `nth` is set, on every matching request otherwise. */
  times?: number;
  effect: FaultEffect;
}

/** Tracks how often each fault matched and fired; `next` picks the effects for one request. */
export class FaultPlan {
  readonly #faults: { fault: Fault; seen: number; fired: number }[];

  constructor(faults: readonly Fault[] = []) {
    this.#faults = faults.map((fault) => ({ fault, seen: 0, fired: 0 }));
  }

  /** Effects for this request, in the order the faults were given (latency first is up to the caller). */
  next(kind: string): FaultEffect[] {
    const effects: FaultEffect[] = [];
    for (const state of this.#faults) {
      const { fault } = state;
      if (fault.kind !== undefined && fault.kind !== kind) continue;
      state.seen += 1;
      const times = fault.times ?? (fault.nth === undefined ? Number.POSITIVE_INFINITY : 1);
      if (state.seen >= (fault.nth ?? 1) && state.fired < times) {
        state.fired += 1;
        effects.push(fault.effect);
      }
    }
    return effects;
  }
}

// The cross-cutting ports every adapter and use case takes: Logger, Metrics, Clock. Defined once here, below
// every layer that logs, counts or reads the time; functions/runtime.ts adapts Powertools to them, tests pass
// fakes. Pure layers take times as values and never use a Clock.

export type LogAttributes = Record<string, unknown>;

export interface Logger {
  debug(message: string, attributes?: LogAttributes): void;
  info(message: string, attributes?: LogAttributes): void;
  warn(message: string, attributes?: LogAttributes): void;
  error(message: string, attributes?: LogAttributes): void;
}

/** Counters for EMF metrics (ScansCompleted, ScanErrors, FindingsOpened...). */
export interface Metrics {
  count(name: string, value?: number): void;
}

export interface Clock {
  now(): Date;
}

/** The wall clock, for the entry points that build adapters (nothing below them reads the time otherwise). */
export const systemClock: Clock = { now: () => new Date() };

export const silentLogger: Logger = { debug() {}, info() {}, warn() {}, error() {} };

export const noMetrics: Metrics = { count() {} };

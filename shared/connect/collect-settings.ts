// How a live snapshot is collected, whichever way the cluster was reached: progress, retries, skipped kinds.
import type { LookupFunction } from 'node:net';
import type { KindProgress, RetryEvent } from '../kube/index.ts';

export interface CollectSettings {
  onProgress?: (progress: KindProgress) => void;
  onRetry?: (event: RetryEvent) => void;
  /** Kinds not to list (e.g. `Secret` for the strict mode). */
  skipKinds?: readonly string[];
  pageLimit?: number;
  /** Pages of one kind read at most; a kind still going is recorded incomplete (see collectSnapshot). */
  maxPagesPerKind?: number;
  /** The collection's time budget in milliseconds; what is not read by then is recorded incomplete. */
  deadlineMs?: number;
  /** How long a kubeconfig exec plugin may run before it is killed (default 60 s). */
  execTimeoutMs?: number;
  /** The environment a kubeconfig exec plugin runs in, before its stanza's `env` (the CLI passes its own). */
  execEnvironment?: Readonly<Record<string, string | undefined>>;
  /** For tests and the demo: how the API server's host name resolves (an EKS endpoint name to a local emulator). */
  lookup?: LookupFunction;
}

/** The parts of the settings for the Kubernetes client. */
export function clientSettings(settings: CollectSettings) {
  return {
    ...(settings.onRetry ? { onRetry: settings.onRetry } : {}),
    ...(settings.lookup ? { lookup: settings.lookup } : {}),
  };
}

/** The parts of the settings for collectSnapshot itself. */
export function collectorSettings(settings: CollectSettings) {
  return {
    ...(settings.onProgress ? { onProgress: settings.onProgress } : {}),
    ...(settings.skipKinds ? { skipKinds: settings.skipKinds } : {}),
    ...(settings.pageLimit ? { pageLimit: settings.pageLimit } : {}),
    ...(settings.maxPagesPerKind ? { maxPagesPerKind: settings.maxPagesPerKind } : {}),
    ...(settings.deadlineMs ? { deadlineMs: settings.deadlineMs } : {}),
  };
}

// The Kubernetes side of Periscope: connect with a verified endpoint and a renewing token, list into a Snapshot.
export {
  collectSnapshot,
  DEFAULT_LIST_CONCURRENCY,
  DEFAULT_MAX_PAGES_PER_KIND,
  DEFAULT_PAGE_LIMIT,
  type CollectOptions,
  type KindProgress,
} from './collector.ts';
export {
  createKubeClient,
  defaultRetryPolicy,
  KubeApiError,
  KubeConnectionError,
  type KubeClient,
  type KubeClientOptions,
  type KubeClientStats,
  type KubeClientTuning,
  type KubeConnection,
  type ListOptions,
  type ListPage,
  type ListQuery,
  type RetryEvent,
  type RetryPolicy,
} from './client.ts';
export { kubeConfigForEndpoint, kubeConfigFromContext, type BearerTokenSource, type ClusterEndpoint } from './kubeconfig.ts';
export { collectedKinds, apiVersionOf, listPath, kindSpec, METADATA_ONLY_ACCEPT, type KindSpec } from './kinds.ts';
export { REDACTED_VALUE, configMapsKeptWhole } from './shape.ts';

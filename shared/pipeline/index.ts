// The pipeline's use cases and ports.
export * from './ports.ts';
export * from './cluster-arn.ts';
export * from './cloudtrail.ts';
export * from './events.ts';
export * from './cluster-deleted.ts';
export * from './cluster-events.ts';
export * from './discover.ts';
export * from './scan-cluster.ts';

// The store's public surface: the table definition, reconcile, the FindingStore and the embedded local store.
export * from './table.ts';
export * from './records.ts';
export * from './errors.ts';
export * from './reconcile.ts';
export * from './port.ts';
export * from './finding-store.ts';
export * from './local.ts';

// The engine's public surface.
export * from './paths.ts';
export * from './fix.ts';
export * from './workload.ts';
export * from './rule.ts';
export * from './fingerprint.ts';
export * from './snapshot-index.ts';
export * from './exceptions.ts';
export * from './exceptions-file.ts';
export * from './platform-defaults.ts';
export * from './run.ts';
export * from './frameworks.ts';

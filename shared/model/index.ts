// The model's public surface: the nouns that cross boundaries.
export * from './kube.ts';
export * from './cluster.ts';
export * from './snapshot.ts';
export * from './finding.ts';

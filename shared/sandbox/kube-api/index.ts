// The Kubernetes API emulator: start it with objects, credentials and faults; see server.ts.
export { startKubeApi, type KubeApi, type KubeApiOptions, type RequestRecord } from './server.ts';
export type { Fault, FaultEffect } from './faults.ts';
export { verifyEksToken, type TokenVerdict, type TokenVerifierOptions } from './token-verifier.ts';

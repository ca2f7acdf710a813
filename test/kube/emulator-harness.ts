// One Kubernetes API emulator per test file, and scan clients for it that record their sleeps and token renewals.
import { lookup as dnsLookup, type LookupOptions } from 'node:dns';
import type { LookupFunction } from 'node:net';
import { afterAll, beforeAll, beforeEach } from 'vitest';
import { eksTokenProvider, type AwsCredentials, type CredentialSource } from '../../shared/eks/index.ts';
import { createKubeClient, kubeConfigForEndpoint, type KubeClient, type RetryPolicy } from '../../shared/kube/index.ts';
import type { KubeObject } from '../../shared/model/kube.ts';
import { startKubeApi, type KubeApi } from '../../shared/sandbox/kube-api/index.ts';

export const credentials: AwsCredentials = { accessKeyId: 'AKIDSCANNER', secretAccessKey: 'scanner-secret' };
export const clusterName = 'payments';
export const region = 'eu-west-1';

/** Starts an emulator serving `objects` for the file's tests; faults, denials and objects reset before each test. */
export function useEmulator(objects: readonly KubeObject[]): () => KubeApi {
  let api: KubeApi | undefined;
  beforeAll(async () => {
    api = await startKubeApi({ objects, clusterName, region, credentials: [credentials] });
  });
  afterAll(async () => api?.stop());
  beforeEach(() => {
    api?.setFaults([]);
    api?.setForbiddenKinds([]);
    api?.setObjects(objects);
  });
  return () => {
    if (!api) throw new Error('the emulator is started in beforeAll');
    return api;
  };
}

export interface ScanClient {
  client: KubeClient;
  /** Every backoff the client asked for, in milliseconds (nothing really waits). */
  sleeps: number[];
  renewals: number;
}

export function scanClient(
  api: KubeApi,
  options: {
    tokenCluster?: string;
    tokenClock?: () => Date;
    caData?: string;
    retry?: Partial<RetryPolicy>;
    /** What the tokens are signed with (default: the scanner's fixed keys). */
    credentialSource?: CredentialSource;
    requestTimeoutMs?: number;
  } = {},
): ScanClient {
  const tokens = eksTokenProvider({
    clusterName: options.tokenCluster ?? clusterName,
    region,
    credentials: options.credentialSource ?? credentials,
    ...(options.tokenClock ? { clock: { now: options.tokenClock } } : {}),
  });
  const sleeps: number[] = [];
  const result: ScanClient = { client: undefined as unknown as KubeClient, sleeps, renewals: 0 };
  result.client = createKubeClient({
    kubeConfig: kubeConfigForEndpoint({ name: clusterName, server: api.url, caData: options.caData ?? api.caData }, tokens),
    renewCredentials: () => {
      result.renewals += 1;
      tokens.invalidate();
    },
    sleep: async (ms) => void sleeps.push(ms),
    ...(options.retry ? { retry: options.retry } : {}),
    ...(options.requestTimeoutMs ? { requestTimeoutMs: options.requestTimeoutMs } : {}),
  });
  return result;
}

/** A resolver that sends `hosts` (name → IPv4 address) where they say and asks the system for any other name: how
 * a test reaches the emulator under an EKS endpoint name without touching /etc/hosts or DNS. */
export function lookupOverride(hosts: Record<string, string>): LookupFunction {
  return ((hostname: string, options: LookupOptions, callback: (...args: unknown[]) => void) => {
    const address = hosts[hostname.toLowerCase()];
    if (address === undefined) {
      dnsLookup(hostname, options, callback as never);
      return;
    }
    if (options.all) callback(null, [{ address, family: 4 }]);
    else callback(null, address, 4);
  }) as LookupFunction;
}

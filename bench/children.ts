// Child processes of the benchmark: the services process (emulators, fake EKS, dynalite) and one-shot
// measurement children that report a JSON result over IPC. Each runs on the same Node as the parent.
import { fork, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { eksTokenProvider } from '../shared/eks/index.ts';
import { createKubeClient, type KubeClient } from '../shared/kube/client.ts';
import type { ServedCluster, ServicesConfig, ServicesReady } from './services.ts';

export const benchDir = path.dirname(fileURLToPath(import.meta.url));

/** The principal whose EKS tokens the emulators accept (a made-up key: nothing leaves the machine). */
export const benchCredentials = { accessKeyId: 'AKIDPERISCOPEBENCH', secretAccessKey: 'periscope-bench-secret' };
export const benchRegion = 'us-east-1';

function forkTs(script: string, args: string[] = []): ChildProcess {
  // No inherited execArgv: a child under vitest or --cpu-prof must not inherit the parent's flags.
  return fork(path.join(benchDir, script), args, { execArgv: ['--disable-warning=ExperimentalWarning'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
}

export interface Services {
  ready: ServicesReady;
  stop(): Promise<void>;
}

export async function startServices(config: Omit<ServicesConfig, 'credentials'>): Promise<Services> {
  const child = forkTs('services.ts');
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const ready = await new Promise<ServicesReady>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`the benchmark services process exited (code ${code}) before it was ready`)));
    child.on('message', (message: { type: string; ready?: ServicesReady; error?: string }) => {
      if (message.type === 'ready' && message.ready) resolve(message.ready);
      if (message.type === 'error') reject(new Error(`the benchmark services did not start: ${message.error}`));
    });
    child.send({ type: 'start', config: { ...config, credentials: benchCredentials } });
  });
  return {
    ready,
    async stop() {
      if (child.exitCode === null) child.send({ type: 'stop' });
      const timer = setTimeout(() => child.kill(), 5_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** Runs a measurement script in a fresh process and returns the one result it sends. */
export async function runChild<T>(script: string, args: string[] = []): Promise<T> {
  const child = forkTs(script, args);
  return new Promise<T>((resolve, reject) => {
    let result: T | undefined;
    child.on('message', (message: { type: string; result?: T; error?: string }) => {
      if (message.type === 'result') result = message.result;
      if (message.type === 'error') reject(new Error(`${script} failed: ${message.error}`));
    });
    child.once('exit', (code) => {
      if (result !== undefined) resolve(result);
      else reject(new Error(`${script} ${args.join(' ')} exited with code ${code} without a result`));
    });
  });
}

/** A Kubernetes client for an emulated cluster, connected as the scan Lambda connects: endpoint, CA, EKS token. */
export function benchClient(cluster: ServedCluster): KubeClient {
  const tokens = eksTokenProvider({ clusterName: cluster.name, region: benchRegion, credentials: benchCredentials });
  return createKubeClient({ endpoint: { name: cluster.name, server: cluster.url, caData: cluster.caData }, tokens });
}

/** Peak resident set of this process, from the kernel (VmHWM), in MiB; maxRSS where /proc is absent. */
export async function peakRssMiB(): Promise<number> {
  try {
    const { readFile } = await import('node:fs/promises');
    const status = await readFile('/proc/self/status', 'utf8');
    const kib = /VmHWM:\s+(\d+) kB/.exec(status)?.[1];
    if (kib) return Math.round(Number(kib) / 1024);
  } catch {
    // Not Linux: fall through.
  }
  return Math.round(process.resourceUsage().maxRSS / 1024);
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[middle] as number) : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
}

export function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] as number;
}

export const round = (value: number, digits = 0): number => Math.round(value * 10 ** digits) / 10 ** digits;

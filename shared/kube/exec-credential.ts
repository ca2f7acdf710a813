// Kubeconfig exec plugins (kubelogin, gke-gcloud-auth-plugin, a vendor's CLI...) run by Periscope itself rather than
// by client-node: with a timeout that kills a plugin that hangs, and without ever keeping what the plugin prints on
// stderr (it can hold tokens): a failure says "exec plugin <command> failed (exit N)" and nothing more.
import { spawn } from 'node:child_process';

/** The exec stanza of a kubeconfig user, as client-node loads it. */
export interface ExecPluginStanza {
  command: string;
  args?: readonly string[];
  env?: readonly { name: string; value: string }[];
}

/** What an ExecCredential's status may carry. */
export interface ExecCredential {
  token?: string;
  clientCertificateData?: string;
  clientKeyData?: string;
  /** When the plugin said the credential expires; it is run again after that. */
  expiresAt?: number;
}

/** How long a plugin may take before it is killed (default 60 s: an interactive login prompt gets that long). */
export const DEFAULT_EXEC_TIMEOUT_MS = 60_000;
/** The most of a plugin's standard output read: an ExecCredential is a few kilobytes. */
const MAX_STDOUT = 1024 * 1024;

/** A failed plugin run. The message never quotes the plugin's output. */
export class ExecPluginError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ExecPluginError';
  }
}

export interface ExecOptions {
  timeoutMs?: number;
  /** The environment the plugin runs in, before the stanza's `env` (the CLI's own; default: none but the stanza's). */
  environment?: Readonly<Record<string, string | undefined>>;
}

export function runExecPlugin(exec: ExecPluginStanza, options: ExecOptions = {}): Promise<ExecCredential> {
  const timeoutMs = options.timeoutMs ?? DEFAULT_EXEC_TIMEOUT_MS;
  const what = `exec plugin ${exec.command}`;
  const env: Record<string, string | undefined> = { ...options.environment };
  for (const entry of exec.env ?? []) env[entry.name] = entry.value;
  return new Promise((resolve, reject) => {
    // In a process group of its own, so a timeout kills what the plugin started too (a shell script's `sleep`).
    const child = spawn(exec.command, [...(exec.args ?? [])], { env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    const stdout: Buffer[] = [];
    let size = 0;
    let timedOut = false;
    let startError: NodeJS.ErrnoException | undefined;
    const timer = setTimeout(() => {
      timedOut = true;
      killGroup(child.pid, () => child.kill('SIGKILL'));
      child.stdout.destroy();
      child.stderr.destroy();
      reject(new ExecPluginError(`${what} did not finish within ${Math.round(timeoutMs / 100) / 10} s and was killed`));
    }, timeoutMs);
    child.stdout.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_STDOUT) stdout.push(chunk);
    });
    // Read (so the plugin never blocks on a full pipe) and dropped: never kept, never shown.
    child.stderr.resume();
    child.on('error', (error: NodeJS.ErrnoException) => (startError = error));
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      if (timedOut) return;
      if (startError) return reject(new ExecPluginError(`${what} could not be started (${startError.code ?? 'error'})`));
      if (code !== 0) return reject(new ExecPluginError(`${what} failed (${code === null ? `killed by ${signal ?? 'a signal'}` : `exit ${code}`})`));
      if (size > MAX_STDOUT) return reject(new ExecPluginError(`${what} printed more than ${MAX_STDOUT} bytes; an ExecCredential is expected`));
      const credential = parseExecCredential(Buffer.concat(stdout).toString('utf8'));
      if (!credential) return reject(new ExecPluginError(`${what} printed no ExecCredential with a token or a client certificate`));
      resolve(credential);
    });
  });
}

function killGroup(pid: number | undefined, fallback: () => void): void {
  try {
    if (pid === undefined) throw new Error('no pid');
    process.kill(-pid, 'SIGKILL');
  } catch {
    fallback();
  }
}

function parseExecCredential(text: string): ExecCredential | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return undefined;
  }
  const status = typeof parsed === 'object' && parsed !== null ? (parsed as { status?: unknown }).status : undefined;
  if (typeof status !== 'object' || status === null) return undefined;
  const fields = status as Record<string, unknown>;
  const credential: ExecCredential = {};
  if (typeof fields.token === 'string' && fields.token) credential.token = fields.token;
  if (typeof fields.clientCertificateData === 'string' && typeof fields.clientKeyData === 'string') {
    credential.clientCertificateData = fields.clientCertificateData;
    credential.clientKeyData = fields.clientKeyData;
  }
  if (typeof fields.expirationTimestamp === 'string' && !Number.isNaN(Date.parse(fields.expirationTimestamp))) {
    credential.expiresAt = Date.parse(fields.expirationTimestamp);
  }
  return credential.token || credential.clientCertificateData ? credential : undefined;
}

/** The plugin's credential, run once and again only after it expires or is invalidated (after a 401); runs asked for
 * at once share one. */
export function execCredentialSource(exec: ExecPluginStanza, options: ExecOptions & { now?: () => number } = {}) {
  const now = options.now ?? Date.now;
  let cached: ExecCredential | undefined;
  let pending: Promise<ExecCredential> | undefined;
  return {
    async credential(): Promise<ExecCredential> {
      if (cached && (cached.expiresAt === undefined || now() < cached.expiresAt)) return cached;
      pending ??= runExecPlugin(exec, options)
        .then((credential) => (cached = credential))
        .finally(() => {
          pending = undefined;
        });
      return pending;
    },
    invalidate(): void {
      cached = undefined;
    },
  };
}

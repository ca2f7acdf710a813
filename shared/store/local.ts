// The embedded store for the CLI: dynalite in this process on a loopback port, the same FindingStore on top.
import {
  CreateTableCommand,
  DescribeTableCommand,
  DynamoDBClient,
  ResourceInUseException,
  ResourceNotFoundException,
} from '@aws-sdk/client-dynamodb';
import dynalite from 'dynalite';
import { randomUUID } from 'node:crypto';
import { link, mkdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { documentClientOf, FindingStore, type FindingStoreOptions } from './finding-store.ts';
import { createTableInput, findingsTable } from './table.ts';

export interface LocalStoreOptions extends Omit<FindingStoreOptions, 'client' | 'tableName'> {
  /** Directory of the on-disk database (see `localStoreDir`); in memory when absent. */
  dir?: string;
  tableName?: string;
  /** How long to wait for another process that has the directory open (default 60 s). */
  lockWaitMs?: number;
}

export interface LocalStore {
  store: FindingStore;
  /** `http://127.0.0.1:<port>`, for tools that want to look inside. */
  endpoint: string;
  client: DynamoDBClient;
  close(): Promise<void>;
}

/** Where the CLI keeps its local store inside `$PERISCOPE_HOME` (default `~/.periscope`). */
export function localStoreDir(periscopeHome: string): string {
  return join(periscopeHome, 'store');
}

/** Creates the findings table if it does not exist and waits until it is usable. */
export async function ensureTable(client: DynamoDBClient, tableName: string = findingsTable.defaultName): Promise<void> {
  try {
    const out = await client.send(new DescribeTableCommand({ TableName: tableName }));
    if (out.Table?.TableStatus === 'ACTIVE') return;
  } catch (error) {
    if (!(error instanceof ResourceNotFoundException)) throw error;
    try {
      await client.send(new CreateTableCommand(createTableInput(tableName)));
    } catch (createError) {
      if (!(createError instanceof ResourceInUseException)) throw createError;
    }
  }
  for (let attempt = 0; attempt < 200; attempt += 1) {
    const out = await client.send(new DescribeTableCommand({ TableName: tableName }));
    if (out.Table?.TableStatus === 'ACTIVE') return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`Table ${tableName} did not become ACTIVE within 10 s; check the DynamoDB endpoint.`);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

const errnoOf = (error: unknown): string | undefined => (error as NodeJS.ErrnoException).code;
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Creates the lock file with its content in one step: written aside, then hard-linked into place, which fails
 * with EEXIST when a lock exists. A reader never sees an empty or half-written lock. */
async function createLock(path: string, content: string): Promise<boolean> {
  const aside = `${path}.${randomUUID()}.tmp`;
  await writeFile(aside, content, { flag: 'wx' });
  try {
    await link(aside, path);
    return true;
  } catch (error) {
    if (errnoOf(error) === 'EEXIST') return false;
    throw error;
  } finally {
    await rm(aside, { force: true });
  }
}

/** The process a lock names, or undefined when the file is gone; a lock that names no process is stale (0). */
async function holderOf(path: string): Promise<{ pid: number; content: string } | undefined> {
  try {
    const content = await readFile(path, 'utf8');
    const pid = Number.parseInt(content, 10);
    return { pid: Number.isInteger(pid) && pid > 0 ? pid : 0, content };
  } catch (error) {
    if (errnoOf(error) === 'ENOENT') return undefined;
    throw error;
  }
}

/** Removes a dead process's lock, once: breakers take turns under a guard file and re-read the lock under it, so
 * two of them never remove each other's new lock. A guard left by a breaker that died is stale after 5 s. */
async function breakStaleLock(path: string, staleContent: string): Promise<void> {
  const guard = `${path}.break`;
  if (!(await createLock(guard, String(process.pid)))) {
    const age = await stat(guard).then((s) => Date.now() - s.mtimeMs).catch(() => 0);
    if (age > 5_000) await rm(guard, { force: true });
    else await sleep(10);
    return;
  }
  try {
    if ((await holderOf(path))?.content === staleContent) await rm(path, { force: true });
  } finally {
    await rm(guard, { force: true });
  }
}

/** One process at a time per directory (a second LevelDB open would crash dynalite): a second process waits up
 * to `waitMs` for the holder to finish, takes over the lock of a process that died, and else says who holds it. */
async function lockDirectory(dir: string, waitMs: number): Promise<() => Promise<void>> {
  const path = join(dir, 'periscope.lock');
  const mine = `${process.pid} ${randomUUID()}`;
  const deadline = Date.now() + waitMs;
  for (let delay = 20; ; delay = Math.min(delay * 2, 250)) {
    if (await createLock(path, mine)) {
      return async () => {
        if ((await holderOf(path))?.content === mine) await rm(path, { force: true });
      };
    }
    const holder = await holderOf(path);
    if (!holder) continue;
    if (holder.pid === 0 || !isAlive(holder.pid)) {
      await breakStaleLock(path, holder.content);
      continue;
    }
    if (Date.now() >= deadline) {
      throw new Error(
        `The local store in ${dir} is in use by process ${holder.pid}. Wait for that periscope command to finish ` +
          `(waited ${Math.round(waitMs / 1000)} s; if no periscope is running, delete ${path}).`,
      );
    }
    await sleep(delay);
  }
}

/** Starts dynalite on an ephemeral loopback port, creates the table if missing, and returns a store on it. */
export async function openLocalStore(options: LocalStoreOptions = {}): Promise<LocalStore> {
  const { dir, tableName = findingsTable.defaultName, lockWaitMs = 60_000, ...storeOptions } = options;
  let unlock = async (): Promise<void> => undefined;
  if (dir) {
    await mkdir(dir, { recursive: true });
    unlock = await lockDirectory(dir, lockWaitMs);
  }
  const server = dir ? dynalite({ path: dir, createTableMs: 0 }) : dynalite({ createTableMs: 0 });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error) => {
      void unlock();
      reject(error);
    });
    server.listen(0, '127.0.0.1', () => {
      server.removeAllListeners('error');
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  // Plain HTTP on the loopback interface to our own in-process server: nothing leaves the machine.
  const endpoint = `http://127.0.0.1:${port}`;
  const client = new DynamoDBClient({
    endpoint,
    region: 'local',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    maxAttempts: 3,
  });
  const close = async (): Promise<void> => {
    client.destroy();
    try {
      await new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
    } finally {
      await unlock();
    }
  };
  try {
    await ensureTable(client, tableName);
  } catch (error) {
    await close().catch(() => undefined);
    const where = dir ? `the local store in ${dir}` : 'the in-memory local store';
    throw new Error(
      `Could not open ${where}: ${error instanceof Error ? error.message : String(error)}. ` +
        'If another periscope command is running, wait for it to finish; otherwise move the directory aside.',
      { cause: error },
    );
  }
  const store = new FindingStore({ ...storeOptions, client: documentClientOf(client), tableName });
  return { store, endpoint, client, close };
}

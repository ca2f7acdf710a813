// Several periscope processes on one local store at once: each waits its turn for the directory lock, a lock left by
// a process that died is taken over, and every scan is recorded (none crashes dynalite with a second LevelDB open).
import { spawn } from 'node:child_process';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openLocalStore } from '../../shared/store/local.ts';

const child = join(import.meta.dirname, 'local-child.ts');

function run(dir: string, name: string): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    const proc = spawn(process.execPath, [child, dir, name], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    proc.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    proc.on('error', reject);
    proc.on('close', (code) => resolve({ code, stderr }));
  });
}

/** The pid of a process that has exited. */
async function deadPid(): Promise<number> {
  const proc = spawn(process.execPath, ['-e', '0'], { stdio: 'ignore' });
  await new Promise((resolve) => proc.on('close', resolve));
  return proc.pid!;
}

describe('the local store under concurrent processes', () => {
  const dirs: string[] = [];
  afterEach(async () => {
    await Promise.all(dirs.splice(0).map((d) => rm(d, { recursive: true, force: true })));
  });

  it('lets six processes record into one store: all succeed in turn and every scan is there', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'periscope-store-'));
    dirs.push(dir);
    const names = ['a', 'b', 'c', 'd', 'e', 'f'];
    const results = await Promise.all(names.map((name) => run(dir, name)));
    expect(results.map((r) => [r.code, r.stderr.trim()])).toEqual(names.map(() => [0, '']));

    const local = await openLocalStore({ dir, lockWaitMs: 0 });
    try {
      const clusters = await local.store.clusters();
      expect(clusters.map((c) => c.clusterId).sort()).toEqual(['kubeconfig:shared', ...names.map((n) => `kubeconfig:${n}`)].sort());
      expect(clusters.every((c) => c.lastScanResult === 'succeeded')).toBe(true);
      // The shared cluster's last scan saw only the last child's workload; the five before it were resolved.
      const shared = await local.store.findings('kubeconfig:shared', { status: 'all' });
      expect(shared.filter((f) => f.status === 'OPEN')).toHaveLength(1);
      expect(shared.filter((f) => f.status === 'RESOLVED')).toHaveLength(names.length - 1);
    } finally {
      await local.close();
    }
    expect((await readdir(dir)).filter((f) => f.startsWith('periscope.lock'))).toEqual([]);
  }, 120_000);

  it('takes over a lock left by a process that died, or one that names no process', async () => {
    for (const content of [String(await deadPid()), '']) {
      const dir = await mkdtemp(join(tmpdir(), 'periscope-store-'));
      dirs.push(dir);
      await writeFile(join(dir, 'periscope.lock'), content);
      const results = await Promise.all(['a', 'b'].map((name) => run(dir, name)));
      expect(results.map((r) => [r.code, r.stderr.trim()])).toEqual([[0, ''], [0, '']]);
    }
  }, 120_000);
});

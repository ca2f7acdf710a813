// `periscope scan --cluster-name`: two clusters from the same manifests in one local store, kept apart.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FleetClusterRow, FleetFindingsResult } from '../../shared/model/fleet.ts';
import { runCli } from './run-cli.ts';

let home: string;
let manifest: string;
beforeAll(async () => {
  home = await mkdtemp(join(tmpdir(), 'periscope-names-'));
  manifest = join(home, 'app.yaml');
  await writeFile(
    manifest,
    'apiVersion: v1\nkind: Pod\nmetadata: {name: web, namespace: shop}\nspec:\n  containers:\n  - name: app\n    image: nginx:1.27\n    securityContext: {privileged: true}\n',
  );
});
afterAll(async () => rm(home, { recursive: true, force: true }));

const run = (args: readonly string[]) => runCli(args, { env: { PERISCOPE_HOME: home } });

describe('periscope scan --cluster-name', () => {
  it('stores two clusters scanned from the same manifests apart, and the fleet lists both', async () => {
    for (const name of ['dev', 'prod']) {
      const scan = await run(['scan', '-f', manifest, '--store', 'local', '--cluster-name', name, '--format', 'json']);
      expect(scan.code, scan.stderr).toBe(0);
      expect(JSON.parse(scan.stdout).cluster).toMatchObject({ id: `manifests:${name}`, name });
    }
    const fleet = JSON.parse((await run(['fleet', '--store', 'local', '--format', 'json', '--sort', 'name'])).stdout) as { clusters: FleetClusterRow[] };
    expect(fleet.clusters.map((c) => [c.clusterId, c.name, c.lastScanResult])).toEqual([
      ['manifests:dev', 'dev', 'succeeded'],
      ['manifests:prod', 'prod', 'succeeded'],
    ]);
    expect(fleet.clusters[0]!.open.critical).toBeGreaterThan(0);
    expect(fleet.clusters[0]!.open).toEqual(fleet.clusters[1]!.open);
    const dev = JSON.parse((await run(['findings', '--store', 'local', '--cluster', 'dev', '--format', 'json'])).stdout) as FleetFindingsResult;
    expect(dev.findings.length).toBeGreaterThan(0);
    expect(new Set(dev.findings.map((f) => f.clusterId))).toEqual(new Set(['manifests:dev']));
  }, 90_000);

  it('without it the cluster is named by the path as before; with --eks it is refused; a blank name is refused', async () => {
    const plain = await run(['scan', '-f', manifest, '--format', 'json']);
    expect(JSON.parse(plain.stdout).cluster.id).toBe(`manifests:${manifest}`);
    const eks = await run(['scan', '--eks', 'prod', '--region', 'eu-west-1', '--cluster-name', 'x']);
    expect(eks.code).toBe(2);
    expect(eks.stderr).toMatch(/option '--cluster-name <name>' cannot be used with option '--eks <name>'/);
    const blank = await run(['scan', '-f', manifest, '--cluster-name', ' ']);
    expect(blank.stderr).toBe('periscope: --cluster-name takes a name of 1 to 100 characters without control characters.\n');
  }, 60_000);
});

// `periscope scan --format html --store local`: the report shows the trend across the cluster's stored scans.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli, tempFiles } from '../run-cli.ts';

/** A pod that shares the node's process namespace, or not. */
const pod = (hostPID: boolean): string =>
  `{apiVersion: v1, kind: Pod, metadata: {name: debug, namespace: ops}, spec: {hostPID: ${hostPID}, containers: [{name: shell, image: registry.example.com/shell:1.0}]}}\n`;

const files = tempFiles({ 'app.yaml': pod(true) });
afterAll(files.cleanup);
process.env.PERISCOPE_HOME = join(files.dir, 'home');

/** The rows of the trend table: scan time, then open counts critical..info. */
function trendRows(html: string): string[][] {
  const section = /<section id="trend">([\s\S]*?)<\/section>/.exec(html)?.[1];
  if (!section) return [];
  const body = /<tbody>([\s\S]*?)<\/tbody>/.exec(section)?.[1] ?? '';
  return [...body.matchAll(/<tr>([\s\S]*?)<\/tr>/g)].map((row) => [...row[1]!.matchAll(/<td>([^<]*)<\/td>/g)].map((cell) => cell[1]!));
}

describe('periscope scan --format html --store local', () => {
  it('shows no trend after the first scan, and both scans after the second', async () => {
    const app = join(files.dir, 'app.yaml');
    const first = await runCli(['scan', '-f', app, '--store', 'local', '--format', 'html', '-o', join(files.dir, 'r1.html')]);
    expect(first.code).toBe(0);
    expect(readFileSync(join(files.dir, 'r1.html'), 'utf8')).not.toContain('<section id="trend">');

    writeFileSync(app, pod(false));
    const second = await runCli(['scan', '-f', app, '--store', 'local', '--format', 'html', '-o', join(files.dir, 'r2.html')]);
    expect(second.code).toBe(0);
    const rows = trendRows(readFileSync(join(files.dir, 'r2.html'), 'utf8'));
    expect(rows).toHaveLength(2);
    const [before, after] = rows as [string[], string[]];
    expect(before[0]! < after[0]!).toBe(true);
    // hostPID was switched off: fewer open findings.
    const total = (row: string[]) => row.slice(1).reduce((n, cell) => n + Number(cell), 0);
    expect(total(after)).toBeLessThan(total(before));
  }, 60_000);

  it('shows no trend without a store', async () => {
    const out = await runCli(['scan', '-f', join(files.dir, 'app.yaml'), '--format', 'html']);
    expect(out.code).toBe(0);
    expect(out.stdout).toContain('<html');
    expect(out.stdout).not.toContain('<section id="trend">');
  }, 30_000);
});

// `periscope fleet --format html`: the fleet report over a recorded 12-cluster fleet in dynalite, the same page from
// the local store, the hostile cluster name escaped.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../run-cli.ts';
import { hostileCluster, setUpFleet, type FleetSetup } from './fleet-setup.ts';

let setup: FleetSetup;
beforeAll(async () => {
  setup = await setUpFleet(12);
}, 120_000);
afterAll(async () => setup?.close());

const run = (args: readonly string[]) => runCli(args, { env: setup.env });
/** The page without the read time (it is the run's). */
const stable = (html: string) => html.replace(/read [0-9T:.Z-]+ · trend since [0-9T:.Z-]+/, 'read · trend since');

describe('periscope fleet --format html', () => {
  it('writes the fleet report: every live cluster in the heat map and the risk table, the hostile name escaped', async () => {
    const result = await run(['fleet', '--table', setup.tableName, '--region', 'eu-west-1', '--format', 'html']);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const html = result.stdout;
    expect(html.startsWith('<!doctype html>')).toBe(true);
    const live = setup.expected.filter((e) => !e.deleted).length + 1;
    expect(html.match(/<th scope="row">/g)).toHaveLength(live);
    expect(html).toContain(`<code>=HYPERLINK(&quot;http://x&quot;),y</code>`);
    expect(html).not.toContain(hostileCluster.name);
    expect(html).toContain('<section id="top-rules">');
    expect(html).toContain('<tr class="reason-never-scanned">');

    const local = await run(['fleet', '--store', 'local', '--format', 'html']);
    expect(stable(local.stdout)).toBe(stable(html));
  }, 120_000);
});

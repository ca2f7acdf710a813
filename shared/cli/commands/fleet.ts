// `periscope fleet`: the inventory of every cluster the store knows (deployed table or local store), sortable,
// with each cluster's version support, last scan, coverage problems, open findings, attack paths and trend.
import { Option, type Command } from 'commander';
import { compareByRisk, compareText, defaultStaleAfterHours, fleetViewOf, type FleetClusterRow } from '../../model/fleet.ts';
import { renderFleetHtml } from '../../report/fleet-html.ts';
import { renderFleetCsv, renderFleetJson, renderFleetTable } from '../../report/fleet-text.ts';
import { rules } from '../../rules/index.ts';
import { CliError } from '../errors.ts';
import { addStoreOptions, openFleetStore, readFleet, type FleetStoreOptions } from '../fleet-store.ts';
import { warn, writeReport } from '../output.ts';

export const fleetFormats = ['table', 'json', 'csv', 'html'] as const;
export const fleetSorts = ['risk', 'name', 'last-scan', 'critical', 'high', 'medium', 'low', 'open', 'attack-paths', 'suppressed', 'version', 'support', 'opened', 'resolved'] as const;
export type FleetSort = (typeof fleetSorts)[number];

interface FleetOptions extends FleetStoreOptions {
  sort: FleetSort;
  since: string;
  format: (typeof fleetFormats)[number];
  output?: string;
  includeDeleted?: boolean;
  staleAfter: string;
}

/** The rules whose findings are attack paths (domain `path`). */
export function attackPathRules(): string[] {
  return rules.filter((rule) => rule.meta.domain === 'path').map((rule) => rule.id);
}

/** `--since 7` (days) → the ISO time that many days before `now`. */
export function sinceOf(days: string, now: Date): string {
  const n = Number(days);
  if (!/^\d+(\.\d+)?$/.test(days.trim()) || !Number.isFinite(n)) throw new CliError(`--since takes a number of days (e.g. 7), not "${days}".`);
  return new Date(now.getTime() - n * 86_400_000).toISOString();
}

const minorOf = (version: string | undefined): number => {
  const match = /^v?(\d+)\.(\d+)/.exec(version ?? '');
  return match ? Number(match[1]) * 1000 + Number(match[2]) : -1;
};

/** Worst (or most, or oldest) first for every key but `name`; ties by risk, then name. */
export function sortFleet(rows: readonly FleetClusterRow[], sort: FleetSort): FleetClusterRow[] {
  const key: Record<FleetSort, (r: FleetClusterRow) => number | string> = {
    risk: (r) => -r.risk,
    name: (r) => r.name,
    // Never scanned first, then the oldest scan.
    'last-scan': (r) => r.lastScanAt ?? '',
    critical: (r) => -r.open.critical,
    high: (r) => -r.open.high,
    medium: (r) => -r.open.medium,
    low: (r) => -r.open.low,
    open: (r) => -r.openTotal,
    'attack-paths': (r) => -r.attackPaths,
    suppressed: (r) => -r.suppressed,
    version: (r) => minorOf(r.version),
    // Out of support first, then fewest days left.
    support: (r) => (r.support.phase === 'unsupported' ? -1e9 : r.support.phase === 'unknown' ? 1e9 : (r.support.phase === 'extended' ? 0 : 1e6) + (r.support.daysLeft ?? 0)),
    opened: (r) => -r.trend.opened,
    resolved: (r) => -r.trend.resolved,
  };
  const of = key[sort];
  return [...rows].sort((a, b) => {
    const x = of(a);
    const y = of(b);
    const primary = typeof x === 'number' && typeof y === 'number' ? x - y : compareText(String(x), String(y));
    return primary || compareByRisk(a, b);
  });
}

export function register(program: Command): void {
  const command = program.command('fleet').description('the fleet inventory: every cluster in the store, its scans, open findings and trend');
  addStoreOptions(command)
    .addOption(new Option('--sort <key>', 'sort the clusters').choices(fleetSorts).default('risk'))
    .option('--since <days>', 'trend window: findings opened and resolved in the last N days', '7')
    .option('--stale-after <hours>', 'a cluster whose last scan is older is stale', String(defaultStaleAfterHours))
    .option('--include-deleted', 'also list clusters discovery saw deleted')
    .addOption(new Option('--format <format>', 'output format').choices(fleetFormats).default('table'))
    .option('-o, --output <file>', 'write to this file instead of standard output')
    .addHelpText(
      'after',
      `
Examples:
  periscope fleet --stack Periscope --region eu-west-1
  periscope fleet --table periscope-findings --region eu-west-1 --sort critical --since 30 --format csv -o fleet.csv
  periscope fleet --store local`,
    )
    .action(async (options: FleetOptions) => {
      await fleet(options);
    });
}

export async function fleet(options: FleetOptions, now: Date = new Date()): Promise<void> {
  const since = sinceOf(options.since, now);
  const staleAfterHours = Number(options.staleAfter);
  if (!Number.isFinite(staleAfterHours) || staleAfterHours <= 0) throw new CliError(`--stale-after takes a number of hours, not "${options.staleAfter}".`);
  const store = await openFleetStore(options);
  try {
    const inventory = await readFleet(store, (reads) =>
      reads.fleetInventory({ since, now: now.toISOString(), attackPathRules: attackPathRules(), staleAfterHours }),
    );
    for (const error of inventory.errors) warn(error);
    const rows = sortFleet(options.includeDeleted ? inventory.clusters : inventory.clusters.filter((c) => !c.deleted), options.sort);
    // The HTML report also draws the open findings by category and rule (the open tally), clusters by risk.
    const tally = options.format === 'html' ? await readFleet(store, (reads) => reads.fleetOpenTally()) : undefined;
    for (const error of tally?.errors ?? []) warn(error);
    const text = tally
      ? renderFleetHtml(fleetViewOf(inventory, tally, { staleAfterHours }))
      : options.format === 'json' ? renderFleetJson(inventory, rows) : options.format === 'csv' ? renderFleetCsv(rows) : renderFleetTable(inventory, rows);
    await writeReport(text, options.output);
  } finally {
    await store.close();
  }
}

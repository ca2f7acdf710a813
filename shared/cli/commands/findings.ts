// `periscope findings`: open, resolved or suppressed findings across the fleet (deployed table or local store),
// filtered by cluster, rule, severity, namespace, framework control and time of last change.
import { Option, type Command } from 'commander';
import { findingQueryStatuses, type FindingQueryStatus, type FleetFindingsQuery } from '../../model/fleet.ts';
import { severities, type Severity } from '../../model/finding.ts';
import { renderFindingsHtml } from '../../report/fleet-findings-html.ts';
import { renderFindingsCsv, renderFindingsJson, renderFindingsTable } from '../../report/fleet-text.ts';
import { CliError } from '../errors.ts';
import { addStoreOptions, openFleetStore, readFleet, type FleetStoreOptions } from '../fleet-store.ts';
import { warn, writeReport } from '../output.ts';
import { fleetFormats, sinceOf } from './fleet.ts';

interface FindingsOptions extends FleetStoreOptions {
  cluster?: string[];
  rule?: string[];
  severity?: string[];
  namespace?: string[];
  framework?: string[];
  since?: string;
  status: FindingQueryStatus;
  format: (typeof fleetFormats)[number];
  output?: string;
}

/** Repeatable and comma-separated: `--rule a --rule b,c`. */
const list = (value: string, previous: string[] = []): string[] => [...previous, ...value.split(',').map((v) => v.trim()).filter(Boolean)];

export function register(program: Command): void {
  const command = program.command('findings').description('query findings across the fleet (open by default)');
  addStoreOptions(command)
    .option('--cluster <id|name>', 'only these clusters (ARN / id or name; repeatable, comma-separated)', list)
    .option('--rule <id>', 'only these rules', list)
    .option('--severity <severity>', `only these severities (${severities.join(', ')})`, list)
    .option('--namespace <name>', 'only findings in these namespaces', list)
    .option('--framework <control>', 'only findings mapped to these controls: K03, or framework:control (cis-eks-1.8:4.1.1)', list)
    .option('--since <days>', 'only findings whose last change (opened, changed, suppressed, resolved) is in the last N days')
    .addOption(new Option('--status <status>', 'which findings').choices(findingQueryStatuses).default('open'))
    .addOption(new Option('--format <format>', 'output format').choices(fleetFormats).default('table'))
    .option('-o, --output <file>', 'write to this file instead of standard output')
    .addHelpText(
      'after',
      `
Examples:
  periscope findings --stack Periscope --region eu-west-1 --severity critical
  periscope findings --table periscope-findings --region eu-west-1 --framework K03 --cluster prod --format csv
  periscope findings --store local --status resolved --since 7`,
    )
    .action(async (options: FindingsOptions) => {
      await findings(options);
    });
}

export function queryOf(options: FindingsOptions, now: Date): FleetFindingsQuery {
  const unknown = (options.severity ?? []).filter((s) => !(severities as readonly string[]).includes(s));
  if (unknown.length > 0) throw new CliError(`--severity ${unknown.join(', ')}: not a severity (${severities.join(', ')}).`);
  const query: FleetFindingsQuery = { status: options.status };
  if (options.cluster) query.clusters = options.cluster;
  if (options.rule) query.rules = options.rule;
  if (options.severity) query.severities = options.severity as Severity[];
  if (options.namespace) query.namespaces = options.namespace;
  if (options.framework) query.frameworks = options.framework;
  if (options.since !== undefined) query.since = sinceOf(options.since, now);
  return query;
}

export async function findings(options: FindingsOptions, now: Date = new Date()): Promise<void> {
  const query = queryOf(options, now);
  const store = await openFleetStore(options);
  try {
    const result = await readFleet(store, (reads) => reads.fleetFindings(query));
    for (const error of result.errors) warn(error);
    const text =
      options.format === 'json'
        ? renderFindingsJson(result)
        : options.format === 'csv'
          ? renderFindingsCsv(result)
          : options.format === 'html'
            ? renderFindingsHtml(result, now)
            : renderFindingsTable(result);
    await writeReport(text, options.output);
  } finally {
    await store.close();
  }
}

// `periscope scan`: read a snapshot from a source, run the rules, write a report, exit by what was found.
import { Option, type Command } from 'commander';
import { evaluatorOf, type Evaluation } from '../../engine/evaluator.ts';
import { ExceptionsFileError } from '../../engine/exceptions-file.ts';
import { atLeast, severities, type Finding } from '../../model/finding.ts';
import type { Snapshot } from '../../model/snapshot.ts';
import { renderHtml, type TrendPoint } from '../../report/html.ts';
import { renderJson } from '../../report/json.ts';
import { renderSarif } from '../../report/sarif.ts';
import { summarize, type Lifecycle, type ScanReport } from '../../report/scan-report.ts';
import { renderTable } from '../../report/table.ts';
import { rules } from '../../rules/index.ts';
import { clusterNameOption, withClusterName } from '../cluster-name.ts';
import { CliError, exitCodes } from '../errors.ts';
import { useColor, warn, writeReport } from '../output.ts';
import type { ExceptionsSettings, ReportFormat, ScanExtension, ScanOptions } from '../scan-extension.ts';
import { scanExtensions } from '../scan-extensions.ts';
import { periscopeVersion } from '../version.ts';

const reportFormats: readonly ReportFormat[] = ['table', 'json', 'sarif', 'html'];

export function register(program: Command): void {
  const command = program.command('scan').description('scan manifests (or a cluster) and report the findings');
  for (const extension of scanExtensions) extension.options(command);
  command
    .addOption(new Option('--format <format>', 'report format').choices(reportFormats).default('table'))
    .option('-o, --output <file>', 'write the report to this file instead of standard output')
    .addOption(clusterNameOption())
    .addOption(
      new Option('--fail-on <severity>', 'exit 1 when an open finding is at or above this severity').choices(severities),
    )
    .addHelpText(
      'after',
      `
Exit codes: 0 scanned, 1 open findings at or above --fail-on, 2 an input could not be read or parsed
(the rest is still scanned and reported; the errors go to standard error).

Examples:
  periscope scan -f deploy/
  helm template my-chart | periscope scan -f - --fail-on high
  periscope scan -f k8s/ -f extra.yaml --format sarif --output periscope.sarif`,
    )
    .action(async (options: ScanOptions) => {
      process.exitCode = await scan(options);
    });
}

function render(format: ReportFormat, report: ScanReport, color: boolean, snapshot: Snapshot, history: readonly TrendPoint[]): string {
  if (format === 'json') return renderJson(report);
  if (format === 'html') return renderHtml(report, { snapshot, history });
  if (format === 'sarif') return renderSarif(report, periscopeVersion(), { snapshot });
  return renderTable(report, { color });
}

function countsText(findings: readonly Finding[]): string {
  const { bySeverity, suppressed } = summarize(findings);
  const open = severities.filter((severity) => bySeverity[severity] > 0).map((severity) => `${bySeverity[severity]} ${severity}`);
  return `${open.length > 0 ? open.join(', ') : 'no open findings'}${suppressed ? `, ${suppressed} suppressed` : ''}`;
}

/** The rules run on the snapshot; a malformed exceptions file is the user's to fix. */
function evaluate(snapshot: Snapshot, options: Parameters<typeof evaluatorOf>[0]): Evaluation {
  try {
    return evaluatorOf(options)(snapshot, new Date());
  } catch (error) {
    if (error instanceof ExceptionsFileError) throw new CliError(error.message);
    throw error;
  }
}

/** Runs one scan and returns the exit code. */
export async function scan(options: ScanOptions, extensions: readonly ScanExtension[] = scanExtensions): Promise<number> {
  const sources = extensions.filter((extension) => extension.load && extension.selects?.(options));
  const usages = extensions.flatMap((extension) => (extension.usage ? [extension.usage] : []));
  if (sources.length === 0) {
    throw new CliError(`nothing to scan: give ${usages.join(' or ')} (see periscope scan --help)`);
  }
  if (sources.length > 1) throw new CliError(`give one thing to scan, not several of: ${usages.join(', ')}`);
  // Settings first: a mistake in them fails before a cluster is read.
  const ruleSettings = merged(await Promise.all(extensions.map((extension) => extension.ruleSettings?.(options) ?? Promise.resolve({}))));
  const input = withClusterName(await sources[0]!.load!(options), options.clusterName);

  const exceptions: ExceptionsSettings = merged(await Promise.all(extensions.map((extension) => extension.exceptions?.(options) ?? Promise.resolve({}))));
  const result = evaluate(input.snapshot, {
    rules,
    ruleSettings,
    ...(exceptions.file ? { exceptionsFile: exceptions.file } : {}),
    // The platform defaults come with the exceptions extension, on unless `--no-platform-defaults`.
    platformDefaults: exceptions.platformDefaults === true,
  });
  let findings = result.findings;
  let lifecycle: Lifecycle | undefined;
  let history: TrendPoint[] = [];
  for (const extension of extensions) {
    const after = await extension.afterEvaluate?.(input, result, options);
    if (after?.findings) findings = after.findings;
    if (after?.lifecycle) lifecycle = after.lifecycle;
    if (after?.history) history = after.history;
  }

  const report: ScanReport = {
    cluster: input.snapshot.cluster,
    scannedAt: input.snapshot.takenAt,
    coverage: input.snapshot.coverage,
    findings,
    rules,
    skipped: result.skipped,
    ...(lifecycle ? { lifecycle } : {}),
    ...(input.uncheckedKinds ? { uncheckedKinds: input.uncheckedKinds } : {}),
    inputErrors: input.errors,
  };
  for (const error of input.errors) warn(error);
  const toFile = options.output !== undefined && options.output !== '-';
  await writeReport(render(options.format, report, !toFile && useColor(), input.snapshot, history), options.output);
  if (toFile) warn(`wrote the ${options.format} report to ${options.output}: ${countsText(findings)}`);

  if (input.errors.length > 0) {
    warn(`${input.errors.length} input error${input.errors.length === 1 ? '' : 's'}; everything else was scanned`);
    return exitCodes.error;
  }
  const threshold = options.failOn;
  if (threshold && findings.some((finding) => finding.status === 'OPEN' && atLeast(finding.severity, threshold))) {
    return exitCodes.findings;
  }
  return exitCodes.ok;
}

/** The extensions' settings of one kind, later ones winning. */
function merged<T extends object>(parts: readonly T[]): T {
  return parts.reduce<T>((all, part) => ({ ...all, ...part }), {} as T);
}

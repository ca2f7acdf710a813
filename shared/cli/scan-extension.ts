// What `periscope scan` can be extended with: snapshot sources (manifests, a kubeconfig context, an EKS cluster),
// exception files, a findings store. The registered extensions are listed in scan-extensions.ts.
import type { Command } from 'commander';
import type { Evaluation, ExceptionsFileText } from '../engine/evaluator.ts';
import type { RuleSettings } from '../engine/run.ts';
import type { Finding, Severity } from '../model/finding.ts';
import type { Snapshot } from '../model/snapshot.ts';
import type { TrendPoint } from '../report/html.ts';
import type { InputError, Lifecycle } from '../report/scan-report.ts';

export type ReportFormat = 'table' | 'json' | 'sarif' | 'html';

/** The options of `periscope scan` as commander parses them; extensions add their own keys. */
export interface ScanOptions {
  file?: string[];
  format: ReportFormat;
  output?: string;
  failOn?: Severity;
  [option: string]: unknown;
}

export interface ScanInput {
  snapshot: Snapshot;
  /** Inputs that could not be read or parsed, formatted `file:line: message`; any of them makes the exit code 2. */
  errors: string[];
  /** The same errors with their place (file, line), for the reports (SARIF notifications carry the location). */
  inputErrors?: InputError[];
  /** Kinds read but checked by no rule, with their object counts. */
  uncheckedKinds?: Record<string, number>;
}

export interface AfterEvaluate {
  /** The findings with their stored lifecycle (a store's reconcile), replacing the engine's. */
  findings?: Finding[];
  lifecycle?: Lifecycle;
  /** Earlier scans of the cluster, for the HTML report's trend (a store's scan history). */
  history?: TrendPoint[];
}

export interface ExceptionsSettings {
  file?: ExceptionsFileText;
  /** Whether the built-in EKS platform exceptions apply (the exceptions extension: unless `--no-platform-defaults`). */
  platformDefaults?: boolean;
}

export interface ScanExtension {
  /** Adds this extension's options to the `scan` command. */
  options(command: Command): void;
  /** For a snapshot source: whether these options select it (`-f` for manifests). */
  selects?(options: ScanOptions): boolean;
  /** For a snapshot source: read the snapshot. Problems with the input go in `errors`; failures throw CliError. */
  load?(options: ScanOptions): Promise<ScanInput>;
  /** What turns findings into SUPPRESSED ones: an exceptions file, the EKS platform defaults. */
  exceptions?(options: ScanOptions): Promise<ExceptionsSettings>;
  /** Per-rule settings (options, disabled, severity) for the run, a --config file's say; later extensions win. */
  ruleSettings?(options: ScanOptions): Promise<RuleSettings>;
  /** After the rules ran: reconcile with a store, say. */
  afterEvaluate?(input: ScanInput, result: Evaluation, options: ScanOptions): Promise<AfterEvaluate | undefined>;
  /** How to select this source, for the "nothing to scan" message (`-f <file|dir|->`). */
  usage?: string;
}

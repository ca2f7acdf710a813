// One way to evaluate a snapshot, for the scan Lambda, the CLI and the bench: the rules with their settings,
// an exceptions file and the EKS platform defaults. The rule list is a parameter: engine sits below rules.
import { FileExceptions, parseExceptionsFile, type ExceptionEntry } from './exceptions-file.ts';
import type { ExceptionMatcher } from './exceptions.ts';
import { platformDefaultExceptions } from './platform-defaults.ts';
import type { AnyRule } from './rule.ts';
import { runRules, validateRuleSettings, type RuleSettings, type RunResult } from './run.ts';
import type { Snapshot } from '../model/snapshot.ts';

/** An exceptions file as text: parsed at the first scan (its errors name `file:line`), matched with each scan's time. */
export interface ExceptionsFileText {
  text: string;
  file: string;
}

export interface EvaluatorOptions {
  rules: readonly AnyRule[];
  /** Validated when the evaluator is made, before any cluster is read: a mistake throws RuleSettingsError. */
  ruleSettings?: RuleSettings;
  exceptionsFile?: ExceptionsFileText;
  /** The built-in EKS platform exceptions (default on). */
  platformDefaults?: boolean;
}

export interface Evaluation extends RunResult {
  /** The exceptions file's matcher after the run: which entries were unused or expired. */
  fileExceptions?: FileExceptions;
}

/** Evaluates one scan's snapshot; `now` is the scan's time, so an exception that has expired no longer applies. */
export type Evaluator = (snapshot: Snapshot, now: Date) => Evaluation;

export function evaluatorOf(options: EvaluatorOptions): Evaluator {
  const ruleSettings = options.ruleSettings ?? {};
  validateRuleSettings(options.rules, ruleSettings);
  // Parsed once, at the first scan: a Lambda or a `fix` run evaluates many snapshots with the same file.
  let entries: readonly ExceptionEntry[] | undefined;
  return (snapshot, now) => {
    // The file's reviewed, owned entries first: the first match wins, and an entry is then reported as used.
    const exceptions: ExceptionMatcher[] = [];
    const file = options.exceptionsFile;
    if (file) entries ??= parseExceptionsFile(file.text, file.file);
    const fileExceptions = entries ? new FileExceptions(entries, { now }) : undefined;
    if (fileExceptions) exceptions.push(fileExceptions);
    if (options.platformDefaults !== false) exceptions.push(platformDefaultExceptions());
    const result = runRules(snapshot, options.rules, { exceptions, ruleSettings });
    return fileExceptions ? { ...result, fileExceptions } : result;
  };
}

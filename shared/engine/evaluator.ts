// One way to evaluate a snapshot, for the scan Lambda, the CLI and the bench: the rules with their settings,
// an exceptions file and the EKS platform defaults. The rule list is a parameter: engine sits below rules.
import { exceptionsFromYaml, type FileExceptions } from './exceptions-file.ts';
import type { ExceptionMatcher } from './exceptions.ts';
import { platformDefaultExceptions } from './platform-defaults.ts';
import type { AnyRule } from './rule.ts';
import { runRules, validateRuleSettings, type RuleSettings, type RunResult } from './run.ts';
import type { Snapshot } from '../model/snapshot.ts';

/** An exceptions file as text: it is parsed per scan, so its errors name `file:line`. */
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
  return (snapshot, now) => {
    // The file's reviewed, owned entries first: the first match wins, and an entry is then reported as used.
    const exceptions: ExceptionMatcher[] = [];
    const fileExceptions = options.exceptionsFile
      ? exceptionsFromYaml(options.exceptionsFile.text, { file: options.exceptionsFile.file, now })
      : undefined;
    if (fileExceptions) exceptions.push(fileExceptions);
    if (options.platformDefaults !== false) exceptions.push(platformDefaultExceptions());
    const result = runRules(snapshot, options.rules, { exceptions, ruleSettings });
    return fileExceptions ? { ...result, fileExceptions } : result;
  };
}

// The scan function's extra dependencies: the snapshot source (EKS + Kubernetes), the rules with their
// exceptions, and the opt-in auto-enrolment. Built once per cold start on top of runtime('scan').
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { exceptionsFromYaml } from '../shared/engine/exceptions-file.ts';
import type { ExceptionMatcher } from '../shared/engine/exceptions.ts';
import { platformDefaultExceptions } from '../shared/engine/platform-defaults.ts';
import { RuleSettingsError, runRules, validateRuleSettings } from '../shared/engine/run.ts';
import type { Snapshot } from '../shared/model/snapshot.ts';
import type { ScanDeps } from '../shared/pipeline/scan-cluster.ts';
import { rules } from '../shared/rules/index.ts';
import { EksAccessEnroller } from './adapters/access-enroller.ts';
import { EksSnapshotSource } from './adapters/eks-snapshot-source.ts';
import { loggerPort, runtime, type Runtime } from './runtime.ts';

let built: { config: Runtime['config']; deps: ScanDeps } | undefined;

export function scanRuntime(): { config: Runtime['config']; deps: ScanDeps } {
  if (built) return built;
  const { config, access, deps } = runtime('scan');
  const exceptionsText = config.exceptionsFile
    ? readFileSync(path.resolve(process.env.LAMBDA_TASK_ROOT ?? process.cwd(), config.exceptionsFile), 'utf8')
    : undefined;
  const ruleSettings = config.ruleSettings ?? {};
  try {
    validateRuleSettings(rules, ruleSettings);
  } catch (error) {
    if (!(error instanceof RuleSettingsError)) throw error;
    throw new Error(`RULE_SETTINGS: ${error.message}. It comes from the rules field of the CDK config; fix it and deploy again.`, { cause: error });
  }
  // Exceptions are matched per scan: an exception that expired since the cold start no longer applies.
  const evaluate = (snapshot: Snapshot) => {
    const exceptions: ExceptionMatcher[] = [platformDefaultExceptions()];
    if (exceptionsText !== undefined) exceptions.push(exceptionsFromYaml(exceptionsText, { file: config.exceptionsFile ?? '', now: deps.clock.now() }));
    return runRules(snapshot, rules, { exceptions, ruleSettings });
  };
  const scanDeps: ScanDeps = { ...deps, source: new EksSnapshotSource(access), evaluate };
  if (config.scannerRoleArn) {
    scanDeps.enroller = new EksAccessEnroller({ eks: (a, r) => access.eks(a, r), principalArn: config.scannerRoleArn, logger: loggerPort });
  }
  built = { config, deps: scanDeps };
  return built;
}

// The scan function's extra dependencies: the snapshot source (EKS + Kubernetes), the rules with their
// exceptions, and the opt-in auto-enrolment. Built once per cold start on top of runtime('scan').
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { evaluatorOf, type Evaluator } from '../shared/engine/evaluator.ts';
import { RuleSettingsError } from '../shared/engine/run.ts';
import { EksAccessEnroller } from '../shared/eks/access-enroller.ts';
import type { ScanDeps } from '../shared/pipeline/scan-cluster.ts';
import { rules } from '../shared/rules/index.ts';
import { AuditStreamStore } from '../shared/store/audit-stream.ts';
import { EksSnapshotSource } from './adapters/eks-snapshot-source.ts';
import { loggerPort, runtime, type Runtime } from './runtime.ts';

let built: { config: Runtime['config']; deps: ScanDeps } | undefined;

/** Time kept back from the collection for what follows it in the invocation: rules, the store, publishing. */
export const SCAN_DEADLINE_MARGIN_MS = 90_000;

/** The collection's time budget for an invocation with `remainingMs` left: all but the margin, and never less than
 * half of what is left (a scan started late still reads something, and still ends in time to record it). */
export function scanDeadlineMs(remainingMs: number): number {
  return Math.max(remainingMs - SCAN_DEADLINE_MARGIN_MS, Math.floor(remainingMs / 2), 1);
}

/** The invocation being served (set by the handler), whose remaining time bounds the collection. */
let invocation: { getRemainingTimeInMillis(): number } | undefined;

export function serving(context: { getRemainingTimeInMillis(): number }): void {
  invocation = context;
}

export function scanRuntime(): { config: Runtime['config']; deps: ScanDeps } {
  if (built) return built;
  const { config, access, deps, documentClient } = runtime('scan');
  const evaluator = scanEvaluator(config);
  // Exceptions are matched per scan: an exception that expired since the cold start no longer applies.
  const evaluate = (snapshot: Parameters<Evaluator>[0]) => evaluator(snapshot, deps.clock.now());
  const scanDeps: ScanDeps = { ...deps, source: new EksSnapshotSource(access, () => (invocation ? scanDeadlineMs(invocation.getRemainingTimeInMillis()) : undefined)), evaluate };
  if (config.scannerRoleArn) {
    scanDeps.enroller = new EksAccessEnroller({ eks: (a, r) => access.eks(a, r), principalArn: config.scannerRoleArn, logger: loggerPort });
  }
  if (config.auditStream) scanDeps.causes = new AuditStreamStore({ client: documentClient, tableName: config.tableName, logger: loggerPort });
  built = { config, deps: scanDeps };
  return built;
}

function scanEvaluator(config: Runtime['config']): Evaluator {
  const exceptionsFile = config.exceptionsFile
    ? { text: readFileSync(path.resolve(process.env.LAMBDA_TASK_ROOT ?? process.cwd(), config.exceptionsFile), 'utf8'), file: config.exceptionsFile }
    : undefined;
  try {
    return evaluatorOf({ rules, ruleSettings: config.ruleSettings ?? {}, ...(exceptionsFile ? { exceptionsFile } : {}) });
  } catch (error) {
    if (!(error instanceof RuleSettingsError)) throw error;
    throw new Error(`RULE_SETTINGS: ${error.message}. It comes from the rules field of the CDK config; fix it and deploy again.`, { cause: error });
  }
}

// How every Periscope function is made, for the scanner's three and the notifiers alike: Node.js 24 on arm64,
// bundled locally by esbuild (bundling.ts), JSON logs in its own log group that only its role writes to.
import path from 'node:path';
import type { aws_iam as iam } from 'aws-cdk-lib';
import type { aws_sqs as sqs } from 'aws-cdk-lib';
import { Duration, RemovalPolicy, aws_cloudwatch as cloudwatch, aws_lambda as lambda, aws_lambda_nodejs as nodejs, aws_logs as logs } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { lambdaBundling, repoRoot } from './bundling.ts';

export interface PeriscopeFunctionProps
  extends Omit<
    nodejs.NodejsFunctionProps,
    'entry' | 'handler' | 'role' | 'runtime' | 'architecture' | 'projectRoot' | 'depsLockFilePath' | 'logGroup' | 'logRetention' | 'loggingFormat' | 'bundling'
  > {
  /** The handler's file, relative to the repository root (its export is `handler`). */
  entry: string;
  role: iam.Role;
  /** Retention of the function's own log group. */
  logRetentionDays: logs.RetentionDays;
  /** Added to the shared bundling settings (command hooks, say). */
  bundling?: Partial<nodejs.BundlingOptions>;
}

/** `cluster-events` → `ClusterEvents`, for construct ids. */
export function constructIdOf(name: string): string {
  return name.replace(/(^|-)(\w)/g, (_, _dash: string, c: string) => c.toUpperCase());
}

/** A function's variables (functions/environment.ts) as Lambda takes them: the optional ones not set are left out. */
export function lambdaEnvironment(variables: Partial<Record<string, string>>): Record<string, string> {
  return Object.fromEntries(Object.entries(variables).filter((entry): entry is [string, string] => entry[1] !== undefined));
}

/** A function `<id>` with its log group `<id>Logs` in `scope`. */
export function periscopeFunction(scope: Construct, id: string, props: PeriscopeFunctionProps): nodejs.NodejsFunction {
  const { entry, role, logRetentionDays, bundling, ...rest } = props;
  const logGroup = new logs.LogGroup(scope, `${id}Logs`, { retention: logRetentionDays, removalPolicy: RemovalPolicy.DESTROY });
  const fn = new nodejs.NodejsFunction(scope, id, {
    entry: path.join(repoRoot, entry),
    handler: 'handler',
    projectRoot: repoRoot,
    depsLockFilePath: path.join(repoRoot, 'package-lock.json'),
    runtime: lambda.Runtime.NODEJS_24_X,
    architecture: lambda.Architecture.ARM_64,
    role,
    logGroup,
    loggingFormat: lambda.LoggingFormat.JSON,
    ...rest,
    bundling: { ...lambdaBundling, ...bundling },
  });
  logGroup.grantWrite(role);
  return fn;
}

/** An alarm `<id>` as soon as a message waits in a function's dead-letter queue. */
export function deadLetterAlarm(scope: Construct, id: string, queue: sqs.IQueue, description: string, actions: readonly cloudwatch.IAlarmAction[] = []): cloudwatch.Alarm {
  const alarm = new cloudwatch.Alarm(scope, id, {
    alarmDescription: description,
    metric: queue.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(5) }),
    threshold: 0,
    comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
    evaluationPeriods: 1,
    treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
  });
  for (const action of actions) alarm.addAlarmAction(action);
  return alarm;
}

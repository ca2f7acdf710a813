// Each function's environment, written once: the variables it reads and their schema. The function parses its
// own at cold start (a missing or malformed variable fails it with its name and what to set); the CDK writes
// the same variables through FunctionEnvironment (cdk/scanner.ts, cdk/notifiers.ts), so a variable the schema
// does not know, or a required one left out, fails typecheck. test/cdk/environment.test.ts parses every
// synthesized function's environment with its schema.
import * as z from 'zod';
import { ruleSettingsSchema, type RuleSettings } from '../shared/engine/run.ts';
import { severitySchema } from '../shared/model/finding.ts';
import { jiraSettingsSchema } from '../shared/notify/jira/issue.ts';
import type { DiscoveryTarget } from '../shared/eks/port.ts';
import { defaultScanSettings, type ScanSettings } from '../shared/pipeline/scan-cluster.ts';
import { defaultFleetReportSettings } from '../shared/pipeline/fleet-report.ts';

const flag = z.enum(['true', 'false']).default('false').transform((v) => v === 'true');
const seconds = (fallback: number) => z.coerce.number().int().positive().default(fallback);

const targetsSchema = z.array(
  z.object({ accountId: z.string().regex(/^\d{12}$/), region: z.string().min(1), roleArn: z.string().startsWith('arn:').optional() }),
);

/** Read by Powertools (functions/runtime.ts): every function gets them. */
const powertools = {
  POWERTOOLS_SERVICE_NAME: z.string().min(1).optional(),
  POWERTOOLS_METRICS_NAMESPACE: z.string().min(1).optional(),
};

/** What every pipeline function builds (functions/runtime.ts): the store, the queue, the bus, the EKS clients. */
const pipeline = {
  TABLE_NAME: z.string().min(1),
  QUEUE_URL: z.url(),
  BUS_NAME: z.string().min(1),
  SCANNER_ROLE_ARN: z.string().startsWith('arn:').optional(),
  ...powertools,
};

/** Where clusters are listed and how other accounts are reached. */
const reach = {
  DISCOVERY_TARGETS: z
    .string()
    .default('[]')
    .transform((text, ctx) => {
      try {
        return targetsSchema.parse(JSON.parse(text));
      } catch (error) {
        ctx.addIssue({ code: 'custom', message: `not a JSON list of {accountId, region, roleArn?}: ${String(error)}` });
        return z.NEVER;
      }
    }),
  EXTERNAL_ID: z.string().optional(),
};

function jsonOrUndefined(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

export const functionEnvironments = {
  'cluster-events': z.object(pipeline),
  discover: z.object({ ...pipeline, ...reach }),
  scan: z.object({
    ...pipeline,
    ...reach,
    STRICT: flag,
    AUTO_ENROL: flag,
    /** The live change stream is deployed: findings a scan opens carry the causes it kept (issue 13). */
    AUDIT_STREAM: flag,
    MAX_WAIT_SECONDS: seconds(defaultScanSettings.maxWaitSeconds),
    POLL_DELAY_SECONDS: seconds(defaultScanSettings.pollDelaySeconds),
    LEASE_TTL_SECONDS: seconds(defaultScanSettings.leaseTtlMs / 1000),
    /** Relative to the function's directory (LAMBDA_TASK_ROOT) unless absolute. */
    EXCEPTIONS_FILE: z.string().optional(),
    /** Per-rule settings, JSON: { "<rule-id>": { "options": {...}, "disabled": true, "severity": "low" } }. */
    RULE_SETTINGS: z
      .string()
      .optional()
      .transform((text, ctx) => {
        if (text === undefined || text.trim() === '') return undefined;
        try {
          return ruleSettingsSchema.parse(JSON.parse(text));
        } catch (error) {
          ctx.addIssue({ code: 'custom', message: `not a JSON object of {"<rule-id>": {options?, disabled?, severity?}}: ${String(error)}` });
          return z.NEVER;
        }
      }),
  }),
  'audit-events': z.object({
    ...pipeline,
    /** At most one rescan per cluster per window; the scan runs at its end, so it sees the whole burst (SQS caps 900 s). */
    RESCAN_WINDOW_SECONDS: z.coerce.number().int().positive().max(900).default(60),
  }),
  'notify-slack': z.object({
    SLACK_SECRET_ID: z.string().min(1),
    MIN_SEVERITY: severitySchema.default('high'),
    CLUSTER_URL: z.string().optional(),
    DOCS_URL: z.string().optional(),
    RESOURCES_PER_RULE: z.coerce.number().int().min(1).max(20).default(5),
    /** The fleet report's bucket and latest key: the digest links to it, presigned at send time. */
    FLEET_REPORT_BUCKET: z.string().min(1).optional(),
    FLEET_REPORT_KEY: z.string().min(1).optional(),
    FLEET_REPORT_LINK_HOURS: z.coerce.number().int().min(1).max(168).default(12),
    ...powertools,
  }),
  'notify-jira': z.object({
    TABLE_NAME: z.string().min(1),
    JIRA_SECRET_ID: z.string().min(1),
    /** The site, e.g. https://example.atlassian.net; the secret's `baseUrl` is used when this is absent. */
    JIRA_BASE_URL: z.string().optional(),
    /** JiraSettings as JSON (project, issue type, labels, priorities, transitions, threshold...). */
    JIRA_SETTINGS: z.string().transform((text, ctx) => {
      const parsed = jiraSettingsSchema.safeParse(jsonOrUndefined(text));
      if (parsed.success) return parsed.data;
      ctx.addIssue({ code: 'custom', message: `JIRA_SETTINGS is not valid: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}` });
      return z.NEVER;
    }),
    ...powertools,
  }),
  'notify-securityhub': z.object({
    /** The account's default product, arn:<partition>:securityhub:<region>:<account>:product/<account>/default. */
    SECURITYHUB_PRODUCT_ARN: z.string().regex(/^arn:aws[a-z-]*:securityhub:[a-z0-9-]+:(\d{12}):product\/\1\/default$/, {
      message: 'the Security Hub default product ARN: arn:<partition>:securityhub:<region>:<account>:product/<account>/default',
    }),
    /** Published docs/rules.md; each finding's remediation links to `<DOCS_URL>#<rule-id>`. */
    DOCS_URL: z.string().optional(),
    ...powertools,
  }),
  'fleet-report': z.object({
    TABLE_NAME: z.string().min(1),
    REPORT_BUCKET: z.string().min(1),
    /** Key prefix of the reports, ending in `/`. */
    REPORT_PREFIX: z.string().regex(/^([\w.-]+\/)+$/, 'a key prefix such as fleet-report/').default(defaultFleetReportSettings.prefix),
    STALE_AFTER_HOURS: z.coerce.number().int().positive().default(defaultFleetReportSettings.staleAfterHours),
    TREND_DAYS: z.coerce.number().int().min(1).max(90).default(defaultFleetReportSettings.trendDays),
    ...powertools,
  }),
};

export type FunctionName = keyof typeof functionEnvironments;
export type PipelineFunctionName = 'cluster-events' | 'discover' | 'scan' | 'audit-events';

type Input<N extends FunctionName> = z.input<(typeof functionEnvironments)[N]>;
/** A variable's value as written: its literal values when the schema lists them (`'true' | 'false'`), else text. */
type Written<T> = [Extract<T, string>] extends [never] ? string : Extract<T, string>;

/** The variables the CDK writes for function `N`: the required ones must be there, and nothing else may. */
export type FunctionEnvironment<N extends FunctionName> = {
  [K in keyof Input<N> as undefined extends Input<N>[K] ? never : K]: Written<Input<N>[K]>;
} & {
  [K in keyof Input<N> as undefined extends Input<N>[K] ? K : never]?: Written<Input<N>[K]>;
};

/** Parses function `name`'s environment, or fails naming every variable at fault. */
export function parseEnvironment<N extends FunctionName>(
  name: N,
  env: Record<string, string | undefined> = process.env,
): z.output<(typeof functionEnvironments)[N]> {
  const result = functionEnvironments[name].safeParse(env);
  if (!result.success) {
    const problems = result.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ');
    throw new Error(`Periscope function configuration is invalid (${problems}). The CDK construct sets these variables; for local runs see scripts/invoke.ts.`);
  }
  return result.data as z.output<(typeof functionEnvironments)[N]>;
}

export interface PipelineConfig {
  tableName: string;
  queueUrl: string;
  busName: string;
  scannerRoleArn?: string;
  targets: DiscoveryTarget[];
  externalId?: string;
  scan: ScanSettings;
  exceptionsFile?: string;
  /** Per-rule settings (options, disabled, severity), checked against the rules by the scan function's cold start. */
  ruleSettings?: RuleSettings;
  /** The scan function: read the causes the audit stream keeps. */
  auditStream?: boolean;
  /** The audit-events function's debounce window. */
  rescanWindowSeconds?: number;
}

type ScanVariables = z.output<(typeof functionEnvironments)['scan']> & Partial<z.output<(typeof functionEnvironments)['audit-events']>>;

/** The configuration of a pipeline function; what its environment does not hold takes the scan function's defaults. */
export function readPipelineConfig(name: PipelineFunctionName, env: Record<string, string | undefined> = process.env): PipelineConfig {
  const e: Partial<ScanVariables> & z.output<(typeof functionEnvironments)['cluster-events']> = parseEnvironment(name, env);
  const config: PipelineConfig = {
    tableName: e.TABLE_NAME,
    queueUrl: e.QUEUE_URL,
    busName: e.BUS_NAME,
    targets: e.DISCOVERY_TARGETS ?? [],
    scan: {
      maxWaitSeconds: e.MAX_WAIT_SECONDS ?? defaultScanSettings.maxWaitSeconds,
      pollDelaySeconds: e.POLL_DELAY_SECONDS ?? defaultScanSettings.pollDelaySeconds,
      leaseTtlMs: (e.LEASE_TTL_SECONDS ?? defaultScanSettings.leaseTtlMs / 1000) * 1000,
      skipSecrets: e.STRICT ?? defaultScanSettings.skipSecrets,
      autoEnrol: e.AUTO_ENROL ?? defaultScanSettings.autoEnrol,
    },
  };
  if (e.SCANNER_ROLE_ARN) config.scannerRoleArn = e.SCANNER_ROLE_ARN;
  if (e.EXTERNAL_ID) config.externalId = e.EXTERNAL_ID;
  if (e.EXCEPTIONS_FILE) config.exceptionsFile = e.EXCEPTIONS_FILE;
  if (e.RULE_SETTINGS) config.ruleSettings = e.RULE_SETTINGS;
  if (e.AUDIT_STREAM) config.auditStream = true;
  if (e.RESCAN_WINDOW_SECONDS) config.rescanWindowSeconds = e.RESCAN_WINDOW_SECONDS;
  return config;
}

// The deployment's settings: one typed object (cdk/periscope.config.ts), checked with zod at synth time so a
// mistake is reported with its path before anything reaches CloudFormation.
import * as z from 'zod';
import { ruleSettingsSchema, RuleSettingsError, validateRuleSettings } from '../shared/engine/run.ts';
import { severities } from '../shared/model/finding.ts';
import { jiraSettingsSchema } from '../shared/notify/jira/issue.ts';
import { rules } from '../shared/rules/index.ts';
import { defaultJiraSweepRate } from './notifiers.ts';

const accountId = z.string().regex(/^\d{12}$/, 'an AWS account id is 12 digits');
const region = z.string().regex(/^[a-z]{2}(-[a-z]+)+-\d$/, 'an AWS region looks like eu-west-1');
const roleName = z.string().regex(/^[\w+=,.@-]{1,64}$/, 'an IAM role name: letters, digits and +=,.@_-');
const clusterName = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_-]{0,99}$/, 'an EKS cluster name');
const schedule = z
  .string()
  .regex(/^(rate\(\d+ (minute|minutes|hour|hours|day|days)\)|cron\(.+\))$/, 'rate(6 hours) or cron(0 */6 * * ? *)');
/** An EventBridge Scheduler rate: `rate(1 hour)`, `rate(30 minutes)` (singular unit for 1, plural otherwise). */
const sweepRate = z
  .string()
  .regex(/^rate\((1 (minute|hour|day)|([2-9]|[1-9]\d+) (minutes|hours|days))\)$/, 'a rate such as rate(1 hour) or rate(30 minutes)');

const periscopeConfigSchema = z.strictObject({
  /** Regions of the scanner's own account where discovery lists clusters. Default: the stack's region. */
  regions: z.array(region).default([]),
  /** Member accounts, each with the read-only role the PeriscopeTargetAccount stack created there. */
  targetAccounts: z
    .array(
      z.strictObject({
        accountId,
        roleName: roleName.default('periscope-read'),
        /** Regions to list in that account. Default: the scanner's regions. */
        regions: z.array(region).optional(),
      }),
    )
    .default([]),
  /** Shared with the target-account roles' trust policy (sts:ExternalId). */
  externalId: z.string().min(2).max(1224).optional(),
  /** Discovery schedule (EventBridge Scheduler expression). */
  schedule: schedule.default('rate(6 hours)'),
  /** Clusters in the stack's account and region that get an access entry for the scanner role
   * (AmazonEKSAdminViewPolicy, cluster scope). The cluster must use the API or API_AND_CONFIG_MAP mode. */
  grantClusters: z.array(clusterName).default([]),
  /** Opt-in: the scanner creates its own access entry on clusters that lack one. */
  autoEnrol: z.boolean().default(false),
  /** Strict mode: never list secrets, not even metadata (secret checks then report no coverage). */
  strict: z.boolean().default(false),
  /** Name of the scanner role (the principal in access entries and target-account trust policies). */
  scannerRoleName: roleName.default('periscope-scanner'),
  /** For clusters with private endpoints: the scanner runs in this VPC. */
  vpc: z
    .strictObject({
      vpcId: z.string().regex(/^vpc-[0-9a-f]+$/),
      availabilityZones: z.array(z.string()).min(1),
      privateSubnetIds: z.array(z.string().regex(/^subnet-[0-9a-f]+$/)).min(1),
      /** An existing security group; otherwise one is created (egress 443 only). */
      securityGroupId: z.string().regex(/^sg-[0-9a-f]+$/).optional(),
    })
    .optional(),
  /** How long a CREATING/UPDATING cluster is waited for before its request fails. */
  maxWaitMinutes: z.number().int().min(5).max(24 * 60).default(45),
  /** Scans running at once (SQS event source maximum concurrency, 2..1000). */
  scanConcurrency: z.number().int().min(2).max(1000).default(10),
  /** Slack digest per scan (cdk/notifiers.ts). The secret holds the webhook URL, or {"botToken", "channel"}. */
  slack: z
    .strictObject({
      webhookSecretName: z.string().min(1),
      minSeverity: z.enum(severities).default('high'),
      clusterUrl: z.string().optional(),
      docsUrl: z.string().optional(),
    })
    .optional(),
  /** Jira tickets per rule × cluster. The secret holds {"email", "apiToken"} (Cloud) or {"token"} (Data Center). */
  jira: jiraSettingsSchema
    .omit({ links: true })
    .extend({
      secretName: z.string().min(1),
      baseUrl: z.url().optional(),
      clusterUrl: z.string().optional(),
      docsUrl: z.string().optional(),
      /** How often pending Jira work (a create or close that failed during an outage) is retried. */
      sweepRate: sweepRate.default(defaultJiraSweepRate),
    })
    .strict()
    .optional(),
  /** Findings into Security Hub CSPM (cdk/securityhub.ts); off unless set. Security Hub CSPM must be enabled in the
   * stack's account and region. */
  securityHub: z
    .strictObject({
      minSeverity: z.enum(severities).default('low'),
      docsUrl: z.string().optional(),
    })
    .optional(),
  /** The scheduled fleet report (cdk/fleet-report.ts): rendered from the table into a private, encrypted bucket;
   * the Slack digest links to the latest one with a presigned URL. Present = enabled. */
  fleetReport: z
    .strictObject({
      /** When the report is written (EventBridge Scheduler expression). */
      schedule: schedule.default('cron(0 6 * * ? *)'),
      /** Dated reports, older versions of latest.html and the access logs are deleted after this many days. */
      retentionDays: z.number().int().min(1).max(3650).default(90),
      /** How long a link posted to Slack opens the report (at most 7 days; a role's session may end it earlier). */
      linkHours: z.number().int().min(1).max(168).default(12),
      /** A cluster whose last scan is older is listed as stale. */
      staleAfterHours: z.number().int().min(1).max(24 * 90).default(48),
      /** Days of the trend lines. */
      trendDays: z.number().int().min(1).max(90).default(14),
    })
    .optional(),
  /** Per-rule settings, as in the CLI's --config file: `{ 'image-registry-not-allowed': { options: { allowedRegistries:
   * ['*.dkr.ecr.*.amazonaws.com'] } }, 'default-namespace': { disabled: true }, ... }`. Checked against the rule
   * catalogue at synth time; the scan function gets them as RULE_SETTINGS (JSON). */
  rules: ruleSettingsSchema.default({}),
  /** Exceptions YAML (relative to the repository root), bundled with the scan function. */
  exceptionsFile: z.string().optional(),
  /** The live change stream (issue 13): EKS audit logs → the audit-events function → event findings and debounced
   * rescans. `clusters` are this account's and region's clusters with audit logging on (a subscription filter each);
   * member accounts listed in targetAccounts subscribe through the destination this creates (their target-account
   * stack's `auditClusters`). A cluster without audit logging is left out and keeps the scheduled scans. */
  auditStream: z
    .strictObject({
      clusters: z.array(clusterName).default([]),
      /** At most one rescan per cluster per window (seconds, SQS DelaySeconds caps it at 900). */
      rescanWindowSeconds: z.number().int().min(1).max(900).default(60),
    })
    .optional(),
  /** Log retention of the functions, in days. */
  logRetentionDays: z
    .union([1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653].map((d) => z.literal(d)) as [z.ZodLiteral<number>, ...z.ZodLiteral<number>[]])
    .default(90),
});

export type PeriscopeConfigInput = z.input<typeof periscopeConfigSchema>;
export type PeriscopeConfig = z.output<typeof periscopeConfigSchema>;

/** Typed helper for cdk/periscope.config.ts. */
export function defineConfig(config: PeriscopeConfigInput): PeriscopeConfigInput {
  return config;
}

export function parseConfig(input: unknown, source: string): PeriscopeConfig {
  const result = periscopeConfigSchema.safeParse(input);
  if (result.success) {
    try {
      validateRuleSettings(rules, result.data.rules);
    } catch (error) {
      if (!(error instanceof RuleSettingsError)) throw error;
      throw new Error(`${source} is not a valid Periscope configuration:\n  rules.${error.message.replace(/^rule /, '')}\nFix this setting and synth again (docs/rules.md describes each rule and its options).`, { cause: error });
    }
    return result.data;
  }
  const problems = result.error.issues.map((issue) => `  ${issue.path.join('.') || '(root)'}: ${issue.message}`);
  throw new Error(`${source} is not a valid Periscope configuration:\n${problems.join('\n')}\nFix these fields and synth again.`);
}

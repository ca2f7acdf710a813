// The functions' configuration, read from the environment the CDK construct sets (and `npm run invoke` for
// local runs). A missing or malformed variable fails the cold start with its name and what to set.
import * as z from 'zod';
import { ruleSettingsSchema, type RuleSettings } from '../shared/engine/run.ts';
import type { DiscoveryTarget } from '../shared/pipeline/ports.ts';
import { defaultScanSettings, type ScanSettings } from '../shared/pipeline/scan-cluster.ts';

const flag = z.enum(['true', 'false']).default('false').transform((v) => v === 'true');
const seconds = (fallback: number) => z.coerce.number().int().positive().default(fallback);

const targetsSchema = z.array(
  z.object({ accountId: z.string().regex(/^\d{12}$/), region: z.string().min(1), roleArn: z.string().startsWith('arn:').optional() }),
);

const environmentSchema = z.object({
  TABLE_NAME: z.string().min(1),
  QUEUE_URL: z.string().url(),
  BUS_NAME: z.string().min(1),
  SCANNER_ROLE_ARN: z.string().startsWith('arn:').optional(),
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
  STRICT: flag,
  AUTO_ENROL: flag,
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
});

export interface FunctionConfig {
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
}

export function readEnvironment(env: Record<string, string | undefined> = process.env): FunctionConfig {
  const result = environmentSchema.safeParse(env);
  if (!result.success) {
    const problems = result.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ');
    throw new Error(`Periscope function configuration is invalid (${problems}). The CDK construct sets these variables; for local runs see scripts/invoke.ts.`);
  }
  const e = result.data;
  const config: FunctionConfig = {
    tableName: e.TABLE_NAME,
    queueUrl: e.QUEUE_URL,
    busName: e.BUS_NAME,
    targets: e.DISCOVERY_TARGETS,
    scan: {
      maxWaitSeconds: e.MAX_WAIT_SECONDS,
      pollDelaySeconds: e.POLL_DELAY_SECONDS,
      leaseTtlMs: e.LEASE_TTL_SECONDS * 1000,
      skipSecrets: e.STRICT,
      autoEnrol: e.AUTO_ENROL,
    },
  };
  if (e.SCANNER_ROLE_ARN) config.scannerRoleArn = e.SCANNER_ROLE_ARN;
  if (e.EXTERNAL_ID) config.externalId = e.EXTERNAL_ID;
  if (e.EXCEPTIONS_FILE) config.exceptionsFile = e.EXCEPTIONS_FILE;
  if (e.RULE_SETTINGS) config.ruleSettings = e.RULE_SETTINGS;
  return config;
}

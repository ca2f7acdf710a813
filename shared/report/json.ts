// The JSON report: Periscope's public, versioned contract for CI pipelines and other tools (DESIGN.md §4).
import { randomUUID } from 'node:crypto';
import * as z from 'zod';
import {
  findingStatuses,
  fixSchema,
  frameworkIdsSchema,
  gitOpsSourceSchema,
  resourceSchema,
  severitySchema,
  suppressionSchema,
} from '../model/finding.ts';
import { causeSchema } from '../model/audit.ts';
import type { Finding } from '../model/finding.ts';
import { coverageSummaryOf, summarize, titleOf, type ScanReport } from './scan-report.ts';

const count = z.number().int().nonnegative();

const jsonReportFindingSchema = z.strictObject({
  fingerprint: z.string().regex(/^[0-9a-f]{32}$/),
  ruleId: z.string().min(1),
  title: z.string().min(1),
  severity: severitySchema,
  status: z.enum(findingStatuses),
  resource: resourceSchema.strict(),
  /** Where the object starts, when it came from a file. */
  location: z.strictObject({ file: z.string().min(1), line: z.number().int().positive() }).optional(),
  message: z.string().min(1),
  path: z.string(),
  fix: fixSchema.optional(),
  frameworks: frameworkIdsSchema,
  suppression: suppressionSchema.optional(),
  /** Where Argo CD or Flux builds the object from, when it carries their tracking labels or annotations. */
  gitops: gitOpsSourceSchema.strict().optional(),
  /** The audit events that introduced the object, on findings a live-stream rescan opened (who, how, when). */
  cause: z.array(causeSchema).optional(),
});

const unreadKindSchema = z.strictObject({ kind: z.string().min(1), reason: z.string().min(1) });

/** Version 1 of the JSON report. Validate a report with `jsonReportSchema.parse(JSON.parse(text))`. */
export const jsonReportSchema = z.strictObject({
  version: z.literal(1),
  cluster: z.strictObject({
    id: z.string().min(1),
    name: z.string(),
    arn: z.string().optional(),
    accountId: z.string().optional(),
    region: z.string().optional(),
    source: z.enum(['eks', 'kubeconfig', 'manifests']),
  }),
  scannedAt: z.string(),
  coverage: z.record(z.string(), z.strictObject({ complete: z.boolean(), count, error: z.string().optional() })),
  /** Whether the scan saw everything it tried to read; when not, the CLI exits 3 and no finding of an unread kind
   * was resolved. `unread`: failed or forbidden kinds (and EKS calls); `skipped`: not read by configuration. */
  coverageSummary: z.strictObject({
    complete: z.boolean(),
    kinds: count,
    read: count,
    unread: z.array(unreadKindSchema),
    skipped: z.array(unreadKindSchema),
  }),
  /** Inputs that could not be read or parsed (manifest parse errors, unreadable paths or links). */
  inputErrors: z.array(
    z.strictObject({
      file: z.string().optional(),
      line: z.number().int().positive().optional(),
      column: z.number().int().positive().optional(),
      message: z.string().min(1),
    }),
  ),
  summary: z.strictObject({
    /** OPEN findings by severity; every severity is present. */
    bySeverity: z.strictObject({ critical: count, high: count, medium: count, low: count, info: count }),
    suppressed: count,
    /** Present when a store is in use. */
    opened: count.optional(),
    resolved: count.optional(),
    unchanged: count.optional(),
  }),
  findings: z.array(jsonReportFindingSchema),
});

export type JsonReport = z.infer<typeof jsonReportSchema>;
export type JsonReportFinding = z.infer<typeof jsonReportFindingSchema>;

export function toJsonReport(report: ScanReport): JsonReport {
  return { ...reportHead(report), findings: report.findings.map((finding) => toJsonReportFinding(report, finding)) };
}

/** Everything but the findings. */
function reportHead(report: ScanReport): Omit<JsonReport, 'findings'> {
  const { bySeverity, suppressed } = summarize(report.findings);
  const { complete, kinds, read, unread, skipped } = coverageSummaryOf(report);
  return {
    version: 1,
    cluster: { ...report.cluster },
    scannedAt: report.scannedAt,
    coverage: Object.fromEntries(Object.entries(report.coverage).map(([kind, coverage]) => [kind, { ...coverage }])),
    coverageSummary: { complete, kinds, read, unread, skipped },
    inputErrors: (report.inputErrors ?? []).map((error) => ({ ...error })),
    summary: {
      bySeverity,
      suppressed,
      ...(report.lifecycle
        ? { opened: report.lifecycle.opened, resolved: report.lifecycle.resolved, unchanged: report.lifecycle.unchanged }
        : {}),
    },
  };
}

function toJsonReportFinding(report: ScanReport, finding: Finding): JsonReportFinding {
  return {
    fingerprint: finding.fingerprint,
    ruleId: finding.ruleId,
    title: titleOf(report, finding.ruleId),
    severity: finding.severity,
    status: finding.status,
    resource: { ...finding.resource },
    ...(finding.location ? { location: { file: finding.location.file, line: finding.location.line } } : {}),
    message: finding.message,
    path: finding.path,
    ...(finding.fix ? { fix: finding.fix } : {}),
    frameworks: finding.frameworks,
    ...(finding.suppression ? { suppression: finding.suppression } : {}),
    ...(finding.gitops ? { gitops: { ...finding.gitops } } : {}),
    ...(finding.cause ? { cause: finding.cause.map((cause) => ({ ...cause })) } : {}),
  };
}

export function renderJson(report: ScanReport): string {
  return [...jsonReportChunks(report)].join('');
}

/**
 * The JSON report as a sequence of pieces, a finding at a time: the same bytes as `JSON.stringify(toJsonReport(report),
 * null, 2) + '\n'`, without ever building the whole text or the whole report (a million findings are a few hundred
 * megabytes of text, past what one string can hold).
 */
export function* jsonReportChunks(report: ScanReport): Generator<string> {
  // Everything but the findings, laid out by JSON.stringify itself with a placeholder where they go. The placeholder
  // holds a fresh random id, so no text from the input can be taken for it.
  const placeholder = `periscope-findings-${randomUUID()}`;
  const head = JSON.stringify({ ...reportHead(report), findings: placeholder }, null, 2);
  const at = head.indexOf(JSON.stringify(placeholder));
  yield head.slice(0, at);
  if (report.findings.length === 0) yield '[]';
  else {
    // Array items sit two levels deep: each line of a finding indented by four spaces.
    for (const [index, finding] of report.findings.entries()) {
      yield (index === 0 ? '[\n    ' : ',\n    ') + JSON.stringify(toJsonReportFinding(report, finding), null, 2).replaceAll('\n', '\n    ');
    }
    yield '\n  ]';
  }
  yield head.slice(at + JSON.stringify(placeholder).length) + '\n';
}

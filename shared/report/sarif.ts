// SARIF 2.1.0, for code-scanning dashboards (GitHub, GitLab, Azure DevOps) and SARIF viewers.
import { isAbsolute, relative, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { AnyRule } from '../engine/rule.ts';
import { nameOf, namespaceOf } from '../engine/snapshot-index.ts';
import type { Finding, Severity } from '../model/finding.ts';
import type { Snapshot, SourceLocation } from '../model/snapshot.ts';
import { coverageSummaryOf, formatInputError, ruleOf, type ScanReport } from './scan-report.ts';

const sarifSchemaUri = 'https://json.schemastore.org/sarif-2.1.0.json';
/** The key of Periscope's fingerprint in `partialFingerprints`. */
export const fingerprintKey = 'periscope/v1';

export type SarifLevel = 'error' | 'warning' | 'note';

export function sarifLevel(severity: Severity): SarifLevel {
  if (severity === 'critical' || severity === 'high') return 'error';
  if (severity === 'medium') return 'warning';
  return 'note';
}

/** GitHub reads `security-severity` as a CVSS-like score: ≥9 critical, ≥7 high, ≥4 medium, >0 low. */
const securitySeverity: Record<Severity, string> = {
  critical: '9.5',
  high: '8.0',
  medium: '5.5',
  low: '2.0',
  info: '0.0',
};

interface Message {
  text: string;
  markdown?: string;
}

export interface SarifRule {
  id: string;
  name: string;
  shortDescription: Message;
  fullDescription: Message;
  help: Message;
  defaultConfiguration: { level: SarifLevel };
  properties: { tags: string[]; frameworks: Record<string, string[]>; 'security-severity': string; precision: string };
}

export interface SarifResult {
  ruleId: string;
  ruleIndex?: number;
  level: SarifLevel;
  message: Message;
  locations: {
    physicalLocation?: { artifactLocation: { uri: string }; region: { startLine: number } };
    logicalLocations: { name: string; fullyQualifiedName: string; kind: string }[];
  }[];
  partialFingerprints: Record<string, string>;
  fixes?: {
    description: Message;
    artifactChanges: {
      artifactLocation: { uri: string };
      replacements: { deletedRegion: { startLine: number; startColumn: number; endColumn: number } }[];
    }[];
  }[];
  suppressions?: { kind: 'inSource' | 'external'; justification: string }[];
  properties: Record<string, unknown>;
}

/** A problem of the run itself (SARIF §3.58): an unread kind, an input that could not be read or parsed. */
export interface SarifNotification {
  level: 'error' | 'warning';
  message: Message;
  descriptor: { id: NotificationId };
  locations?: { physicalLocation: { artifactLocation: { uri: string }; region?: { startLine: number; startColumn?: number } } }[];
}

type NotificationId = 'incomplete-coverage' | 'input-error';

const notificationDescriptors: { id: NotificationId; shortDescription: Message }[] = [
  { id: 'incomplete-coverage', shortDescription: { text: 'A kind or EKS API call could not be read completely; its findings are not the whole picture.' } },
  { id: 'input-error', shortDescription: { text: 'An input could not be read or parsed; its objects were not scanned.' } },
];

export interface SarifLog {
  $schema: string;
  version: '2.1.0';
  runs: {
    tool: { driver: { name: string; version: string; rules: SarifRule[]; notifications: typeof notificationDescriptors } };
    automationDetails: { id: string };
    /** Unsuccessful when the scan did not read everything (SARIF §3.20.14): a green check must not hide it. */
    invocations: { executionSuccessful: boolean; toolExecutionNotifications: SarifNotification[] }[];
    results: SarifResult[];
    properties: { cluster: ScanReport['cluster']; scannedAt: string };
  }[];
}

/** A pascal-case name, as SARIF viewers show rule names: `privileged-container` → `PrivilegedContainer`. */
function ruleName(id: string): string {
  return id
    .split(/[^a-zA-Z0-9]+/)
    .filter(Boolean)
    .map((word) => word[0]!.toUpperCase() + word.slice(1))
    .join('');
}

function toSarifRule(rule: AnyRule): SarifRule {
  const frameworks = Object.fromEntries(Object.entries(rule.meta.frameworks).map(([id, controls]) => [id, [...controls]]));
  const tags = [
    'security',
    'kubernetes',
    rule.meta.domain,
    ...Object.entries(frameworks).flatMap(([id, controls]) => controls.map((control) => `${id}:${control}`)),
  ];
  return {
    id: rule.id,
    name: ruleName(rule.id),
    shortDescription: { text: rule.meta.title },
    fullDescription: { text: rule.meta.description },
    help: { text: rule.meta.remediation, markdown: `**Remediation.** ${rule.meta.remediation}` },
    defaultConfiguration: { level: sarifLevel(rule.meta.severity) },
    properties: { tags, frameworks, 'security-severity': securitySeverity[rule.meta.severity], precision: 'high' },
  };
}

/** A relative URI reference for a path as given on the command line (`deploy/web app.yaml` → `deploy/web%20app.yaml`). */
export function fileUri(file: string): string {
  return encodeURI(file.replaceAll('\\', '/')).replaceAll('#', '%23').replaceAll('?', '%3F');
}

/**
 * The URI of a scanned file: relative to `cwd` when the file is under it (what code-scanning dashboards resolve
 * against the checkout), a `file://` URI otherwise.
 */
export function artifactUri(file: string, cwd: string = process.cwd()): string {
  const absolute = resolve(cwd, file);
  const fromCwd = relative(cwd, absolute);
  if (fromCwd !== '' && !fromCwd.startsWith('..') && !isAbsolute(fromCwd)) return fileUri(fromCwd);
  return pathToFileURL(absolute).href;
}

export interface SarifOptions {
  /** The scanned snapshot: findings without a file of their own (a namespace's, the scan's) get a nearby one. */
  snapshot?: Snapshot;
  /** What artifact URIs are relative to (default: the current directory). */
  cwd?: string;
}

/** Where to show findings that have no file of their own: each namespace's first object, and the first file. */
interface FallbackLocations {
  byNamespace: Map<string, SourceLocation>;
  first?: SourceLocation;
}

function fallbackLocations(snapshot: Snapshot | undefined, cwd: string): FallbackLocations {
  // Files in path order (as the directory walk reads them), whether given relative or absolute; then by line.
  const before = (a: SourceLocation, b: SourceLocation): boolean => {
    const [pathA, pathB] = [resolve(cwd, a.file), resolve(cwd, b.file)];
    return pathA === pathB ? a.line < b.line : pathA < pathB;
  };
  const fallback: FallbackLocations = { byNamespace: new Map() };
  const locations = snapshot?.locations;
  if (!snapshot || !locations) return fallback;
  for (const [kind, objects] of Object.entries(snapshot.objects)) {
    for (const object of objects ?? []) {
      const location = locations.get(object);
      // Standard input has no file a viewer could open.
      if (!location || location.file === '-') continue;
      if (!fallback.first || before(location, fallback.first)) fallback.first = { file: location.file, line: 1 };
      const namespace = kind === 'Namespace' ? nameOf(object) : namespaceOf(object);
      if (!namespace) continue;
      const seen = fallback.byNamespace.get(namespace);
      if (!seen || before(location, seen)) fallback.byNamespace.set(namespace, location);
    }
  }
  return fallback;
}

/** A located finding's own file; otherwise its namespace's first object, or the first file at line 1. */
function displayLocation(finding: Finding, fallback: FallbackLocations): SourceLocation | undefined {
  if (finding.location) return finding.location.file === '-' ? undefined : finding.location;
  const { resource } = finding;
  const namespace = resource.namespace ?? (resource.kind === 'Namespace' ? resource.name : undefined);
  return (namespace === undefined ? undefined : fallback.byNamespace.get(namespace)) ?? fallback.first;
}

function toSarifResult(finding: Finding, ruleIndex: number | undefined, fallback: FallbackLocations, cwd: string): SarifResult {
  const { resource } = finding;
  const qualified = [resource.kind, resource.namespace, resource.name].filter(Boolean).join('/');
  const logical = {
    name: resource.container ?? resource.name,
    fullyQualifiedName: resource.container ? `${qualified}/${resource.container}` : qualified,
    kind: resource.container ? 'member' : 'resource',
  };
  // Standard input has no file a viewer could open: such findings are located by resource only. Findings without a
  // file (a namespace's, the scan's) are shown at a nearby one, since code scanning hides results without one.
  const shownAt = displayLocation(finding, fallback);
  const shownUri = shownAt ? artifactUri(shownAt.file, cwd) : undefined;
  // Fixes edit the finding's own object: only where it has a file.
  const file = finding.location && finding.location.file !== '-' ? finding.location : undefined;
  const uri = file ? artifactUri(file.file, cwd) : undefined;
  const result: SarifResult = {
    ruleId: finding.ruleId,
    ...(ruleIndex === undefined ? {} : { ruleIndex }),
    level: sarifLevel(finding.severity),
    message: { text: `${finding.message} (${qualified}${finding.path ? `, ${finding.path}` : ''})` },
    locations: [
      {
        ...(shownAt && shownUri ? { physicalLocation: { artifactLocation: { uri: shownUri }, region: { startLine: shownAt.line } } } : {}),
        logicalLocations: [logical],
      },
    ],
    partialFingerprints: { [fingerprintKey]: finding.fingerprint },
    properties: {
      severity: finding.severity,
      status: finding.status,
      resource,
      path: finding.path,
      frameworks: finding.frameworks,
      ...(finding.fix ? { fix: finding.fix } : {}),
    },
  };
  if (finding.fix && file && uri) {
    // SARIF fixes must name an artifact change; Periscope's fix is a JSON Patch against the object, so the change
    // is an empty insertion point at the object's first line and the patch travels in the description.
    result.fixes = [
      {
        description: { text: `${finding.fix.description}. JSON Patch: ${JSON.stringify(finding.fix.patch)}` },
        artifactChanges: [
          { artifactLocation: { uri }, replacements: [{ deletedRegion: { startLine: file.line, startColumn: 1, endColumn: 1 } }] },
        ],
      },
    ];
  }
  if (finding.status === 'SUPPRESSED' && finding.suppression) {
    result.suppressions = [
      {
        kind: finding.suppression.source === 'annotation' ? 'inSource' : 'external',
        justification: finding.suppression.reason,
      },
    ];
  }
  return result;
}

function toolNotifications(report: ScanReport, cwd: string): SarifNotification[] {
  const notifications: SarifNotification[] = coverageSummaryOf(report).unread.map(({ kind, reason }) => ({
    level: 'error',
    message: { text: `${kind}: ${reason}` },
    descriptor: { id: 'incomplete-coverage' },
  }));
  for (const error of report.inputErrors ?? []) {
    const notification: SarifNotification = { level: 'error', message: { text: formatInputError(error) }, descriptor: { id: 'input-error' } };
    if (error.file !== undefined && error.file !== '-') {
      const region = error.line !== undefined ? { region: { startLine: error.line, ...(error.column !== undefined ? { startColumn: error.column } : {}) } } : {};
      notification.locations = [{ physicalLocation: { artifactLocation: { uri: artifactUri(error.file, cwd) }, ...region } }];
    }
    notifications.push(notification);
  }
  return notifications;
}

export function toSarif(report: ScanReport, version: string, options: SarifOptions = {}): SarifLog {
  const cwd = options.cwd ?? process.cwd();
  const fallback = fallbackLocations(options.snapshot, cwd);
  const usedRuleIds = new Set(report.findings.map((finding) => finding.ruleId));
  const rules: AnyRule[] = [...report.rules];
  for (const id of usedRuleIds) {
    const rule = ruleOf(report, id);
    if (rule && !rules.includes(rule)) rules.push(rule);
  }
  const indexById = new Map(rules.map((rule, index) => [rule.id, index]));
  return {
    $schema: sarifSchemaUri,
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'Periscope',
            version,
            rules: rules.map(toSarifRule),
            notifications: notificationDescriptors,
          },
        },
        automationDetails: { id: `periscope/${report.cluster.id}/` },
        invocations: [{ executionSuccessful: coverageSummaryOf(report).complete, toolExecutionNotifications: toolNotifications(report, cwd) }],
        results: report.findings
          .filter((finding) => finding.status !== 'RESOLVED')
          .map((finding) => toSarifResult(finding, indexById.get(finding.ruleId), fallback, cwd)),
        properties: { cluster: report.cluster, scannedAt: report.scannedAt },
      },
    ],
  };
}

export function renderSarif(report: ScanReport, version: string, options: SarifOptions = {}): string {
  return JSON.stringify(toSarif(report, version, options), null, 2) + '\n';
}

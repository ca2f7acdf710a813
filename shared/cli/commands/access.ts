// `periscope access <subject>`: what one subject can do (its effective permissions and risk classes), over the
// same snapshot sources as `scan`. Also home of the source loading that `who-can` shares.
import { Option, type Command } from 'commander';
import { SnapshotIndex } from '../../engine/snapshot-index.ts';
import type { Snapshot } from '../../model/snapshot.ts';
import {
  analyzeRbac,
  bindingKey,
  describeScope,
  formatResource,
  formatSubject,
  parseSubject,
  riskClassDefinitions,
  SubjectSyntaxError,
  type Grant,
  type RbacAnalysis,
  type Subject,
} from '../../rbac/index.ts';
import { columns } from '../../report/catalogue.ts';
import { printable } from '../../report/table.ts';
import { CliError, exitCodes } from '../errors.ts';
import { warn } from '../output.ts';
import type { ScanExtension, ScanOptions } from '../scan-extension.ts';
import { scanExtensions } from '../scan-extensions.ts';

export type AccessFormat = 'table' | 'json';

/** Adds the snapshot-source options of `scan` (`-f`, and live sources once registered) and --format. */
export function addSourceOptions(command: Command, extensions: readonly ScanExtension[] = scanExtensions): Command {
  for (const extension of extensions) if (extension.load) extension.options(command);
  return command.addOption(new Option('--format <format>', 'output format').choices(['table', 'json']).default('table'));
}

/** Reads the snapshot from the one selected source; input errors are printed and make the exit code 2. */
export async function loadSnapshot(options: ScanOptions, command: string, extensions: readonly ScanExtension[] = scanExtensions): Promise<Snapshot> {
  const sources = extensions.filter((extension) => extension.load && extension.selects?.(options));
  const usages = extensions.flatMap((extension) => (extension.usage ? [extension.usage] : []));
  if (sources.length === 0) throw new CliError(`nothing to analyse: give ${usages.join(' or ')} (see periscope ${command} --help)`);
  if (sources.length > 1) throw new CliError(`give one source, not several of: ${usages.join(', ')}`);
  const input = await sources[0]!.load!(options);
  for (const error of input.errors) warn(error);
  if (input.errors.length > 0) process.exitCode = exitCodes.error;
  return input.snapshot;
}

export function rbacOf(snapshot: Snapshot): RbacAnalysis {
  return analyzeRbac(new SnapshotIndex(snapshot));
}

/** A grant as the JSON output shows it. */
export function grantJson(grant: Grant): Record<string, unknown> {
  return {
    subject: formatSubject(grant.subject),
    binding: grant.binding,
    role: grant.role,
    ruleSource: grant.ruleSource,
    scope: grant.scope,
    builtIn: grant.builtIn,
    rule: grant.rule,
  };
}

export function viaText(grant: Grant): string {
  if (grant.binding.kind === 'Superuser') return 'system:masters (superuser group, allowed everything before RBAC) (built-in)';
  const binding = grant.binding.namespace ? `${grant.binding.kind} ${grant.binding.namespace}/${grant.binding.name}` : `${grant.binding.kind} ${grant.binding.name}`;
  return `${binding} → ${grant.role.kind} ${grant.role.name}${grant.builtIn ? ' (built-in)' : ''}`;
}

function resourcesText(grant: Grant): string {
  const { rule } = grant;
  if (rule.nonResourceURLs.length > 0 && rule.resources.length === 0) return rule.nonResourceURLs.join(', ');
  const groups = rule.apiGroups.length > 0 ? rule.apiGroups : [''];
  return groups.flatMap((group) => rule.resources.map((resource) => (resource === '*' && group === '*' ? '*' : formatResource({ group: group === '*' ? '*' : group, resource })))).join(', ');
}

export interface AccessReport {
  subject: Subject;
  groups: readonly string[];
  iamPrincipalArns: readonly string[];
  grants: Grant[];
  analysis: RbacAnalysis;
}

export function accessReport(rbac: RbacAnalysis, subject: Subject): AccessReport {
  const identity = rbac.identityOf(subject);
  return { subject: identity.subject, groups: identity.groups, iamPrincipalArns: identity.iamPrincipalArns ?? [], grants: rbac.permissionsOf(identity), analysis: rbac };
}

export function renderAccess(report: AccessReport, format: AccessFormat): string {
  const risks = report.analysis.riskClassesOf(report.subject);
  if (format === 'json') {
    return (
      JSON.stringify(
        {
          version: 1,
          subject: formatSubject(report.subject),
          groups: report.groups,
          iamPrincipalArns: report.iamPrincipalArns,
          riskClasses: risks.map((h) => ({ riskClass: h.riskClass, severity: h.severity, scope: h.scope, namespaces: h.namespaces, builtIn: h.builtIn, grantedBy: h.grantedBy.map((b) => ({ ...b, key: bindingKey(b) })) })),
          permissions: report.grants.map(grantJson),
        },
        null,
        2,
      ) + '\n'
    );
  }
  // Subjects, groups, namespaces and role names come from the cluster or the files: escaped like the scan table's.
  const cells = (rows: string[][]): string[][] => rows.map((row) => row.map(printable));
  const lines = [`Subject: ${printable(formatSubject(report.subject))}`, `Groups: ${report.groups.length > 0 ? printable(report.groups.join(', ')) : '(none)'}`];
  if (report.iamPrincipalArns.length > 0) lines.push(`IAM principals: ${printable(report.iamPrincipalArns.join(', '))}`);
  lines.push('');
  if (risks.length === 0) lines.push('No risky permissions.');
  else {
    lines.push(
      columns([
        ['SEVERITY', 'RISK', 'SCOPE', 'GRANTED BY'],
        ...cells(risks.map((h) => [h.severity, riskClassDefinitions[h.riskClass].power, h.scope === 'cluster' ? 'cluster-wide' : h.namespaces.join(', '), h.grantedBy.map((b) => bindingKey(b)).join(', ')])),
      ]).trimEnd(),
    );
  }
  lines.push('');
  if (report.grants.length === 0) lines.push('No permissions.');
  else {
    lines.push(
      columns([
        ['VERBS', 'RESOURCES', 'NAMES', 'SCOPE', 'VIA'],
        ...cells(report.grants.map((g) => [g.rule.verbs.join(','), resourcesText(g), g.rule.resourceNames.join(',') || '*', describeScope(g.scope), viaText(g)])),
      ]).trimEnd(),
    );
  }
  return lines.join('\n') + '\n';
}

export function register(program: Command): void {
  const command = program
    .command('access')
    .argument('<subject>', 'sa:<namespace>:<name>, user:<name> or group:<name>')
    .description("what a subject can do: its effective permissions (through every binding, its groups' included) and risk classes");
  addSourceOptions(command).action(async (subjectText: string, options: ScanOptions & { format: AccessFormat }) => {
    let subject: Subject;
    try {
      subject = parseSubject(subjectText);
    } catch (error) {
      if (error instanceof SubjectSyntaxError) throw new CliError(error.message);
      throw error;
    }
    const snapshot = await loadSnapshot(options, 'access');
    process.stdout.write(renderAccess(accessReport(rbacOf(snapshot), subject), options.format));
  });
}

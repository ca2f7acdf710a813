// `periscope who-can <verb> <resource> [-n ns]`: the subjects whose bindings allow a request, and through what.
import type { Command } from 'commander';
import { formatSubject, parseResource, type RbacAnalysis, type ResourceQuery, type WhoCanEntry } from '../../rbac/index.ts';
import { columns } from '../../report/catalogue.ts';
import { printable } from '../../report/table.ts';
import type { ScanOptions } from '../scan-extension.ts';
import { addSourceOptions, grantJson, loadSnapshot, rbacOf, viaText, type AccessFormat } from './access.ts';

export interface WhoCanQuery {
  verb: string;
  resource: string;
  namespace?: string;
  name?: string;
}

export function whoCan(rbac: RbacAnalysis, query: WhoCanQuery): WhoCanEntry[] {
  const resource: ResourceQuery = query.resource.startsWith('/') ? query.resource : parseResource(query.resource);
  return rbac.whoCan(query.verb, resource, query.namespace, query.name);
}

export function renderWhoCan(query: WhoCanQuery, entries: readonly WhoCanEntry[], format: AccessFormat): string {
  if (format === 'json') {
    return (
      JSON.stringify(
        {
          version: 1,
          query,
          subjects: entries.map((e) => ({ subject: formatSubject(e.subject), ...e.subject, grants: e.grants.map(grantJson) })),
        },
        null,
        2,
      ) + '\n'
    );
  }
  const where = query.namespace ? ` in namespace ${query.namespace}` : ' cluster-wide';
  const title = printable(`Who can ${query.verb} ${query.resource}${query.name ? ` named ${query.name}` : ''}${query.resource.startsWith('/') ? '' : where}:`);
  if (entries.length === 0) return `${title}\nnobody\n`;
  const rows = entries.flatMap((e) => e.grants.map((g, i) => [i === 0 ? formatSubject(e.subject) : '', g.scope.type === 'cluster' ? 'cluster-wide' : g.scope.namespaces.join(', '), viaText(g)]));
  // Subjects, namespaces and role names come from the cluster or the files: escaped like the scan table's.
  return `${title}\n${columns([['SUBJECT', 'SCOPE', 'VIA'], ...rows.map((row) => row.map(printable))])}`.trimEnd() + '\n';
}

export function register(program: Command): void {
  const command = program
    .command('who-can')
    .argument('<verb>', 'get, list, create, update, patch, delete, escalate, bind, impersonate, ...')
    .argument('<resource>', 'pods, pods/exec, deployments.apps, secrets, or a non-resource URL such as /metrics')
    .option('-n, --namespace <namespace>', 'the namespace of the request (default: cluster-wide / all namespaces)')
    .option('--name <name>', 'the object name (for roles limited by resourceNames)')
    .description('which subjects can make a request, and through which bindings (groups are listed, not expanded)');
  addSourceOptions(command).action(async (verb: string, resource: string, options: ScanOptions & { format: AccessFormat; namespace?: string; name?: string }) => {
    const snapshot = await loadSnapshot(options, 'who-can');
    const query: WhoCanQuery = { verb, resource, ...(options.namespace ? { namespace: options.namespace } : {}), ...(options.name ? { name: options.name } : {}) };
    process.stdout.write(renderWhoCan(query, whoCan(rbacOf(snapshot), query), options.format));
  });
}

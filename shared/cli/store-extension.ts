// `periscope scan --store local`: keep findings between scans in an embedded DynamoDB (dynalite) under
// $PERISCOPE_HOME (default ~/.periscope), so a second scan reports what is new and what was resolved.
import { homedir } from 'node:os';
import { join } from 'node:path';
import { Option } from 'commander';
import { compareFindings } from '../engine/run.ts';
import type { Finding } from '../model/finding.ts';
import { trendOf } from '../report/html.ts';
import { alertsOf, formatSummary } from '../store/reconcile.ts';
import { localStoreDir, openLocalStore } from '../store/local.ts';
import { CliError } from './errors.ts';
import { warn } from './output.ts';
import type { ScanExtension } from './scan-extension.ts';

export function periscopeHome(env: NodeJS.ProcessEnv = process.env): string {
  return env.PERISCOPE_HOME && env.PERISCOPE_HOME !== '' ? env.PERISCOPE_HOME : join(homedir(), '.periscope');
}

export const storeExtension: ScanExtension = {
  options(command) {
    command.addOption(
      new Option('--store <store>', 'keep findings between scans: `local` is an embedded store in $PERISCOPE_HOME (default ~/.periscope)')
        .choices(['none', 'local'])
        .default('none'),
    );
  },
  async afterEvaluate(input, result, options) {
    if (options.store !== 'local') return undefined;
    const dir = localStoreDir(periscopeHome());
    let local;
    try {
      local = await openLocalStore({ dir });
    } catch (error) {
      throw new CliError(`cannot open the local store in ${dir}: ${(error as Error).message}`);
    }
    try {
      const { store } = local;
      const { snapshot } = input;
      const lease = await store.acquireLease(snapshot.cluster.id);
      try {
        const outcome = await store.recordScan({
          lease,
          cluster: snapshot.cluster,
          ...(snapshot.clusterInfo ? { clusterInfo: snapshot.clusterInfo } : {}),
          findings: result.findings,
          coverage: snapshot.coverage,
          scannedAt: snapshot.takenAt,
          skippedRules: result.skipped,
        });
        for (const error of outcome.itemErrors) warn(`skipped a malformed stored item: ${error.message}`);
        warn(`${snapshot.cluster.name}: ${formatSummary(outcome.summary)} (store: ${dir})`);
        const { reconciliation, summary } = outcome;
        const findings: Finding[] = [...reconciliation.active, ...reconciliation.resolved].sort(compareFindings);
        const history = trendOf(await store.scans(snapshot.cluster.id), outcome.scanId);
        const alerts = alertsOf(reconciliation);
        return {
          findings,
          history,
          lifecycle: { opened: alerts.opened.length, resolved: alerts.resolved.length, unchanged: summary.unchanged },
        };
      } finally {
        await store.releaseLease(lease);
      }
    } finally {
      await local.close();
    }
  },
};

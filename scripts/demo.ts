// `npm run demo [-- --out <dir>] [--verbose]`: the whole pipeline on this machine against the demo cluster
// (shared/sandbox/demo/run.ts), with the real Lambda handlers of functions/. No AWS account or cluster needed.
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { DemoHandlers } from '../shared/sandbox/demo/run.ts';
import { runDemo } from '../shared/sandbox/demo/run.ts';

/** The functions, imported once the sandbox's environment is set (they read it when they load). */
export async function loadDemoHandlers(): Promise<DemoHandlers> {
  const [clusterEvents, scan, discover, notifySlack, notifyJira, auditEvents, directory, source] = await Promise.all([
    import('../functions/cluster-events.ts'),
    import('../functions/scan.ts'),
    import('../functions/discover.ts'),
    import('../functions/notify-slack.ts'),
    import('../functions/notify-jira.ts'),
    import('../functions/audit-events.ts'),
    import('../shared/eks/directory.ts'),
    import('../functions/adapters/eks-snapshot-source.ts'),
  ]);
  const access = directory.awsAccess([]);
  const clusters = new directory.EksClusterDirectory(access);
  const snapshots = new source.EksSnapshotSource(access);
  const asHandler = (handler: unknown) => handler as DemoHandlers['scan'];
  return {
    clusterEvents: asHandler(clusterEvents.handler),
    scan: asHandler(scan.handler),
    discover: asHandler(discover.handler),
    notifySlack: asHandler(notifySlack.handler),
    notifyJira: asHandler(notifyJira.handler),
    auditEvents: asHandler(auditEvents.handler),
    snapshot: async (location) => {
      const described = await clusters.describe(location);
      if (!described) throw new Error(`the demo cluster ${location.arn} does not exist`);
      return snapshots.snapshot(described, { skipSecrets: false });
    },
  };
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { out: { type: 'string', default: 'demo-output' }, verbose: { type: 'boolean', default: false }, help: { type: 'boolean', short: 'h', default: false } },
  });
  if (values.help) {
    process.stdout.write('Usage: npm run demo [-- --out <dir>] [--verbose]\nRuns Periscope end to end against a local demo EKS cluster and writes report.html, scan-1.json, scan-2.json, scan-3.json, slack/ and jira/ to the output directory (default demo-output/).\n');
    return;
  }
  await runDemo({
    outDir: path.resolve(values.out),
    loadHandlers: loadDemoHandlers,
    verbose: values.verbose,
    log: (line) => process.stdout.write(`${line}\n`),
  });
}

if (import.meta.main) {
  main().catch((error: unknown) => {
    process.stderr.write(`demo failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exitCode = 1;
  });
}

// A small scan for report tests: the real engine and the model rule over objects with and without file locations.
import { runRules } from '../../shared/engine/run.ts';
import type { KubeObject } from '../../shared/model/kube.ts';
import type { SourceLocation } from '../../shared/model/snapshot.ts';
import type { ScanReport } from '../../shared/report/scan-report.ts';
import privilegedContainer from '../../shared/rules/workload/privileged-container.ts';
import { container, deployment, hardenedPodSpec, pod, snapshotOf } from '../support/fixtures.ts';

const privileged = (name: string) => container({ name, securityContext: { privileged: true } });

export const web = deployment({ name: 'web', spec: hardenedPodSpec({ containers: [privileged('app'), privileged('sidecar')] }) });
export const api = deployment({ name: 'api', namespace: 'payments', spec: hardenedPodSpec({ containers: [privileged('api')] }) });
export const ignored = pod({
  name: 'debug',
  metadata: { annotations: { 'periscope.dev/ignore.privileged-container': 'break-glass pod, owned by SRE' } },
  spec: hardenedPodSpec({ containers: [privileged('shell')] }),
});

export function scanReport(extra: Partial<ScanReport> = {}): ScanReport {
  const objects: KubeObject[] = [web, api, ignored];
  const locations = new WeakMap<object, SourceLocation>([
    [web, { file: 'deploy/web app.yaml', line: 12 }],
    [ignored, { file: '-', line: 3 }],
  ]);
  const snapshot = snapshotOf(objects, { locations });
  const rules = [privilegedContainer];
  const result = runRules(snapshot, rules);
  return {
    cluster: snapshot.cluster,
    scannedAt: snapshot.takenAt,
    coverage: snapshot.coverage,
    findings: result.findings,
    rules,
    skipped: result.skipped,
    ...extra,
  };
}

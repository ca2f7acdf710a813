import { describe, expect, it } from 'vitest';
import {
  clusterNameOf,
  ExceptionsFileError,
  exceptionsFromYaml,
  FileExceptions,
  parseExceptionsFile,
} from '../../shared/engine/exceptions-file.ts';
import { runRules } from '../../shared/engine/run.ts';
import { manifestScanName } from '../../shared/cli/manifest-files.ts';
import type { Finding } from '../../shared/model/finding.ts';
import privilegedContainer from '../../shared/rules/workload/privileged-container.ts';
import { container, cronJob, deployment, hardenedPodSpec, pod, snapshotOf } from '../support/fixtures.ts';

type Subject = Omit<Finding, 'status' | 'suppression'>;

function subject(resource: Partial<Finding['resource']> & { ruleId?: string; clusterId?: string } = {}): Subject {
  const { ruleId = 'privileged-container', clusterId = 'arn:aws:eks:eu-west-1:111122223333:cluster/prod-eu', ...rest } = resource;
  return {
    fingerprint: '0'.repeat(32),
    clusterId,
    ruleId,
    severity: 'critical',
    resource: { apiVersion: 'apps/v1', kind: 'DaemonSet', namespace: 'monitoring', name: 'node-exporter', ...rest },
    message: 'm',
    path: '',
    frameworks: {},
    firstSeenAt: '2026-01-01T00:00:00.000Z',
    lastSeenAt: '2026-01-01T00:00:00.000Z',
    contentHash: 'x',
  };
}

const file = `# reviewed by the platform team
exceptions:
  - rule: host-*
    namespace: monitoring
    kind: DaemonSet
    name: node-exporter*
    reason: Node exporter reads host metrics by design
    owner: platform@example.com
    expires: 2026-06-30
  - rule: privileged-container
    cluster: prod-*
    reason: GPU driver installer needs privileged mode
    owner: ml-team
`;

function problems(text: string): ExceptionsFileError {
  try {
    parseExceptionsFile(text, 'periscope-exceptions.yaml');
  } catch (error) {
    if (error instanceof ExceptionsFileError) return error;
    throw error;
  }
  throw new Error('expected the file to be rejected');
}

describe('parseExceptionsFile', () => {
  it('reads entries with their positions, from a list or under exceptions:', () => {
    const entries = parseExceptionsFile(file);
    expect(entries).toEqual([
      {
        id: 'host-*/*/monitoring/DaemonSet/node-exporter*', index: 0, line: 3, rule: 'host-*', namespace: 'monitoring',
        kind: 'DaemonSet', name: 'node-exporter*', reason: 'Node exporter reads host metrics by design', owner: 'platform@example.com', expires: '2026-06-30',
      },
      { id: 'privileged-container/prod-*/*/*/*', index: 1, line: 10, rule: 'privileged-container', cluster: 'prod-*', reason: 'GPU driver installer needs privileged mode', owner: 'ml-team' },
    ]);
    const bare = parseExceptionsFile('- rule: "*"\n  id: all-in-sandbox\n  namespace: sandbox\n  reason: throwaway experiments only\n  owner: dev\n');
    expect(bare[0]).toMatchObject({ id: 'all-in-sandbox', line: 1 });
    expect(parseExceptionsFile('')).toEqual([]);
    expect(parseExceptionsFile('exceptions: []\n')).toEqual([]);
  });

  it('names the entry, the line and the field of every problem', () => {
    const error = problems(`exceptions:
  - rule: privileged-container
    namepsace: monitoring
    reason: ok
    owner: me
  - rule: host-network
    reason: A real reason for this one
    expires: next tuesday
`);
    expect(error.issues).toEqual([
      { file: 'periscope-exceptions.yaml', line: 3, index: 0, field: 'namepsace', message: expect.stringContaining('unknown field(s) namepsace') },
      { file: 'periscope-exceptions.yaml', line: 4, index: 0, field: 'reason', message: expect.stringContaining('at least 10 characters') },
      { file: 'periscope-exceptions.yaml', line: 6, index: 1, field: 'owner', message: expect.any(String) },
      { file: 'periscope-exceptions.yaml', line: 8, index: 1, field: 'expires', message: expect.stringContaining('YYYY-MM-DD') },
    ]);
    expect(error.message).toContain('periscope-exceptions.yaml:3: entry 1, field "namepsace"');
    expect(error.message).toContain('periscope-exceptions.yaml:8: entry 2, field "expires"');
  });

  it('rejects YAML that is not a list of entries, saying where', () => {
    expect(problems('exceptions:\n  - rule: [unclosed\n').issues[0]?.line).toBeGreaterThanOrEqual(2);
    expect(problems('rules:\n  - rule: x\n').issues[0]?.message).toMatch(/unknown top-level key\(s\) rules/);
    expect(problems('exceptions: {rule: x}\n').issues[0]?.message).toMatch(/expected a list/);
    expect(problems('- just a string\n').issues[0]).toMatchObject({ index: 0, line: 1, message: expect.stringContaining('mapping') });
  });
});

describe('FileExceptions', () => {
  const entries = parseExceptionsFile(file);

  it('matches rule, namespace, kind and name globs, and the cluster by ARN or name', () => {
    const exceptions = new FileExceptions(entries, { now: '2026-03-01T00:00:00.000Z' });
    expect(exceptions.match(subject({ ruleId: 'host-network' }), undefined)).toEqual({
      reason: 'Node exporter reads host metrics by design', source: 'exceptions-file', owner: 'platform@example.com',
      expiresAt: '2026-06-30', exceptionId: 'host-*/*/monitoring/DaemonSet/node-exporter*',
    });
    expect(exceptions.match(subject({ ruleId: 'host-pid', name: 'node-exporter-gpu' }), undefined)).toBeDefined();
    expect(exceptions.match(subject({ ruleId: 'host-network', namespace: 'shop' }), undefined)).toBeUndefined();
    expect(exceptions.match(subject({ ruleId: 'host-network', kind: 'Deployment' }), undefined)).toBeUndefined();
    expect(exceptions.match(subject({ ruleId: 'run-as-root' }), undefined)).toBeUndefined();
    // Cluster glob against the ARN's cluster name.
    expect(exceptions.match(subject({ namespace: 'ml' }), undefined)?.owner).toBe('ml-team');
    expect(exceptions.match(subject({ namespace: 'ml', clusterId: 'arn:aws:eks:eu-west-1:111122223333:cluster/staging' }), undefined)).toBeUndefined();
  });

  it('does not apply a namespace entry to cluster-scoped objects', () => {
    const exceptions = exceptionsFromYaml('- rule: "*"\n  namespace: "*"\n  reason: everything namespaced\n  owner: me\n', { now: new Date('2026-01-01') });
    expect(exceptions.match(subject({ kind: 'ClusterRole', namespace: undefined, name: 'admin' }), undefined)).toBeUndefined();
    expect(exceptions.match(subject(), undefined)).toBeDefined();
  });

  it('stops matching after the expiry day, and reports expired and unused entries', () => {
    const lastDay = new FileExceptions(entries, { now: '2026-06-30T23:59:59.000Z' });
    expect(lastDay.match(subject({ ruleId: 'host-network' }), undefined)).toBeDefined();

    const after = new FileExceptions(entries, { now: '2026-07-01T00:00:00.000Z' });
    expect(after.match(subject({ ruleId: 'host-network' }), undefined)).toBeUndefined();
    expect(after.match(subject({ ruleId: 'host-pid' }), undefined)).toBeUndefined();
    const report = after.report();
    expect(report.expired.map((u) => [u.entry.index, u.matched])).toEqual([[0, 2]]);
    expect(report.unused.map((u) => u.entry.index)).toEqual([1]);
  });

  it('turns engine findings into SUPPRESSED ones with the reason', () => {
    const exceptions = exceptionsFromYaml(file, { now: '2026-01-01T00:00:00.000Z' });
    const snapshot = snapshotOf(
      [deployment({ name: 'gpu-setup', namespace: 'ml', spec: hardenedPodSpec({ containers: [container({ securityContext: { privileged: true } })] }) })],
      { cluster: { id: 'arn:aws:eks:eu-west-1:111122223333:cluster/prod-eu', name: 'prod-eu', source: 'eks' } },
    );
    const { findings } = runRules(snapshot, [privilegedContainer], { exceptions: [exceptions] });
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ status: 'SUPPRESSED', suppression: { source: 'exceptions-file', owner: 'ml-team' } });
  });

  it('names clusters from their ids', () => {
    expect(clusterNameOf('arn:aws:eks:us-east-1:111122223333:cluster/payments')).toBe('payments');
    expect(clusterNameOf('kubeconfig:kind-dev')).toBe('kind-dev');
    // A manifest scan is named as the report names it (manifestScanName), not by the paths as typed.
    for (const paths of [['./deploy'], ['k8s/'], ['deploy/app.yaml'], ['-'], ['k8s/', 'extra.yaml'], ['.']]) {
      expect(clusterNameOf(`manifests:${paths.join(',')}`)).toBe(manifestScanName(paths));
    }
    expect(clusterNameOf('manifests:k8s/')).toBe('k8s');
  });

  it('matches a manifest scan by the name the report shows, by its id, and by the path as typed', () => {
    const entry = (cluster: string) =>
      new FileExceptions(
        parseExceptionsFile(`- {rule: privileged-container, cluster: '${cluster}', reason: Legacy app being rewritten, owner: shop}`),
        { now: '2026-01-01' },
      );
    const finding = subject({ clusterId: 'manifests:k8s/' });
    for (const cluster of ['k8s', 'k8s*', 'manifests:k8s/', 'k8s/']) {
      expect(entry(cluster).match(finding, undefined), cluster).toMatchObject({ source: 'exceptions-file' });
    }
    expect(entry('k8s').match(subject({ clusterId: 'manifests:k8s/,extra.yaml' }), undefined)).toBeUndefined();
    expect(entry('extra.yaml').match(subject({ clusterId: 'manifests:k8s/,extra.yaml' }), undefined)).toBeDefined();
    expect(entry('prod').match(finding, undefined)).toBeUndefined();
  });
});

describe('ignore annotations', () => {
  const privilegedSpec = hardenedPodSpec({ containers: [container({ securityContext: { privileged: true } })] });
  const reason = { 'periscope.dev/ignore.privileged-container': 'Falco needs privileged to load its driver' };

  it('count on the object and on its pod template', () => {
    for (const object of [
      deployment({ spec: privilegedSpec, metadata: { annotations: reason } }),
      deployment({ spec: privilegedSpec, templateMetadata: { annotations: reason } }),
      cronJob({ spec: privilegedSpec, metadata: { annotations: reason } }),
      pod({ spec: privilegedSpec, metadata: { annotations: reason } }),
    ]) {
      const { findings } = runRules(snapshotOf([object]), [privilegedContainer]);
      expect(findings.map((f) => [f.status, f.suppression?.reason, f.suppression?.source])).toEqual([
        ['SUPPRESSED', 'Falco needs privileged to load its driver', 'annotation'],
      ]);
    }
  });

  it('need a reason and the exact rule id', () => {
    for (const annotations of [{ 'periscope.dev/ignore.privileged-container': '  ' }, { 'periscope.dev/ignore.host-network': 'other rule entirely' }]) {
      const { findings } = runRules(snapshotOf([deployment({ spec: privilegedSpec, templateMetadata: { annotations } })]), [privilegedContainer]);
      expect(findings.map((f) => f.status)).toEqual(['OPEN']);
    }
  });
});

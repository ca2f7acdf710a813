import { existsSync, readFileSync } from 'node:fs';
import { join, resolve, sep } from 'node:path';
import { describe, expect, it } from 'vitest';
import { jsonReportSchema } from '../../../shared/report/json.ts';
import { rules } from '../../../shared/rules/index.ts';
import { repoRoot, runCli, type CliResult } from '../run-cli.ts';

const corpus = resolve(repoRoot, '..', 'shared', 'corpora', 'eks-system-addons');
const present = existsSync(corpus);
const relativeCorpus = join('..', 'shared', 'corpora', 'eks-system-addons');

let scanned: Promise<CliResult> | undefined;
/** One scan of the corpus, shared by the tests. */
const scanCorpus = (): Promise<CliResult> => (scanned ??= runCli(['scan', '-f', relativeCorpus, '--format', 'json']));

describe.skipIf(!present)('periscope scan of the eks-system-addons corpus (../shared/corpora)', () => {
  it('scans the real kube-system add-ons and finds the privileged kube-proxy', async () => {
    const result = await scanCorpus();
    // The corpus ships expected.json, which is not a manifest: it is reported (exit 2) and everything else scanned.
    const errorLines = result.stderr.split('\n').filter((line) => line.includes(': ') && !line.includes('input error'));
    for (const line of errorLines) expect(line).toMatch(/expected\.json:\d+: this document is not a Kubernetes object/);
    expect(result.code).toBe(errorLines.length > 0 ? 2 : 0);

    const report = jsonReportSchema.parse(JSON.parse(result.stdout));
    expect(report.cluster).toEqual({ id: `manifests:${relativeCorpus}`, name: 'eks-system-addons', source: 'manifests' });
    const kubeProxy = report.findings.find(
      (finding) =>
        finding.ruleId === 'privileged-container' &&
        finding.resource.kind === 'DaemonSet' &&
        finding.resource.namespace === 'kube-system' &&
        finding.resource.name === 'kube-proxy',
    );
    expect(kubeProxy).toMatchObject({ severity: 'critical', resource: { container: 'kube-proxy' } });
    // The location points at the first line of the object in a file of the corpus.
    const location = kubeProxy!.location!;
    expect(location.file.startsWith(relativeCorpus + sep)).toBe(true);
    const lines = readFileSync(resolve(repoRoot, location.file), 'utf8').split('\n');
    const objectText = lines.slice(location.line - 1, location.line + 40).join('\n');
    expect(objectText.trimStart()).toMatch(/^(\{|apiVersion:|kind:)/);
    expect(objectText).toContain('kube-proxy');
  });

  const capabilityRules = ['dangerous-capabilities', 'capabilities-baseline'].filter((id) => rules.some((rule) => rule.id === id));
  it.skipIf(capabilityRules.length === 0)(
    'finds the NET_ADMIN capability of aws-node (when a capability rule is registered)',
    async () => {
      const result = await scanCorpus();
      const report = jsonReportSchema.parse(JSON.parse(result.stdout));
      const awsNode = report.findings.filter(
        (finding) => capabilityRules.includes(finding.ruleId) && finding.resource.name === 'aws-node',
      );
      expect(awsNode.some((finding) => finding.message.includes('NET_ADMIN'))).toBe(true);
    },
  );
});

if (!present) {
  describe('eks-system-addons corpus', () => {
    it.skip(`skipped: ${corpus} is absent (the corpora live beside the repository in ../shared)`, () => {});
  });
}

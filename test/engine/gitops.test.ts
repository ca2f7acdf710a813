// GitOps sources on findings: read from Argo CD and Flux markers, carried by the JSON report, shown in HTML and Jira.
import { describe, expect, it } from 'vitest';
import { describeGitOpsSource } from '../../shared/engine/gitops.ts';
import { runRules } from '../../shared/engine/run.ts';
import type { Finding } from '../../shared/model/finding.ts';
import type { KubeObject } from '../../shared/model/kube.ts';
import { toWiki } from '../../shared/notify/jira/document.ts';
import { issueContent, jiraSettings, ticketGroupsOf } from '../../shared/notify/jira/issue.ts';
import { renderHtml } from '../../shared/report/html.ts';
import { jsonReportSchema, renderJson } from '../../shared/report/json.ts';
import { rules } from '../../shared/rules/index.ts';
import { finding as ticketFinding, prod, scanCompleted, testCatalogue } from '../notify/support.ts';
import { container, deployment, hardenedPodSpec, snapshotOf } from '../support/fixtures.ts';

const privileged = (metadata: Record<string, unknown>): KubeObject =>
  deployment({ name: 'web', metadata, spec: hardenedPodSpec({ containers: [container({ securityContext: { privileged: true } })] }) });

const application: KubeObject = {
  apiVersion: 'argoproj.io/v1alpha1',
  kind: 'Application',
  metadata: { name: 'shop', namespace: 'argocd' },
  spec: { source: { repoURL: 'https://github.com/acme/deploy.git', path: 'apps/shop', targetRevision: 'main' } },
};

function gitopsOf(object: KubeObject, others: KubeObject[] = []): Finding['gitops'] {
  const findings = runRules(snapshotOf([object, ...others]), rules).findings;
  return findings.find((finding) => finding.ruleId === 'privileged-container')!.gitops;
}

describe('GitOps source of a finding', () => {
  it('names the Argo CD Application of the tracking id, with its repository and path when the snapshot has it', () => {
    const tracked = privileged({ annotations: { 'argocd.argoproj.io/tracking-id': 'shop:apps/Deployment:shop/web' } });
    expect(gitopsOf(tracked, [application])).toEqual({
      tool: 'argocd',
      kind: 'Application',
      name: 'shop',
      repository: 'https://github.com/acme/deploy.git',
      path: 'apps/shop',
      via: 'argocd.argoproj.io/tracking-id',
    });
    expect(gitopsOf(tracked)).toEqual({ tool: 'argocd', kind: 'Application', name: 'shop', via: 'argocd.argoproj.io/tracking-id' });
    const namespaced = privileged({ annotations: { 'argocd.argoproj.io/tracking-id': 'team-a_shop:apps/Deployment:shop/web' } });
    expect(gitopsOf(namespaced)).toMatchObject({ namespace: 'team-a', name: 'shop' });
  });

  it('reads app.kubernetes.io/instance as an Argo CD Application only beside an Argo CD marker (Helm sets it too)', () => {
    expect(gitopsOf(privileged({ labels: { 'app.kubernetes.io/instance': 'shop' } }))).toBeUndefined();
    expect(
      gitopsOf(privileged({ labels: { 'app.kubernetes.io/instance': 'shop' }, annotations: { 'argocd.argoproj.io/sync-wave': '1' } })),
    ).toEqual({ tool: 'argocd', kind: 'Application', name: 'shop', via: 'app.kubernetes.io/instance' });
  });

  it('names the Flux Kustomization or HelmRelease, with the GitRepository URL and path when present', () => {
    const labels = { 'kustomize.toolkit.fluxcd.io/name': 'apps', 'kustomize.toolkit.fluxcd.io/namespace': 'flux-system' };
    const kustomization: KubeObject = {
      apiVersion: 'kustomize.toolkit.fluxcd.io/v1',
      kind: 'Kustomization',
      metadata: { name: 'apps', namespace: 'flux-system' },
      spec: { path: './clusters/prod/apps', sourceRef: { kind: 'GitRepository', name: 'fleet' } },
    };
    const repository: KubeObject = {
      apiVersion: 'source.toolkit.fluxcd.io/v1',
      kind: 'GitRepository',
      metadata: { name: 'fleet', namespace: 'flux-system' },
      spec: { url: 'ssh://git@github.com/acme/fleet' },
    };
    const source = gitopsOf(privileged({ labels }), [kustomization, repository]);
    expect(source).toEqual({
      tool: 'flux',
      kind: 'Kustomization',
      namespace: 'flux-system',
      name: 'apps',
      repository: 'ssh://git@github.com/acme/fleet',
      path: './clusters/prod/apps',
      via: 'kustomize.toolkit.fluxcd.io/name',
    });
    expect(describeGitOpsSource(source!)).toBe('Flux Kustomization flux-system/apps (ssh://git@github.com/acme/fleet, path ./clusters/prod/apps)');
    expect(gitopsOf(privileged({ labels: { 'helm.toolkit.fluxcd.io/name': 'shop', 'helm.toolkit.fluxcd.io/namespace': 'shop' } }))).toMatchObject({
      tool: 'flux',
      kind: 'HelmRelease',
      name: 'shop',
    });
  });

  it('is absent without markers, and goes into the JSON report, the HTML report and the Jira ticket', () => {
    expect(gitopsOf(privileged({}))).toBeUndefined();
    const tracked = privileged({ annotations: { 'argocd.argoproj.io/tracking-id': 'shop:apps/Deployment:shop/web' } });
    const snapshot = snapshotOf([tracked, application]);
    const findings = runRules(snapshot, rules).findings;
    const report = { cluster: snapshot.cluster, scannedAt: snapshot.takenAt, coverage: snapshot.coverage, findings, rules, skipped: [], inputErrors: [] };
    const json = jsonReportSchema.parse(JSON.parse(renderJson(report)));
    expect(json.findings.find((finding) => finding.ruleId === 'privileged-container')!.gitops).toMatchObject({ tool: 'argocd', name: 'shop' });
    const html = renderHtml(report, { snapshot, history: [] });
    expect(html).toContain('from Argo CD Application shop (https://github.com/acme/deploy.git, path apps/shop)');
    expect(html).toContain('Fix it at the source: Argo CD Application shop');

    const settings = jiraSettings({ projectKey: 'SEC' });
    const withSource = ticketFinding({ name: 'web' });
    withSource.gitops = { tool: 'flux', kind: 'HelmRelease', namespace: 'shop', name: 'web', via: 'helm.toolkit.fluxcd.io/name' };
    const [group] = ticketGroupsOf(prod.id, [withSource], settings, testCatalogue);
    const wiki = toWiki(issueContent(group!, scanCompleted({}).cluster, settings).description);
    expect(wiki).toContain('*Fix it at the source:* Flux HelmRelease shop/web; a patch in the cluster lasts until its next sync.');
  });
});

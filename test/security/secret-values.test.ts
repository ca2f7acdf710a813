// Invariant: a scan never reads a secret value, and credential-looking values found in workloads and ConfigMaps are
// never copied anywhere. Unique markers are planted in every place a value can hide (Secret data, stringData and
// last-applied annotation, env values, ConfigMap data, container args, a Deployment's last-applied annotation); the
// snapshot (for Secrets), the findings, every report format, the bus events, the Slack digest and the Jira ticket
// bodies are then searched for them.
import { describe, expect, it } from 'vitest';
import { runRules } from '../../shared/engine/run.ts';
import { collectedKinds } from '../../shared/kube/kinds.ts';
import { manifestSnapshot, parseManifests } from '../../shared/kube/manifests.ts';
import { shapeObject } from '../../shared/kube/shape.ts';
import { checkedKinds } from '../../shared/cli/manifest-source.ts';
import type { KubeObject } from '../../shared/model/kube.ts';
import type { Snapshot } from '../../shared/model/snapshot.ts';
import { toAdf, toWiki } from '../../shared/notify/jira/document.ts';
import { changeComment, issueContent, jiraSettings, ticketGroupsOf } from '../../shared/notify/jira/issue.ts';
import { toSlackMessage } from '../../shared/notify/slack/message.ts';
import { scanEvents } from '../../shared/pipeline/events.ts';
import { scanDigestOf } from '../../shared/pipeline/scan-digest.ts';
import { renderHtml } from '../../shared/report/html.ts';
import { renderJson } from '../../shared/report/json.ts';
import { renderSarif } from '../../shared/report/sarif.ts';
import type { ScanReport } from '../../shared/report/scan-report.ts';
import { renderTable } from '../../shared/report/table.ts';
import { rules } from '../../shared/rules/index.ts';
import { reconcile, summarize } from '../../shared/store/reconcile.ts';
import { countsOf } from '../../shared/store/records.ts';
import { container, deployment, namespace } from '../support/fixtures.ts';

const secretData = 'c2VjcmV0LWRhdGEtbWFya2VyLTAx'; // base64 of a Secret `data` value
const stringData = 'stringdata-marker-0x5eed';
const lastApplied = 'lastapplied-marker-0xfeed';
const awsKeyId = 'AKIAMARKERZZ7Q2WX4YB';
const awsSecretKey = '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';
const urlPassword = 'urlpw-marker-0xbeef';
const envPassword = 'envpw-marker-0xcafe';
const argPassword = 'argpw-marker-0xd00d';
const configMapToken = 'cm-token-marker-0xf00d';
const privateKeyBody = 'PRIVKEYMARKERMIIEvQIBADANBgkqhkiG9w0BAQEFAASC';

const markers = [secretData, stringData, lastApplied, awsKeyId, awsSecretKey, urlPassword, envPassword, argPassword, configMapToken, privateKeyBody];

function secretItem(): Record<string, unknown> {
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    type: 'Opaque',
    metadata: {
      name: 'db',
      namespace: 'shop',
      annotations: {
        'kubectl.kubernetes.io/last-applied-configuration': JSON.stringify({ stringData: { password: lastApplied } }),
        owner: 'team-shop',
      },
      managedFields: [{ manager: 'kubectl', fieldsV1: { 'f:data': { 'f:password': {} } }, note: stringData }],
    },
    data: { password: secretData },
    stringData: { password: stringData },
  };
}

function leakyDeployment(): KubeObject {
  // Not hardened: most workload rules fire, so their fixes (which copy parts of the spec) are searched too.
  return deployment({
    name: 'web',
    namespace: 'shop',
    metadata: {
      annotations: { 'kubectl.kubernetes.io/last-applied-configuration': JSON.stringify({ env: [{ name: 'DB_PASSWORD', value: envPassword }] }) },
    },
    spec: {
      containers: [
        container({
          name: 'app',
          args: [`--db-password=${argPassword}`],
          env: [
            { name: 'AWS_ACCESS_KEY_ID', value: awsKeyId },
            { name: 'AWS_SECRET_ACCESS_KEY', value: awsSecretKey },
            { name: 'DATABASE_URL', value: `postgres://shop:${urlPassword}@db:5432/shop` },
            { name: 'DB_PASSWORD', value: envPassword },
            { name: 'TLS_KEY', value: `-----BEGIN RSA PRIVATE KEY-----\n${privateKeyBody}\n-----END RSA PRIVATE KEY-----` },
          ],
        }),
      ],
    },
  });
}

function leakyConfigMap(): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: 'settings', namespace: 'shop' },
    data: {
      API_TOKEN: configMapToken,
      'app.properties': `db.url=jdbc:postgresql://db/shop\ndb.password=${urlPassword}\n`,
      aws: `key=${awsKeyId}`,
    },
  };
}

function leaks(text: string): string[] {
  return markers.filter((marker) => text.includes(marker));
}

const secretSpec = collectedKinds.find((spec) => spec.kind === 'Secret')!;
const configMapSpec = collectedKinds.find((spec) => spec.kind === 'ConfigMap')!;

describe('Secret values never reach the snapshot', () => {
  it('live listing: data, stringData, last-applied and managedFields are dropped even if the server sent them', () => {
    const shaped = shapeObject(secretSpec, secretItem(), new Map());
    expect(leaks(JSON.stringify(shaped))).toEqual([]);
    expect(shaped?.metadata).toMatchObject({ name: 'db', namespace: 'shop', annotations: { owner: 'team-shop' } });
  });

  it('manifest scan: a Secret manifest keeps its metadata and type, never its values', () => {
    const yaml = [
      'apiVersion: v1',
      'kind: Secret',
      'type: kubernetes.io/service-account-token',
      'metadata:',
      '  name: db',
      '  namespace: shop',
      '  annotations:',
      `    kubectl.kubernetes.io/last-applied-configuration: '{"stringData":{"password":"${lastApplied}"}}'`,
      '    kubernetes.io/service-account.name: builder',
      'data:',
      `  password: ${secretData}`,
      'stringData:',
      `  password: ${stringData}`,
      '',
    ].join('\n');
    const parsed = parseManifests(yaml, 'secret.yaml');
    const { snapshot } = manifestSnapshot(parsed.objects, { path: 'secret.yaml', name: 'secret', takenAt: '2026-01-01T00:00:00.000Z', checkedKinds: checkedKinds() });
    const [secret] = snapshot.objects.Secret ?? [];
    expect(leaks(JSON.stringify(secret))).toEqual([]);
    expect(secret).toMatchObject({ kind: 'Secret', type: 'kubernetes.io/service-account-token', metadata: { name: 'db' } });
    // The location survives the trimming, and the metadata-only rules still see the Secret.
    expect(snapshot.locations?.get(secret!)).toEqual({ file: 'secret.yaml', line: 1 });
    const findings = runRules(snapshot, rules).findings;
    expect(findings.map((f) => f.ruleId)).toContain('service-account-token-secret');
    expect(leaks(JSON.stringify(findings))).toEqual([]);
  });
});

describe('credential-looking values are never copied into any sink', () => {
  const configMap = shapeObject(configMapSpec, leakyConfigMap(), new Map())!;
  const secret = shapeObject(secretSpec, secretItem(), new Map())!;
  const objects = [namespace('shop'), leakyDeployment(), configMap, secret];
  const byKind: Record<string, KubeObject[]> = {};
  for (const o of objects) (byKind[String(o.kind)] ??= []).push(o);
  const cluster = { id: 'arn:aws:eks:eu-west-1:111122223333:cluster/prod', name: 'prod', arn: 'arn:aws:eks:eu-west-1:111122223333:cluster/prod', accountId: '111122223333', region: 'eu-west-1', source: 'eks' as const };
  const coverage = Object.fromEntries([...checkedKinds()].map((kind) => [kind, { complete: true, count: byKind[kind]?.length ?? 0 }]));
  const snapshot: Snapshot = { cluster, objects: byKind, coverage, takenAt: '2026-01-01T00:00:00.000Z' };
  const { findings, skipped } = runRules(snapshot, rules);

  it('the rules do flag the planted credentials (so the searches below are meaningful)', () => {
    const flagged = new Set(findings.map((f) => `${f.ruleId}:${f.path}`));
    expect([...flagged].filter((k) => k.startsWith('secret-in-env:')).length).toBeGreaterThanOrEqual(4);
    expect([...flagged].filter((k) => k.startsWith('configmap-credentials:')).length).toBeGreaterThanOrEqual(2);
  });

  it('findings (messages, paths, fixes, details) carry no value', () => {
    expect(leaks(JSON.stringify(findings))).toEqual([]);
  });

  const report: ScanReport = { cluster, scannedAt: snapshot.takenAt, coverage, findings, rules, skipped };
  const formats: [string, () => string][] = [
    ['json', () => renderJson(report)],
    ['sarif', () => renderSarif(report, '0.0.0-test')],
    ['html', () => renderHtml(report)],
    ['table', () => renderTable(report, { color: true, maxResources: 100, maxMessages: 100 })],
  ];
  for (const [name, render] of formats) {
    it(`the ${name} report carries no value`, () => {
      const text = render();
      expect(text.length).toBeGreaterThan(0);
      expect(leaks(text)).toEqual([]);
    });
  }

  const reconciliation = reconcile([], findings, coverage, { scannedAt: snapshot.takenAt });
  const outcome = { reconciliation, summary: summarize(reconciliation), counts: countsOf(reconciliation.active) };
  const events = scanEvents({ cluster, scanId: 'scan-1', startedAt: snapshot.takenAt, completedAt: snapshot.takenAt, outcome, coverage, baseline: false });

  it('the bus events, the stored records and the Slack digest carry no value', () => {
    expect(leaks(JSON.stringify(reconciliation.writes))).toEqual([]);
    expect(leaks(JSON.stringify(events))).toEqual([]);
    const completed = events.find((e) => e.detailType === 'Scan Completed')!.detail;
    const digest = scanDigestOf(completed as Parameters<typeof scanDigestOf>[0], { minSeverity: 'low' });
    expect(digest).toBeDefined();
    expect(leaks(JSON.stringify(toSlackMessage(digest!)))).toEqual([]);
  });

  it('the Jira tickets (Cloud and Data Center bodies, comments) carry no value', () => {
    const settings = jiraSettings({ projectKey: 'SEC', minSeverity: 'low', maxFixes: 20 });
    const groups = ticketGroupsOf(cluster.id, findings, settings, (id) => {
      const rule = rules.find((r) => r.id === id);
      return rule ? { id, ...rule.meta } : undefined;
    });
    expect(groups.length).toBeGreaterThan(0);
    for (const group of groups) {
      const content = issueContent(group, events[0]!.detail.cluster, settings);
      expect(leaks(JSON.stringify(content))).toEqual([]);
      expect(leaks(JSON.stringify(toAdf(content.description)))).toEqual([]);
      expect(leaks(toWiki(content.description))).toEqual([]);
      const comment = changeComment({ added: group.findings, fixed: [], scanId: 'scan-1', remaining: group.findings.length }, settings);
      expect(leaks(toWiki(comment))).toEqual([]);
    }
  });
});

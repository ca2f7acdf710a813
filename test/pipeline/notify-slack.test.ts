// notifySlack end to end: Scan Completed events → the real builder and sender → the local Slack receiver.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { SlackSender } from '../../shared/notify/slack/sender.ts';
import { notifySlack } from '../../shared/pipeline/notify-slack.ts';
import { silentLogger, type Metrics } from '../../shared/model/cross-cutting.ts';
import { SlackReceiver } from '../../shared/sandbox/slack-receiver.ts';
import { finding, manyFindings, scanCompleted, testCatalogue } from '../notify/support.ts';

const receiver = new SlackReceiver();
beforeAll(() => receiver.start());
afterAll(() => receiver.stop());
beforeEach(() => {
  receiver.messages.length = 0;
  receiver.requests.length = 0;
});

const counted: string[] = [];
const metrics: Metrics = { count: (name) => void counted.push(name) };

function deps() {
  return {
    slack: new SlackSender({ target: { kind: 'webhook', url: receiver.webhookUrl } }),
    minSeverity: 'high' as const,
    catalogue: testCatalogue,
    links: { docsUrl: 'https://periscope.example.com/docs/rules.md' },
    logger: silentLogger,
    metrics,
  };
}

describe('notifySlack', () => {
  it('sends one short baseline message for the first scan of a cluster with 200 findings', async () => {
    const findings = manyFindings(200);
    const result = await notifySlack(scanCompleted({ opened: findings, firstScan: true, scanId: 'scan-0001' }), deps());
    expect(result).toMatchObject({ sent: true, kind: 'baseline' });
    expect(receiver.messages).toHaveLength(1);
    const [message] = receiver.messages;
    expect(message?.blocks.length).toBeLessThanOrEqual(4);
    expect(JSON.stringify(message?.blocks).length).toBeLessThan(2000);
    expect(message?.text).toContain('200 open findings');
    // No finding is listed resource by resource.
    expect(JSON.stringify(message?.body)).not.toMatch(/team-\d\/app-\d+/);
    expect(counted).toContain('SlackBaselinesSent');
  });

  it('sends one digest with exactly the three new criticals of a rescan', async () => {
    const known = manyFindings(200);
    const newOnes = [finding({ name: 'payments' }), finding({ name: 'ledger', container: 'db' }), finding({ name: 'ops-tools', namespace: 'ops' })];
    const result = await notifySlack(
      scanCompleted({ opened: newOnes, open: [...known, ...newOnes], unchanged: 200, resolved: [finding({ name: 'retired' })] }),
      deps(),
    );
    expect(result).toMatchObject({ sent: true, kind: 'findings' });
    expect(receiver.messages).toHaveLength(1);
    const body = JSON.stringify(receiver.messages[0]?.blocks);
    for (const name of ['shop/payments', 'shop/ledger (container db)', 'ops/ops-tools']) expect(body).toContain(name);
    expect(body.match(/• `/g)).toHaveLength(3);
    expect(body).toContain('3 new');
    expect(body).toContain('1 finding resolved');
    expect(receiver.messages[0]?.text).toBe('Periscope: 3 new critical/high findings on prod (1 resolved)');
  });

  it('posts nothing for a rescan without new findings at the threshold', async () => {
    const result = await notifySlack(scanCompleted({ opened: [finding({ ruleId: 'run-as-non-root', name: 'x' })], resolved: [finding()] }), deps());
    expect(result).toEqual({ sent: false });
    expect(receiver.requests).toHaveLength(0);
  });

  it('posts a coverage warning for a rescan that read nothing, even without new findings', async () => {
    const coverage = {
      Namespace: { complete: false, count: 0, error: 'failed: unauthorized (401) while listing namespaces, even with a fresh token' },
      Deployment: { complete: false, count: 0, error: 'failed: not listed after an earlier failure (unauthorized (401))' },
      Secret: { complete: false, count: 0, error: 'skipped: Secret not listed by configuration' },
    };
    const result = await notifySlack(scanCompleted({ coverage }), deps());
    expect(result).toMatchObject({ sent: true });
    expect(receiver.messages).toHaveLength(1);
    const [message] = receiver.messages;
    expect(message?.text).toBe('Periscope: incomplete scan of prod');
    const warning = JSON.stringify(message?.blocks);
    expect(warning).toContain(':warning: *Incomplete scan:* 2 of 3 kinds could not be read completely');
    expect(warning).toContain('• `Namespace`: failed: unauthorized (401)');
    // Left out by configuration is not a failure.
    expect(warning).not.toContain('`Secret`');
  });
});

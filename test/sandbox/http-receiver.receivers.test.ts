// The Slack and Jira receivers: they refuse what the real services refuse, fail on demand, and keep what was sent.
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { JiraReceiver } from '../../shared/sandbox/jira-receiver.ts';
import { SlackReceiver } from '../../shared/sandbox/slack-receiver.ts';

const post = (url: string, body: unknown, headers: Record<string, string> = {}) =>
  fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: typeof body === 'string' ? body : JSON.stringify(body) });

const dirs: string[] = [];
afterEach(async () => {
  await Promise.all(dirs.splice(0).map((d) => rm(d, { recursive: true, force: true })));
});

describe('SlackReceiver', () => {
  it('accepts a valid message and refuses ones over Block Kit limits', async () => {
    const slack = new SlackReceiver();
    await slack.start();
    try {
      const ok = await post(slack.webhookUrl, { text: 'hi', blocks: [{ type: 'section', text: { type: 'mrkdwn', text: 'hello' } }] });
      expect([ok.status, await ok.text()]).toEqual([200, 'ok']);
      const cases: [unknown, string, RegExp][] = [
        [{ text: 'x', blocks: Array.from({ length: 51 }, () => ({ type: 'divider' })) }, 'invalid_blocks', /51 blocks/],
        [{ text: 'x', blocks: [{ type: 'section', text: { type: 'mrkdwn', text: 'y'.repeat(3001) } }] }, 'invalid_blocks', /3001 chars/],
        [{ text: 'x', blocks: [{ type: 'header', text: { type: 'plain_text', text: 'h'.repeat(151) } }] }, 'invalid_blocks', /header text is 151/],
        [{ blocks: [] }, 'no_text', /no top-level text/],
        ['not json', 'invalid_payload', /not a JSON object/],
      ];
      for (const [body, code, problem] of cases) {
        const response = await post(slack.webhookUrl, body);
        expect([response.status, await response.text()]).toEqual([400, code]);
        expect(slack.rejected.at(-1)?.problems.join('; ')).toMatch(problem);
      }
      const wrongHook = await post(slack.webhookUrl.replace(/webhook$/, 'other'), { text: 'x' });
      expect([wrongHook.status, await wrongHook.text()]).toEqual([403, 'invalid_token']);
      expect(slack.messages).toHaveLength(1);
      expect(slack.requests).toHaveLength(7);
    } finally {
      await slack.stop();
    }
  });

  it('fails the next N requests with Retry-After, then recovers', async () => {
    const slack = new SlackReceiver();
    await slack.start();
    try {
      slack.failNext(2, { status: 429, retryAfterSeconds: 7 });
      const first = await post(slack.webhookUrl, { text: 'x' });
      expect([first.status, first.headers.get('retry-after'), await first.text()]).toEqual([429, '7', 'rate_limited']);
      await post(slack.webhookUrl, { text: 'x' });
      expect(slack.pendingFaults).toBe(0);
      expect((await post(slack.webhookUrl, { text: 'x' })).status).toBe(200);
    } finally {
      await slack.stop();
    }
  });

  it('writes each request to the output directory, credentials masked', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'periscope-slack-'));
    dirs.push(dir);
    const slack = new SlackReceiver({ outputDir: join(dir, 'slack') });
    await slack.start();
    await post(`${slack.apiUrl}/chat.postMessage`, { channel: 'C1', text: 'hi' }, { authorization: `Bearer ${slack.botToken}` });
    await slack.stop();
    const files = await readdir(join(dir, 'slack'));
    expect(files).toEqual(['0001-POST-api_chat.postMessage.json']);
    const saved = await readFile(join(dir, 'slack', files[0] as string), 'utf8');
    expect(JSON.parse(saved)).toMatchObject({ method: 'POST', status: 200, body: { channel: 'C1', text: 'hi' } });
    expect(saved).not.toContain(slack.botToken);
  });
});

describe('JiraReceiver', () => {
  const auth = { authorization: `Basic ${Buffer.from('periscope@example.com:test-token').toString('base64')}` };
  const adf = { version: 1, type: 'doc', content: [{ type: 'paragraph', content: [{ type: 'text', text: 'x' }] }] };

  it('checks credentials and body formats per REST version', async () => {
    const jira = new JiraReceiver();
    await jira.start();
    try {
      const fields = { project: { key: 'SEC' }, issuetype: { name: 'Task' }, summary: 's', labels: ['a'] };
      expect((await post(`${jira.url}/rest/api/3/issue`, { fields: { ...fields, description: adf } })).status).toBe(401);
      expect((await post(`${jira.url}/rest/api/3/issue`, { fields: { ...fields, description: adf } }, auth)).status).toBe(201);
      const wiki = await post(`${jira.url}/rest/api/3/issue`, { fields: { ...fields, description: 'plain text' } }, auth);
      expect(wiki.status).toBe(400);
      expect(JSON.stringify(await wiki.json())).toContain('Atlassian Document');
      const badMarks = { ...adf, content: [{ type: 'paragraph', content: [{ type: 'text', text: 'x', marks: [{ type: 'code' }, { type: 'strong' }] }] }] };
      expect((await post(`${jira.url}/rest/api/3/issue`, { fields: { ...fields, description: badMarks } }, auth)).status).toBe(400);
      const v2 = await post(`${jira.url}/rest/api/2/issue`, { fields: { ...fields, description: 'h2. wiki' } }, { authorization: 'Bearer test-pat' });
      expect(v2.status).toBe(201);
      expect((await post(`${jira.url}/rest/api/2/issue`, { fields: { ...fields, description: adf } }, { authorization: 'Bearer test-pat' })).status).toBe(400);
      expect((await post(`${jira.url}/rest/api/3/issue`, { fields: { ...fields, labels: ['has space'], description: adf } }, auth)).status).toBe(400);
      expect([...jira.issues.keys()]).toEqual(['SEC-1', 'SEC-2']);
    } finally {
      await jira.stop();
    }
  });

  it('searches by label, refuses unbounded JQL and the removed v3 search', async () => {
    const jira = new JiraReceiver();
    await jira.start();
    try {
      const fields = { project: { key: 'SEC' }, issuetype: { name: 'Task' }, summary: 's', description: adf };
      await post(`${jira.url}/rest/api/3/issue`, { fields: { ...fields, labels: ['periscope-a'] } }, auth);
      await post(`${jira.url}/rest/api/3/issue`, { fields: { ...fields, labels: ['periscope-b'] } }, auth);
      const found = await (await post(`${jira.url}/rest/api/3/search/jql`, { jql: 'project = "SEC" AND labels = "periscope-b" ORDER BY created ASC' }, auth)).json();
      expect((found as { issues: { key: string }[] }).issues.map((i) => i.key)).toEqual(['SEC-2']);
      const notDone = await (await post(`${jira.url}/rest/api/3/search/jql`, { jql: 'labels in ("periscope-a", "periscope-b") AND statusCategory != Done' }, auth)).json();
      expect((notDone as { issues: unknown[] }).issues).toHaveLength(2);
      expect((await post(`${jira.url}/rest/api/3/search/jql`, { jql: '' }, auth)).status).toBe(400);
      expect((await post(`${jira.url}/rest/api/3/search`, { jql: 'project = SEC' }, auth)).status).toBe(410);
    } finally {
      await jira.stop();
    }
  });

  it('follows its workflow: only transitions valid from the current status', async () => {
    const jira = new JiraReceiver();
    await jira.start();
    try {
      const fields = { project: { key: 'SEC' }, issuetype: { name: 'Task' }, summary: 's', description: adf };
      await post(`${jira.url}/rest/api/3/issue`, { fields }, auth);
      const list = async () => ((await (await fetch(`${jira.url}/rest/api/3/issue/SEC-1/transitions`, { headers: auth })).json()) as { transitions: { id: string; name: string }[] }).transitions.map((t) => t.name);
      expect(await list()).toEqual(['Start Progress', 'Done']);
      expect((await post(`${jira.url}/rest/api/3/issue/SEC-1/transitions`, { transition: { id: '41' } }, auth)).status).toBe(400);
      expect((await post(`${jira.url}/rest/api/3/issue/SEC-1/transitions`, { transition: { id: '31' } }, auth)).status).toBe(204);
      expect(await list()).toEqual(['Reopen']);
      expect(jira.issues.get('SEC-1')?.transitions).toEqual(['Done']);
      expect((await fetch(`${jira.url}/rest/api/3/issue/SEC-9`, { headers: auth })).status).toBe(404);
    } finally {
      await jira.stop();
    }
  });

  it('injects 429 and 500 for the next requests and records them all to files', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'periscope-jira-'));
    dirs.push(dir);
    const jira = new JiraReceiver({ outputDir: join(dir, 'jira') });
    await jira.start();
    jira.failNext(1, { status: 429, retryAfterSeconds: 5 });
    jira.failNext(1, { status: 500 });
    const a = await fetch(`${jira.url}/rest/api/3/issue/SEC-1`, { headers: auth });
    const b = await fetch(`${jira.url}/rest/api/3/issue/SEC-1`, { headers: auth });
    const c = await fetch(`${jira.url}/rest/api/3/issue/SEC-1`, { headers: auth });
    expect([a.status, a.headers.get('retry-after'), b.status, c.status]).toEqual([429, '5', 500, 404]);
    await jira.stop();
    const files = await readdir(join(dir, 'jira'));
    expect(files).toHaveLength(3);
    const saved = await readFile(join(dir, 'jira', files[0] as string), 'utf8');
    expect(saved).not.toContain('test-token');
    expect(saved).not.toContain(auth.authorization);
  });
});

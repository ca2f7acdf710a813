// The Jira client against the local Jira receiver, in both flavours: Cloud (v3, ADF) and Data Center (v2, wiki).
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { JiraClient, JiraRequestError, jiraCredentialsOf, type JiraAuth } from '../../../shared/notify/jira/client.ts';
import type { IssueContent, JiraFlavour } from '../../../shared/notify/jira/issue.ts';
import { JiraReceiver } from '../../../shared/sandbox/jira-receiver.ts';

const receiver = new JiraReceiver({ projects: ['SEC'] });
beforeAll(() => receiver.start());
afterAll(() => receiver.stop());
beforeEach(() => {
  receiver.clearFaults();
  receiver.requests.length = 0;
});

const cloudAuth: JiraAuth = { kind: 'basic', email: 'periscope@example.com', apiToken: 'test-token' };
const dcAuth: JiraAuth = { kind: 'bearer', token: 'test-pat' };

function client(flavour: JiraFlavour, auth: JiraAuth = flavour === 'cloud' ? cloudAuth : dcAuth, sleeps: number[] = []): JiraClient {
  return new JiraClient({ baseUrl: receiver.url, flavour, auth, retry: { sleep: async (ms) => void sleeps.push(ms), random: () => 0.5 } });
}

const content: IssueContent = {
  summary: '[Periscope] Privileged container on prod',
  labels: ['periscope', 'periscope-0123456789abcdef0123'],
  priority: 'Highest',
  description: [{ type: 'paragraph', content: [{ text: 'What: ', strong: true }, { text: 'privileged' }] }],
};

describe.each(['cloud', 'data-center'] as const)('JiraClient (%s)', (flavour) => {
  const version = flavour === 'cloud' ? 3 : 2;

  it('creates, finds by label, comments and transitions an issue', async () => {
    const jira = client(flavour);
    const label = `periscope-${flavour}-label`;
    const created = await jira.createIssue('SEC', 'Task', { ...content, labels: ['periscope', label] });
    expect(created.url).toBe(`${receiver.url}/browse/${created.key}`);
    const issue = receiver.issues.get(created.key);
    expect(issue).toMatchObject({ apiVersion: version, issueType: 'Task', priority: 'Highest', labels: ['periscope', label] });
    if (flavour === 'cloud') expect(issue?.description).toMatchObject({ type: 'doc', version: 1 });
    else expect(issue?.description).toBe('*What:* privileged');

    expect(await jira.findByLabel('SEC', label)).toEqual([{ key: created.key, status: 'To Do', done: false }]);
    expect(await jira.findByLabel('SEC', 'periscope-nothing')).toEqual([]);

    await jira.addComment(created.key, [{ type: 'paragraph', content: [{ text: 'two new resources' }] }]);
    expect(issue?.comments).toHaveLength(1);

    expect(await jira.transition(created.key, 'done', 'Done')).toBe('Done');
    expect(await jira.issueState(created.key)).toEqual({ key: created.key, status: 'Done', done: true });
    // No transition is called "Reopen it": fall back to the first one out of done.
    expect(await jira.transition(created.key, 'reopen', 'Reopen it')).toBe('Reopen');
    expect((await jira.issueState(created.key)).done).toBe(false);
    expect(receiver.requests.every((r) => r.path.startsWith(`/rest/api/${version}/`))).toBe(true);
  });

  it('a create whose answer is lost after the issue was made (504) adopts that issue instead of making a second', async () => {
    const label = `periscope-lost-${flavour}`;
    receiver.failNext(1, { status: 504, afterHandling: true });
    const created = await client(flavour).createIssue('SEC', 'Task', { ...content, labels: ['periscope', label], claimLabel: label });
    const made = [...receiver.issues.values()].filter((i) => i.labels.includes(label));
    expect(made.map((i) => i.key)).toEqual([created.key]);
    expect(receiver.requests.map((r) => `${r.method} ${r.path.replace(/^\/rest\/api\/\d/, '')} ${r.status}`)).toEqual([
      'POST /issue 504',
      `POST ${flavour === 'cloud' ? '/search/jql' : '/search'} 200`,
    ]);
  });

  it('a create refused before it was carried out (503) is looked up, not found, and sent again', async () => {
    const label = `periscope-refused-${flavour}`;
    receiver.failNext(1, { status: 503 });
    const created = await client(flavour).createIssue('SEC', 'Task', { ...content, labels: ['periscope', label], claimLabel: label });
    expect([...receiver.issues.values()].filter((i) => i.labels.includes(label)).map((i) => i.key)).toEqual([created.key]);
    expect(receiver.requests.map((r) => `${r.method} ${r.status}`)).toEqual(['POST 503', 'POST 200', 'POST 201']);
  });

  it('retries 429 as long as Retry-After says, and 5xx with backoff', async () => {
    const sleeps: number[] = [];
    receiver.failNext(1, { status: 429, retryAfterSeconds: 2 });
    receiver.failNext(1, { status: 503 });
    const created = await client(flavour, undefined, sleeps).createIssue('SEC', 'Task', content);
    expect(created.key).toMatch(/^SEC-\d+$/);
    expect(sleeps).toEqual([2000, 500]);
  });

  it('fails once, clearly, on refused credentials and never shows them', async () => {
    const bad: JiraAuth = flavour === 'cloud' ? { kind: 'basic', email: 'periscope@example.com', apiToken: 'wrong-secret' } : { kind: 'bearer', token: 'wrong-secret' };
    const error = await client(flavour, bad).createIssue('SEC', 'Task', content).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(JiraRequestError);
    expect(error).toMatchObject({ status: 401, retryable: false });
    expect((error as Error).message).toMatch(/credentials were refused/);
    expect((error as Error).message).not.toContain('wrong-secret');
    expect(receiver.requests).toHaveLength(1);
  });

  it('says which field Jira refused', async () => {
    const error = await client(flavour).createIssue('NOPE', 'Task', content).catch((e: unknown) => e);
    expect(error).toMatchObject({ status: 400, retryable: false });
    expect((error as Error).message).toContain('project: valid project is required');
  });
});

describe('JiraClient details', () => {
  it('creates the issue without a priority the project does not have', async () => {
    const created = await client('cloud').createIssue('SEC', 'Task', { ...content, priority: 'P0' });
    expect(receiver.issues.get(created.key)?.priority).toBeUndefined();
    expect(receiver.requests.map((r) => r.status)).toEqual([400, 201]);
  });

  it('names the transitions that exist when the configured one does not', async () => {
    const jira = client('cloud');
    const created = await jira.createIssue('SEC', 'Task', content);
    await jira.transition(created.key, 'done', 'Done');
    const error = await jira.transition(created.key, 'done', 'Close').catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'no_transition', retryable: false });
    expect((error as Error).message).toContain('available: "Reopen"');
  });

  it('reads Cloud and Data Center credentials from the secret', () => {
    expect(jiraCredentialsOf('{"email":"a@b.c","apiToken":"t","baseUrl":"https://x.atlassian.net"}', 's')).toEqual({
      auth: { kind: 'basic', email: 'a@b.c', apiToken: 't' },
      baseUrl: 'https://x.atlassian.net',
    });
    expect(jiraCredentialsOf('{"token":"pat"}', 's')).toEqual({ auth: { kind: 'bearer', token: 'pat' } });
    expect(() => jiraCredentialsOf('{"apiToken":"very-secret"}', 'periscope/jira')).toThrow(/periscope\/jira has fields apiToken/);
    expect(() => jiraCredentialsOf('very-secret', 'periscope/jira')).toThrow(/not JSON/);
  });
});

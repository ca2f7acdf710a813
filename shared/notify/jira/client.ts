// A thin Jira REST client over fetch for both flavours: Cloud (REST v3, ADF, email + API token) and Data Center
// (REST v2, wiki markup, personal access token). 429 and 5xx are retried; other failures are typed and final.
import {
  assertSafeEndpoint,
  DeliveryError,
  isRetryableStatus,
  networkFailureCode,
  retryAfterMs,
  withRetries,
  type FetchLike,
  type RetryOptions,
} from '../http.ts';
import { silentLogger, systemClock, type Clock, type Logger } from '../../model/cross-cutting.ts';
import { secretJson, stringField } from '../secrets.ts';
import { toAdf, toWiki, type Doc } from './document.ts';
import type { IssueContent, JiraFlavour } from './issue.ts';

export type JiraAuth = { kind: 'basic'; email: string; apiToken: string } | { kind: 'bearer'; token: string };

export class JiraRequestError extends DeliveryError {
  override readonly name = 'JiraRequestError';
}

export interface CreatedIssue {
  key: string;
  url: string;
}

export interface IssueState {
  key: string;
  status: string;
  done: boolean;
}

export type TransitionTarget = 'done' | 'reopen';

export interface JiraClientOptions {
  baseUrl: string;
  flavour: JiraFlavour;
  auth: JiraAuth;
  fetch?: FetchLike;
  logger?: Logger;
  retry?: RetryOptions;
  timeoutMs?: number;
  clock?: Clock;
}

interface Transition {
  id: string;
  name: string;
  to?: { name?: string; statusCategory?: { key?: string } };
}

const hints: Record<number, string> = {
  400: 'Jira rejected the request; check the project key, issue type, priority names and required fields of the project',
  401: 'the credentials were refused: Cloud takes an account email with an API token, Data Center a personal access token',
  403: 'the account lacks a permission (Browse projects, Create issues, Add comments, Transition issues) in the project',
  404: 'the issue or project does not exist, or the account cannot see it',
};

/** Fits the ticket sync's JiraApi port (pipeline/jira-sync.ts). */
export class JiraClient {
  readonly #baseUrl: string;
  readonly #flavour: JiraFlavour;
  readonly #auth: JiraAuth;
  readonly #fetch: FetchLike;
  readonly #logger: Logger;
  readonly #retry: RetryOptions;
  readonly #timeoutMs: number;
  readonly #clock: Clock;

  constructor(options: JiraClientOptions) {
    const url = new URL(options.baseUrl);
    assertSafeEndpoint(url, 'The Jira base URL');
    this.#baseUrl = url.toString().replace(/\/$/, '');
    this.#flavour = options.flavour;
    this.#auth = options.auth;
    this.#fetch = options.fetch ?? ((input, init) => fetch(input, init));
    this.#logger = options.logger ?? silentLogger;
    this.#retry = options.retry ?? {};
    this.#timeoutMs = options.timeoutMs ?? 15_000;
    this.#clock = options.clock ?? systemClock;
  }

  get #api(): string {
    return this.#flavour === 'cloud' ? '/rest/api/3' : '/rest/api/2';
  }

  /** A rich-text field in the flavour's format. */
  #rich(doc: Doc): unknown {
    return this.#flavour === 'cloud' ? toAdf(doc) : toWiki(doc);
  }

  async createIssue(projectKey: string, issueType: string, content: IssueContent): Promise<CreatedIssue> {
    const fields: Record<string, unknown> = {
      project: { key: projectKey },
      issuetype: { name: issueType },
      summary: content.summary,
      description: this.#rich(content.description),
      labels: content.labels,
    };
    if (content.priority) fields.priority = { name: content.priority };
    // A create whose answer was lost (a timeout, a 502/503/504 from a proxy) may have created the issue: before
    // sending it again, look the issue up by its claim label, so a lost response does not make a second ticket.
    const { claimLabel } = content;
    const alreadyCreated = claimLabel
      ? async (): Promise<{ key: string } | undefined> => {
          const found = (await this.findByLabel(projectKey, claimLabel))[0];
          if (found) this.#logger.warn('Jira create answered with an error but the issue exists; adopting it', { projectKey, issueKey: found.key });
          return found ? { key: found.key } : undefined;
        }
      : undefined;
    let created: { key?: string };
    try {
      created = (await this.#request('POST', '/issue', { fields }, alreadyCreated)) as { key?: string };
    } catch (error) {
      // Projects whose create screen has no priority refuse the field: create without it rather than not at all.
      if (!(error instanceof JiraRequestError) || error.status !== 400 || !fields.priority || !/priority/i.test(error.message)) throw error;
      this.#logger.warn('Jira refused the priority field; creating the issue without it', { projectKey });
      delete fields.priority;
      created = (await this.#request('POST', '/issue', { fields }, alreadyCreated)) as { key?: string };
    }
    if (!created.key) throw new JiraRequestError('jira', 'Jira created an issue but returned no key.', { code: 'no_key', retryable: false });
    return { key: created.key, url: `${this.#baseUrl}/browse/${created.key}` };
  }

  async findByLabel(projectKey: string, label: string): Promise<IssueState[]> {
    const jql = `project = "${projectKey}" AND labels = "${label}" ORDER BY created ASC`;
    const path = this.#flavour === 'cloud' ? '/search/jql' : '/search';
    const out = (await this.#request('POST', path, { jql, fields: ['status'], maxResults: 10 })) as {
      issues?: { key: string; fields?: { status?: StatusField } }[];
    };
    return (out.issues ?? []).map((issue) => stateOf(issue.key, issue.fields?.status));
  }

  async issueState(key: string): Promise<IssueState> {
    const out = (await this.#request('GET', `/issue/${encodeURIComponent(key)}?fields=status`)) as { fields?: { status?: StatusField } };
    return stateOf(key, out.fields?.status);
  }

  async addComment(key: string, body: Doc): Promise<void> {
    await this.#request('POST', `/issue/${encodeURIComponent(key)}/comment`, { body: this.#rich(body) });
  }

  async transition(key: string, target: TransitionTarget, name: string): Promise<string> {
    const path = `/issue/${encodeURIComponent(key)}/transitions`;
    const out = (await this.#request('GET', path)) as { transitions?: Transition[] };
    const available = out.transitions ?? [];
    const intoDone = (t: Transition): boolean => t.to?.statusCategory?.key === 'done';
    const chosen =
      available.find((t) => t.name.toLowerCase() === name.toLowerCase()) ??
      (target === 'done'
        ? available.find(intoDone)
        : (available.find((t) => t.to?.statusCategory?.key === 'new') ?? available.find((t) => !intoDone(t))));
    if (!chosen) {
      throw new JiraRequestError(
        'jira',
        `Issue ${key} has no "${name}" transition from its current status (available: ${available.map((t) => `"${t.name}"`).join(', ') || 'none'}). ` +
          `Set the ${target === 'done' ? 'doneTransition' : 'reopenTransition'} setting to one of them, or give the account the Transition issues permission.`,
        { code: 'no_transition', retryable: false },
      );
    }
    await this.#request('POST', path, { transition: { id: chosen.id } });
    return chosen.name;
  }

  /** One REST call with retries. `done`, for a call that is not safe to repeat, is asked before each retry that
   * follows an ambiguous failure (no answer, or a 5xx: the call may have been carried out); what it finds answers. */
  async #request(method: 'GET' | 'POST', path: string, body?: unknown, done?: () => Promise<unknown>): Promise<unknown> {
    const url = `${this.#baseUrl}${this.#api}${path}`;
    const headers: Record<string, string> = { accept: 'application/json', authorization: this.#authorization() };
    if (body !== undefined) headers['content-type'] = 'application/json';
    const what = `Jira ${method} ${this.#api}${path.split('?')[0]}`;
    let ambiguous = false;
    return withRetries(what, this.#retry, this.#logger, async () => {
      if (ambiguous && done) {
        const found = await done();
        if (found !== undefined) return found;
      }
      let response: Response;
      try {
        const init: RequestInit = { method, headers, signal: AbortSignal.timeout(this.#timeoutMs) };
        if (body !== undefined) init.body = JSON.stringify(body);
        response = await this.#fetch(url, init);
      } catch (error) {
        ambiguous = true;
        const code = networkFailureCode(error);
        throw new JiraRequestError('jira', `${what} could not reach Jira at ${new URL(this.#baseUrl).host} (${code}); it is retried.`, { code, retryable: true });
      }
      ambiguous = response.status >= 500;
      const text = await response.text().catch(() => '');
      if (response.ok) return text ? (JSON.parse(text) as unknown) : undefined;
      const retryable = isRetryableStatus(response.status);
      const details: { status: number; code: string; retryable: boolean; retryAfterMs?: number } = {
        status: response.status,
        code: `http_${response.status}`,
        retryable,
      };
      const wait = retryAfterMs(response.headers.get('retry-after'), this.#clock.now());
      if (wait !== undefined) details.retryAfterMs = wait;
      const hint = hints[response.status] ?? (retryable ? 'Jira is rate limiting or unavailable; the request is retried' : 'see the message from Jira');
      throw new JiraRequestError('jira', `${what} failed (HTTP ${response.status}${jiraMessages(text)}): ${hint}.`, details);
    });
  }

  #authorization(): string {
    if (this.#auth.kind === 'bearer') return `Bearer ${this.#auth.token}`;
    return `Basic ${Buffer.from(`${this.#auth.email}:${this.#auth.apiToken}`).toString('base64')}`;
  }
}

interface StatusField {
  name?: string;
  statusCategory?: { key?: string };
}

function stateOf(key: string, status: StatusField | undefined): IssueState {
  return { key, status: status?.name ?? 'unknown', done: status?.statusCategory?.key === 'done' };
}

/** Jira's own error text (`errorMessages` and field `errors`), short. */
function jiraMessages(body: string): string {
  try {
    const parsed = JSON.parse(body) as { errorMessages?: unknown; errors?: unknown };
    const messages = Array.isArray(parsed.errorMessages) ? parsed.errorMessages.filter((m): m is string => typeof m === 'string') : [];
    const fields = parsed.errors && typeof parsed.errors === 'object' ? Object.entries(parsed.errors as Record<string, unknown>).map(([f, m]) => `${f}: ${String(m)}`) : [];
    const all = [...messages, ...fields].join('; ');
    return all ? `: ${all.slice(0, 500)}` : '';
  } catch {
    return '';
  }
}

const expectedJiraSecret = '{"email": "...", "apiToken": "..."} (Jira Cloud) or {"token": "..."} (Data Center personal access token), optionally with "baseUrl"';

/** The Jira secret: Cloud email + API token, or a Data Center personal access token; optionally the site URL. */
export function jiraCredentialsOf(secretValue: string, secretId: string): { auth: JiraAuth; baseUrl?: string } {
  const object = secretJson(secretValue, secretId, expectedJiraSecret);
  if (!object) throw new Error(`Secret ${secretId} is not JSON; expected ${expectedJiraSecret}.`);
  const baseUrl = stringField(object, 'baseUrl');
  const email = stringField(object, 'email');
  const apiToken = stringField(object, 'apiToken');
  const token = stringField(object, 'token') ?? stringField(object, 'personalAccessToken');
  const auth: JiraAuth | undefined = email && apiToken ? { kind: 'basic', email, apiToken } : token ? { kind: 'bearer', token } : undefined;
  if (!auth) throw new Error(`Secret ${secretId} has fields ${Object.keys(object).join(', ') || '(none)'}; expected ${expectedJiraSecret}.`);
  return baseUrl ? { auth, baseUrl } : { auth };
}

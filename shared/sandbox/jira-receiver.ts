// A local stand-in for Jira's REST API, Cloud (v3, ADF) and Data Center (v2, wiki markup): create and get issues,
// search by JQL on project and labels, comment, list and take transitions. Checks auth and body formats the way
// Jira refuses them, and records every request (for the tests and the demo's jira/ folder).
import type { IncomingMessage } from 'node:http';
import { HttpReceiver, type Fault, type ReceiverOptions, type Reply } from './http-receiver.ts';

export type JiraReceiverAuth = { email: string; apiToken: string } | { token: string };

export interface JiraReceiverOptions extends ReceiverOptions {
  /** Credentials accepted (default: email `periscope@example.com`, API token `test-token`, and PAT `test-pat`). */
  auth?: JiraReceiverAuth[];
  /** Project keys that exist (default: any). */
  projects?: string[];
  priorities?: string[];
}

export interface ReceivedIssue {
  id: string;
  key: string;
  /** REST version the issue was created with. */
  apiVersion: 2 | 3;
  project: string;
  issueType: string;
  summary: string;
  description: unknown;
  labels: string[];
  priority?: string;
  status: Status;
  comments: { apiVersion: 2 | 3; body: unknown }[];
  /** Names of the transitions taken, in order. */
  transitions: string[];
}

interface Status {
  id: string;
  name: string;
  category: 'new' | 'indeterminate' | 'done';
}

const statuses: { todo: Status; progress: Status; done: Status } = {
  todo: { id: '1', name: 'To Do', category: 'new' },
  progress: { id: '3', name: 'In Progress', category: 'indeterminate' },
  done: { id: '5', name: 'Done', category: 'done' },
};

/** The workflow: transition id → name, from which statuses, to which status. */
const workflow = [
  { id: '11', name: 'Start Progress', from: ['1'], to: statuses.progress },
  { id: '21', name: 'Stop Progress', from: ['3'], to: statuses.todo },
  { id: '31', name: 'Done', from: ['1', '3'], to: statuses.done },
  { id: '41', name: 'Reopen', from: ['5'], to: statuses.todo },
] as const;

const defaultAuth: JiraReceiverAuth[] = [{ email: 'periscope@example.com', apiToken: 'test-token' }, { token: 'test-pat' }];

const blockTypes = new Set(['paragraph', 'heading', 'bulletList', 'orderedList', 'listItem', 'codeBlock', 'table', 'tableRow', 'tableHeader', 'tableCell', 'rule', 'blockquote', 'panel']);
const inlineTypes = new Set(['text', 'hardBreak', 'mention', 'emoji', 'inlineCard']);
const markTypes = new Set(['strong', 'em', 'code', 'link', 'strike', 'underline', 'subsup', 'textColor']);

/** Problems of an ADF document, as Jira Cloud would refuse it (a practical subset of the ADF schema). */
export function adfProblems(doc: unknown): string[] {
  const problems: string[] = [];
  const root = doc as { type?: unknown; version?: unknown; content?: unknown };
  if (!root || typeof root !== 'object' || root.type !== 'doc' || root.version !== 1 || !Array.isArray(root.content)) {
    return ['not an ADF document ({ "version": 1, "type": "doc", "content": [...] })'];
  }
  const walk = (node: unknown, path: string, parent: string): void => {
    const n = node as { type?: unknown; content?: unknown; text?: unknown; marks?: unknown; attrs?: Record<string, unknown> };
    if (!n || typeof n !== 'object' || typeof n.type !== 'string') {
      problems.push(`${path}: not a node`);
      return;
    }
    const type = n.type;
    if (!blockTypes.has(type) && !inlineTypes.has(type)) problems.push(`${path}: unknown node type ${type}`);
    if (type === 'text') {
      if (typeof n.text !== 'string' || n.text === '') problems.push(`${path}: text nodes need non-empty text`);
      const marks = Array.isArray(n.marks) ? (n.marks as { type?: unknown; attrs?: { href?: unknown } }[]) : [];
      const names = marks.map((m) => String(m.type));
      for (const mark of marks) {
        if (!markTypes.has(String(mark.type))) problems.push(`${path}: unknown mark ${String(mark.type)}`);
        if (mark.type === 'link' && typeof mark.attrs?.href !== 'string') problems.push(`${path}: link mark without href`);
      }
      if (names.includes('code') && names.some((m) => m !== 'code' && m !== 'link')) problems.push(`${path}: code mark combined with ${names.join('+')}`);
      if (parent === 'codeBlock' && marks.length > 0) problems.push(`${path}: marks inside a codeBlock`);
    }
    if (type === 'heading' && ![1, 2, 3, 4, 5, 6].includes(Number(n.attrs?.level))) problems.push(`${path}: heading level must be 1..6`);
    if (type === 'listItem' && parent !== 'bulletList' && parent !== 'orderedList') problems.push(`${path}: listItem outside a list`);
    if (type === 'tableRow' && parent !== 'table') problems.push(`${path}: tableRow outside a table`);
    if ((type === 'tableCell' || type === 'tableHeader') && parent !== 'tableRow') problems.push(`${path}: ${type} outside a tableRow`);
    if (inlineTypes.has(type) && (parent === 'doc' || parent === 'table' || parent === 'bulletList')) problems.push(`${path}: inline ${type} directly in ${parent}`);
    if (Array.isArray(n.content)) n.content.forEach((child, i) => walk(child, `${path}.content[${i}]`, type));
  };
  root.content.forEach((node, i) => walk(node, `content[${i}]`, 'doc'));
  return problems;
}

export class JiraReceiver extends HttpReceiver {
  readonly issues = new Map<string, ReceivedIssue>();
  readonly #auth: JiraReceiverAuth[];
  readonly #projects: Set<string> | undefined;
  readonly #priorities: Set<string>;
  #nextId = 10000;
  readonly #counters = new Map<string, number>();

  constructor(options: JiraReceiverOptions = {}) {
    super(options);
    this.#auth = options.auth ?? defaultAuth;
    this.#projects = options.projects ? new Set(options.projects) : undefined;
    this.#priorities = new Set(options.priorities ?? ['Highest', 'High', 'Medium', 'Low', 'Lowest']);
  }

  get url(): string {
    return this.origin;
  }

  /** Moves an issue as a person would in the UI (tests: someone closed or reopened it by hand). */
  setStatus(key: string, status: 'To Do' | 'In Progress' | 'Done'): void {
    const issue = this.issues.get(key);
    const target = Object.values(statuses).find((s) => s.name === status);
    if (!issue || !target) throw new Error(`no issue ${key} or status ${status}`);
    issue.status = target;
  }

  protected faultBody(fault: Fault): unknown {
    return { errorMessages: [fault.status === 429 ? 'Rate limit exceeded.' : `Injected failure (HTTP ${fault.status}).`], errors: {} };
  }

  protected handle(method: string, url: URL, body: unknown, _raw: string, req: IncomingMessage): Reply {
    const match = /^\/rest\/api\/(2|3|latest)(\/.*)$/.exec(url.pathname);
    if (!match) return notFound('No REST resource at this path.');
    const version: 2 | 3 = match[1] === '3' ? 3 : 2;
    const path = match[2] ?? '';
    if (!this.#authorized(req.headers.authorization)) {
      return { status: 401, body: { errorMessages: ['You are not authenticated. Authentication required to perform this operation.'], errors: {} } };
    }
    if (method === 'POST' && path === '/issue') return this.#create(version, body);
    if ((path === '/search/jql' && version === 3) || (path === '/search' && version === 2)) {
      const jql = method === 'GET' ? (url.searchParams.get('jql') ?? '') : textOf((body as { jql?: unknown } | undefined)?.jql);
      return this.#search(version, jql);
    }
    if (path === '/search' && version === 3) return { status: 410, body: { errorMessages: ['The requested API has been removed. Please migrate to the /rest/api/3/search/jql API.'] } };
    const issuePath = /^\/issue\/([A-Z][A-Z0-9_]*-\d+)(\/comment|\/transitions)?$/.exec(path);
    if (!issuePath) return notFound('No REST resource at this path.');
    const issue = this.issues.get(issuePath[1] ?? '');
    if (!issue) return notFound('Issue does not exist or you do not have permission to see it.');
    switch (`${method} ${issuePath[2] ?? ''}`) {
      case 'GET ':
        return { status: 200, body: this.#issueJson(issue) };
      case 'POST /comment':
        return this.#comment(version, issue, body);
      case 'GET /transitions':
        return {
          status: 200,
          body: {
            transitions: workflow
              .filter((t) => (t.from as readonly string[]).includes(issue.status.id))
              .map((t) => ({ id: t.id, name: t.name, to: statusJson(t.to) })),
          },
        };
      case 'POST /transitions':
        return this.#transition(issue, body);
      default:
        return { status: 405, body: { errorMessages: [`${method} is not supported here.`] } };
    }
  }

  #authorized(header: string | undefined): boolean {
    if (!header) return false;
    return this.#auth.some((auth) =>
      'token' in auth
        ? header === `Bearer ${auth.token}`
        : header === `Basic ${Buffer.from(`${auth.email}:${auth.apiToken}`).toString('base64')}`,
    );
  }

  #create(version: 2 | 3, body: unknown): Reply {
    const fields = ((body as { fields?: unknown })?.fields ?? {}) as Record<string, unknown>;
    const errors: Record<string, string> = {};
    const project = (fields.project as { key?: unknown } | undefined)?.key;
    if (typeof project !== 'string' || (this.#projects && !this.#projects.has(project))) errors.project = 'valid project is required';
    const issueType = (fields.issuetype as { name?: unknown } | undefined)?.name;
    if (typeof issueType !== 'string' || issueType === '') errors.issuetype = 'valid issue type is required';
    if (typeof fields.summary !== 'string' || fields.summary.trim() === '') errors.summary = 'You must specify a summary of the issue.';
    else if (fields.summary.length > 255) errors.summary = 'Summary must be less than 255 characters.';
    if (version === 3) {
      const problems = adfProblems(fields.description);
      if (problems.length > 0) errors.description = `Operation value must be an Atlassian Document (${problems.slice(0, 3).join('; ')})`;
    } else if (typeof fields.description !== 'string') {
      errors.description = 'Operation value must be a string';
    }
    const labels = fields.labels ?? [];
    if (!Array.isArray(labels) || labels.some((l) => typeof l !== 'string' || /\s/.test(l) || l.length > 255)) errors.labels = 'Labels must be strings without spaces.';
    const priority = (fields.priority as { name?: unknown } | undefined)?.name;
    if (priority !== undefined && (typeof priority !== 'string' || !this.#priorities.has(priority))) errors.priority = `Priority name '${JSON.stringify(priority)}' is not valid`;
    if (Object.keys(errors).length > 0) return { status: 400, body: { errorMessages: [], errors } };

    const count = (this.#counters.get(project as string) ?? 0) + 1;
    this.#counters.set(project as string, count);
    const key = `${project as string}-${count}`;
    const id = String(this.#nextId++);
    const issue: ReceivedIssue = {
      id,
      key,
      apiVersion: version,
      project: project as string,
      issueType: issueType as string,
      summary: fields.summary as string,
      description: fields.description,
      labels: labels as string[],
      status: statuses.todo,
      comments: [],
      transitions: [],
    };
    if (typeof priority === 'string') issue.priority = priority;
    this.issues.set(key, issue);
    return { status: 201, body: { id, key, self: `${this.origin}/rest/api/${version}/issue/${id}` } };
  }

  #search(version: 2 | 3, jql: string): Reply {
    const clauses = jql.replace(/\s+ORDER\s+BY\s+.*$/i, '').split(/\s+AND\s+/i).filter((c) => c.trim() !== '');
    const filters: ((issue: ReceivedIssue) => boolean)[] = [];
    for (const clause of clauses) {
      const eq = /^\s*(project|labels|statusCategory)\s*(=|!=)\s*"?([^"]+?)"?\s*$/i.exec(clause);
      const inList = /^\s*labels\s+in\s*\(([^)]*)\)\s*$/i.exec(clause);
      if (eq) {
        const [, field = '', op, value = ''] = eq;
        const test = (issue: ReceivedIssue): boolean => {
          const f = field.toLowerCase();
          if (f === 'project') return issue.project === value;
          if (f === 'labels') return issue.labels.includes(value);
          return issue.status.category === (value.toLowerCase() === 'done' ? 'done' : value.toLowerCase());
        };
        filters.push(op === '!=' ? (i) => !test(i) : test);
      } else if (inList) {
        const values = (inList[1] ?? '').split(',').map((v) => v.trim().replace(/^"|"$/g, ''));
        filters.push((i) => i.labels.some((l) => values.includes(l)));
      } else {
        return { status: 400, body: { errorMessages: [`Error in the JQL Query: unsupported clause '${clause.trim()}'.`], errors: {} } };
      }
    }
    if (filters.length === 0) return { status: 400, body: { errorMessages: ['Unbounded JQL queries are not allowed here.'], errors: {} } };
    const issues = [...this.issues.values()].filter((i) => filters.every((f) => f(i))).map((i) => this.#issueJson(i));
    return version === 3
      ? { status: 200, body: { issues, isLast: true } }
      : { status: 200, body: { startAt: 0, maxResults: 50, total: issues.length, issues } };
  }

  #comment(version: 2 | 3, issue: ReceivedIssue, body: unknown): Reply {
    const content = (body as { body?: unknown })?.body;
    if (version === 3) {
      const problems = adfProblems(content);
      if (problems.length > 0) return { status: 400, body: { errorMessages: [], errors: { comment: `Comment body must be an Atlassian Document (${problems.slice(0, 3).join('; ')})` } } };
    } else if (typeof content !== 'string' || content.trim() === '') {
      return { status: 400, body: { errorMessages: [], errors: { comment: 'Comment body can not be empty!' } } };
    }
    issue.comments.push({ apiVersion: version, body: content });
    return { status: 201, body: { id: String(issue.comments.length), body: content } };
  }

  #transition(issue: ReceivedIssue, body: unknown): Reply {
    const id = textOf((body as { transition?: { id?: unknown } } | undefined)?.transition?.id);
    const transition = workflow.find((t) => t.id === id && (t.from as readonly string[]).includes(issue.status.id));
    if (!transition) {
      return { status: 400, body: { errorMessages: [`Transition id '${id}' is not valid for this issue.`], errors: {} } };
    }
    issue.status = transition.to;
    issue.transitions.push(transition.name);
    return { status: 204 };
  }

  #issueJson(issue: ReceivedIssue): Record<string, unknown> {
    return {
      id: issue.id,
      key: issue.key,
      self: `${this.origin}/rest/api/${issue.apiVersion}/issue/${issue.id}`,
      fields: {
        summary: issue.summary,
        labels: issue.labels,
        status: statusJson(issue.status),
        priority: issue.priority ? { name: issue.priority } : null,
        issuetype: { name: issue.issueType },
        description: issue.description,
      },
    };
  }
}

function statusJson(status: Status): Record<string, unknown> {
  return { id: status.id, name: status.name, statusCategory: { key: status.category } };
}

function notFound(message: string): Reply {
  return { status: 404, body: { errorMessages: [message], errors: {} } };
}

/** A string or number field of a request body as text ('' when absent or of another type). */
function textOf(value: unknown): string {
  return typeof value === 'string' || typeof value === 'number' ? String(value) : '';
}

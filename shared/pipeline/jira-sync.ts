// Keeps one Jira ticket per finding group in step with the store: create (after claiming the group's ticket
// item with a conditional write, so concurrent deliveries create one issue), comment on new and fixed resources,
// close when all are fixed, reopen when they come back. A Jira failure leaves the item "pending": the next sync
// of the cluster (a later scan, or the periodic sweep that looks for unsettled items: needsSync) retries it, so
// nothing is lost.
import { silentLogger, systemClock, type Clock, type Logger } from '../model/cross-cutting.ts';
import type { Finding } from '../model/finding.ts';
import { registryCatalogue, type EventCluster, type RuleCatalogue } from '../notify/digest.ts';
import { DeliveryError } from '../notify/http.ts';
import type { CreatedIssue, IssueState, TransitionTarget } from '../notify/jira/client.ts';
import type { Doc } from '../notify/jira/document.ts';
import {
  changeComment,
  emptyGroup,
  issueContent,
  reopenedComment,
  resolvedComment,
  ticketGroupsOf,
  type GroupChange,
  type IssueContent,
  type JiraSettings,
  type TicketGroup,
} from '../notify/jira/issue.ts';
import { TicketConflictError } from '../store/errors.ts';
import type { TicketChanges, TicketClaim } from '../store/port.ts';
import type { TicketRecord } from '../store/records.ts';

/** What the ticket sync needs from Jira (JiraClient, or a fake). */
export interface JiraApi {
  createIssue(projectKey: string, issueType: string, content: IssueContent): Promise<CreatedIssue>;
  /** Issues of a project carrying a label, oldest first (search is eventually consistent: a fallback only). */
  findByLabel(projectKey: string, label: string): Promise<IssueState[]>;
  issueState(key: string): Promise<IssueState>;
  addComment(key: string, body: Doc): Promise<void>;
  /** Takes the transition named `name`, else the first one into (done) or out of (reopen) a done status. */
  transition(key: string, target: TransitionTarget, name: string): Promise<string>;
}

/** The ticket items of the store (FindingStore fits). Tickets are keyed by group: `ruleId` is the group key. */
export interface TicketStore {
  tickets(clusterId: string): Promise<TicketRecord[]>;
  getTicket(clusterId: string, key: string): Promise<TicketRecord | undefined>;
  claimTicket(clusterId: string, key: string, claimant: string): Promise<TicketClaim>;
  updateTicket(clusterId: string, key: string, changes: TicketChanges, expectedVersion: number): Promise<TicketRecord>;
}

/** `state` of a ticket item. Items without a state were just claimed (creating). */
export const ticketStates = {
  creating: 'creating',
  syncing: 'syncing',
  pending: 'pending',
  open: 'open',
  done: 'done',
} as const;

export type GroupOutcome = 'created' | 'adopted' | 'commented' | 'closed' | 'reopened' | 'unchanged' | 'pending' | 'in-progress';

export interface GroupResult {
  key: string;
  outcome: GroupOutcome;
  issueKey?: string;
  error?: string;
}

export interface SyncReport {
  results: GroupResult[];
  /** Groups left pending (Jira failed): retried by the next sync. */
  pending: number;
  created: number;
}

export interface JiraSyncOptions {
  store: TicketStore;
  jira: JiraApi;
  settings: JiraSettings;
  catalogue?: RuleCatalogue;
  logger?: Logger;
  clock?: Clock;
  /** Who this sync is, recorded on claims. */
  claimant: string;
  /** A claim or sync older than this is taken to have crashed and is taken over (default 5 minutes). */
  staleAfterMs?: number;
  /** Groups synced at once (default 3, gentle on Jira's per-issue write limits). */
  concurrency?: number;
}

export interface SyncInput {
  cluster: EventCluster;
  scanId: string;
  /** The cluster's stored findings (open ones define the groups; resolved ones name what was fixed). */
  findings: readonly Finding[];
}

class Retry extends Error {
  readonly ticket: TicketRecord | undefined;
  constructor(ticket: TicketRecord | undefined) {
    super('the ticket changed under this step: read it again and retry');
    this.ticket = ticket;
  }
}

function fingerprints(group: TicketGroup): string[] {
  return group.findings.map((f) => f.fingerprint).sort();
}

export class JiraSync {
  readonly #store: TicketStore;
  readonly #jira: JiraApi;
  readonly #settings: JiraSettings;
  readonly #catalogue: RuleCatalogue;
  readonly #logger: Logger;
  readonly #clock: Clock;
  readonly #claimant: string;
  readonly #staleAfterMs: number;
  readonly #concurrency: number;

  constructor(options: JiraSyncOptions) {
    this.#store = options.store;
    this.#jira = options.jira;
    this.#settings = options.settings;
    this.#catalogue = options.catalogue ?? registryCatalogue;
    this.#logger = options.logger ?? silentLogger;
    this.#clock = options.clock ?? systemClock;
    this.#claimant = options.claimant;
    this.#staleAfterMs = options.staleAfterMs ?? 5 * 60 * 1000;
    this.#concurrency = options.concurrency ?? 3;
  }

  /** Brings every ticket of the cluster in line with its open findings: groups with findings or a ticket. */
  async syncCluster(input: SyncInput): Promise<SyncReport> {
    const clusterId = input.cluster.id;
    const groups = new Map(ticketGroupsOf(clusterId, input.findings, this.#settings, this.#catalogue).map((g) => [g.key, g]));
    const tickets = new Map((await this.#store.tickets(clusterId)).map((t) => [t.ruleId, t]));
    const keys = [...new Set([...groups.keys(), ...tickets.keys()])];
    const byFingerprint = new Map(input.findings.map((f) => [f.fingerprint, f]));
    const results: GroupResult[] = [];
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < keys.length) {
        const key = keys[next] as string;
        next += 1;
        const group = groups.get(key) ?? emptyGroup(clusterId, key, this.#catalogue);
        results.push(await this.#syncGroup(input, group, tickets.get(key), byFingerprint));
      }
    };
    await Promise.all(Array.from({ length: Math.min(this.#concurrency, keys.length) }, worker));
    results.sort((a, b) => a.key.localeCompare(b.key));
    const report = {
      results,
      pending: results.filter((r) => r.outcome === 'pending').length,
      created: results.filter((r) => r.outcome === 'created').length,
    };
    this.#logger.info('Jira tickets synced', {
      cluster: clusterId,
      groups: results.length,
      created: report.created,
      pending: report.pending,
      changed: results.filter((r) => r.outcome !== 'unchanged').length,
    });
    return report;
  }

  async #syncGroup(input: SyncInput, group: TicketGroup, initial: TicketRecord | undefined, byFingerprint: Map<string, Finding>): Promise<GroupResult> {
    let ticket = initial;
    for (let round = 0; round < 4; round += 1) {
      try {
        return await this.#step(input, group, ticket, byFingerprint);
      } catch (error) {
        if (error instanceof Retry) {
          ticket = error.ticket ?? (await this.#store.getTicket(input.cluster.id, group.key));
          continue;
        }
        throw error;
      }
    }
    return { key: group.key, outcome: 'in-progress' };
  }

  /**
   * Whether a periodic sweep must sync this ticket: anything but a settled one (open or done) or a fresh claim
   * another sync is working on. An open ticket of a deleted cluster is not settled either: deletion resolves the
   * cluster's findings without a Scan Completed event, so only the sweep closes its tickets.
   */
  needsSync(ticket: TicketRecord, options: { clusterDeleted?: boolean } = {}): boolean {
    if (this.#busy(ticket)) return false;
    if (ticket.state === ticketStates.done) return false;
    if (ticket.state === ticketStates.open) return options.clusterDeleted === true;
    return true;
  }

  #busy(ticket: TicketRecord): boolean {
    const working = ticket.state === undefined || ticket.state === ticketStates.creating || ticket.state === ticketStates.syncing;
    return working && this.#clock.now().getTime() - Date.parse(ticket.updatedAt) < this.#staleAfterMs;
  }

  async #update(clusterId: string, key: string, changes: TicketChanges, version: number): Promise<TicketRecord> {
    try {
      return await this.#store.updateTicket(clusterId, key, changes, version);
    } catch (error) {
      if (error instanceof TicketConflictError) throw new Retry(undefined);
      throw error;
    }
  }

  async #step(input: SyncInput, group: TicketGroup, ticket: TicketRecord | undefined, byFingerprint: Map<string, Finding>): Promise<GroupResult> {
    const clusterId = input.cluster.id;
    const key = group.key;
    if (!ticket) {
      if (group.findings.length === 0) return { key, outcome: 'unchanged' };
      // The conditional write that makes concurrent deliveries create one issue.
      const claim = await this.#store.claimTicket(clusterId, key, this.#claimant);
      if (!claim.claimed) throw new Retry(claim.ticket);
      return this.#create(input, group, claim.ticket);
    }
    if (this.#busy(ticket)) return ticket.issueKey ? { key, outcome: 'in-progress', issueKey: ticket.issueKey } : { key, outcome: 'in-progress' };
    if (!ticket.issueKey) {
      // Settled without an issue: its creation failed, then its findings went away.
      if (group.findings.length === 0 && ticket.state === ticketStates.done) return { key, outcome: 'unchanged' };
      // A pending (or crashed) creation: take it over, and adopt an issue an earlier attempt may have created.
      const taken = await this.#update(clusterId, key, { state: ticketStates.creating }, ticket.version);
      let existing;
      try {
        existing = (await this.#jira.findByLabel(this.#settings.projectKey, group.label))[0];
      } catch (error) {
        return this.#pending(clusterId, key, taken, error);
      }
      if (!existing && group.findings.length === 0) {
        // Nothing was created and nothing is left to report: the group settles without an issue.
        await this.#update(clusterId, key, { state: ticketStates.done }, taken.version);
        return { key, outcome: 'unchanged' };
      }
      if (!existing) return this.#create(input, group, taken);
      const adopted = await this.#update(
        clusterId,
        key,
        { issueKey: existing.key, state: existing.done ? ticketStates.done : ticketStates.open, fingerprints: [] },
        taken.version,
      );
      this.#logger.info('Jira issue adopted for a pending ticket', { cluster: clusterId, group: key, issueKey: existing.key });
      const result = await this.#step(input, group, adopted, byFingerprint);
      return result.outcome === 'unchanged' ? { key, outcome: 'adopted', issueKey: existing.key } : result;
    }
    return this.#reconcile(input, group, ticket, byFingerprint);
  }

  async #create(input: SyncInput, group: TicketGroup, claimed: TicketRecord): Promise<GroupResult> {
    const clusterId = input.cluster.id;
    let issue;
    try {
      issue = await this.#jira.createIssue(this.#settings.projectKey, this.#settings.issueType, issueContent(group, input.cluster, this.#settings));
    } catch (error) {
      return this.#pending(clusterId, group.key, claimed, error);
    }
    await this.#store.updateTicket(
      clusterId,
      group.key,
      { issueKey: issue.key, issueUrl: issue.url, state: ticketStates.open, fingerprints: fingerprints(group) },
      claimed.version,
    );
    this.#logger.info('Jira issue created', { cluster: clusterId, group: group.key, issueKey: issue.key, resources: group.findings.length });
    return { key: group.key, outcome: 'created', issueKey: issue.key };
  }

  async #reconcile(input: SyncInput, group: TicketGroup, ticket: TicketRecord, byFingerprint: Map<string, Finding>): Promise<GroupResult> {
    const clusterId = input.cluster.id;
    const key = group.key;
    const issueKey = ticket.issueKey as string;
    const known = new Set(ticket.fingerprints ?? []);
    const open = new Set(fingerprints(group));
    const change: GroupChange = {
      added: group.findings.filter((f) => !known.has(f.fingerprint)),
      fixed: [...known].filter((fp) => !open.has(fp)).sort().map((fp) => {
        const finding = byFingerprint.get(fp);
        return finding ? { fingerprint: fp, finding } : { fingerprint: fp };
      }),
      scanId: input.scanId,
      remaining: group.findings.length,
    };
    let done: boolean;
    if (ticket.state === ticketStates.open) done = false;
    else if (ticket.state === ticketStates.done) done = true;
    else {
      // Pending or crashed mid-sync: ask Jira where the issue stands.
      try {
        done = (await this.#jira.issueState(issueKey)).done;
      } catch (error) {
        return this.#pending(clusterId, key, ticket, error);
      }
    }
    const reopen = done && change.added.length > 0;
    const close = !done && open.size === 0;
    const comment = change.added.length > 0 || change.fixed.length > 0;
    const settled = reopen ? false : close ? true : done;
    if (!reopen && !close && !comment) {
      const state = settled ? ticketStates.done : ticketStates.open;
      if (ticket.state !== state) await this.#update(clusterId, key, { state }, ticket.version);
      return { key, outcome: 'unchanged', issueKey };
    }
    let current = await this.#update(clusterId, key, { state: ticketStates.syncing }, ticket.version);
    try {
      if (reopen) await this.#jira.transition(issueKey, 'reopen', this.#settings.reopenTransition);
      if (comment) {
        const body = reopen ? reopenedComment(change, this.#settings) : close ? resolvedComment(change, this.#settings) : changeComment(change, this.#settings);
        await this.#jira.addComment(issueKey, body);
        // Recorded at once, so a failure after this point does not post the comment twice.
        current = await this.#store.updateTicket(clusterId, key, { fingerprints: [...open].sort() }, current.version);
      }
      if (close) await this.#jira.transition(issueKey, 'done', this.#settings.doneTransition);
    } catch (error) {
      return this.#pending(clusterId, key, current, error);
    }
    await this.#store.updateTicket(
      clusterId,
      key,
      { state: settled ? ticketStates.done : ticketStates.open, fingerprints: [...open].sort() },
      current.version,
    );
    const outcome: GroupOutcome = reopen ? 'reopened' : close ? 'closed' : 'commented';
    this.#logger.info(`Jira issue ${outcome}`, { cluster: clusterId, group: key, issueKey, added: change.added.length, fixed: change.fixed.length });
    return { key, outcome, issueKey };
  }

  /** Marks the group pending after a Jira failure (any failure: pending is always safe to retry). */
  async #pending(clusterId: string, key: string, ticket: TicketRecord, error: unknown): Promise<GroupResult> {
    const delivery = error instanceof DeliveryError ? error : undefined;
    const message = error instanceof Error ? error.message : String(error);
    try {
      await this.#store.updateTicket(clusterId, key, { state: ticketStates.pending }, ticket.version);
    } catch (updateError) {
      if (!(updateError instanceof TicketConflictError)) throw updateError;
    }
    this.#logger.warn('Jira ticket left pending; the next sync of the cluster retries it', {
      cluster: clusterId,
      group: key,
      issueKey: ticket.issueKey,
      status: delivery?.status,
      code: delivery?.code,
      retryable: delivery?.retryable,
      error: message,
    });
    const result: GroupResult = { key, outcome: 'pending', error: message };
    if (ticket.issueKey) result.issueKey = ticket.issueKey;
    return result;
  }
}

// notifySecurityHub: a batch of Finding Opened / Resolved / Suppressed events → Security Hub CSPM. Every finding is
// (re-)imported with its fingerprint as Id, so a re-delivered event updates the same finding and never adds one;
// resolved, suppressed and reopened findings then get their workflow status through BatchUpdateFindings (an import
// sets Workflow only when it creates a finding). What still fails after retries is answered per message, so SQS
// delivers those again and finally keeps them in the dead-letter queue.
import type { Logger, Metrics } from '../model/cross-cutting.ts';
import type { Finding } from '../model/finding.ts';
import { eventDetailTypes, type FindingEvent } from '../model/pipeline.ts';
import { registryCatalogue, ruleInfoOf, ruleLink, type NotifyLinks, type RuleCatalogue } from '../notify/digest.ts';
import {
  asffLimits,
  changedAtOf,
  chunksOf,
  defaultProductArn,
  toAsff,
  truncate,
  workflowStatusOf,
  type DefaultProduct,
} from '../notify/securityhub/asff.ts';
import type { FindingFailure, SecurityHubFindings, WorkflowUpdate } from '../notify/securityhub/client.ts';

/** Imports and updates findings (SecurityHubFindings, or a fake). */
export type SecurityHubPort = Pick<SecurityHubFindings, 'importFindings' | 'updateWorkflow'>;

export type FindingChangeType =
  | typeof eventDetailTypes.findingOpened
  | typeof eventDetailTypes.findingResolved
  | typeof eventDetailTypes.findingSuppressed;

/** One event of the batch: its message id (for the partial batch response), its detail-type and detail. */
export interface FindingChange {
  messageId: string;
  detailType: FindingChangeType;
  detail: FindingEvent;
}

export interface NotifySecurityHubDeps {
  hub: SecurityHubPort;
  /** The default product of the account and region the function runs in. */
  product: DefaultProduct;
  links?: Pick<NotifyLinks, 'docsUrl'>;
  catalogue?: RuleCatalogue;
  logger: Logger;
  metrics: Metrics;
  /** Rounds of requests for what failed, the first included (default 4). */
  maxAttempts?: number;
  /** First wait between rounds; doubles each round, full jitter (default 250 ms). */
  baseDelayMs?: number;
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
}

export interface NotifySecurityHubResult {
  /** Findings imported (created or updated). */
  imported: number;
  /** Findings whose workflow status was set. */
  updated: number;
  /** Findings that still failed: their messages are in `batchItemFailures`. */
  failed: { fingerprint: string; error: string }[];
  batchItemFailures: { itemIdentifier: string }[];
}

const defaultSleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Failure codes no retry can fix (the finding itself is wrong, or the account refuses it). */
const permanentCode = /^(Invalid|AccessDenied|NotAuthorized|TooManyFindings)|SizeExceeded|TooLarge/i;
/** BatchUpdateFindings on a finding Security Hub does not hold: the import created it with this workflow already. */
const notFoundCode = /not.?found/i;

/** The event's finding with the status its detail-type announces (a Suppressed event's finding is SUPPRESSED...). */
function findingOf(change: FindingChange): Finding {
  const status = change.detailType === eventDetailTypes.findingResolved ? 'RESOLVED' : change.detailType === eventDetailTypes.findingSuppressed ? 'SUPPRESSED' : 'OPEN';
  return change.detail.finding.status === status ? change.detail.finding : { ...change.detail.finding, status };
}

interface Latest {
  change: FindingChange;
  finding: Finding;
  messageIds: Set<string>;
}

/** The latest change of each finding in the batch (by change time, then batch order); every message that named it. */
function latestByFingerprint(changes: readonly FindingChange[]): Map<string, Latest> {
  const byFingerprint = new Map<string, Latest>();
  for (const change of changes) {
    const finding = findingOf(change);
    const known = byFingerprint.get(finding.fingerprint);
    if (!known) {
      byFingerprint.set(finding.fingerprint, { change, finding, messageIds: new Set([change.messageId]) });
      continue;
    }
    known.messageIds.add(change.messageId);
    if (changedAtOf(finding) >= changedAtOf(known.finding)) {
      known.change = change;
      known.finding = finding;
    }
  }
  return byFingerprint;
}

/** What Security Hub's workflow should say now, when an import alone does not set it. */
function workflowChangeOf(finding: Finding, reason: string | undefined): { status: WorkflowUpdate['status']; note: string } | undefined {
  switch (finding.status) {
    case 'RESOLVED':
      return { status: workflowStatusOf('RESOLVED'), note: `Periscope: resolved${reason ? ` (${reason})` : ', no longer found by a complete scan'}.` };
    case 'SUPPRESSED': {
      const s = finding.suppression;
      const why = s ? `${s.reason}${s.owner ? `; owner ${s.owner}` : ''}${s.expiresAt ? `; until ${s.expiresAt}` : ''}` : 'an exception covers it';
      return { status: workflowStatusOf('SUPPRESSED'), note: truncate(`Periscope: suppressed: ${why}.`, asffLimits.noteText) };
    }
    case 'OPEN':
      // Reopened or no longer suppressed: Security Hub resets RESOLVED to NEW itself, but not SUPPRESSED.
      return finding.firstSeenAt < finding.lastSeenAt ? { status: workflowStatusOf('OPEN'), note: 'Periscope: open again.' } : undefined;
  }
}

export async function notifySecurityHub(changes: readonly FindingChange[], deps: NotifySecurityHubDeps): Promise<NotifySecurityHubResult> {
  const catalogue = deps.catalogue ?? registryCatalogue;
  const maxAttempts = deps.maxAttempts ?? 4;
  const baseDelayMs = deps.baseDelayMs ?? 250;
  const sleep = deps.sleep ?? defaultSleep;
  const random = deps.random ?? Math.random;
  const productArn = defaultProductArn(deps.product);
  const latest = latestByFingerprint(changes);
  const failures = new Map<string, string>();

  /**
   * Sends `items` in requests of at most 100, again and again (with backoff) for what failed in a way a retry can
   * fix, until `maxAttempts` rounds; records what is left in `failures`. Answers the ids that succeeded.
   */
  async function inRounds<T>(
    what: string,
    items: readonly T[],
    idOf: (item: T) => string,
    send: (batch: T[]) => Promise<FindingFailure[]>,
    ignore: (failure: FindingFailure) => boolean = () => false,
  ): Promise<Set<string>> {
    const done = new Set<string>();
    let pending = [...items];
    for (let attempt = 1; pending.length > 0; attempt++) {
      const retry: T[] = [];
      for (const batch of chunksOf(pending, asffLimits.findingsPerRequest)) {
        try {
          const failed = new Map((await send(batch)).filter((f) => !ignore(f)).map((f) => [f.id, f]));
          for (const item of batch) {
            const failure = failed.get(idOf(item));
            if (!failure) done.add(idOf(item));
            else if (!permanentCode.test(failure.code) && attempt < maxAttempts) retry.push(item);
            else failures.set(idOf(item), `${what}: ${failure.code}: ${failure.message}`);
          }
        } catch (error) {
          const retryable = (error as { retryable?: unknown }).retryable !== false;
          const message = error instanceof Error ? error.message : String(error);
          for (const item of batch) {
            if (retryable && attempt < maxAttempts) retry.push(item);
            else failures.set(idOf(item), `${what}: ${message}`);
          }
        }
      }
      pending = retry;
      if (pending.length > 0) {
        deps.logger.warn('Security Hub did not take every finding; retrying', { operation: what, attempt, pending: pending.length });
        await sleep(Math.floor(random() * baseDelayMs * 2 ** (attempt - 1)));
      }
    }
    return done;
  }

  const asff = [...latest.values()].map(({ change, finding }) => {
    const rule = ruleInfoOf(catalogue, finding.ruleId, finding.severity);
    const ruleUrl = deps.links ? ruleLink(deps.links, finding.ruleId) : undefined;
    return toAsff({ finding, cluster: change.detail.cluster, rule, product: deps.product, scanId: change.detail.scanId, ...(ruleUrl ? { ruleUrl } : {}) });
  });
  const imported = await inRounds('BatchImportFindings', asff, (f) => f.Id ?? '', (batch) => deps.hub.importFindings(batch));

  // One BatchUpdateFindings request sets one status and one note: group by both.
  const groups = new Map<string, { status: WorkflowUpdate['status']; note: string; ids: string[] }>();
  for (const [fingerprint, { finding, change }] of latest) {
    if (!imported.has(fingerprint)) continue;
    const update = workflowChangeOf(finding, change.detail.reason);
    if (!update) continue;
    const key = `${update.status}\n${update.note}`;
    const group = groups.get(key) ?? { ...update, ids: [] };
    group.ids.push(fingerprint);
    groups.set(key, group);
  }
  let updated = 0;
  for (const group of groups.values()) {
    const done = await inRounds(
      'BatchUpdateFindings',
      group.ids,
      (id) => id,
      (ids) => deps.hub.updateWorkflow({ ids, productArn, status: group.status, note: group.note }),
      (failure) => notFoundCode.test(failure.code) || notFoundCode.test(failure.message),
    );
    updated += done.size;
  }

  const failed = [...failures].map(([fingerprint, error]) => ({ fingerprint, error }));
  const failedMessages = new Set<string>();
  for (const { fingerprint, error } of failed) {
    deps.logger.error('finding not delivered to Security Hub', { fingerprint, error });
    for (const id of latest.get(fingerprint)?.messageIds ?? []) failedMessages.add(id);
  }
  const importedCount = [...imported].filter((fingerprint) => !failures.has(fingerprint)).length;
  deps.metrics.count('SecurityHubFindingsImported', importedCount);
  deps.metrics.count('SecurityHubWorkflowUpdates', updated);
  if (failed.length > 0) deps.metrics.count('SecurityHubFindingsFailed', failed.length);
  deps.logger.info('findings sent to Security Hub', { events: changes.length, findings: latest.size, imported: importedCount, updated, failed: failed.length });
  return { imported: importedCount, updated, failed, batchItemFailures: [...failedMessages].map((itemIdentifier) => ({ itemIdentifier })) };
}

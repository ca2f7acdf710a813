// publishFleetReport: the scheduled fleet report. Reads the fleet view through the store, renders the page and
// writes it to the report bucket twice: a dated copy (kept as long as the bucket's lifecycle says) and then
// `latest.html`, the one key the Slack notifier presigns when it posts a digest (so a link is signed at send time
// and never expires before it is posted, and always opens a complete report).
import type { Clock, Logger, Metrics } from '../model/cross-cutting.ts';
import { buildFleetView, defaultStaleAfterHours, type FleetReads } from '../model/fleet.ts';
import { renderFleetHtml } from '../report/fleet-html.ts';
import { rules } from '../rules/index.ts';

export const fleetReportContentType = 'text/html; charset=utf-8';
export const defaultFleetReportPrefix = 'fleet-report/';
export const defaultTrendDays = 14;

/** Where the page is written (S3ReportBucket, or a fake). */
export interface ReportBucket {
  put(object: { key: string; body: string; contentType: string }): Promise<void>;
}

/** A link to the latest fleet report, made when a digest is posted; `undefined` while no report was written. */
export interface FleetReportLink {
  url: string;
  /** When the report was written (ISO). */
  generatedAt: string;
  /** When the link stops working (ISO). */
  expiresAt: string;
}

export interface FleetReportLinks {
  latest(): Promise<FleetReportLink | undefined>;
}

export interface FleetReportSettings {
  /** Key prefix in the bucket, ending in `/` (default `fleet-report/`). */
  prefix: string;
  staleAfterHours: number;
  trendDays: number;
}

export const defaultFleetReportSettings: FleetReportSettings = {
  prefix: defaultFleetReportPrefix,
  staleAfterHours: defaultStaleAfterHours,
  trendDays: defaultTrendDays,
};

export interface FleetReportDeps {
  reads: Pick<FleetReads, 'fleetInventory' | 'fleetOpenTally'>;
  bucket: ReportBucket;
  clock: Clock;
  logger: Logger;
  metrics: Metrics;
  settings?: Partial<FleetReportSettings>;
}

export interface FleetReportResult {
  keys: { dated: string; latest: string };
  clusters: number;
  bytes: number;
  /** Stored items the view could not read (skipped, and listed on the page). */
  errors: number;
}

/** The keys of a report written at `at`: `<prefix>YYYY/MM/DD/fleet-<YYYYMMDDTHHMMSSZ>.html` and `<prefix>latest.html`. */
export function fleetReportKeys(prefix: string, at: Date): { dated: string; latest: string } {
  const iso = at.toISOString();
  const stamp = `${iso.slice(0, 19).replace(/[-:]/g, '')}Z`;
  return { dated: `${prefix}${iso.slice(0, 4)}/${iso.slice(5, 7)}/${iso.slice(8, 10)}/fleet-${stamp}.html`, latest: `${prefix}latest.html` };
}

export function latestFleetReportKey(prefix: string = defaultFleetReportPrefix): string {
  return fleetReportKeys(prefix, new Date(0)).latest;
}

/** The attack-path rules of the catalogue: their open findings are counted apart. */
const attackPathRules = rules.filter((rule) => rule.meta.domain === 'path').map((rule) => rule.id);

export async function publishFleetReport(deps: FleetReportDeps): Promise<FleetReportResult> {
  const settings = { ...defaultFleetReportSettings, ...deps.settings };
  const now = deps.clock.now();
  const since = new Date(now.getTime() - settings.trendDays * 86_400_000);
  since.setUTCHours(0, 0, 0, 0);
  const view = await buildFleetView(deps.reads, {
    now: now.toISOString(),
    since: since.toISOString(),
    attackPathRules,
    staleAfterHours: settings.staleAfterHours,
  });
  const body = renderFleetHtml(view, { title: 'Periscope — fleet report' });
  const keys = fleetReportKeys(settings.prefix, now);
  await deps.bucket.put({ key: keys.dated, body, contentType: fleetReportContentType });
  await deps.bucket.put({ key: keys.latest, body, contentType: fleetReportContentType });
  const bytes = new TextEncoder().encode(body).length;
  deps.metrics.count('FleetReportsWritten');
  if (view.errors.length > 0) {
    deps.metrics.count('FleetReportItemErrors', view.errors.length);
    deps.logger.warn('fleet report: some stored items could not be read and were skipped', { count: view.errors.length, first: view.errors[0] });
  }
  deps.logger.info('fleet report written', { key: keys.dated, latest: keys.latest, clusters: view.totals.clusters, bytes });
  return { keys, clusters: view.totals.clusters, bytes, errors: view.errors.length };
}

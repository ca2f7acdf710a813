// The fleet report: one self-contained page (the cluster report's CSP, look and escaping) that answers "where are
// my clusters, which are worst, which rule to burn down first, what changed": a heat map cluster × OWASP
// Kubernetes Top 10 category, the top rules with the clusters they hit, clusters by risk, trend lines and the
// clusters that are stale or failing. Every cluster, rule and error text is attacker-controlled and escaped.
import { frameworkById } from '../engine/frameworks.ts';
import { severities } from '../model/finding.ts';
import { owaspFrameworkId, type FleetAttentionReason, type FleetClusterRow, type FleetTrendDay, type FleetView } from '../model/fleet.ts';
import { ruleById } from '../rules/index.ts';
import { attr, esc } from './html-escape.ts';
import { badge, htmlPage, severityColor } from './html.ts';

export interface FleetHtmlOptions {
  /** Page title (default `Periscope — fleet`). */
  title?: string;
  /** Clusters drawn in the heat map and the risk table, worst first (default 200); the rest are counted. */
  maxClusters?: number;
  /** Clusters named per top rule before "and N more" (default 8). */
  clustersPerRule?: number;
}

const heatLevels = 5;

export function renderFleetHtml(view: FleetView, options: FleetHtmlOptions = {}): string {
  const title = options.title ?? 'Periscope — fleet';
  const shown = view.clusters.slice(0, options.maxClusters ?? 200);
  const hidden = view.clusters.length - shown.length;
  const sections = [
    summarySection(view),
    attentionSection(view),
    heatMapSection(view, shown, hidden),
    topRulesSection(view, options.clustersPerRule ?? 8),
    clustersSection(shown, hidden),
    trendSection(view.trend),
    errorsSection(view.errors),
  ];
  return htmlPage({
    title,
    meta: `${view.totals.clusters} cluster${view.totals.clusters === 1 ? '' : 's'} · read ${esc(view.at)} · trend since ${esc(view.since)}`,
    sections,
    script,
    styles: fleetStyles,
  });
}

function card(value: number, label: string, className: string): string {
  return `<div class="card ${className}"><span class="count">${value}</span><span class="label">${esc(label)}</span></div>`;
}

function summarySection(view: FleetView): string {
  const { totals } = view;
  const cards = [
    card(totals.clusters, 'clusters', 'clusters'),
    ...severities.map((s) => card(totals.open[s], s, `sev-${s}`)),
    card(totals.attackPaths, 'attack paths', 'paths'),
    card(totals.suppressed, 'suppressed', 'suppressed'),
    card(totals.stale, 'stale', 'stale'),
    card(totals.failing, 'failing', 'failing'),
  ];
  return `<section id="summary"><h2>Summary</h2><div class="cards">${cards.join('')}</div>
<p class="muted">${totals.openTotal} open finding${totals.openTotal === 1 ? '' : 's'} across the fleet.</p></section>`;
}

const reasonLabel: Record<FleetAttentionReason, string> = {
  'never-scanned': 'never scanned',
  stale: 'stale',
  failed: 'scan failed',
  partial: 'incomplete coverage',
  'unsupported-version': 'unsupported version',
};

/** Clusters whose findings cannot be trusted as current: stale, failed, partial or never scanned (and out of support). */
function attentionSection(view: FleetView): string {
  if (view.attention.length === 0) {
    return `<section id="attention"><h2>Stale or failing clusters <span class="n">0</span></h2><p class="empty">Every cluster was scanned recently and completely.</p></section>`;
  }
  const rows = view.attention
    .map((a) => `<tr class="reason-${a.reason}"><td><code>${esc(a.name)}</code><div class="loc">${esc(a.clusterId)}</div></td><td><span class="tag tag-${a.reason}">${reasonLabel[a.reason]}</span></td><td>${esc(a.detail)}</td></tr>`)
    .join('');
  const clusters = new Set(view.attention.map((a) => a.clusterId)).size;
  return `<section id="attention"><h2>Stale or failing clusters <span class="n">${clusters}</span></h2>
<p class="muted">Their findings may be out of date or incomplete: a partial scan resolves nothing it could not list.</p>
<table><thead><tr><th>Cluster</th><th>Why</th><th>Detail</th></tr></thead><tbody>${rows}</tbody></table></section>`;
}

function heatLevel(count: number, max: number): number {
  return count <= 0 ? 0 : Math.max(1, Math.ceil((count / max) * heatLevels));
}

function heatMapSection(view: FleetView, shown: readonly FleetClusterRow[], hidden: number): string {
  const controls = new Map((frameworkById(owaspFrameworkId)?.controls ?? []).map((c) => [c.id, c.title]));
  const max = Math.max(1, ...shown.flatMap((row) => view.categories.map((k) => view.byCategory[row.clusterId]?.[k] ?? 0)));
  const head = view.categories
    .map((k) => `<th class="cat" title="${attr(`${k} ${controls.get(k) ?? ''}`.trim())}">${esc(k)}</th>`)
    .join('');
  const rows = shown
    .map((row) => {
      const cells = view.categories
        .map((k) => {
          const count = view.byCategory[row.clusterId]?.[k] ?? 0;
          return `<td class="heat heat-${heatLevel(count, max)}" data-category="${attr(k)}" title="${attr(`${row.name} · ${k} ${controls.get(k) ?? ''}: ${count}`)}">${count}</td>`;
        })
        .join('');
      return `<tr data-search="${attr(`${row.name} ${row.clusterId}`.toLowerCase())}"><th scope="row"><code>${esc(row.name)}</code></th>${cells}</tr>`;
    })
    .join('');
  const legend = view.categories.map((k) => `<span class="fw"><strong>${esc(k)}</strong> ${esc(controls.get(k) ?? '')}</span>`).join(' ');
  const body = shown.length === 0
    ? '<p class="empty">No cluster in the inventory yet.</p>'
    : `<div class="scroll"><table class="heatmap"><thead><tr><th>Cluster</th>${head}</tr></thead><tbody>${rows}</tbody></table></div>${moreClusters(hidden)}
<p class="legend">${legend}</p>`;
  return `<section id="heatmap"><h2>Open findings by OWASP Kubernetes Top 10 (2022) category</h2>
<p class="muted">One row per cluster, worst first; a finding mapped to several categories counts in each.</p>${body}</section>`;
}

function moreClusters(hidden: number): string {
  return hidden > 0 ? `<p class="muted">…and ${hidden} more cluster${hidden === 1 ? '' : 's'} with lower risk (see <code>periscope fleet</code>).</p>` : '';
}

function topRulesSection(view: FleetView, clustersPerRule: number): string {
  if (view.topRules.length === 0) return `<section id="top-rules"><h2>Top rules</h2><p class="empty">No open findings.</p></section>`;
  const rows = view.topRules
    .map((rule) => {
      const title = ruleById(rule.ruleId)?.meta.title ?? rule.ruleId;
      const named = rule.clusters
        .slice(0, clustersPerRule)
        .map((c) => `<li><code>${esc(c.name)}</code> <span class="n">${c.open}</span></li>`)
        .join('');
      const more = rule.clusters.length - Math.min(rule.clusters.length, clustersPerRule);
      return `<tr class="rule-row" data-severity="${rule.severity}"><td>${badge(rule.severity)}</td><td><code>${esc(rule.ruleId)}</code><div>${esc(title)}</div></td>` +
        `<td class="num">${rule.open}</td><td class="num">${rule.clusters.length}</td><td><ul class="hits">${named}${more > 0 ? `<li class="muted">…and ${more} more</li>` : ''}</ul></td></tr>`;
    })
    .join('');
  return `<section id="top-rules"><h2>Top rules across the fleet <span class="n">${view.topRules.length}</span></h2>
<p class="muted">Burn these down first: one fix to a rule's cause clears it in every cluster it hits.</p>
<table><thead><tr><th>Severity</th><th>Rule</th><th>Open</th><th>Clusters</th><th>Hits</th></tr></thead><tbody>${rows}</tbody></table></section>`;
}

const supportLabel: Record<FleetClusterRow['support']['phase'], string> = {
  standard: 'standard support',
  extended: 'extended support',
  unsupported: 'out of support',
  unknown: '',
};

function clustersSection(shown: readonly FleetClusterRow[], hidden: number): string {
  if (shown.length === 0) return `<section id="clusters"><h2>Clusters by risk</h2><p class="empty">No cluster in the inventory yet.</p></section>`;
  const rows = shown
    .map((row, i) => {
      const where = [row.accountId, row.region].filter(Boolean).join(' · ');
      const version = row.version ? `${esc(row.version)}${supportLabel[row.support.phase] ? ` <span class="muted">(${supportLabel[row.support.phase]})</span>` : ''}` : '';
      const result = row.lastScanResult === 'never' ? 'never scanned' : row.lastScanResult;
      const counts = severities.map((s) => `<td class="num${row.open[s] > 0 ? ` sev-${s}` : ''}">${row.open[s]}</td>`).join('');
      return `<tr data-search="${attr(`${row.name} ${row.clusterId} ${where}`.toLowerCase())}"><td class="num">${i + 1}</td><td><code>${esc(row.name)}</code><div class="loc">${esc(where)}</div></td>` +
        `<td>${version}</td><td>${esc(row.lastScanAt ?? '')}<div class="loc result-${row.lastScanResult}">${esc(result)}${row.stale && row.lastScanResult !== 'never' ? ' · stale' : ''}</div></td>` +
        `${counts}<td class="num">${row.attackPaths}</td><td class="num">${row.suppressed}</td><td class="num"><strong>${row.risk}</strong></td><td>${sparkline(row)}</td></tr>`;
    })
    .join('');
  return `<section id="clusters"><h2>Clusters by risk <span class="n">${shown.length + hidden}</span></h2>
<p class="muted">Risk: open findings weighted by severity (critical 100, high 20, medium 5, low 1) plus 150 per attack path.</p>
<div class="filter"><label>Filter <input id="filter" type="search" placeholder="cluster, account or region"></label></div>
<div class="scroll"><table class="ranked"><thead><tr><th>#</th><th>Cluster</th><th>Version</th><th>Last scan</th>${severities.map((s) => `<th>${s}</th>`).join('')}<th>paths</th><th>suppressed</th><th>risk</th><th>open per day</th></tr></thead><tbody>${rows}</tbody></table></div>${moreClusters(hidden)}</section>`;
}

/** A cluster's open findings per day, as a small inline SVG line. */
function sparkline(row: FleetClusterRow): string {
  const days = row.trend.days;
  if (days.length === 0) return '';
  const width = 90;
  const height = 22;
  const max = Math.max(1, ...days.map((d) => d.open));
  const x = (i: number) => (days.length === 1 ? width / 2 : 2 + (i / (days.length - 1)) * (width - 4));
  const y = (v: number) => height - 2 - (v / max) * (height - 4);
  const points = days.map((d, i) => `${x(i).toFixed(1)},${y(d.open).toFixed(1)}`).join(' ');
  const last = days[days.length - 1]!;
  return `<svg class="spark" role="img" aria-label="${attr(`${row.name}: open findings per day`)}" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" xmlns="http://www.w3.org/2000/svg">` +
    `<title>${esc(`${days[0]!.day}: ${days[0]!.open} open → ${last.day}: ${last.open} open`)}</title><polyline points="${points}" fill="none" stroke="#37474f" stroke-width="1.5"></polyline></svg>`;
}

interface Series {
  name: string;
  color: string;
  values: readonly number[];
}

/** A line chart over days, as inline SVG: one polyline per series, a dot per day with its value. */
function lineChart(caption: string, days: readonly string[], series: readonly Series[]): string {
  const width = 640;
  const height = 220;
  const left = 44;
  const bottom = 30;
  const plotWidth = width - left - 130;
  const plotHeight = height - bottom - 14;
  const max = Math.max(1, ...series.flatMap((s) => s.values));
  const x = (i: number) => left + (days.length === 1 ? plotWidth / 2 : (i / (days.length - 1)) * plotWidth);
  const y = (v: number) => 10 + plotHeight - (v / max) * plotHeight;
  const lines = series
    .map((s, row) => {
      const coords = s.values.map((v, i) => `${x(i).toFixed(1)},${y(v).toFixed(1)}`).join(' ');
      const dots = s.values
        .map((v, i) => `<circle cx="${x(i).toFixed(1)}" cy="${y(v).toFixed(1)}" r="2.5" fill="${s.color}"><title>${esc(days[i] ?? '')}: ${v} ${esc(s.name)}</title></circle>`)
        .join('');
      return `<polyline points="${coords}" fill="none" stroke="${s.color}" stroke-width="2"></polyline>${dots}` +
        `<rect x="${width - 116}" y="${15 + row * 18}" width="10" height="10" fill="${s.color}"></rect><text x="${width - 100}" y="${24 + row * 18}" class="axis">${esc(s.name)}</text>`;
    })
    .join('');
  const tickAt = days.length <= 2 ? days.map((_, i) => i) : [0, Math.floor((days.length - 1) / 2), days.length - 1];
  const ticks = tickAt
    .map((i) => {
      const anchor = days.length > 1 && i === 0 ? 'start' : days.length > 1 && i === days.length - 1 ? 'end' : 'middle';
      return `<text x="${x(i).toFixed(1)}" y="${height - 10}" text-anchor="${anchor}" class="axis">${esc(days[i] ?? '')}</text>`;
    })
    .join('');
  const axes = `<line x1="${left}" y1="${10 + plotHeight}" x2="${left + plotWidth}" y2="${10 + plotHeight}" stroke="#999"></line>` +
    `<text x="${left - 6}" y="${y(max) + 4}" text-anchor="end" class="axis">${max}</text><text x="${left - 6}" y="${y(0) + 4}" text-anchor="end" class="axis">0</text>`;
  return `<figure><figcaption>${esc(caption)}</figcaption><svg role="img" aria-label="${attr(caption)}" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" xmlns="http://www.w3.org/2000/svg">${axes}${lines}${ticks}</svg></figure>`;
}

function trendSection(trend: readonly FleetTrendDay[]): string {
  if (trend.length === 0) return `<section id="trend"><h2>Trend</h2><p class="empty">No scan in the trend window.</p></section>`;
  const days = trend.map((d) => d.day);
  const rows = trend.map((d) => `<tr><td>${esc(d.day)}</td><td class="num">${d.open}</td><td class="num">${d.opened}</td><td class="num">${d.resolved}</td></tr>`).join('');
  return `<section id="trend"><h2>Trend <span class="n">${trend.length} day${trend.length === 1 ? '' : 's'}</span></h2><div class="charts">
${lineChart('Open findings across the fleet, per day', days, [{ name: 'open', color: severityColor.high, values: trend.map((d) => d.open) }])}
${lineChart('Opened and resolved per day', days, [
  { name: 'opened', color: severityColor.medium, values: trend.map((d) => d.opened) },
  { name: 'resolved', color: '#2e7d32', values: trend.map((d) => d.resolved) },
])}
</div>
<details><summary>The numbers</summary><table><thead><tr><th>Day</th><th>Open</th><th>Opened</th><th>Resolved</th></tr></thead><tbody>${rows}</tbody></table></details></section>`;
}

function errorsSection(errors: readonly string[]): string {
  if (errors.length === 0) return '';
  return `<section id="errors"><h2>Items that could not be read <span class="n">${errors.length}</span></h2>
<p class="muted">They were skipped; the counts above leave them out.</p><ul>${errors.map((e) => `<li><code>${esc(e)}</code></li>`).join('')}</ul></section>`;
}

const heatColors = ['#f4f6f8', '#fde0c5', '#facb98', '#f59e60', '#e4572e', '#a4161a'];

const fleetStyles = `
.scroll{overflow-x:auto}.num{text-align:right;font-variant-numeric:tabular-nums}
table.heatmap{width:auto}table.heatmap th.cat{text-align:center;min-width:44px}table.heatmap td.heat{text-align:center;min-width:44px;font-variant-numeric:tabular-nums;border:1px solid #fff}
${heatColors.map((color, level) => `.heat-${level}{background:${color}${level >= 4 ? ';color:#fff' : ''}}`).join('')}
.heat-0{color:#9aa4b0}.legend{font-size:12px}.hits{list-style:none;margin:0;padding:0;display:flex;flex-wrap:wrap;gap:4px 10px}
.card.clusters{border-left-color:#37474f}.card.paths{border-left-color:${severityColor.critical}}.card.stale,.card.failing{border-left-color:#6d4c41}
.tag{display:inline-block;padding:1px 7px;border-radius:10px;font-size:11px;font-weight:700;background:#eceff1}.tag-failed,.tag-unsupported-version{background:#ffcdd2}.tag-stale,.tag-never-scanned{background:#ffe0b2}.tag-partial{background:#fff9c4}
.result-failed{color:${severityColor.high};font-weight:600}td.sev-critical{color:${severityColor.critical};font-weight:600}svg.spark{vertical-align:middle}
`;

// Filters the risk table and the heat map rows by cluster, account or region; reads only the page's own attributes.
const script = `
(function(){
  var input=document.getElementById('filter');
  if(!input)return;
  var rows=[].slice.call(document.querySelectorAll('tr[data-search]'));
  input.addEventListener('input',function(){
    var text=input.value.trim().toLowerCase();
    rows.forEach(function(r){r.classList.toggle('hidden',text!==''&&r.getAttribute('data-search').indexOf(text)<0);});
  });
})();
`;

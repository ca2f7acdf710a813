// `periscope findings --format html`: the findings of a fleet query as one self-contained page, in the same page
// shell (CSP, styles, escaping) as the cluster and fleet reports, with a filter over its rows.
import type { FleetFindingsResult } from '../model/fleet.ts';
import { esc } from './html-escape.ts';
import { badge, htmlPage } from './html.ts';
import { resourceText } from './fleet-text.ts';

/** Hides the rows whose text does not hold what is typed in the filter. */
const filterScript = `(() => {
  const input = document.getElementById('filter');
  const rows = [...document.querySelectorAll('#findings tbody tr')];
  input?.addEventListener('input', () => {
    const wanted = input.value.toLowerCase();
    for (const row of rows) row.hidden = wanted !== '' && !row.textContent.toLowerCase().includes(wanted);
  });
})();`;

export function renderFindingsHtml(result: FleetFindingsResult, generatedAt: Date = new Date()): string {
  const { query, findings } = result;
  const clusters = new Set(findings.map((finding) => finding.clusterId)).size;
  const rows = findings.map(
    (f) =>
      `<tr><td>${badge(f.severity)}</td><td>${esc(f.clusterName)}</td><td><code>${esc(f.ruleId)}</code></td><td>${esc(f.namespace ?? '-')}</td>` +
      `<td><code>${esc(resourceText(f))}</code></td><td>${esc(f.status.toLowerCase())}</td><td>${esc(f.changedAt)}</td>` +
      `<td>${esc(f.message)}${f.suppressionReason ? ` <em>(suppressed: ${esc(f.suppressionReason)})</em>` : ''}</td></tr>`,
  );
  const table =
    findings.length === 0
      ? `<section id="findings"><p>No ${esc(query.status)} findings match.</p></section>`
      : `<section id="findings"><h2>${findings.length} ${esc(query.status)} finding${findings.length === 1 ? '' : 's'} on ${clusters} cluster${clusters === 1 ? '' : 's'}</h2>
<div class="filter"><label>Filter <input id="filter" type="search" placeholder="cluster, rule, resource or message"></label></div>
<table><thead><tr><th>Severity</th><th>Cluster</th><th>Rule</th><th>Namespace</th><th>Resource</th><th>Status</th><th>Changed</th><th>Message</th></tr></thead>
<tbody>
${rows.join('\n')}
</tbody></table></section>`;
  const skipped = result.errors.length === 0 ? '' : `<section id="errors"><h2>Stored items not read</h2><ul>${result.errors.map((e) => `<li>${esc(e)}</li>`).join('')}</ul></section>`;
  return htmlPage({
    title: 'Periscope — fleet findings',
    meta: `Query: ${esc(JSON.stringify(query))} · generated ${esc(generatedAt.toISOString())}`,
    sections: [table, skipped],
    script: filterScript,
  });
}

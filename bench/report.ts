// The benchmark's results, and the Markdown tables BENCHMARKS.md is made of, each row against its target.
import type { ColdStartResult } from './sections/coldstart.ts';
import type { EndToEndResult } from './sections/e2e.ts';
import type { EngineResult } from './sections/engine.ts';
import type { FleetResult } from './sections/fleet.ts';
import type { FleetViewsResult } from './sections/fleet-views.ts';
import type { ManifestsResult } from './sections/manifests.ts';
import type { MemoryResult } from './sections/memory.ts';
import type { StoreResult } from './sections/store.ts';

export interface BenchReport {
  command?: string;
  startedAt: string;
  totalSeconds?: number;
  machine: {
    cpus: number;
    cpuModel: string;
    memoryGiB: number;
    node: string;
    platform: string;
    loadAverage: number[];
    loadAverageAtEnd?: number[];
  };
  sections: {
    engine?: EngineResult[];
    e2e?: EndToEndResult;
    memory?: MemoryResult;
    store?: StoreResult;
    coldstart?: ColdStartResult;
    fleet?: FleetResult;
    manifests?: ManifestsResult;
    fleetViews?: FleetViewsResult;
  };
}

export const targets = {
  engineRatio: 0.5,
  endToEndRatio: 1.1,
  peakRssMiB: 600,
  rescanWrites: 3,
  bundleKiB: 1024,
  remoteSpeedup: 3,
  evaluateShare: 0.15,
  /** What one DynamoDB partition accepts, in write units per second. */
  partitionUnitsPerSecond: 1000,
  manifestRatio: 1.5,
};

const verdict = (ok: boolean) => (ok ? 'met' : '**missed**');
const n = (value: number) => value.toLocaleString('en-US');

function table(head: string[], rows: (string | number)[][]): string {
  return [`| ${head.join(' | ')} |`, `|${head.map(() => '---').join('|')}|`, ...rows.map((row) => `| ${row.join(' | ')} |`)].join('\n');
}

export function toMarkdown(report: BenchReport): string {
  const { machine, sections } = report;
  const out: string[] = [
    `Run ${report.startedAt}${report.command ? ` with \`${report.command}\`` : ''}${report.totalSeconds !== undefined ? `, ${report.totalSeconds} s in all` : ''}.`,
    `Machine: ${machine.cpus} CPUs (${machine.cpuModel}), ${machine.memoryGiB} GiB, Node ${machine.node}, ${machine.platform}; ` +
      `load average ${machine.loadAverage.join(' / ')} at the start${machine.loadAverageAtEnd ? `, ${machine.loadAverageAtEnd.join(' / ')} at the end` : ''}.`,
  ];
  if (sections.engine) {
    out.push(
      '### Engine',
      table(
        ['pods', 'objects', 'evaluated', 'rules', 'findings', 'snapshot', 'JSON.parse', 'evaluate', 'objects/s', 'evaluate ÷ parse', `target ≤ ${targets.engineRatio}`],
        sections.engine.map((e) => [
          n(e.pods),
          n(e.objects),
          n(e.evaluated),
          e.rules,
          n(e.findings),
          `${e.snapshotMiB} MiB`,
          `${e.parseMs} ms`,
          `${e.evaluateMs} ms`,
          n(e.objectsPerSecond),
          e.ratio,
          verdict(e.ratio <= targets.engineRatio),
        ]),
      ),
    );
  }
  if (sections.e2e) {
    const e = sections.e2e;
    out.push(
      '### End to end against the emulator',
      table(
        ['pods', 'objects', 'page limit', 'pages', 'on the wire', 'latency', 'list + parse', 'collect', 'evaluate', 'scan', 'scan ÷ list+parse', `target ≤ ${targets.endToEndRatio}`],
        [[n(e.pods), n(e.objectsServed), e.pageLimit, e.pages, `${e.wireMiB} MiB`, `${e.latencyMs} ms`, `${n(e.listAndParseMs)} ms`, `${n(e.collectMs)} ms`, `${n(e.evaluateMs)} ms`, `${n(e.scanMs)} ms`, e.ratio, verdict(e.ratio <= targets.endToEndRatio)]],
      ),
      `Both list ${e.concurrency} kinds at a time. Collect alone ÷ list+parse: ${e.collectRatio}. ` +
        `Evaluation is ${Math.round(e.evaluateShare * 100)}% of the scan (${n(e.objectsPerSecond)} objects/s).`,
      table(
        ['pods', 'latency', 'kinds listed one at a time', `${e.remote.concurrency} at a time`, 'speedup', `target ≥ ${targets.remoteSpeedup}`, 'same findings'],
        [[n(e.remote.pods), `${e.remote.latencyMs} ms`, `${n(e.remote.sequentialMs)} ms`, `${n(e.remote.concurrentMs)} ms`, `${e.remote.speedup}×`, verdict(e.remote.speedup >= targets.remoteSpeedup), e.remote.identicalFindings ? 'yes' : '**no**']],
      ),
    );
  }
  if (sections.memory) {
    const m = sections.memory;
    out.push(
      '### Memory of one scan (fresh process, emulator in another)',
      table(
        ['pods', 'objects kept', 'findings', 'RSS before scan', 'peak RSS (VmHWM)', 'added by the scan', 'heap after', 'collect', 'evaluate', 'evaluate ÷ scan', 'objects/s evaluated', `target ≤ ${targets.peakRssMiB} MiB`],
        m.points.map((p) => [n(p.clusterPods), n(p.objects), n(p.findings), `${p.startRssMiB} MiB`, `${p.peakRssMiB} MiB`, `${p.scanRssMiB} MiB`, `${p.heapUsedMiB} MiB`, `${n(p.collectMs)} ms`, `${n(p.evaluateMs)} ms`, `${Math.round(p.evaluateShare * 100)}%`, n(p.objectsPerSecond), verdict(p.peakRssMiB <= targets.peakRssMiB)]),
      ),
      `From the smallest to the largest cluster: ${m.podsGrowth}× the pods, ${m.peakRssGrowth}× the peak RSS, ${m.scanRssGrowth}× the memory the scan added; ` +
        `${m.marginalKiBPerPod} KiB per extra pod between the two largest sizes.`,
    );
  }
  if (sections.manifests) {
    out.push(
      '### Manifests: `scan -f` against the live path on the same objects (each in a fresh process)',
      table(
        ['file', 'pods', 'objects', 'size', 'exit', 'scan -f', 'peak RSS', `target ≤ ${targets.peakRssMiB} MiB`, 'live: collect + evaluate', 'live peak RSS', 'scan -f ÷ live', `target ≤ ${targets.manifestRatio}`],
        sections.manifests.cases.map((c) => [
          c.format === 'yaml' ? 'multi-document YAML' : 'List JSON',
          n(c.pods),
          n(c.objects),
          `${n(c.fileMiB)} MiB`,
          c.exitCode,
          `${n(c.scanMs)} ms`,
          `${n(c.peakRssMiB)} MiB`,
          verdict(c.peakRssMiB <= targets.peakRssMiB),
          `${n(c.liveMs)} ms`,
          `${n(c.livePeakRssMiB)} MiB`,
          c.ratio,
          verdict(c.ratio <= targets.manifestRatio),
        ]),
      ),
    );
  }
  if (sections.store) {
    out.push(
      '### DynamoDB writes',
      table(
        ['scan', 'findings', 'opened', 'resolved', 'unchanged', 'write requests', '+ lease', 'time', `target (rescan) ≤ ${targets.rescanWrites}`],
        sections.store.scans.map((s) => [s.label, n(s.findings), n(s.opened), n(s.resolved), n(s.unchanged), s.writeRequests, s.leaseWrites, `${n(s.ms)} ms`, s.label === 'unchanged rescan' ? verdict(s.writeRequests + s.leaseWrites <= targets.rescanWrites) : '']),
      ),
    );
  }
  if (sections.fleetViews) {
    const v = sections.fleetViews;
    out.push(
      `### Fleet views: ${n(v.clusters)} clusters, ${n(v.findings)} findings in the table (loaded through recordScan in ${n(v.loadMs)} ms, ${n(v.loadWriteRequests)} write requests)`,
      table(
        ['read', 'requests', 'items read', 'rows', 'time', 'peak heap'],
        v.reads.map((r) => [r.label, Object.entries(r.requests).map(([c, k]) => `${n(k)} ${c.replace(/Command$/, '')}`).join(', '), n(r.items), n(r.rows), `${n(r.ms)} ms`, `${n(r.peakHeapMiB)} MiB`]),
      ),
    );
  }
  if (sections.coldstart) {
    const c = sections.coldstart;
    out.push(
      `### Lambda cold start (Node ${c.nodeVersion}; empty script: ${c.emptyStartMs} ms)`,
      table(
        ['function', 'bundle (minified)', `target (scan) ≤ ${targets.bundleKiB} KiB`, 'node start + import', 'import alone', 'start ÷ empty start'],
        c.functions.map((f) => [f.name, `${n(f.bundleKiB)} KiB`, f.name === 'scan' ? verdict(f.bundleKiB <= targets.bundleKiB) : '', `${f.startMs} ms`, `${f.importMs} ms`, f.ratio]),
      ),
    );
  }
  if (sections.fleet) {
    const f = sections.fleet;
    out.push(
      `### Fleet: ${f.clusters} clusters (${n(f.pods)} pods), ${f.latencyMs} ms per Kubernetes API request, ${f.concurrency} concurrent scans`,
      table(
        ['round', 'discover', 'total', 'scanned', 'failed', 'per cluster p50', 'p95', 'max', 'scans in flight (max / mean)', 'findings opened', 'events'],
        f.rounds.map((r) => [r.label, `${n(r.discoverMs)} ms`, `${n(r.totalMs)} ms`, r.scanned, r.failed, `${n(r.p50Ms)} ms`, `${n(r.p95Ms)} ms`, `${n(r.maxMs)} ms`, `${r.maxInFlight} / ${r.meanInFlight}`, n(r.findingsOpened), n(r.events)]),
      ),
      table(
        ['round', 'discover writes', 'scan write requests', 'per cluster', `target (rescan) ≤ ${targets.rescanWrites}`, 'items', 'write units', 'of which open-by-severity', 'per severity key', 'most on one key in one second'],
        f.rounds.map((r) => [
          r.label,
          n(r.discoverWriteRequests),
          n(r.writes.requests),
          r.writes.requestsPerCluster,
          r.label.startsWith('scheduled rescan') ? verdict(r.writes.requestsPerCluster <= targets.rescanWrites) : '',
          n(r.writes.items),
          n(r.writes.units),
          n(r.writes.indexUnits['open-by-severity'] ?? 0),
          Object.entries(r.writes.severityKeyUnits).sort((a, b) => b[1] - a[1]).map(([key, units]) => `${key.replace(/^SEVERITY#/, '')} ${n(units)}`).join(', ') || '—',
          r.writes.severityKeyPeakPerSecond.units ? `${n(r.writes.severityKeyPeakPerSecond.units)} WCU/s (${r.writes.severityKeyPeakPerSecond.key.replace(/^SEVERITY#/, '')})` : '—',
        ]),
      ),
      `A scan makes at least ${f.listRequestsPerScan} list requests, a few kinds at a time; one DynamoDB partition takes ${n(targets.partitionUnitsPerSecond)} write units a second.`,
    );
  }
  return out.join('\n\n');
}

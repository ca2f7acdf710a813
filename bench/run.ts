// `npm run bench`: Periscope's performance on big clusters and big fleets, each figure a ratio or a count measured
// in this run. Usage: npm run bench -- [--quick] [--sections engine,e2e,memory,store,coldstart,fleet,manifests,fleet-views] [--json FILE]
import { writeFileSync } from 'node:fs';
import os from 'node:os';
import { parseArgs } from 'node:util';
import { coldStartSection } from './sections/coldstart.ts';
import { endToEndSection } from './sections/e2e.ts';
import { engineSection } from './sections/engine.ts';
import { fleetSection } from './sections/fleet.ts';
import { fleetViewsSection } from './sections/fleet-views.ts';
import { manifestsSection } from './sections/manifests.ts';
import { memorySection } from './sections/memory.ts';
import { storeSection } from './sections/store.ts';
import { toMarkdown, type BenchReport } from './report.ts';

export const sectionNames = ['engine', 'e2e', 'memory', 'store', 'coldstart', 'fleet', 'manifests', 'fleet-views'] as const;
export type SectionName = (typeof sectionNames)[number];

/** Sizes per mode: the full run finishes in about 20 minutes on 2 cores, --quick in under 2. */
export const plans = {
  full: {
    engine: [{ pods: 10_000, rounds: 5 }, { pods: 50_000, rounds: 3 }],
    e2e: { pods: 10_000, rounds: 3, latencyMs: 0, remote: { pods: 1_000, latencyMs: 50, rounds: 3 } },
    memory: { sizes: [1_000, 10_000, 50_000, 100_000] },
    store: { findings: 5_000 },
    coldstart: { runs: 10 },
    fleet: { clusters: 1_000, concurrency: 20, latencyMs: 50 },
    // 1,000 clusters of 250 × 60–100% findings: about 200,000 in the table.
    'fleet-views': { clusters: 1_000, findingsPerCluster: 250 },
    // ≈ 200 MB of YAML, and the 100k-pod cluster of the memory section as one List JSON.
    manifests: { cases: [{ format: 'yaml', pods: 45_000 }, { format: 'json', pods: 100_000 }] as { format: 'yaml' | 'json'; pods: number }[] },
  },
  quick: {
    engine: [{ pods: 2_000, rounds: 3 }],
    e2e: { pods: 2_000, rounds: 2, latencyMs: 0, remote: { pods: 400, latencyMs: 50, rounds: 1 } },
    memory: { sizes: [1_000, 5_000] },
    store: { findings: 1_000 },
    coldstart: { runs: 3 },
    fleet: { clusters: 25, concurrency: 20, latencyMs: 50 },
    'fleet-views': { clusters: 50, findingsPerCluster: 50 },
    manifests: { cases: [{ format: 'yaml', pods: 2_000 }, { format: 'json', pods: 5_000 }] as { format: 'yaml' | 'json'; pods: number }[] },
  },
};
export type Plan = (typeof plans)['full'];

export function machine(): BenchReport['machine'] {
  const cpus = os.cpus();
  return {
    cpus: os.availableParallelism(),
    cpuModel: cpus[0]?.model ?? 'unknown',
    memoryGiB: Math.round(os.totalmem() / 2 ** 30),
    node: process.version,
    platform: `${os.type()} ${os.release()} ${os.arch()}`,
    loadAverage: os.loadavg().map((load) => Math.round(load * 100) / 100),
  };
}

export async function runBench(plan: Plan, sections: readonly SectionName[], log: (line: string) => void = () => {}): Promise<BenchReport> {
  const report: BenchReport = { startedAt: new Date().toISOString(), machine: machine(), sections: {} };
  const started = performance.now();
  const timed = async <T>(name: SectionName, run: () => Promise<T>): Promise<T> => {
    log(`${name}...`);
    const sectionStart = performance.now();
    const result = await run();
    log(`${name} done in ${Math.round((performance.now() - sectionStart) / 1000)} s`);
    return result;
  };
  for (const name of sections) {
    if (name === 'engine') {
      report.sections.engine = await timed(name, async () => {
        const results = [];
        for (const size of plan.engine) results.push(await engineSection(size));
        return results;
      });
    }
    if (name === 'e2e') report.sections.e2e = await timed(name, () => endToEndSection(plan.e2e));
    if (name === 'memory') report.sections.memory = await timed(name, () => memorySection(plan.memory));
    if (name === 'store') report.sections.store = await timed(name, () => storeSection(plan.store));
    if (name === 'coldstart') report.sections.coldstart = await timed(name, () => coldStartSection(plan.coldstart));
    if (name === 'fleet') report.sections.fleet = await timed(name, () => fleetSection(plan.fleet));
    if (name === 'fleet-views') report.sections.fleetViews = await timed(name, () => fleetViewsSection(plan['fleet-views'], log));
    if (name === 'manifests') report.sections.manifests = await timed(name, () => manifestsSection(plan.manifests, log));
  }
  report.totalSeconds = Math.round((performance.now() - started) / 1000);
  report.machine.loadAverageAtEnd = os.loadavg().map((load) => Math.round(load * 100) / 100);
  return report;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      quick: { type: 'boolean', default: false },
      sections: { type: 'string' },
      json: { type: 'string' },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    console.log(
      'npm run bench -- [--quick] [--sections engine,e2e,memory,store,coldstart,fleet,manifests,fleet-views] [--json FILE]\n' +
        '  --quick     small sizes (under 2 minutes)\n  --sections  which sections to run (default: all)\n  --json      also write the raw results to FILE',
    );
    return;
  }
  const requested = values.sections ? values.sections.split(',').map((s) => s.trim()) : [...sectionNames];
  const unknown = requested.filter((name) => !(sectionNames as readonly string[]).includes(name));
  if (unknown.length > 0) {
    throw new Error(`Unknown benchmark section(s): ${unknown.join(', ')}. Choose from: ${sectionNames.join(', ')}.`);
  }
  const report = await runBench(values.quick ? plans.quick : plans.full, requested as SectionName[], (line) => console.error(`[bench] ${line}`));
  report.command = `npm run bench -- ${process.argv.slice(2).join(' ')}`.trim();
  if (values.json) writeFileSync(values.json, `${JSON.stringify(report, null, 2)}\n`);
  console.log(toMarkdown(report));
}

if (import.meta.main) {
  main().catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : String(error));
    process.exitCode = 1;
  });
}

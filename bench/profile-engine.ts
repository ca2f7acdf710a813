// Profiling aid for the engine: collects a synthetic cluster once from the emulator (cached as JSON), then evaluates
// it a few times and prints the times. Run under `--cpu-prof` to see where evaluation goes, and with --findings to
// write the findings (sorted, as the engine returns them) so two versions of the rules can be compared exactly.
// Usage: npx node [--cpu-prof --cpu-prof-dir=/tmp/prof] bench/profile-engine.ts --pods 50000 [--rounds 3]
//        [--snapshot /tmp/snapshot-50000.json] [--findings /tmp/findings.json] [--per-rule]
// --per-rule adds each rule's own time (its check calls, findings emission excluded) over the measured rounds.
import type { Snapshot } from '../shared/model/snapshot.ts';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { evaluatorOf } from '../shared/engine/evaluator.ts';
import type { AnyRule } from '../shared/engine/rule.ts';
import { rules } from '../shared/rules/index.ts';
import { startServices } from './children.ts';
import { collect, evaluate } from './scan.ts';

const { values } = parseArgs({
  options: {
    pods: { type: 'string', default: '50000' },
    rounds: { type: 'string', default: '3' },
    snapshot: { type: 'string' },
    findings: { type: 'string' },
    'per-rule': { type: 'boolean', default: false },
  },
});
const pods = Number(values.pods);
const snapshotFile = values.snapshot ?? `/tmp/periscope-bench-snapshot-${pods}.json`;

let text: string;
if (existsSync(snapshotFile)) {
  text = readFileSync(snapshotFile, 'utf8');
} else {
  const services = await startServices({ clusters: [{ name: 'engine', profile: { pods } }] });
  try {
    const cluster = services.ready.clusters[0];
    if (!cluster) throw new Error('no emulated cluster');
    text = JSON.stringify(await collect(cluster));
  } finally {
    await services.stop();
  }
  writeFileSync(snapshotFile, text);
}

// Each rule wrapped in a timer (findings it reports are emitted inside its check, so emission is subtracted).
const ruleMs = new Map<string, number>();
let emitting = 0;
const timed: AnyRule[] = rules.map((rule) => ({
  ...rule,
  check(object, ctx) {
    const start = performance.now();
    const before = emitting;
    try {
      rule.check(object, {
        ...ctx,
        report: (report) => {
          const emitStart = performance.now();
          ctx.report(report);
          emitting += performance.now() - emitStart;
        },
      });
    } finally {
      ruleMs.set(rule.id, (ruleMs.get(rule.id) ?? 0) + performance.now() - start - (emitting - before));
    }
  },
}));
const timedEvaluator = evaluatorOf({ rules: timed });
const run = values['per-rule'] ? (snapshot: Parameters<typeof evaluate>[0]) => timedEvaluator(snapshot, new Date()) : evaluate;

for (let round = 0; round <= Number(values.rounds); round += 1) {
  const snapshot = JSON.parse(text) as Snapshot;
  if (round === 1) {
    ruleMs.clear();
    emitting = 0;
  }
  const start = performance.now();
  const result = run(snapshot);
  const ms = performance.now() - start;
  console.log(`round ${round}${round === 0 ? ' (warm-up)' : ''}: ${result.evaluated} evaluated, ${result.findings.length} findings, ${ms.toFixed(1)} ms`);
  if (round === 0 && values.findings) writeFileSync(values.findings, JSON.stringify(result.findings));
}

if (values['per-rule']) {
  const rounds = Number(values.rounds);
  console.log(`per round: emitting findings ${(emitting / rounds).toFixed(1)} ms; rules:`);
  for (const [id, ms] of [...ruleMs].sort((a, b) => b[1] - a[1]).slice(0, 25)) console.log(`${(ms / rounds).toFixed(1).padStart(8)} ms  ${id}`);
}

// Lambda cold start: each function bundled exactly as the CDK construct bundles it (cdk/bundling.ts: esbuild,
// ESM, node24, minified, the createRequire banner, the AWS SDK inside), its size, and how long Node takes to start
// and import it, against Node starting an empty script. Fresh processes, medians.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { esbuildOptions, lambdaFunctions, repoRoot, type LambdaName } from '../../cdk/bundling.ts';
import { median, round } from '../children.ts';

export interface ColdStartOptions {
  /** Process starts per measurement. */
  runs: number;
  functions?: LambdaName[];
}

export interface FunctionColdStart {
  name: LambdaName;
  bundleKiB: number;
  /** Wall time of `node` importing the bundle and exiting. */
  startMs: number;
  /** Time of the import alone, measured inside the process. */
  importMs: number;
  /** startMs ÷ emptyStartMs. */
  ratio: number;
}

export interface ColdStartResult {
  nodeVersion: string;
  emptyStartMs: number;
  functions: FunctionColdStart[];
}

function timeRun(args: string[]): { ms: number; stdout: string } {
  const started = performance.now();
  const run = spawnSync(process.execPath, args, { encoding: 'utf8', env: { PATH: process.env.PATH ?? '', AWS_REGION: 'us-east-1' } });
  const ms = performance.now() - started;
  if (run.status !== 0) throw new Error(`node ${args.join(' ')} failed (${run.status}): ${run.stderr}`);
  return { ms, stdout: run.stdout };
}

export async function coldStartSection(options: ColdStartOptions): Promise<ColdStartResult> {
  const names = options.functions ?? (Object.keys(lambdaFunctions) as LambdaName[]);
  const dir = mkdtempSync(path.join(tmpdir(), 'periscope-bench-bundles-'));
  try {
    const empty = path.join(dir, 'empty.mjs');
    writeFileSync(empty, '');
    const bundles = new Map<LambdaName, string>();
    for (const name of names) {
      const outfile = path.join(dir, name, 'index.mjs');
      await build({ ...esbuildOptions, mainFields: [...esbuildOptions.mainFields], entryPoints: [path.join(repoRoot, lambdaFunctions[name])], outfile, logLevel: 'error' });
      bundles.set(name, outfile);
    }
    const emptyRuns: number[] = [];
    const startRuns = new Map<LambdaName, number[]>(names.map((name) => [name, []]));
    const importRuns = new Map<LambdaName, number[]>(names.map((name) => [name, []]));
    // Interleaved, so a burst of load on the machine touches every measurement alike.
    for (let run = 0; run < options.runs; run += 1) {
      emptyRuns.push(timeRun([empty]).ms);
      for (const [name, file] of bundles) {
        const script =
          `const t = performance.now(); const m = await import(${JSON.stringify(pathToFileURL(file).href)}); ` +
          `if (typeof m.handler !== 'function') throw new Error('no handler export'); console.log(performance.now() - t);`;
        const { ms, stdout } = timeRun(['--input-type=module', '-e', script]);
        startRuns.get(name)?.push(ms);
        importRuns.get(name)?.push(Number(stdout.trim()));
      }
    }
    const emptyStartMs = median(emptyRuns);
    return {
      nodeVersion: process.version,
      emptyStartMs: round(emptyStartMs),
      functions: names.map((name) => {
        const startMs = median(startRuns.get(name) ?? []);
        return {
          name,
          bundleKiB: Math.round(statSync(bundles.get(name) as string).size / 1024),
          startMs: round(startMs),
          importMs: round(median(importRuns.get(name) ?? [])),
          ratio: round(startMs / emptyStartMs, 2),
        };
      }),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

// Bundles every Lambda with esbuild, exactly as the CDK construct does, and reports the sizes.
// `npm run bundle [-- <out dir>]` (default dist/lambda/<function>/index.mjs).
import { existsSync } from 'node:fs';
import { mkdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { esbuildOptions, lambdaFunctions, repoRoot, type LambdaName } from '../cdk/bundling.ts';
import { notifierFunctions, type NotifierName } from '../cdk/notifiers.ts';
import { auditFunctionEntry } from '../cdk/audit-stream.ts';
import { fleetReportFunctions } from '../cdk/fleet-report.ts';

type FunctionName = LambdaName | NotifierName | 'audit-events' | keyof typeof fleetReportFunctions;
const entries: Record<FunctionName, string> = { ...lambdaFunctions, ...notifierFunctions, 'audit-events': auditFunctionEntry, ...fleetReportFunctions };

/** The pipeline's functions, and the notifiers whose handlers are in this build. */
export function bundledFunctionNames(): FunctionName[] {
  return (Object.keys(entries) as FunctionName[]).filter((name) => existsSync(path.join(repoRoot, entries[name])));
}

export interface BundleResult {
  name: FunctionName;
  file: string;
  bytes: number;
}

export async function bundleFunctions(outDir: string, names: readonly FunctionName[] = bundledFunctionNames()): Promise<BundleResult[]> {
  return Promise.all(
    names.map(async (name) => {
      const dir = path.join(outDir, name);
      await mkdir(dir, { recursive: true });
      const file = path.join(dir, 'index.mjs');
      await build({
        ...esbuildOptions,
        mainFields: [...esbuildOptions.mainFields],
        entryPoints: [path.join(repoRoot, entries[name])],
        outfile: file,
        logLevel: 'error',
      });
      return { name, file, bytes: (await stat(file)).size };
    }),
  );
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const outDir = path.resolve(process.argv[2] ?? path.join(repoRoot, 'dist', 'lambda'));
  for (const result of await bundleFunctions(outDir)) {
    console.log(`${result.name.padEnd(16)} ${(result.bytes / 1024 / 1024).toFixed(2)} MB  ${path.relative(process.cwd(), result.file)}`);
  }
}

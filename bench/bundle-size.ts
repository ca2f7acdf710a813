// What a Lambda bundle is made of: bundles one function with the production esbuild options (cdk/bundling.ts),
// then prints its size and the bytes each package contributes (from esbuild's metafile).
// Usage: npx node bench/bundle-size.ts [functions/scan.ts] [--metafile out.json] [--top 30]
import { build } from 'esbuild';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { esbuildOptions, repoRoot } from '../cdk/bundling.ts';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { metafile: { type: 'string' }, top: { type: 'string', default: '30' } },
});
const entry = positionals[0] ?? 'functions/scan.ts';
const dir = await mkdtemp(path.join(tmpdir(), 'periscope-bundle-size-'));
try {
  const result = await build({
    ...esbuildOptions,
    mainFields: [...esbuildOptions.mainFields],
    entryPoints: [path.resolve(repoRoot, entry)],
    outfile: path.join(dir, 'index.mjs'),
    metafile: true,
    logLevel: 'error',
  });
  if (values.metafile) await writeFile(values.metafile, JSON.stringify(result.metafile));
  const output = Object.values(result.metafile.outputs).find((o) => o.entryPoint !== undefined);
  if (!output) throw new Error(`esbuild produced no output for ${entry}`);
  const byPackage = new Map<string, number>();
  for (const [file, { bytesInOutput }] of Object.entries(output.inputs)) {
    const match = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(file);
    const key = match?.[1] ?? file.split('/').slice(0, 2).join('/');
    byPackage.set(key, (byPackage.get(key) ?? 0) + bytesInOutput);
  }
  console.log(`${entry}: ${(output.bytes / 1024).toFixed(0)} KiB minified (source map excluded)`);
  for (const [name, bytes] of [...byPackage].sort((a, b) => b[1] - a[1]).slice(0, Number(values.top))) {
    console.log(`${(bytes / 1024).toFixed(1).padStart(9)} KiB  ${name}`);
  }
} finally {
  await rm(dir, { recursive: true, force: true });
}

// Manifests: `periscope scan -f` on a big multi-document YAML file and on a big `List` JSON file (generated here, as
// a stream), each in a fresh process for its peak RSS, against the live path (collect from the emulator and
// evaluate, also in a fresh process) on the same objects: the same synthetic cluster, same profile and seed.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { round, runChild, startServices } from '../children.ts';
import type { ManifestChildResult } from '../manifest-child.ts';
import { writeManifests, type ManifestFormat } from '../manifest-input.ts';
import type { ScanChildResult } from '../scan-child.ts';

export interface ManifestsOptions {
  /** One case per entry: the file's format and the cluster's size in pods. */
  cases: { format: ManifestFormat; pods: number }[];
}

export interface ManifestCase {
  format: ManifestFormat;
  pods: number;
  objects: number;
  fileMiB: number;
  exitCode: number;
  /** `scan -f`: the whole command (read, parse, snapshot, evaluate, JSON report to /dev/null). */
  scanMs: number;
  peakRssMiB: number;
  startRssMiB: number;
  /** The live path on the same objects: collect + evaluate, and its peak RSS. */
  liveMs: number;
  livePeakRssMiB: number;
  /** scanMs ÷ liveMs (target ≤ 1.5). */
  ratio: number;
}

export interface ManifestsResult {
  cases: ManifestCase[];
}

export async function manifestsSection(options: ManifestsOptions, log: (line: string) => void = () => {}): Promise<ManifestsResult> {
  const dir = mkdtempSync(join(tmpdir(), 'periscope-bench-manifests-'));
  const cases: ManifestCase[] = [];
  try {
    for (const { format, pods } of options.cases) {
      const file = join(dir, `cluster-${pods}.${format}`);
      const written = await writeManifests(file, format, { pods });
      log(`manifests: wrote ${round(written.bytes / 2 ** 20)} MiB of ${format} (${written.objects} objects)`);
      const manifest = await runChild<ManifestChildResult>('manifest-child.ts', [file]);
      rmSync(file);
      const services = await startServices({ clusters: [{ name: `manifests-${pods}`, profile: { pods } }] });
      let live: ScanChildResult;
      try {
        const cluster = services.ready.clusters[0];
        if (!cluster) throw new Error('no emulated cluster');
        live = await runChild<ScanChildResult>('scan-child.ts', [JSON.stringify(cluster)]);
      } finally {
        await services.stop();
      }
      const liveMs = live.collectMs + live.evaluateMs;
      cases.push({
        format,
        pods,
        objects: written.objects,
        fileMiB: round(written.bytes / 2 ** 20),
        exitCode: manifest.exitCode,
        scanMs: manifest.scanMs,
        peakRssMiB: manifest.peakRssMiB,
        startRssMiB: manifest.startRssMiB,
        liveMs,
        livePeakRssMiB: live.peakRssMiB,
        ratio: round(manifest.scanMs / liveMs, 2),
      });
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return { cases };
}

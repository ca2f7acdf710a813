// One `periscope scan -f <file>` in a fresh process, through the CLI's own entry (shared/cli/program.ts), for its
// time and peak memory: the JSON report goes to /dev/null. Reports the kernel's high-water mark (VmHWM) over IPC.
import { devNull } from 'node:os';
import { run } from '../shared/cli/program.ts';
import { peakRssMiB } from './children.ts';

export interface ManifestChildResult {
  exitCode: number;
  /** Peak RSS after the modules were loaded, before the scan. */
  startRssMiB: number;
  peakRssMiB: number;
  heapUsedMiB: number;
  scanMs: number;
}

const file = process.argv[2] ?? '';
try {
  const startRssMiB = await peakRssMiB();
  const started = performance.now();
  const exitCode = await run(['node', 'periscope', 'scan', '-f', file, '--format', 'json', '--output', devNull]);
  const scanMs = performance.now() - started;
  const result: ManifestChildResult = {
    exitCode,
    startRssMiB,
    peakRssMiB: await peakRssMiB(),
    heapUsedMiB: Math.round(process.memoryUsage().heapUsed / 2 ** 20),
    scanMs: Math.round(scanMs),
  };
  process.send?.({ type: 'result', result });
} catch (error) {
  process.send?.({ type: 'error', error: error instanceof Error ? error.stack : String(error) });
}
process.disconnect?.();

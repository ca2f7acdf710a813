// `periscope scan --exceptions <file>` and the built-in EKS platform defaults (`--no-platform-defaults`).
import { readFile } from 'node:fs/promises';
import { Option } from 'commander';
import { ExceptionsFileError, FileExceptions, parseExceptionsFile, type ExceptionEntry } from '../engine/exceptions-file.ts';
import type { ExceptionMatcher } from '../engine/exceptions.ts';
import { platformDefaultExceptions } from '../engine/platform-defaults.ts';
import { systemClock, type Clock } from '../model/cross-cutting.ts';
import { CliError } from './errors.ts';
import { warn } from './output.ts';
import type { ScanExtension } from './scan-extension.ts';

/** One extension per scan: it remembers the file's matcher so it can report unused and expired entries. */
export function exceptionsExtension(clock: Clock = systemClock): ScanExtension {
  let fileExceptions: FileExceptions | undefined;
  return {
    options(command) {
      command
        .option('--exceptions <file>', 'YAML file of exceptions (rule, namespace, kind, name globs; reason; owner; expires)')
        .addOption(
          new Option('--no-platform-defaults', 'do not suppress findings on EKS platform components (aws-node, kube-proxy, coredns...)'),
        );
    },
    async exceptions(options) {
      const matchers: ExceptionMatcher[] = [];
      const file = options.exceptions;
      if (typeof file === 'string') {
        let text: string;
        try {
          text = await readFile(file, 'utf8');
        } catch (error) {
          throw new CliError(`cannot read the exceptions file ${file}: ${(error as Error).message}`);
        }
        try {
          fileExceptions = new FileExceptions(parseExceptionsFile(text, file), { now: clock.now() });
        } catch (error) {
          if (error instanceof ExceptionsFileError) throw new CliError(error.message);
          throw error;
        }
        matchers.push(fileExceptions);
      }
      if (options.platformDefaults !== false) matchers.push(platformDefaultExceptions());
      return matchers;
    },
    async afterEvaluate(input) {
      if (!fileExceptions) return undefined;
      const cluster = input.snapshot.cluster;
      const { unused, expired } = fileExceptions.report();
      for (const { entry } of expired) {
        warn(`exception ${entry.id ?? `for ${entry.rule}`} (owner ${entry.owner}) expired on ${entry.expires}: its findings are open again`);
      }
      for (const { entry } of unused) {
        // Say what the entry selects, and for a cluster selector what this scan's cluster is called, so a typo shows.
        const clusterHint = entry.cluster === undefined ? '' : ` (this scan's cluster is ${cluster.name}, id ${cluster.id})`;
        warn(
          `exception ${entry.id ?? `for ${entry.rule}`} (owner ${entry.owner}) matched no finding with ${selectorsText(entry)}` +
            `${clusterHint}: remove it or fix its selectors`,
        );
      }
      return undefined;
    },
  };
}

/** `rule host-*, namespace nowhere`: an entry's selectors, as written in the file. */
export function selectorsText(entry: ExceptionEntry): string {
  return (['rule', 'cluster', 'namespace', 'kind', 'name'] as const)
    .flatMap((key) => (entry[key] === undefined ? [] : [`${key} ${entry[key]}`]))
    .join(', ');
}

// `periscope fix`: scan manifests, apply the findings' fixes to the files they came from, and show the diff
// (`--dry-run`, the default) or write the files (`--write`), each atomically. The editing itself is shared/fix.
import { randomBytes } from 'node:crypto';
import { constants } from 'node:fs';
import { access, chmod, readFile, realpath, rename, rm, stat, writeFile } from 'node:fs/promises';
import { basename, dirname, isAbsolute, join, relative, resolve } from 'node:path';
import { Option, type Command } from 'commander';
import { compileGlob } from '../../engine/exceptions-file.ts';
import { evaluatorOf } from '../../engine/evaluator.ts';
import { ExceptionsFileError } from '../../engine/exceptions-file.ts';
import { planFixes, findingLabel, type FixError, type FixOutcome } from '../../fix/engine.ts';
import type { DecisionValues } from '../../fix/decisions.ts';
import { kustomizationPatchFiles, kustomizePatches } from '../../fix/kustomize-patch.ts';
import { unifiedDiff } from '../../fix/unified-diff.ts';
import { formatManifestError, kustomizationFileNames, manifestSnapshot, type ManifestObject } from '../../kube/manifests.ts';
import { atLeast, severities, type Finding, type Severity } from '../../model/finding.ts';
import { rules } from '../../rules/index.ts';
import { CliError, exitCodes } from '../errors.ts';
import { exceptionsExtension } from '../exceptions-extension.ts';
import { checkedKinds } from '../manifest-source.ts';
import { manifestScanName, readManifests } from '../manifest-files.ts';
import { warn } from '../output.ts';
import { ruleSettingsExtension } from '../rule-settings-extension.ts';
import type { ScanOptions } from '../scan-extension.ts';

interface FixOptions extends ScanOptions {
  rule?: string[];
  severity?: Severity;
  write?: boolean;
  runAsUser?: string;
  seccompProfile?: string;
  apparmorProfile?: string;
  limitsFromRequests?: boolean;
  envToSecret?: boolean;
  imageDigest?: string[];
}

export function register(program: Command): void {
  const command = program
    .command('fix')
    .description("apply the findings' fixes to the manifest files they came from (a diff by default, --write to edit)");
  command
    .addOption(new Option('-f, --file <paths...>', 'manifest files or directories (as for scan); `-` reads standard input, whose fixes are printed as kustomize patches').makeOptionMandatory())
    .option('--rule <id...>', 'only fix these rules (ids or globs such as host-*); repeatable')
    .addOption(new Option('--severity <severity>', 'only fix findings at or above this severity').choices(severities))
    .option('--dry-run', 'print the changes as a unified diff, write nothing (the default)')
    .option('--write', 'edit the files in place (each one atomically; a file with any error is left as it is)')
    .option('--run-as-user <uid>', 'decide the UID that replaces runAsUser: 0')
    .option('--seccomp-profile <profile>', 'decide the seccomp profile: RuntimeDefault or Localhost:<profile>')
    .option('--apparmor-profile <profile>', 'decide the AppArmor profile: RuntimeDefault or Localhost:<profile>')
    .option('--limits-from-requests', 'accept CPU and memory limits equal to the current requests')
    .option('--env-to-secret', 'accept moving literal credentials to the Secret each fix names (create it with the rotated value)')
    .option('--image-digest <image=digest...>', 'decide the digest of an image as written, e.g. nginx:1.27=sha256:<64 hex>; repeatable');
  exceptionsExtension.options(command);
  ruleSettingsExtension.options(command);
  command
    .addHelpText(
      'after',
      `
Only OPEN findings with a fix are applied (suppressed ones never). After fixing, the same scan runs again: every
fixed finding must be gone and no new one may appear, or that file is left as it is. Fixes whose value is a
decision (a UID, a seccomp or AppArmor profile, limits, an image digest, where a credential goes) are skipped
with the question until the option above answers it.

Exit codes: 0 done (or nothing to do), 2 an input could not be read or a file could not be fixed.

Examples:
  periscope fix -f k8s/                                 # show the diff
  periscope fix -f k8s/ --rule privileged-container --write
  periscope fix -f k8s/ --severity high --seccomp-profile RuntimeDefault --write
  helm template my-chart | periscope fix -f -           # kustomize patches for a post-renderer`,
    )
    .action(async (options: FixOptions) => {
      process.exitCode = await fix(options);
    });
}

function decisionValues(options: FixOptions): DecisionValues {
  const values: DecisionValues = {};
  if (options.runAsUser !== undefined) {
    if (!/^\d+$/.test(options.runAsUser)) throw new CliError(`--run-as-user must be a number, not ${options.runAsUser}`);
    values.runAsUser = Number(options.runAsUser);
  }
  if (options.seccompProfile !== undefined) values.seccompProfile = options.seccompProfile;
  if (options.apparmorProfile !== undefined) values.appArmorProfile = options.apparmorProfile;
  if (options.limitsFromRequests) values.limitsFromRequests = true;
  if (options.envToSecret) values.envToSecret = true;
  if (options.imageDigest) {
    const digests: Record<string, string> = {};
    for (const entry of options.imageDigest) {
      const at = entry.lastIndexOf('=');
      if (at <= 0) throw new CliError(`--image-digest takes <image>=sha256:<digest>, not ${entry}`);
      digests[entry.slice(0, at)] = entry.slice(at + 1);
    }
    values.imageDigests = digests;
  }
  return values;
}

function selector(options: FixOptions): (finding: Finding) => boolean {
  const patterns = (options.rule ?? []).map(compileGlob);
  const known = rules.map((rule) => rule.id);
  for (const [index, pattern] of patterns.entries()) {
    if (!known.some((id) => pattern.test(id))) throw new CliError(`--rule ${options.rule![index]} matches no rule (see periscope rules)`);
  }
  return (finding) =>
    (patterns.length === 0 || patterns.some((pattern) => pattern.test(finding.ruleId))) &&
    (options.severity === undefined || atLeast(finding.severity, options.severity));
}

/** Manifest files a kustomization in the same directory names as patches, with the kustomization's path. */
async function overlayPatchFiles(files: readonly string[]): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (const dir of new Set(files.filter((file) => file !== '-').map((file) => dirname(file)))) {
    for (const name of kustomizationFileNames) {
      const kustomization = join(dir, name);
      const text = await readFile(kustomization, 'utf8').catch(() => undefined);
      if (text === undefined) continue;
      for (const patch of kustomizationPatchFiles(text)) out.set(resolve(dir, patch), kustomization);
    }
  }
  return out;
}

/** Runs `periscope fix` and returns the exit code. */
export async function fix(options: FixOptions): Promise<number> {
  if (options.write && options.dryRun) throw new CliError('give --dry-run or --write, not both');
  const values = decisionValues(options);
  const select = selector(options);
  const ruleSettings = (await ruleSettingsExtension.ruleSettings?.(options)) ?? {};
  const exceptions = (await exceptionsExtension.exceptions?.(options)) ?? {};
  const evaluator = evaluatorOf({
    rules,
    ruleSettings,
    ...(exceptions.file ? { exceptionsFile: exceptions.file } : {}),
    platformDefaults: exceptions.platformDefaults === true,
  });
  const now = new Date();
  const paths = options.file ?? [];
  const read = await readManifests(paths);
  for (const error of read.errors) warn(formatManifestError(error));

  const files = new Map<string, string>();
  const notInPlace = new Map<string, string>();
  const overlays = await overlayPatchFiles(read.files);
  for (const file of read.files) {
    if (file === '-') {
      notInPlace.set(file, 'standard input is not a file (Helm or kustomize output?)');
      continue;
    }
    const kustomization = overlays.get(resolve(file));
    if (kustomization) {
      notInPlace.set(file, `it is a patch that ${kustomization} applies, not the object itself`);
      continue;
    }
    try {
      files.set(file, await readFile(file, 'utf8'));
    } catch (error) {
      warn(`${file}: cannot be read again to fix it (${(error as Error).message})`);
    }
  }
  const scan = (objects: readonly ManifestObject[]): Finding[] => {
    const { snapshot } = manifestSnapshot(objects, {
      path: paths.join(','),
      name: manifestScanName(paths),
      takenAt: now.toISOString(),
      checkedKinds: checkedKinds(),
      errors: read.errors,
    });
    try {
      return evaluator(snapshot, now).findings;
    } catch (error) {
      if (error instanceof ExceptionsFileError) throw new CliError(error.message);
      throw error;
    }
  };
  const outcome = planFixes({ objects: read.objects, files, notInPlace, scan, select, decisions: values });

  const errors = [...outcome.errors];
  if (options.write) errors.push(...(await writeChanges(outcome)));
  else for (const change of outcome.changes) process.stdout.write(unifiedDiff(diffName(change.file), change.before, change.after));
  const byFile = Map.groupBy(outcome.patches, (patch) => patch.file);
  for (const [file, patches] of byFile) {
    const name = file === '-' ? 'standard input' : file;
    process.stdout.write(
      `# ${name} cannot be fixed in place: ${patches[0]!.why}.\n# Add these patches to the kustomization (or the Helm post-renderer's) that builds its objects:\n` +
        kustomizePatches(patches),
    );
  }
  report(outcome, errors, options.write === true);
  return errors.length > 0 || read.errors.length > 0 ? exitCodes.error : exitCodes.ok;
}

/** A file as `git apply` wants it: relative to the working directory when under it. */
function diffName(file: string): string {
  const path = relative(process.cwd(), resolve(file));
  return path.startsWith('..') || isAbsolute(path) ? resolve(file) : path;
}

function report(outcome: FixOutcome, errors: readonly FixError[], written: boolean): void {
  for (const { finding, reason } of outcome.skipped) {
    const where = finding.location ? `${finding.location.file}:${finding.location.line}: ` : '';
    warn(`${where}skipped ${findingLabel(finding)}: ${reason}`);
  }
  for (const error of errors) {
    warn(`${error.file}${error.line ? `:${error.line}` : ''}: ${error.finding ? `cannot fix ${findingLabel(error.finding)}: ` : ''}${error.message}`);
  }
  const failed = new Set(errors.map((error) => error.file));
  const changes = outcome.changes.filter((change) => !failed.has(change.file));
  const fixed = changes.reduce((sum, change) => sum + change.fixed.length, 0);
  const patched = outcome.patches.reduce((sum, patch) => sum + patch.fixed.length, 0);
  const parts = [
    `${written ? 'fixed' : 'would fix'} ${fixed} finding${fixed === 1 ? '' : 's'} in ${changes.length} file${changes.length === 1 ? '' : 's'}`,
    ...(patched > 0 ? [`${patched} finding${patched === 1 ? '' : 's'} as kustomize patches (on standard output)`] : []),
    ...(outcome.skipped.length > 0 ? [`${outcome.skipped.length} skipped`] : []),
    ...(errors.length > 0 ? [`${errors.length} error${errors.length === 1 ? '' : 's'} (those files left as they are)`] : []),
  ];
  warn(parts.join(', ') + (written || changes.length === 0 ? '' : '; run again with --write to edit the files'));
}

/** Writes each changed file through a temporary file in its directory and a rename; returns the files that failed. */
async function writeChanges(outcome: FixOutcome): Promise<FixError[]> {
  const errors: FixError[] = [];
  for (const change of outcome.changes) {
    const error = await writeAtomically(change.file, change.before, change.after);
    if (error) errors.push({ file: change.file, message: error });
  }
  return errors;
}

/** The reason the file was not written, or undefined once it holds `after`. */
export async function writeAtomically(file: string, before: string, after: string): Promise<string | undefined> {
  let target: string;
  let mode: number;
  try {
    // A symbolic link stays a link: the file it points to is replaced.
    target = await realpath(file);
    const current = await readFile(target, 'utf8');
    if (current !== before) return 'changed since it was scanned; nothing was written: scan and fix again';
    mode = (await stat(target)).mode & 0o7777;
    // Write bits count even for root, who may write anything: a read-only file says "do not edit me".
    if ((mode & 0o222) === 0) return `is read-only (mode ${mode.toString(8).padStart(4, '0')}); nothing was written`;
    await access(target, constants.W_OK);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EACCES' || code === 'EPERM' || code === 'EROFS') return 'is read-only; nothing was written';
    return `cannot be read again before writing (${(error as Error).message}); nothing was written`;
  }
  const temporary = join(dirname(target), `.${basename(target)}.periscope-${randomBytes(6).toString('hex')}.tmp`);
  try {
    await writeFile(temporary, after, { encoding: 'utf8', flag: 'wx', mode });
    await chmod(temporary, mode);
    await rename(temporary, target);
    return undefined;
  } catch (error) {
    await rm(temporary, { force: true });
    const code = (error as NodeJS.ErrnoException).code;
    const why = code === 'EACCES' || code === 'EPERM' ? 'its directory is not writable' : (error as Error).message;
    return `cannot be written (${why}); it was left as it is`;
  }
}

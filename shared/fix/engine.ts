// `periscope fix` without the file system: apply the selected findings' fixes to the objects they came from, rescan,
// and turn each changed object back into its file's text (or, where there is no file to edit, a kustomize patch).
// One fix at a time per object, each taken from a fresh scan, so every patch is against the object as it is by then.
import type { KubeObject } from '../model/kube.ts';
import { severityRank, type Finding, type JsonPatchOp } from '../model/finding.ts';
import type { ManifestObject } from '../kube/manifests.ts';
import { resolveFix, type DecisionValues } from './decisions.ts';
import { applyPatch, diffPatch } from './json-patch.ts';
import { addressObjects, editYamlObject, YamlEditError, type ObjectAddress } from './yaml-edit.ts';
import { editJsonObject } from './json-edit.ts';

export interface FixRequest {
  /** Every object that was scanned, with where it came from. */
  objects: readonly ManifestObject[];
  /** The text of each file that may be edited in place, as read for the scan. */
  files: ReadonlyMap<string, string>;
  /** Files that hold objects but cannot be edited in place (standard input, kustomize patches), with why. */
  notInPlace: ReadonlyMap<string, string>;
  /** Runs the rules (with the run's exceptions and settings) over a set of objects. */
  scan(objects: readonly ManifestObject[]): readonly Finding[];
  /** The findings to fix (`--rule`, `--severity`). Suppressed findings are never fixed. */
  select(finding: Finding): boolean;
  decisions: DecisionValues;
}

export interface FixedFinding {
  finding: Finding;
  /** What was done: the fix's description. */
  description: string;
}

export interface FileChange {
  file: string;
  before: string;
  after: string;
  fixed: FixedFinding[];
}

/** An object that cannot be fixed in its file: the JSON 6902 patch to apply through kustomize instead. */
export interface PatchOutput {
  file: string;
  why: string;
  object: KubeObject;
  patch: JsonPatchOp[];
  fixed: FixedFinding[];
}

export interface SkippedFinding {
  finding: Finding;
  reason: string;
}

export interface FixError {
  file: string;
  line?: number;
  /** The finding being fixed, when the error is about one. */
  finding?: Finding;
  message: string;
}

/** A finding a decided fix brings by design, in place of a worse one (see DecisionValues). */
export interface AcceptedFinding {
  finding: Finding;
  /** The fixed finding it replaces. */
  instead: Finding;
}

export interface FixOutcome {
  changes: FileChange[];
  accepted: AcceptedFinding[];
  patches: PatchOutput[];
  skipped: SkippedFinding[];
  /** Files with an error are left as they are (no fix of theirs is written or printed). */
  errors: FixError[];
}

const maxRounds = 200;

export function findingLabel(finding: Finding): string {
  const { kind, namespace, name, container } = finding.resource;
  return `${finding.ruleId} on ${kind} ${namespace ? `${namespace}/` : ''}${name}${container ? ` (container ${container})` : ''}`;
}

interface Unit {
  index: number;
  file: string;
  line: number;
  original: KubeObject;
  /** Fingerprints still to fix, in scan order. */
  pending: string[];
  attempted: Map<string, FixedFinding>;
  /** Rule id → the applied finding whose decided fix may bring that rule's findings on this object. */
  accepts: Map<string, Finding>;
}

/** Apply the selected fixes; see FixOutcome for what comes back. Pure: files are texts in, texts out. */
export function planFixes(request: FixRequest): FixOutcome {
  const errors: FixError[] = [];
  const skipped: SkippedFinding[] = [];
  const failedFiles = new Set<string>();
  const fail = (error: FixError): void => {
    errors.push(error);
    failedFiles.add(error.file);
  };

  const initial = request.scan(request.objects);
  const initialFingerprints = new Set(initial.map((finding) => finding.fingerprint));
  const unitIndex = new Map<string, number>();
  request.objects.forEach((object, index) => unitIndex.set(`${object.location.file}:${object.location.line}`, index));
  const units = new Map<number, Unit>();

  for (const finding of initial) {
    if (finding.status !== 'OPEN' || !request.select(finding)) continue;
    const index = finding.location ? unitIndex.get(`${finding.location.file}:${finding.location.line}`) : undefined;
    if (index === undefined) {
      if (finding.fix) skipped.push({ finding, reason: 'its object was not read from a file (a cluster-level finding)' });
      continue;
    }
    const object = request.objects[index]!;
    const resolution = resolveFix(finding, object.object, request.decisions);
    if (!resolution) continue;
    if (resolution.kind === 'decision') {
      skipped.push({ finding, reason: `needs a decision: ${resolution.question}` });
      continue;
    }
    if (resolution.kind === 'invalid') {
      fail({ file: object.location.file, line: object.location.line, finding, message: resolution.message });
      continue;
    }
    const unit: Unit = units.get(index) ?? {
      index,
      file: object.location.file,
      line: object.location.line,
      original: object.object,
      pending: [],
      attempted: new Map(),
      accepts: new Map(),
    };
    unit.pending.push(finding.fingerprint);
    units.set(index, unit);
  }

  const current = [...request.objects];
  let findings = initial;
  for (let round = 0; round < maxRounds; round++) {
    const present = new Map(findings.map((finding) => [finding.fingerprint, finding]));
    let applied = false;
    for (const unit of units.values()) {
      if (failedFiles.has(unit.file)) continue;
      let finding: Finding | undefined;
      while (unit.pending.length > 0 && !finding) finding = present.get(unit.pending.shift()!);
      if (!finding) continue;
      const object = current[unit.index]!;
      const resolution = resolveFix(finding, object.object, request.decisions);
      if (resolution?.kind !== 'patch') {
        fail({ file: unit.file, line: unit.line, finding, message: 'its fix changed while other fixes were applied; fix the others first, then run again' });
        continue;
      }
      try {
        current[unit.index] = { ...object, object: applyPatch(object.object, resolution.patch) };
      } catch (error) {
        fail({ file: unit.file, line: unit.line, finding, message: `the patch no longer applies (${(error as Error).message})` });
        continue;
      }
      unit.attempted.set(finding.fingerprint, { finding, description: finding.fix?.description ?? 'Pin the image by digest' });
      for (const rule of resolution.accepts) unit.accepts.set(rule, finding);
      applied = true;
    }
    if (!applied) break;
    findings = request.scan(revert(current, request.objects, units, failedFiles));
  }

  // Files whose text cannot carry the change are failed before the final check, so it judges what will be written.
  const edits = new Map<string, string>();
  for (const unit of units.values()) {
    if (failedFiles.has(unit.file) || unit.attempted.size === 0 || request.notInPlace.has(unit.file)) continue;
    const original = request.files.get(unit.file);
    if (original === undefined) {
      fail({ file: unit.file, line: unit.line, message: 'was not read for this run; it cannot be edited' });
      continue;
    }
    try {
      // Addresses come from the text as scanned: edits move lines, never documents or List items.
      const address = addressOf(original, unit.line, unit.original);
      const patch = diffPatch(unit.original, current[unit.index]!.object);
      const text = edits.get(unit.file) ?? original;
      edits.set(unit.file, unit.file.toLowerCase().endsWith('.json') ? editJsonObject(text, address, patch) : editYamlObject(text, address, patch));
    } catch (error) {
      if (!(error instanceof YamlEditError)) throw error;
      const [first] = unit.attempted.values();
      fail({ file: unit.file, line: unit.line, ...(first ? { finding: first.finding } : {}), message: error.message });
    }
  }

  // The rescan must show every applied fix's finding gone and nothing new (but what a decision accepted, of a lower
  // severity, on the same object); a file that breaks this is left alone.
  let accepted: AcceptedFinding[] = [];
  for (let check = 0; check <= units.size; check++) {
    accepted = [];
    const final = request.scan(revert(current, request.objects, units, failedFiles));
    const finalByFingerprint = new Map(final.map((finding) => [finding.fingerprint, finding]));
    let newlyFailed = false;
    for (const unit of units.values()) {
      if (failedFiles.has(unit.file)) continue;
      for (const [fingerprint, { finding }] of unit.attempted) {
        if (!finalByFingerprint.has(fingerprint)) continue;
        fail({ file: unit.file, line: unit.line, finding, message: 'its fix did not resolve it; the file was left as it is' });
        newlyFailed = true;
      }
    }
    for (const finding of final) {
      if (initialFingerprints.has(finding.fingerprint)) continue;
      const instead = acceptedBy(finding, units, failedFiles);
      if (instead) {
        accepted.push({ finding, instead });
        continue;
      }
      const file = finding.location?.file;
      const blamed = file && [...units.values()].some((unit) => unit.file === file && unit.attempted.size > 0) ? [file] : changedFiles(units, failedFiles);
      for (const blame of blamed) {
        if (failedFiles.has(blame)) continue;
        fail({ file: blame, finding, message: `the fixes would add a finding (${findingLabel(finding)}: ${finding.message}); the file was left as it is` });
        newlyFailed = true;
      }
    }
    if (!newlyFailed) break;
  }

  const fixedOf = (unit: Unit): FixedFinding[] => [...unit.attempted.values()];
  const changes: FileChange[] = [];
  for (const [file, after] of edits) {
    if (failedFiles.has(file)) continue;
    const fixed = [...units.values()].filter((unit) => unit.file === file).flatMap(fixedOf);
    changes.push({ file, before: request.files.get(file)!, after, fixed });
  }
  const patches: PatchOutput[] = [];
  for (const unit of units.values()) {
    const why = request.notInPlace.get(unit.file);
    if (why === undefined || failedFiles.has(unit.file) || unit.attempted.size === 0) continue;
    patches.push({ file: unit.file, why, object: unit.original, patch: diffPatch(unit.original, current[unit.index]!.object), fixed: fixedOf(unit) });
  }
  return { changes, accepted, patches, skipped, errors };
}

/** The fixed finding whose accepted decision brings `finding`: same object, that decision's rule, lower severity. */
function acceptedBy(finding: Finding, units: ReadonlyMap<number, Unit>, failed: ReadonlySet<string>): Finding | undefined {
  for (const unit of units.values()) {
    if (failed.has(unit.file) || finding.location?.file !== unit.file || finding.location.line !== unit.line) continue;
    const instead = unit.accepts.get(finding.ruleId);
    if (instead && severityRank(finding.severity) < severityRank(instead.severity)) return instead;
  }
  return undefined;
}

/** The objects as fixed, except those of failed files, which are as they were read. */
function revert(current: readonly ManifestObject[], original: readonly ManifestObject[], units: ReadonlyMap<number, Unit>, failed: ReadonlySet<string>): ManifestObject[] {
  return current.map((object, index) => (units.has(index) && failed.has(units.get(index)!.file) ? original[index]! : object));
}

function changedFiles(units: ReadonlyMap<number, Unit>, failed: ReadonlySet<string>): string[] {
  return [...new Set([...units.values()].filter((unit) => unit.attempted.size > 0 && !failed.has(unit.file)).map((unit) => unit.file))];
}

/** Where the object scanned at `line` is in the file; the file must still hold it there. */
function addressOf(text: string, line: number, scanned: KubeObject): ObjectAddress {
  const found = addressObjects(text).find((entry) => entry.line === line);
  const object = found?.object as KubeObject | undefined;
  const same =
    object !== undefined &&
    object.kind === scanned.kind &&
    (object.metadata as { name?: unknown } | undefined)?.name === (scanned.metadata as { name?: unknown } | undefined)?.name;
  if (!found || !same) {
    const name = String((scanned.metadata as { name?: unknown } | undefined)?.name ?? '');
    throw new YamlEditError(`changed since it was scanned: line ${line} no longer starts ${scanned.kind} ${name}; scan again`);
  }
  return found.address;
}

// `periscope fix` without the file system: apply the selected findings' fixes to the objects they came from, rescan,
// and turn each changed object back into its file's text (or, where there is no file to edit, a kustomize patch).
// One fix at a time per object, each taken from a fresh scan, so every patch is against the object as it is by then.
import type { KubeObject } from '../model/kube.ts';
import { severityRank, type Finding, type JsonPatchOp } from '../model/finding.ts';
import type { ManifestObject } from '../kube/manifests.ts';
import { resolveFix, type DecisionValues } from './decisions.ts';
import { applyPatch, diffPatch } from './json-patch.ts';
import { addressObjects, editYamlObjects, YamlEditError, type AddressedObject, type ObjectAddress } from './yaml-edit.ts';
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

class UnitEditError extends Error {
  readonly unit: Unit;

  constructor(message: string, unit: Unit) {
    super(message);
    this.unit = unit;
  }
}

/** Apply the selected fixes; see FixOutcome for what comes back. Pure: files are texts in, texts out. */
export function planFixes(request: FixRequest): FixOutcome {
  const run = new FixRun(request);
  const initial = request.scan(request.objects);
  run.collect(initial);
  run.applyRounds(initial);
  const edits = run.editFiles();
  const accepted = run.verify(new Set(initial.map((finding) => finding.fingerprint)));
  return run.outcome(edits, accepted);
}

/** The state of one `periscope fix` run: the objects as fixed so far, and the files that failed. */
class FixRun {
  readonly request: FixRequest;
  readonly errors: FixError[] = [];
  readonly skipped: SkippedFinding[] = [];
  readonly failedFiles = new Set<string>();
  readonly units = new Map<number, Unit>();
  readonly current: ManifestObject[];
  /** `file:line` → index of the object read there. */
  readonly indexByPlace: Map<string, number>;

  constructor(request: FixRequest) {
    this.request = request;
    this.current = [...request.objects];
    this.indexByPlace = new Map(request.objects.map((object, index) => [`${object.location.file}:${object.location.line}`, index]));
  }

  fail(error: FixError): void {
    this.errors.push(error);
    this.failedFiles.add(error.file);
  }

  /** The objects as fixed, except those of failed files, which are as they were read. */
  state(): ManifestObject[] {
    return this.current.map((object, index) => {
      const unit = this.units.get(index);
      return unit && this.failedFiles.has(unit.file) ? this.request.objects[index]! : object;
    });
  }

  /** The selected findings with a fix (or a decided one), grouped by the object they are fixed on. */
  collect(initial: readonly Finding[]): void {
    for (const finding of initial) {
      if (finding.status === 'OPEN' && this.request.select(finding)) this.enqueue(finding);
    }
  }

  unitIndexOf(finding: Finding): number | undefined {
    return finding.location ? this.indexByPlace.get(`${finding.location.file}:${finding.location.line}`) : undefined;
  }

  enqueue(finding: Finding): void {
    const index = this.unitIndexOf(finding);
    if (index === undefined) {
      if (finding.fix) this.skipped.push({ finding, reason: 'its object was not read from a file (a cluster-level finding)' });
      return;
    }
    const { object, location } = this.request.objects[index]!;
    const resolution = resolveFix(finding, object, this.request.decisions);
    if (!resolution) return;
    if (resolution.kind === 'decision') {
      this.skipped.push({ finding, reason: `needs a decision: ${resolution.question}` });
      return;
    }
    if (resolution.kind === 'invalid') {
      this.fail({ file: location.file, line: location.line, finding, message: resolution.message });
      return;
    }
    const unit: Unit = this.units.get(index) ?? { index, file: location.file, line: location.line, original: object, pending: [], attempted: new Map(), accepts: new Map() };
    unit.pending.push(finding.fingerprint);
    this.units.set(index, unit);
  }

  /**
   * The same object in two files (or twice in one) is one finding, reported on the first copy; once that copy is
   * fixed the finding moves to the next one, which is then fixed too.
   */
  followCopies(findings: readonly Finding[]): void {
    const attempted = new Set([...this.units.values()].flatMap((unit) => [...unit.attempted.keys()]));
    for (const finding of findings) {
      if (!attempted.has(finding.fingerprint) || finding.status !== 'OPEN') continue;
      const index = this.unitIndexOf(finding);
      const unit = index === undefined ? undefined : this.units.get(index);
      if (index !== undefined && !unit?.attempted.has(finding.fingerprint) && !unit?.pending.includes(finding.fingerprint)) this.enqueue(finding);
    }
  }

  /** Each round applies the next pending fix of every object, as the latest scan computed it, then scans again. */
  applyRounds(initial: readonly Finding[]): void {
    let findings = initial;
    for (let round = 0; round < maxRounds; round++) {
      const present = new Map(findings.map((finding) => [finding.fingerprint, finding]));
      let applied = false;
      for (const unit of this.units.values()) {
        if (this.failedFiles.has(unit.file)) continue;
        let finding: Finding | undefined;
        while (unit.pending.length > 0 && !finding) {
          const candidate = present.get(unit.pending.shift()!);
          // A finding reported on another copy of the object is that copy's to fix.
          if (candidate && this.unitIndexOf(candidate) === unit.index) finding = candidate;
        }
        if (finding) applied = this.applyOne(unit, finding) || applied;
      }
      if (!applied) break;
      findings = this.request.scan(this.state());
      this.followCopies(findings);
    }
  }

  applyOne(unit: Unit, finding: Finding): boolean {
    const object = this.current[unit.index]!;
    const resolution = resolveFix(finding, object.object, this.request.decisions);
    if (resolution?.kind !== 'patch') {
      this.fail({ file: unit.file, line: unit.line, finding, message: 'its fix changed while other fixes were applied; fix the others first, then run again' });
      return false;
    }
    try {
      this.current[unit.index] = { ...object, object: applyPatch(object.object, resolution.patch) };
    } catch (error) {
      this.fail({ file: unit.file, line: unit.line, finding, message: `the patch no longer applies (${(error as Error).message})` });
      return false;
    }
    unit.attempted.set(finding.fingerprint, { finding, description: finding.fix?.description ?? 'Pin the image by digest' });
    for (const rule of resolution.accepts) unit.accepts.set(rule, finding);
    return true;
  }

  /** Each changed object written into its file's text; a file whose text cannot carry its change fails here. */
  editFiles(): Map<string, string> {
    const edits = new Map<string, string>();
    const changed = [...this.units.values()].filter((unit) => unit.attempted.size > 0 && !this.request.notInPlace.has(unit.file));
    for (const [file, units] of Map.groupBy(changed, (unit) => unit.file)) {
      if (this.failedFiles.has(file)) continue;
      const original = this.request.files.get(file);
      if (original === undefined) {
        this.fail({ file, line: units[0]!.line, message: 'was not read for this run; it cannot be edited' });
        continue;
      }
      try {
        edits.set(file, this.editFile(file, original, units));
      } catch (error) {
        if (!(error instanceof UnitEditError)) throw error;
        const [first] = error.unit.attempted.values();
        this.fail({ file, line: error.unit.line, ...(first ? { finding: first.finding } : {}), message: error.message });
      }
    }
    return edits;
  }

  /** The file's text with its units' changes; a UnitEditError names the unit that could not be written. */
  editFile(file: string, original: string, units: readonly Unit[]): string {
    const attempt = <T>(unit: Unit, edit: () => T): T => {
      try {
        return edit();
      } catch (error) {
        if (error instanceof YamlEditError) throw new UnitEditError(error.message, unit);
        throw error;
      }
    };
    // Addresses come from the text as scanned: edits move lines, never documents or List items.
    const addressed = attempt(units[0]!, () => addressObjects(original));
    const objectEdits = units.map((unit) =>
      attempt(unit, () => ({ address: addressOf(addressed, unit.line, unit.original), patch: diffPatch(unit.original, this.current[unit.index]!.object) })),
    );
    if (file.toLowerCase().endsWith('.json')) {
      return objectEdits.reduce((text, edit, index) => attempt(units[index]!, () => editJsonObject(text, edit.address, edit.patch)), original);
    }
    try {
      return editYamlObjects(original, objectEdits);
    } catch (error) {
      if (error instanceof YamlEditError) throw new UnitEditError(error.message, units[error.edit ?? 0]!);
      throw error;
    }
  }

  /**
   * The rescan must show every applied fix's finding gone and nothing new (but what a decision accepted, of a lower
   * severity, on the same object); a file that breaks this is left alone, and the check runs again without it.
   */
  verify(initial: ReadonlySet<string>): AcceptedFinding[] {
    for (let check = 0; check <= this.units.size; check++) {
      const final = this.request.scan(this.state());
      const finalPlaces = new Set(final.map((finding) => `${finding.fingerprint}@${this.unitIndexOf(finding) ?? ''}`));
      const accepted: AcceptedFinding[] = [];
      let newlyFailed = false;
      for (const unit of this.units.values()) {
        if (this.failedFiles.has(unit.file)) continue;
        for (const [fingerprint, { finding }] of unit.attempted) {
          if (!finalPlaces.has(`${fingerprint}@${unit.index}`)) continue;
          this.fail({ file: unit.file, line: unit.line, finding, message: 'its fix did not resolve it; the file was left as it is' });
          newlyFailed = true;
        }
      }
      for (const finding of final) {
        if (initial.has(finding.fingerprint)) continue;
        const instead = acceptedBy(finding, this.units, this.failedFiles);
        if (instead) {
          accepted.push({ finding, instead });
          continue;
        }
        for (const blame of this.blamedFor(finding)) {
          this.fail({ file: blame, finding, message: `the fixes would add a finding (${findingLabel(finding)}: ${finding.message}); the file was left as it is` });
          newlyFailed = true;
        }
      }
      if (!newlyFailed) return accepted;
    }
    return [];
  }

  /** The changed file a new finding is in, or every changed file when it is elsewhere (a cross-object rule). */
  blamedFor(finding: Finding): string[] {
    const changed = [...new Set([...this.units.values()].filter((unit) => unit.attempted.size > 0 && !this.failedFiles.has(unit.file)).map((unit) => unit.file))];
    const file = finding.location?.file;
    return file && changed.includes(file) ? [file] : changed;
  }

  outcome(edits: ReadonlyMap<string, string>, accepted: AcceptedFinding[]): FixOutcome {
    const units = [...this.units.values()];
    const fixedOf = (unit: Unit): FixedFinding[] => [...unit.attempted.values()];
    const changes: FileChange[] = [];
    for (const [file, after] of edits) {
      if (this.failedFiles.has(file)) continue;
      changes.push({ file, before: this.request.files.get(file)!, after, fixed: units.filter((unit) => unit.file === file).flatMap(fixedOf) });
    }
    const patches: PatchOutput[] = [];
    for (const unit of units) {
      const why = this.request.notInPlace.get(unit.file);
      if (why === undefined || this.failedFiles.has(unit.file) || unit.attempted.size === 0) continue;
      patches.push({ file: unit.file, why, object: unit.original, patch: diffPatch(unit.original, this.current[unit.index]!.object), fixed: fixedOf(unit) });
    }
    return { changes, accepted, patches, skipped: this.skipped, errors: this.errors };
  }
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

/** Where the object scanned at `line` is in the file; the file must still hold it there. */
function addressOf(addressed: readonly AddressedObject[], line: number, scanned: KubeObject): ObjectAddress {
  const found = addressed.find((entry) => entry.line === line);
  const object = found?.object as KubeObject | undefined;
  const same =
    object !== undefined &&
    object.kind === scanned.kind &&
    (object.metadata as { name?: unknown } | undefined)?.name === (scanned.metadata as { name?: unknown } | undefined)?.name;
  if (!found || !same) {
    const metadataName = (scanned.metadata as { name?: unknown } | undefined)?.name;
    const name = typeof metadataName === 'string' ? metadataName : '';
    throw new YamlEditError(`changed since it was scanned: line ${line} no longer starts ${scanned.kind} ${name}; scan again`);
  }
  return found.address;
}

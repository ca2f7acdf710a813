// Builders of JSON Patch suggestions that apply cleanly to the object as it is (missing parents are created).
import type { Fix, JsonPatchOp } from '../model/finding.ts';
import { getIn, toPointer, type PathSegment } from './paths.ts';

function isContainer(value: unknown, next: PathSegment): boolean {
  if (typeof next === 'number') return Array.isArray(value);
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function nest(rest: readonly PathSegment[], value: unknown): unknown {
  let out = value;
  for (let i = rest.length - 1; i >= 0; i--) {
    const segment = rest[i]!;
    out = typeof segment === 'number' ? [out] : { [segment]: out };
  }
  return out;
}

/** Operations that make `root` hold `value` at `segments`, creating or replacing whatever is in the way. */
export function setOps(root: unknown, segments: readonly PathSegment[], value: unknown): JsonPatchOp[] {
  for (let i = 0; i < segments.length; i++) {
    const parent = getIn(root, segments.slice(0, i));
    const segment = segments[i]!;
    if (!isContainer(parent, segment)) {
      // The parent exists with a wrong type: replace it whole.
      return [{ op: 'replace', path: toPointer(segments.slice(0, i)), value: nest(segments.slice(i), value) }];
    }
    const child = getIn(parent, [segment]);
    if (child === undefined) {
      return [{ op: 'add', path: toPointer(segments.slice(0, i + 1)), value: nest(segments.slice(i + 1), value) }];
    }
  }
  return [{ op: 'replace', path: toPointer(segments), value }];
}

/** Operations that append `value` to the array at `segments`, creating it when missing. */
export function appendOps(root: unknown, segments: readonly PathSegment[], value: unknown): JsonPatchOp[] {
  const current = getIn(root, segments);
  if (Array.isArray(current)) return [{ op: 'add', path: toPointer([...segments, '-']), value }];
  return setOps(root, segments, [value]);
}

/** The operation that removes the value at `segments`. */
export function removeOp(segments: readonly PathSegment[]): JsonPatchOp {
  return { op: 'remove', path: toPointer(segments) };
}

export function fix(description: string, patch: JsonPatchOp[]): Fix {
  return { description, patch };
}

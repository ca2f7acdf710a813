// RFC 6902 JSON Patch (add, replace, remove): applying a patch, and the smallest patch between two documents.
import type { JsonPatchOp } from '../model/finding.ts';
import type { PathSegment } from '../engine/paths.ts';
import { toPointer } from '../engine/paths.ts';

/** `/a/b~1c/0` → `['a', 'b/c', '0']` (RFC 6901; array indices stay strings until a parent says they index a list). */
export function parsePointer(pointer: string): string[] {
  if (pointer === '') return [];
  if (!pointer.startsWith('/')) throw new Error(`bad JSON pointer ${pointer}`);
  return pointer
    .slice(1)
    .split('/')
    .map((s) => s.replaceAll('~1', '/').replaceAll('~0', '~'));
}

export function applyPatch<T>(document: T, patch: readonly JsonPatchOp[]): T {
  const root = structuredClone(document) as unknown;
  for (const op of patch) {
    const segments = parsePointer(op.path);
    const last = segments.pop();
    if (last === undefined) throw new Error(`cannot ${op.op} the document root`);
    let parent = root as Record<string, unknown> | unknown[];
    for (const segment of segments) {
      const next = Array.isArray(parent) ? parent[Number(segment)] : parent[segment];
      if (typeof next !== 'object' || next === null) throw new Error(`path ${op.path}: ${segment} is missing`);
      parent = next as Record<string, unknown> | unknown[];
    }
    if (Array.isArray(parent)) {
      const index = last === '-' ? parent.length : Number(last);
      if (!Number.isInteger(index) || index < 0 || index > parent.length) throw new Error(`path ${op.path}: bad index`);
      if (op.op === 'add') parent.splice(index, 0, structuredClone(op.value));
      else if (index >= parent.length) throw new Error(`path ${op.path}: no element to ${op.op}`);
      else if (op.op === 'replace') parent[index] = structuredClone(op.value);
      else parent.splice(index, 1);
    } else {
      if (op.op !== 'add' && !(last in parent)) throw new Error(`path ${op.path}: nothing to ${op.op}`);
      if (op.op === 'remove') delete parent[last];
      else parent[last] = structuredClone(op.value);
    }
  }
  return root as T;
}

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

export function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a)) return Array.isArray(b) && a.length === b.length && a.every((item, i) => jsonEqual(item, b[i]));
  if (isPlainObject(a) && isPlainObject(b)) {
    const keys = Object.keys(a);
    return keys.length === Object.keys(b).length && keys.every((key) => key in b && jsonEqual(a[key], b[key]));
  }
  return false;
}

/** Pairs of indices of equal items, in order (a longest common subsequence). */
function commonItems(before: readonly unknown[], after: readonly unknown[]): [number, number][] {
  const lengths = Array.from({ length: before.length + 1 }, () => new Array<number>(after.length + 1).fill(0));
  for (let i = before.length - 1; i >= 0; i--) {
    for (let j = after.length - 1; j >= 0; j--) {
      lengths[i]![j] = jsonEqual(before[i], after[j]) ? lengths[i + 1]![j + 1]! + 1 : Math.max(lengths[i + 1]![j]!, lengths[i]![j + 1]!);
    }
  }
  const pairs: [number, number][] = [];
  for (let i = 0, j = 0; i < before.length && j < after.length; ) {
    if (jsonEqual(before[i], after[j])) pairs.push([i++, j++]);
    else if (lengths[i + 1]![j]! >= lengths[i]![j + 1]!) i++;
    else j++;
  }
  return pairs;
}

function diffInto(before: unknown, after: unknown, at: PathSegment[], ops: JsonPatchOp[]): void {
  if (jsonEqual(before, after)) return;
  if (isPlainObject(before) && isPlainObject(after)) {
    for (const key of Object.keys(before)) if (!(key in after)) ops.push({ op: 'remove', path: toPointer([...at, key]) });
    for (const key of Object.keys(before)) if (key in after) diffInto(before[key], after[key], [...at, key], ops);
    for (const key of Object.keys(after)) if (!(key in before)) ops.push({ op: 'add', path: toPointer([...at, key]), value: after[key] });
    return;
  }
  if (Array.isArray(before) && Array.isArray(after) && at.length > 0) {
    if (before.length === after.length) {
      before.forEach((item, i) => diffInto(item, after[i], [...at, i], ops));
      return;
    }
    // Items removed or added: keep the common ones in place so their text (and comments) survive.
    const pairs = commonItems(before, after);
    const keptBefore = new Set(pairs.map(([i]) => i));
    const keptAfter = new Set(pairs.map(([, j]) => j));
    for (let i = before.length - 1; i >= 0; i--) if (!keptBefore.has(i)) ops.push({ op: 'remove', path: toPointer([...at, i]) });
    after.forEach((item, j) => {
      if (!keptAfter.has(j)) ops.push({ op: 'add', path: toPointer([...at, j]), value: item });
    });
    return;
  }
  ops.push({ op: 'replace', path: toPointer(at), value: after });
}

/**
 * The smallest patch (by what it touches) that turns `before` into `after`: unchanged keys and list items are never
 * rewritten, so an editor applying it keeps their text.
 */
export function diffPatch(before: unknown, after: unknown): JsonPatchOp[] {
  const ops: JsonPatchOp[] = [];
  diffInto(before, after, [], ops);
  return ops;
}

// A small RFC 6902 applier (add, replace, remove) so tests can prove that a suggested fix applies and works.
import type { JsonPatchOp } from '../../shared/model/finding.ts';

function parsePointer(pointer: string): string[] {
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

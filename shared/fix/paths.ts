// A finding's dotted JSON path back to its segments (the inverse of the engine's toJsonPath).
import type { PathSegment } from '../engine/paths.ts';

/** `spec.containers[0]["a.b"]` → `['spec', 'containers', 0, 'a.b']`. */
export function segmentsOfPath(path: string): PathSegment[] {
  const segments: PathSegment[] = [];
  const pattern = /\[(\d+)\]|\[("(?:[^"\\]|\\.)*")\]|\.?([A-Za-z_$][\w$-]*)/gy;
  let match: RegExpExecArray | null;
  while (pattern.lastIndex < path.length && (match = pattern.exec(path)) !== null) {
    if (match[1] !== undefined) segments.push(Number(match[1]));
    else if (match[2] !== undefined) segments.push(JSON.parse(match[2]) as string);
    else segments.push(match[3]!);
  }
  if (pattern.lastIndex !== path.length && path.length > 0) throw new Error(`cannot read the path ${path}`);
  return segments;
}

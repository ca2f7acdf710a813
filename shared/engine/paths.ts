// JSON paths (for people) and JSON pointers (for JSON Patch) built from the same segments.

export type PathSegment = string | number;

/** `['spec', 'containers', 0, 'image']` → `spec.containers[0].image`. */
export function toJsonPath(segments: readonly PathSegment[]): string {
  let out = '';
  for (const segment of segments) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else if (/^[A-Za-z_$][\w$-]*$/.test(segment)) out += out === '' ? segment : `.${segment}`;
    else out += `[${JSON.stringify(segment)}]`;
  }
  return out;
}

/** `['metadata', 'annotations', 'a/b']` → `/metadata/annotations/a~1b` (RFC 6901). */
export function toPointer(segments: readonly PathSegment[]): string {
  return segments.map((s) => '/' + String(s).replaceAll('~', '~0').replaceAll('/', '~1')).join('');
}

/** The value at `segments`, or undefined when any step is missing or of the wrong type. */
export function getIn(root: unknown, segments: readonly PathSegment[]): unknown {
  let node: unknown = root;
  for (const segment of segments) {
    if (typeof segment === 'number') {
      if (!Array.isArray(node)) return undefined;
      node = node[segment];
    } else {
      if (typeof node !== 'object' || node === null || Array.isArray(node)) return undefined;
      node = (node as Record<string, unknown>)[segment];
    }
  }
  return node;
}

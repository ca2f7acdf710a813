// Editing one object of a JSON manifest. JSON has no comments and JSON.parse keeps key order, so the patched document
// is serialised again; its changed lines are then carried onto the file's own lines, so a file indented its own way
// keeps every line the patch does not change.
import type { JsonPatchOp } from '../model/finding.ts';
import { applyPatch } from './json-patch.ts';
import { lineEdits } from './unified-diff.ts';
import { YamlEditError, type ObjectAddress } from './yaml-edit.ts';

const indentOf = (line: string): number => line.length - line.trimStart().length;

/** The most common step between a line's indentation and the next deeper one. */
function indentUnit(lines: readonly string[]): string {
  const steps = new Map<number, number>();
  for (let i = 1; i < lines.length; i++) {
    const step = indentOf(lines[i]!) - indentOf(lines[i - 1]!);
    if (step > 0) steps.set(step, (steps.get(step) ?? 0) + 1);
  }
  const [best] = [...steps].sort((a, b) => b[1] - a[1] || a[0] - b[0]);
  return ' '.repeat(best?.[0] ?? 2);
}

/**
 * The patched serialisation laid onto the original lines: where the original and its own serialisation differ only
 * in indentation line by line, unchanged lines are the original's and new lines are shifted like their neighbours.
 */
function carryOnto(original: readonly string[], canonical: readonly string[], patched: readonly string[]): string[] | undefined {
  if (original.length !== canonical.length || original.some((line, i) => line.trim() !== canonical[i]!.trim())) return undefined;
  const out: string[] = [];
  let shift = 0;
  for (const edit of lineEdits(canonical, patched)) {
    if (edit.kind === ' ') {
      const line = original[edit.a]!;
      shift = indentOf(line) - indentOf(edit.line);
      out.push(line);
    } else if (edit.kind === '+') {
      out.push(' '.repeat(Math.max(0, indentOf(edit.line) + shift)) + edit.line.trimStart());
    }
  }
  return out;
}

export function editJsonObject(text: string, address: ObjectAddress, patch: readonly JsonPatchOp[]): string {
  if (address.document !== 0) throw new YamlEditError('holds more than one JSON document; edit it by hand');
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new YamlEditError(`is not plain JSON (${(error as Error).message}); edit it by hand`);
  }
  const prefix = address.item === undefined ? '' : `/items/${address.item}`;
  let patched: unknown;
  try {
    patched = applyPatch(value, patch.map((op) => ({ ...op, path: prefix + op.path })));
  } catch (error) {
    throw new YamlEditError(`no longer matches the patch: ${(error as Error).message}`);
  }
  const newline = text.includes('\r\n') ? '\r\n' : '\n';
  // What follows the JSON (its final newline, blank lines) is kept as it is.
  const end = text.trimEnd().length;
  const lines = text.slice(0, end).split(/\r?\n/);
  const indent = indentUnit(lines);
  const canonical = JSON.stringify(value, null, indent).split('\n');
  const rewritten = JSON.stringify(patched, null, indent).split('\n');
  const body = (carryOnto(lines, canonical, rewritten) ?? rewritten).join(newline);
  return body + text.slice(end);
}

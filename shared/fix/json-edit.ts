// Editing one object of a JSON manifest: the file is written back with its own indentation and line endings (JSON
// has no comments, and JSON.parse keeps key order, so only the patched values change).
import type { JsonPatchOp } from '../model/finding.ts';
import { applyPatch } from './json-patch.ts';
import { YamlEditError, type ObjectAddress } from './yaml-edit.ts';

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
  const indent = /\n([ \t]+)\S/.exec(text)?.[1] ?? '  ';
  const newline = text.includes('\r\n') ? '\r\n' : '\n';
  const body = JSON.stringify(patched, null, indent).replaceAll('\n', newline);
  return body + (/\r?\n$/.test(text) ? newline : '');
}

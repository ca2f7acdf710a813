// Golden files: the exact JSON (or text) a builder produces, reviewed in diffs. `UPDATE_GOLDEN=1` rewrites them.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { expect } from 'vitest';

const goldenDir = join(import.meta.dirname, '..', 'fixtures', 'golden');

export function expectGolden(name: string, actual: unknown): void {
  const file = join(goldenDir, name);
  const text = typeof actual === 'string' ? actual : `${JSON.stringify(actual, null, 2)}\n`;
  if (process.env.UPDATE_GOLDEN === '1') {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, text);
    return;
  }
  if (!existsSync(file)) {
    throw new Error(`Golden file ${file} is missing: run UPDATE_GOLDEN=1 npx vitest run test/notify, review it, and commit it.`);
  }
  expect(text, `${name} differs from its golden file; if the change is intended, run with UPDATE_GOLDEN=1 and review the diff`).toBe(readFileSync(file, 'utf8'));
}

// The events/ samples, read once for the pipeline and function tests.
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const eventsDir = path.join(repoRoot, 'events');

export function sample(name: string): unknown {
  return JSON.parse(readFileSync(path.join(eventsDir, name), 'utf8'));
}

export function eksSampleNames(): string[] {
  return readdirSync(eventsDir).filter((f) => f.startsWith('eks-') && f.endsWith('.json')).sort();
}

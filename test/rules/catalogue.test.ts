// The catalogue is complete and consistent: each rule has its file, its test, its registry line, remediation,
// and only framework ids that exist in the framework catalogues.
import { existsSync, readdirSync } from 'node:fs';
import { basename, dirname, join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { frameworkById } from '../../shared/engine/frameworks.ts';
import { domains, formatMessage, type AnyRule } from '../../shared/engine/rule.ts';
import { severities } from '../../shared/model/finding.ts';
import { rules } from '../../shared/rules/index.ts';

const root = join(import.meta.dirname, '..', '..');
const rulesDir = join(root, 'shared', 'rules');

const ruleFiles = readdirSync(rulesDir, { withFileTypes: true, recursive: true })
  .filter((e) => e.isFile() && e.name.endsWith('.ts') && e.parentPath !== rulesDir)
  .map((e) => join(e.parentPath, e.name));

function isRule(value: unknown): value is AnyRule {
  return typeof value === 'object' && value !== null && 'id' in value && 'meta' in value && 'check' in value;
}

describe('rule catalogue', () => {
  it('registry is sorted by id, with unique ids', () => {
    const ids = rules.map((r) => r.id);
    expect(ids).toEqual([...ids].sort());
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('every file of a rule folder is a rule, registered, named after its id, and has a test', async () => {
    const registered = new Set(rules);
    const problems: string[] = [];
    for (const file of ruleFiles) {
      const module = (await import(pathToFileURL(file).href)) as { default?: unknown };
      const where = relative(root, file);
      if (!isRule(module.default)) {
        problems.push(`${where}: not a rule (facts shared by rules belong in shared/facts/)`);
        continue;
      }
      const rule = module.default;
      if (basename(file, '.ts') !== rule.id) problems.push(`${where}: file name differs from id ${rule.id}`);
      if (!registered.has(rule)) problems.push(`${where}: not in shared/rules/index.ts`);
      const test = join(root, 'test', 'rules', relative(rulesDir, dirname(file)), `${rule.id}.test.ts`);
      if (!existsSync(test)) problems.push(`${where}: no test at ${relative(root, test)}`);
      registered.delete(rule);
    }
    for (const rule of registered) problems.push(`${rule.id}: registered but not found in a file under shared/rules/<domain>/`);
    expect(problems).toEqual([]);
  });

  for (const rule of rules) {
    it(`${rule.id}: complete metadata with known framework ids`, () => {
      const { meta } = rule;
      expect(meta.title.length).toBeGreaterThan(3);
      expect(meta.description.length).toBeGreaterThan(10);
      expect(meta.remediation.length).toBeGreaterThan(10);
      expect(severities).toContain(meta.severity);
      expect(domains).toContain(meta.domain);
      expect(meta.targets.length).toBeGreaterThan(0);
      expect(Object.keys(meta.messages).length).toBeGreaterThan(0);
      for (const template of Object.values(meta.messages)) expect(formatMessage(template, {}).trim()).not.toBe('');
      const unknown: string[] = [];
      for (const [frameworkId, controls] of Object.entries(meta.frameworks)) {
        const framework = frameworkById(frameworkId);
        if (!framework) {
          unknown.push(`framework ${frameworkId}`);
          continue;
        }
        for (const id of controls) if (!framework.controls.some((c) => c.id === id)) unknown.push(`${frameworkId}:${id}`);
      }
      expect(unknown).toEqual([]);
      expect(meta.frameworks['owasp-k8s-2022']?.length ?? 0).toBeGreaterThan(0);
    });
  }
});

// The layer rules of DESIGN.md §3: pure layers do no I/O and read no configuration; no import cycles.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, relative } from 'node:path';
import { cruise } from 'dependency-cruiser';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..');
const config = createRequire(import.meta.url)(join(root, '.dependency-cruiser.cjs'));

function sourceFiles(dir: string): string[] {
  if (!existsSync(join(root, dir))) return [];
  return readdirSync(join(root, dir), { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.ts'))
    .map((entry) => relative(root, join(entry.parentPath, entry.name)));
}

async function violations(files: string[], ruleSet = config): Promise<string[]> {
  const previous = process.cwd();
  process.chdir(root);
  try {
    const result = await cruise(files, { ruleSet, validate: true, ...config.options });
    const output = result.output as { summary: { violations: { rule: { name: string }; from: string; to: string }[] } };
    return output.summary.violations.map((v) => `${v.rule.name}: ${v.from} → ${v.to}`);
  } finally {
    process.chdir(previous);
  }
}

describe('layer boundaries', () => {
  it('holds for the whole tree (no forbidden import, no cycle)', async () => {
    expect(await violations(['shared', 'functions', 'cdk'].filter((d) => sourceFiles(d).length > 0))).toEqual([]);
  }, 120_000);

  it('pure layers never read process.env', () => {
    const offenders = ['shared/model', 'shared/engine', 'shared/facts', 'shared/rules', 'shared/rbac', 'shared/fix']
      .flatMap((dir) => sourceFiles(dir))
      .filter((file) => /\bprocess\s*\.\s*env\b|\bprocess\s*\[\s*['"]env['"]\s*\]/.test(readFileSync(join(root, file), 'utf8')));
    expect(offenders).toEqual([]);
  });

  it('only the CLI reads process.env in shared/ (and the sandbox, which sets the real handlers\' environment)', () => {
    const readers = new Set(['shared/cli', 'shared/sandbox']);
    const offenders = sourceFiles('shared')
      .filter((file) => ![...readers].some((dir) => file.startsWith(`${dir}/`)))
      .filter((file) => /\bprocess\s*\.\s*env\b|\bprocess\s*\[\s*['"]env['"]\s*\]/.test(readFileSync(join(root, file), 'utf8')));
    expect(offenders).toEqual([]);
  });

  it('catches a forbidden import and a cycle (the check itself works)', async () => {
    const fixtures = 'test/fixtures/boundaries';
    const ruleSet = {
      ...config,
      forbidden: config.forbidden.map((rule: { name: string; from: { path?: string } }) =>
        rule.from.path === '^shared/(model|engine|facts|rules|rbac)/'
          ? { ...rule, from: { path: `^${fixtures}/pure/` } }
          : rule.name === 'facts-import-only-model-and-engine'
            ? { ...rule, from: { path: `^${fixtures}/facts/` } }
            : rule,
      ),
    };
    const found = await violations([fixtures], ruleSet);
    expect(found, found.join("\n")).toContain(`pure-layers-no-node-io: ${fixtures}/pure/reads-files.ts → fs`);
    expect(found).toContain(`facts-import-only-model-and-engine: ${fixtures}/facts/reads-rbac.ts → shared/rbac/risk.ts`);
    expect(found.some((v) => v.startsWith('no-circular:'))).toBe(true);
  }, 60_000);

  it('lets connect import eks, kube, model and engine, and nothing else of shared/', async () => {
    const fixture = 'test/fixtures/boundaries/connect';
    const ruleSet = {
      ...config,
      forbidden: config.forbidden.map((rule: { from: { path?: string } }) =>
        rule.from.path === '^shared/connect/' ? { ...rule, from: { path: `^${fixture}/` } } : rule,
      ),
    };
    const found = await violations([fixture], ruleSet);
    expect(found).toEqual([`connect-joins-eks-and-kube: ${fixture}/reads-the-pipeline.ts → shared/pipeline/ports.ts`]);
  }, 60_000);

  it('keeps adapters apart and below the use cases, and SDKs out of the use cases', async () => {
    const fixtures = 'test/fixtures/boundaries';
    const ruleSet = {
      ...config,
      forbidden: config.forbidden.map((rule: { name: string; from: { path?: string } }) => {
        // The fixture folder stands in for one adapter folder (its name fills the rule's `$1`) and for pipeline/.
        if (rule.name === 'adapters-stay-apart') return { ...rule, from: { path: `^${fixtures}/(adapter)/` } };
        if (rule.name === 'adapters-below-the-pipeline') return { ...rule, from: { path: `^${fixtures}/adapter/` } };
        if (rule.name === 'pipeline-knows-ports-not-sdks') return { ...rule, from: { path: `^${fixtures}/pipeline/` } };
        return rule;
      }),
    };
    const found = await violations([`${fixtures}/adapter`, `${fixtures}/pipeline`], ruleSet);
    expect(found).toContain(`adapters-stay-apart: ${fixtures}/adapter/reads-store-and-pipeline.ts → shared/store/port.ts`);
    expect(found).toContain(`adapters-below-the-pipeline: ${fixtures}/adapter/reads-store-and-pipeline.ts → shared/pipeline/ports.ts`);
    expect(found.some((v) => v.startsWith(`pipeline-knows-ports-not-sdks: ${fixtures}/pipeline/uses-an-sdk.ts → `))).toBe(true);
  }, 60_000);

  it('catches file system access in the fix layer', async () => {
    const fixtures = 'test/fixtures/boundaries';
    const ruleSet = {
      ...config,
      forbidden: config.forbidden.map((rule: { name: string; from: { path?: string } }) =>
        rule.name === 'fix-layer-no-node-io' ? { ...rule, from: { path: `^${fixtures}/pure/` } } : rule,
      ),
    };
    expect(await violations([fixtures], ruleSet)).toContain(`fix-layer-no-node-io: ${fixtures}/pure/reads-files.ts → fs`);
  }, 60_000);

  it('keeps shared/audit pure and below the adapters', async () => {
    const fixture = 'test/fixtures/boundaries/audit';
    const ruleSet = {
      ...config,
      forbidden: config.forbidden.map((rule: { from: { path?: string } }) =>
        rule.from.path === '^shared/audit/' ? { ...rule, from: { path: `^${fixture}/` } } : rule,
      ),
    };
    const found = await violations([fixture], ruleSet);
    expect(found.sort()).toEqual([
      `audit-no-node-io: ${fixture}/opens-files.ts → fs`,
      `audit-sits-on-the-rules: ${fixture}/reads-the-store.ts → shared/store/port.ts`,
    ]);
  }, 60_000);
});

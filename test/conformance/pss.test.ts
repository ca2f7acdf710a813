// Pod Security Standards conformance: the PSS pack (every rule mapped to a PSS check), run over the Kubernetes
// project's own fixtures (kubernetes/pod-security-admission test/testdata) for the latest policy version, v1.37.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { engineErrorRuleId, runRules } from '../../shared/engine/run.ts';
import type { AnyRule } from '../../shared/engine/rule.ts';
import type { KubeObject } from '../../shared/model/kube.ts';
import { pssPack, rules } from '../../shared/rules/index.ts';
import { snapshotOf } from '../support/fixtures.ts';

const repoRoot = path.resolve(import.meta.dirname, '..', '..');
const corpus = path.resolve(repoRoot, '..', 'shared', 'corpora', 'pod-security-admission');
const present = existsSync(path.join(corpus, 'expected.json')) && existsSync(path.join(corpus, 'testdata'));
const latest = 'v1.37';
const levels = ['baseline', 'restricted'] as const;
type Level = (typeof levels)[number];

interface Expectation {
  level: Level;
  version: string;
  expect: 'pass' | 'fail';
  check?: string;
  check_level?: Level;
}

interface Fixture {
  /** Path relative to the corpus, as expected.json names it. */
  file: string;
  level: Level;
  expect: 'pass' | 'fail';
  /** `<level>/<check>` a fail fixture must trip. */
  check?: string;
  pod: KubeObject;
}

/** The PSS check ids (`<level>/<check>`) each rule maps to. */
function pssIdsOf(rule: AnyRule): readonly string[] {
  return rule.meta.frameworks.pss ?? [];
}

/** The checks a level enforces: restricted includes every baseline check. */
function enforcedAt(level: Level, pssId: string): boolean {
  return level === 'restricted' || pssId.startsWith('baseline/');
}

function loadPod(file: string): KubeObject {
  const where = path.join(corpus, file);
  const pod: unknown = parse(readFileSync(where, 'utf8'));
  if (typeof pod !== 'object' || pod === null) throw new Error(`${where}: not a Kubernetes object`);
  return pod as KubeObject;
}

/** The fixtures of one version folder, read from the folder itself (no other version is needed). */
function fixturesOf(version: string, expected: Record<string, Expectation>): Fixture[] {
  const out: Fixture[] = [];
  for (const level of levels) {
    for (const outcome of ['pass', 'fail'] as const) {
      const dir = path.join('testdata', level, version, outcome);
      for (const name of readdirSync(path.join(corpus, dir)).filter((n) => n.endsWith('.yaml')).sort()) {
        const file = path.join(dir, name);
        const expectation = expected[file];
        if (!expectation) throw new Error(`${file} is not listed in expected.json; the corpus is inconsistent`);
        out.push({
          file,
          level,
          expect: expectation.expect,
          check: expectation.check && expectation.check_level ? `${expectation.check_level}/${expectation.check}` : undefined,
          pod: loadPod(file),
        });
      }
    }
  }
  return out;
}

interface Verdict {
  ok: boolean;
  why: string;
}

function judge(fixture: Fixture): Verdict {
  const { findings } = runRules(snapshotOf([fixture.pod]), pssPack);
  const errors = findings.filter((f) => f.ruleId === engineErrorRuleId);
  if (errors.length > 0) return { ok: false, why: errors.map((e) => e.message).join('; ') };
  const ruleOf = new Map(pssPack.map((rule) => [rule.id, rule]));
  if (fixture.expect === 'fail') {
    const hit = findings.some((f) => pssIdsOf(ruleOf.get(f.ruleId)!).includes(fixture.check!));
    return { ok: hit, why: hit ? '' : `no finding of a rule mapped to ${fixture.check}` };
  }
  const wrong = findings.filter((f) => pssIdsOf(ruleOf.get(f.ruleId)!).some((id) => enforcedAt(fixture.level, id)));
  return { ok: wrong.length === 0, why: wrong.map((f) => `${f.ruleId}: ${f.message}`).join('; ') };
}

describe.skipIf(!present)('Pod Security Standards conformance (kubernetes/pod-security-admission fixtures)', () => {
  const expected = present
    ? (JSON.parse(readFileSync(path.join(corpus, 'expected.json'), 'utf8')) as { fixtures: Record<string, Expectation> })
        .fixtures
    : {};
  const fixtures = present ? fixturesOf(latest, expected) : [];

  it('reads exactly the v1.37 fixtures: 49 baseline and 99 restricted files', () => {
    const listed = Object.entries(expected).filter(([, e]) => e.version === latest);
    expect(fixtures.map((f) => f.file).sort()).toEqual(listed.map(([file]) => file).sort());
    expect(fixtures.filter((f) => f.level === 'baseline')).toHaveLength(49);
    expect(fixtures.filter((f) => f.level === 'restricted')).toHaveLength(99);
  });

  it('needs no other version folder: every fixture read lives under v1.37', () => {
    expect(fixtures.every((f) => f.file.split(path.sep).includes(latest))).toBe(true);
    expect(Object.values(expected).some((e) => e.version !== latest)).toBe(true);
  });

  it('maps every PSS check of the latest version to at least one rule of the pack', () => {
    const mapped = new Set(pssPack.flatMap(pssIdsOf));
    const checks = new Set(fixtures.filter((f) => f.check).map((f) => f.check!));
    expect([...checks].filter((check) => !mapped.has(check))).toEqual([]);
  });

  for (const level of levels) {
    it(`${level}: every fixture gets the upstream verdict`, () => {
      const mine = fixtures.filter((f) => f.level === level);
      const failures = mine.map((f) => ({ file: f.file, ...judge(f) })).filter((v) => !v.ok);
      expect(failures.map((v) => `${v.file}: ${v.why}`)).toEqual([]);
      expect(mine.length).toBeGreaterThan(0);
    });
  }

  it('a fail fixture is caught by its own check: without the rules mapped to it, no PSS rule fires', () => {
    const fixture = fixtures.find((f) => f.file.endsWith(path.join('restricted', latest, 'fail', 'runasnonroot0.yaml')))!;
    const without = pssPack.filter((rule) => !pssIdsOf(rule).includes('restricted/runAsNonRoot'));
    const { findings } = runRules(snapshotOf([fixture.pod]), without);
    expect(findings.filter((f) => f.ruleId !== engineErrorRuleId)).toEqual([]);
  });

  it('no rule throws on any fixture of any version folder', () => {
    let pods = 0;
    const errors: string[] = [];
    for (const level of levels) {
      for (const version of readdirSync(path.join(corpus, 'testdata', level))) {
        for (const outcome of ['pass', 'fail']) {
          const dir = path.join('testdata', level, version, outcome);
          if (!existsSync(path.join(corpus, dir))) continue;
          const batch = readdirSync(path.join(corpus, dir))
            .filter((n) => n.endsWith('.yaml'))
            .map((n) => loadPod(path.join(dir, n)));
          // Names repeat across files; give each pod its own so no finding is de-duplicated away.
          const named = batch.map((pod, i) => ({ ...pod, metadata: { ...pod.metadata, name: `${pod.metadata?.name}-${i}` } }));
          pods += named.length;
          const { findings } = runRules(snapshotOf(named), rules);
          errors.push(...findings.filter((f) => f.ruleId === engineErrorRuleId).map((f) => `${dir}: ${f.message}`));
        }
      }
    }
    expect(errors).toEqual([]);
    expect(pods).toBeGreaterThan(4000);
  });
});

describe.runIf(!present)('Pod Security Standards conformance', () => {
  it.skip(`skipped: corpus not found at ${corpus} (expected ../shared/corpora/pod-security-admission)`, () => {});
});

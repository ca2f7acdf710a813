// The rule catalogue as data and text: what `periscope rules` prints and docs/rules.md is generated from.
import { coverageOf, type Framework } from '../engine/frameworks.ts';
import type { AnyRule } from '../engine/rule.ts';
import { severities, type FrameworkIds, type Severity } from '../model/finding.ts';

/** One rule as `periscope rules --format json` prints it. */
export interface RuleSummary {
  id: string;
  title: string;
  severity: Severity;
  domain: string;
  targets: string[];
  frameworks: FrameworkIds;
  remediation: string;
}

export function ruleSummary(rule: AnyRule): RuleSummary {
  return {
    id: rule.id,
    title: rule.meta.title,
    severity: rule.meta.severity,
    domain: rule.meta.domain,
    targets: [...rule.meta.targets],
    frameworks: Object.fromEntries(Object.entries(rule.meta.frameworks).map(([id, controls]) => [id, [...controls]])),
    remediation: rule.meta.remediation,
  };
}

export type ControlStatus = 'automated' | 'manual' | 'not-automated';

export interface ControlRow {
  id: string;
  title: string;
  status: ControlStatus;
  /** Rules that automate the control. */
  rules: string[];
  /** Why no rule can automate it agentlessly, when the catalogue says so. */
  manual?: string;
}

export interface FrameworkCoverage {
  framework: { id: string; title: string };
  controls: ControlRow[];
  counts: Record<ControlStatus, number>;
}

export function frameworkCoverage(framework: Framework, rules: readonly AnyRule[]): FrameworkCoverage {
  const controls = coverageOf(framework, rules).map(({ control, rules: ruleIds }): ControlRow => {
    const status: ControlStatus = ruleIds.length > 0 ? 'automated' : control.manual ? 'manual' : 'not-automated';
    return {
      id: control.id,
      title: control.title,
      status,
      rules: ruleIds,
      ...(control.manual ? { manual: control.manual } : {}),
    };
  });
  const counts: Record<ControlStatus, number> = { automated: 0, manual: 0, 'not-automated': 0 };
  for (const control of controls) counts[control.status] += 1;
  return { framework: { id: framework.id, title: framework.title }, controls, counts };
}

/** Rules that map to at least one control of the framework. */
export function rulesOfFramework(framework: Framework, rules: readonly AnyRule[]): AnyRule[] {
  return rules.filter((rule) => (rule.meta.frameworks[framework.id]?.length ?? 0) > 0);
}

/** Most severe first, then by id. */
export function sortRules(rules: readonly AnyRule[]): AnyRule[] {
  return [...rules].sort(
    (a, b) => severities.indexOf(a.meta.severity) - severities.indexOf(b.meta.severity) || a.id.localeCompare(b.id),
  );
}

/** Left-aligned columns separated by two spaces; the last column is not padded. */
export function columns(rows: readonly (readonly string[])[]): string {
  const widths: number[] = [];
  for (const row of rows) row.forEach((cell, index) => (widths[index] = Math.max(widths[index] ?? 0, cell.length)));
  return rows
    .map((row) => row.map((cell, index) => (index === row.length - 1 ? cell : cell.padEnd(widths[index]!))).join('  '))
    .join('\n');
}

export function coverageLine(coverage: FrameworkCoverage): string {
  const { automated, manual } = coverage.counts;
  const total = coverage.controls.length;
  const missing = coverage.counts['not-automated'];
  return `${automated} of ${total} controls automated, ${manual} ${manual === 1 ? 'needs' : 'need'} a manual check, ${missing} ${missing === 1 ? 'has' : 'have'} no rule yet`;
}

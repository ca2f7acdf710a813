// `periscope rules`: the rule catalogue, and with --framework that framework's rules and control coverage.
import { Option, type Command } from 'commander';
import { frameworkById, frameworks } from '../../engine/frameworks.ts';
import type { AnyRule } from '../../engine/rule.ts';
import {
  columns,
  coverageLine,
  frameworkCoverage,
  ruleSummary,
  rulesOfFramework,
  sortRules,
  type FrameworkCoverage,
} from '../../report/catalogue.ts';
import { rules as catalogue } from '../../rules/index.ts';
import { CliError } from '../errors.ts';

interface RulesOptions {
  framework?: string;
  format: 'table' | 'json';
}

export function register(program: Command): void {
  program
    .command('rules')
    .description("list the rule catalogue; with --framework, that framework's rules and which controls they automate")
    .option('--framework <id>', `only this framework's rules, plus its coverage (${frameworks.map((f) => f.id).join(', ')})`)
    .addOption(new Option('--format <format>', 'output format').choices(['table', 'json']).default('table'))
    .action((options: RulesOptions) => {
      process.stdout.write(listRules(options));
    });
}

function rulesTable(rules: readonly AnyRule[], frameworkId?: string): string {
  const header = ['ID', 'SEVERITY', 'DOMAIN', ...(frameworkId ? ['CONTROLS'] : []), 'TITLE'];
  const rows = sortRules(rules).map((rule) => [
    rule.id,
    rule.meta.severity,
    rule.meta.domain,
    ...(frameworkId ? [(rule.meta.frameworks[frameworkId] ?? []).join(', ')] : []),
    rule.meta.title,
  ]);
  return columns([header, ...rows]);
}

function coverageTable(coverage: FrameworkCoverage): string {
  const rows = coverage.controls.map((control) => [
    control.id,
    control.title,
    control.status === 'automated'
      ? control.rules.join(', ')
      : control.status === 'manual'
        ? `- (manual: ${control.manual})`
        : '- (no rule yet)',
  ]);
  return columns([['CONTROL', 'TITLE', 'AUTOMATED BY'], ...rows]);
}

function listRules(options: RulesOptions, rules: readonly AnyRule[] = catalogue): string {
  if (options.framework === undefined) {
    if (options.format === 'json') return JSON.stringify(sortRules(rules).map(ruleSummary), null, 2) + '\n';
    return `${rulesTable(rules)}\n\n${rules.length} rules. Frameworks: ${frameworks.map((f) => f.id).join(', ')} (periscope rules --framework <id>).\n`;
  }
  const framework = frameworkById(options.framework);
  if (!framework) {
    throw new CliError(`unknown framework "${options.framework}"; known frameworks: ${frameworks.map((f) => f.id).join(', ')}`);
  }
  const selected = rulesOfFramework(framework, rules);
  const coverage = frameworkCoverage(framework, rules);
  if (options.format === 'json') {
    return JSON.stringify({ ...coverage, rules: sortRules(selected).map(ruleSummary) }, null, 2) + '\n';
  }
  const idsWith = (status: string): string[] =>
    coverage.controls.filter((control) => control.status === status).map((control) => control.id);
  const manual = idsWith('manual');
  const missing = idsWith('not-automated');
  return [
    `${framework.title} (${framework.id})`,
    '',
    selected.length > 0 ? rulesTable(selected, framework.id) : 'No rule maps to this framework yet.',
    '',
    'Coverage:',
    coverageTable(coverage),
    '',
    `${coverageLine(coverage)}.`,
    ...(manual.length > 0 ? [`Manual check (no agentless rule can automate): ${manual.join(', ')}.`] : []),
    ...(missing.length > 0 ? [`No rule yet: ${missing.join(', ')}.`] : []),
    '',
  ].join('\n');
}

// `periscope scan --config <file>`: per-rule settings (options, disabled, severity) from a YAML file:
//   rules:
//     image-registry-not-allowed: { options: { allowedRegistries: ['*.dkr.ecr.*.amazonaws.com'] } }
//     eks-version-support: { options: { warnDays: 120 }, severity: medium }
//     default-namespace: { disabled: true }
import { readFile } from 'node:fs/promises';
import { isNode, LineCounter, parseDocument } from 'yaml';
import * as z from 'zod';
import { RuleSettingsError, ruleSettingsSchema, validateRuleSettings, type RuleSettings } from '../engine/run.ts';
import type { AnyRule } from '../engine/rule.ts';
import { rules as catalogue } from '../rules/index.ts';
import { CliError } from './errors.ts';
import type { ScanExtension } from './scan-extension.ts';

const configFileSchema = z.strictObject({ rules: ruleSettingsSchema.default({}) });

/** The rule settings of a --config file's text; problems are CliErrors naming `file:line` and the rule. */
export function parseRuleSettingsFile(text: string, file: string, rules: readonly AnyRule[] = catalogue): RuleSettings {
  const lineCounter = new LineCounter();
  const document = parseDocument(text, { lineCounter, prettyErrors: false });
  if (document.errors.length > 0) {
    const error = document.errors[0]!;
    throw new CliError(`${file}:${error.linePos?.[0]?.line ?? 1}: not valid YAML: ${error.message.split('\n')[0]}`);
  }
  const where = (path: readonly PropertyKey[]): string => {
    // The deepest node of the path the file has, for its line.
    for (let depth = path.length; depth >= 0; depth -= 1) {
      const node = document.getIn(path.slice(0, depth).map(String), true);
      if (isNode(node) && node.range) return `${file}:${lineCounter.linePos(node.range[0]).line}`;
    }
    return file;
  };
  const parsed = configFileSchema.safeParse(document.toJS() ?? {});
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const field = issue.path.map(String).join('.') || '(top level)';
    throw new CliError(`${where(issue.path)}: ${field}: ${issue.message}. The file holds rules: { <rule-id>: { options, disabled, severity } }.`);
  }
  try {
    validateRuleSettings(rules, parsed.data.rules);
  } catch (error) {
    if (!(error instanceof RuleSettingsError)) throw error;
    const path = ['rules', error.ruleId, ...(error.field ? error.field.split('.') : [])];
    const hint = error.field === '' ? '' : ' (docs/rules.md describes each rule and its options)';
    throw new CliError(`${where(path)}: ${error.message}${hint}`);
  }
  return parsed.data.rules;
}

export const ruleSettingsExtension: ScanExtension = {
  options(command) {
    command.option('--config <file>', 'YAML file of rule settings: rules: { <rule-id>: { options, disabled, severity } }');
  },
  async ruleSettings(options) {
    const file = options.config;
    if (typeof file !== 'string') return {};
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (error) {
      throw new CliError(`cannot read the config file ${file}: ${(error as Error).message}`);
    }
    return parseRuleSettingsFile(text, file);
  },
};

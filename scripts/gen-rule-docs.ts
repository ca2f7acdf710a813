// Writes docs/rules.md from rule metadata: `npm run docs`. test/docs/rules-doc.test.ts fails when it is stale.
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { frameworks } from '../shared/engine/frameworks.ts';
import { renderRuleDocs } from '../shared/report/rule-docs.ts';
import { rules } from '../shared/rules/index.ts';

export const ruleDocsPath = join(dirname(fileURLToPath(import.meta.url)), '..', 'docs', 'rules.md');

export function ruleDocs(): string {
  return renderRuleDocs(rules, frameworks);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  writeFileSync(ruleDocsPath, ruleDocs(), 'utf8');
  process.stdout.write(`wrote ${ruleDocsPath} (${rules.length} rules)\n`);
}

import type { Rule } from '../analyzers/rule.js';

/** A rule's documentation page (docs/rules/<ID>.md, and `pipeline-architect explain ID`). */
export function renderRuleMarkdown(rule: Rule): string {
  const d = rule.docs;
  return [
    `# ${rule.id}: ${rule.name}`,
    '',
    `| Severity | Category | Runs by default |`,
    `| --- | --- | --- |`,
    `| ${rule.severity} | ${rule.category} | ${rule.default ? 'yes' : 'no (opt-in: add it to `select`)'} |`,
    '',
    d.summary,
    '',
    '## Why it matters',
    '',
    d.why.trim(),
    '',
    `**Impact:** ${d.impact}`,
    '',
    '## Example',
    '',
    'Flagged:',
    '',
    '```python',
    d.bad.trim(),
    '```',
    '',
    'Fixed:',
    '',
    '```python',
    d.good.trim(),
    '```',
    '',
    '## How to fix',
    '',
    d.fix,
    '',
    '## When it stays quiet',
    '',
    'The rule prefers silence where it cannot be sure. It does not report:',
    '',
    ...d.quiet.map((q) => `- ${q}`),
    '',
    '## Suppressing it',
    '',
    `- On one line: \`# noqa: ${rule.id}\``,
    `- In a whole file: \`# pipeline-architect: disable=${rule.id}\``,
    `- Everywhere: \`ignore: [${rule.id}]\` in \`.github/pipeline-architect.yml\``,
    '',
    '<!-- Generated from the rule\'s metadata by `npm run docs`; edit src/analyzers/rules/ instead. -->',
    '',
  ].join('\n');
}

function escapeCell(s: string): string {
  return s.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

/** The catalog table for the README (between the rules-table markers). */
export function renderRulesTable(rules: readonly Rule[], docsPath: (id: string) => string): string {
  const rows = rules.map(
    (r) => `| [${r.id}](${docsPath(r.id)}) | ${r.name} | ${r.severity} | ${r.default ? 'on' : 'opt-in'} | ${escapeCell(r.docs.summary)} |`,
  );
  return ['| ID | Name | Severity | Default | What it finds |', '| --- | --- | --- | --- | --- |', ...rows].join('\n');
}

/** Plain-text catalog for `pipeline-architect rules`. */
export function renderRulesText(rules: readonly Rule[]): string {
  const idWidth = Math.max(...rules.map((r) => r.id.length));
  const nameWidth = Math.max(...rules.map((r) => r.name.length));
  return (
    rules
      .map((r) => `${r.id.padEnd(idWidth)}  ${r.name.padEnd(nameWidth)}  ${r.severity.padEnd(8)}  ${r.default ? 'on    ' : 'opt-in'}  ${r.docs.summary}`)
      .join('\n') + '\n'
  );
}

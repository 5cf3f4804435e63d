import type { AnalyzeResult, Finding, Severity } from '../analyzers/types.js';
import { escapeText, messageMarkdown } from './markdown.js';
import type { RuleText } from './review.js';
import { byImportance } from './review.js';
import { SEVERITY_ORDER, countBySeverity } from './summary.js';

/** GitHub's limits for check run output. */
export const MAX_OUTPUT_CHARS = 65_535;
export const MAX_TITLE_CHARS = 255;
export const ANNOTATIONS_PER_REQUEST = 50;

export type Conclusion = 'success' | 'failure' | 'neutral' | 'cancelled';

export interface Annotation {
  readonly path: string;
  readonly start_line: number;
  readonly end_line: number;
  readonly start_column?: number;
  readonly end_column?: number;
  readonly annotation_level: 'failure' | 'warning' | 'notice';
  readonly title: string;
  readonly message: string;
}

export interface CheckOutput {
  readonly title: string;
  readonly summary: string;
  readonly text?: string;
}

/** The review checklist's areas (from the domain reference), and which rules speak to each. */
export const AREAS = [
  ['architecture', 'Architecture'],
  ['data-flow', 'Data flow'],
  ['quality', 'Quality & validation'],
  ['error-handling', 'Error handling'],
  ['monitoring', 'Monitoring'],
  ['performance', 'Performance'],
] as const;
export type Area = (typeof AREAS)[number][0];

const AREA_OF_RULE: Record<string, Area> = {
  BRZ001: 'monitoring',
  BRZ002: 'monitoring',
  BRZ003: 'quality',
  SLV005: 'quality',
  SLV006: 'quality',
  SLV007: 'quality',
  GLD003: 'quality',
};

const AREA_OF_CATEGORY: Record<string, Area> = {
  bronze: 'architecture',
  silver: 'data-flow',
  gold: 'data-flow',
  layering: 'architecture',
  ingestion: 'quality',
  incremental: 'data-flow',
  cdc: 'data-flow',
  streaming: 'data-flow',
  'error-handling': 'error-handling',
  monitoring: 'monitoring',
  performance: 'performance',
  security: 'error-handling',
};

export function areaOf(finding: Pick<Finding, 'id' | 'category'>): Area {
  return AREA_OF_RULE[finding.id] ?? AREA_OF_CATEGORY[finding.category] ?? 'architecture';
}

const LEVEL: Record<Severity, Annotation['annotation_level']> = { critical: 'failure', warning: 'warning', info: 'notice' };
const HEADING: Record<Severity, string> = { critical: 'Critical', warning: 'Warning', info: 'Info' };

function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

export function annotations(findings: readonly Finding[]): Annotation[] {
  return findings.map((f) => ({
    path: f.path,
    start_line: f.line,
    end_line: f.endLine,
    // GitHub accepts columns only on single-line annotations.
    ...(f.line === f.endLine ? { start_column: f.column, end_column: Math.max(f.column, f.endColumn) } : {}),
    annotation_level: LEVEL[f.severity],
    title: truncate(`${f.id} ${f.name}`, MAX_TITLE_CHARS),
    message: truncate(f.message, 60_000),
  }));
}

export interface SummaryInput {
  /** Findings on the change (per `review.filter`): these decide the conclusion. */
  readonly inChange: readonly Finding[];
  readonly result: AnalyzeResult;
  readonly filesAnalyzed: number;
  readonly failOn: string;
  readonly conclusion: Conclusion;
  /** Comments GitHub refused, with its reason. */
  readonly leftOut: readonly { readonly finding: Finding; readonly reason: string }[];
  readonly notes: readonly string[];
  readonly ruleText: (id: string) => RuleText | undefined;
  readonly linkTo: (path: string, line: number) => string;
}

function headline(inChange: readonly Finding[]): string {
  if (inChange.length === 0) return 'No pipeline architecture issues on the changed lines';
  const counts = countBySeverity(inChange);
  return SEVERITY_ORDER.filter((s) => counts[s] > 0)
    .map((s) => `${counts[s]} ${s}`)
    .join(', ')
    .concat(` finding${inChange.length === 1 ? '' : 's'} on the changed lines`);
}

function findingEntry(f: Finding, n: number, input: SummaryInput): string {
  const rule = input.ruleText(f.id);
  const lines = [`${n}. **[${escapeText(f.path)}:${f.line}](${input.linkTo(f.path, f.line)})** ${f.id} ${f.name}`, `   - Issue: ${messageMarkdown(f.message)}`];
  if (rule) lines.push(`   - Impact: ${rule.docs.impact}`, `   - Fix: ${rule.docs.fix}`);
  return lines.join('\n');
}

/**
 * The check run's title and summary, in the shape of a senior engineer's review: counts by
 * severity, the findings by severity with Issue / Impact / Fix, and the review checklist's areas
 * marked clean or not. Stays within GitHub's 65,535 characters by summarising what does not fit.
 */
export function checkRunOutput(input: SummaryInput): CheckOutput {
  const { inChange, result } = input;
  const sorted = [...inChange].sort(byImportance);
  const title = truncate(input.conclusion === 'neutral' && result.errors.length > 0 ? `${headline(inChange)} (internal error, see summary)` : headline(inChange), MAX_TITLE_CHARS);
  const head: string[] = ['## Pipeline Architecture Review', ''];
  const counts = countBySeverity(inChange);
  head.push(
    `**${inChange.length} finding${inChange.length === 1 ? '' : 's'} on the changed lines** · ${counts.critical} critical · ${counts.warning} warning · ${counts.info} info · ${input.filesAnalyzed} Python file${input.filesAnalyzed === 1 ? '' : 's'} analyzed · the check fails on ${input.failOn === 'never' ? 'nothing' : `${input.failOn} and above`}`,
    '',
  );
  for (const note of input.notes) head.push(`> ${note}`, '');
  const tail: string[] = ['### Review checklist', '', '| Area | Status |', '| --- | --- |'];
  for (const [area, label] of AREAS) {
    const n = inChange.filter((f) => areaOf(f) === area).length;
    tail.push(`| ${label} | ${n === 0 ? '✅ clean' : `❌ ${n} finding${n === 1 ? '' : 's'}`} |`);
  }
  const other = result.findings.length - inChange.length;
  if (other > 0) tail.push('', `${other} more finding${other === 1 ? '' : 's'} in the changed files, outside the changed lines, are shown as annotations only.`);
  if (input.leftOut.length > 0) {
    tail.push('', '### Not posted as comments', '', 'GitHub refused these review comments:', '');
    for (const { finding, reason } of input.leftOut) tail.push(`- ${escapeText(finding.path)}:${finding.line} ${finding.id}: ${messageMarkdown(reason)}`);
  }
  if (result.skipped.length + result.partial.length + result.errors.length > 0) {
    tail.push('', '### Files not fully analyzed', '');
    for (const s of result.skipped) tail.push(`- ${escapeText(s.path)}: skipped, ${messageMarkdown(s.reason)}`);
    for (const p of result.partial) tail.push(`- ${escapeText(p.path)}: ${messageMarkdown(p.reason)}`);
    for (const e of result.errors) tail.push(`- ${escapeText(e.path)}: internal error in ${e.ruleId} (${messageMarkdown(e.message)}); the other rules ran`);
  }
  const headText = head.join('\n');
  const tailText = `\n${tail.join('\n')}\n`;
  const budget = MAX_OUTPUT_CHARS - headText.length - tailText.length - 200;
  const sections: string[] = [];
  let used = 0;
  let omitted = 0;
  for (const severity of SEVERITY_ORDER) {
    const group = sorted.filter((f) => f.severity === severity);
    if (group.length === 0) continue;
    const heading = `### ${HEADING[severity]}\n`;
    const entries: string[] = [];
    for (const [i, f] of group.entries()) {
      const entry = findingEntry(f, i + 1, input);
      if (used + heading.length + entry.length + 2 > budget) {
        omitted += group.length - i;
        break;
      }
      entries.push(entry);
      used += entry.length + 1;
    }
    if (entries.length > 0) {
      sections.push(`${heading}\n${entries.join('\n')}\n`);
      used += heading.length + 1;
    }
  }
  if (omitted > 0) sections.push(`… and ${omitted} more finding${omitted === 1 ? '' : 's'} not listed here for space; every finding is an annotation on this check run.\n`);
  const summary = `${headText}${sections.join('\n')}${tailText}`;
  return { title, summary: truncate(summary, MAX_OUTPUT_CHARS) };
}

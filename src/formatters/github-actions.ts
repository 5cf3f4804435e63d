import type { AnalyzeResult, Severity } from '../analyzers/types.js';
import { summaryLine } from './summary.js';

const COMMAND: Record<Severity, string> = { critical: 'error', warning: 'warning', info: 'notice' };

function escapeData(s: string): string {
  return s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

function escapeProperty(s: string): string {
  return escapeData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

/** GitHub Actions workflow commands: annotations on the PR's "Files changed" view. */
export function formatGithubActions(result: AnalyzeResult): string {
  const lines = result.findings.map((f) => {
    const props = [
      `file=${escapeProperty(f.path)}`,
      `line=${f.line}`,
      `col=${f.column}`,
      `endLine=${f.endLine}`,
      ...(f.endLine === f.line ? [`endColumn=${f.endColumn}`] : []),
      `title=${escapeProperty(`${f.id} ${f.name}`)}`,
    ];
    return `::${COMMAND[f.severity]} ${props.join(',')}::${escapeData(f.message)}`;
  });
  for (const s of result.skipped) lines.push(`::warning file=${escapeProperty(s.path)},title=pipeline-architect::${escapeData(`skipped: ${s.reason}`)}`);
  for (const e of result.errors) lines.push(`::warning file=${escapeProperty(e.path)},title=pipeline-architect::${escapeData(`internal error in ${e.ruleId}: ${e.message}`)}`);
  lines.push(summaryLine(result.findings));
  return lines.join('\n') + '\n';
}

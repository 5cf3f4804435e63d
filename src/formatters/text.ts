import pc from 'picocolors';
import type { AnalyzeResult, Severity } from '../analyzers/types.js';
import { summaryLine } from './summary.js';

export interface TextOptions {
  readonly color: boolean;
}

/** ruff-style lines: `path:line:col: ID [severity] message`, then a summary. */
export function formatText(result: AnalyzeResult, options: TextOptions): string {
  const c = pc.createColors(options.color);
  const severityColor: Record<Severity, (s: string) => string> = { critical: c.red, warning: c.yellow, info: c.blue };
  const lines: string[] = [];
  for (const f of result.findings) {
    const paint = severityColor[f.severity];
    lines.push(`${c.bold(f.path)}${c.cyan(':')}${f.line}${c.cyan(':')}${f.column}${c.cyan(':')} ${paint(c.bold(f.id))} ${paint(`[${f.severity}]`)} ${f.message}`);
  }
  for (const s of result.skipped) lines.push(`${c.bold(s.path)}: ${c.dim('skipped:')} ${s.reason}`);
  for (const p of result.partial) lines.push(`${c.bold(p.path)}:${p.line}: ${c.dim('partly analyzed:')} ${p.reason}`);
  for (const e of result.errors) lines.push(`${c.bold(e.path)}: ${c.red('internal error')} in ${e.ruleId}: ${e.message}`);
  if (lines.length > 0) lines.push('');
  lines.push(result.findings.length === 0 ? c.green(summaryLine(result.findings)) : c.bold(summaryLine(result.findings)));
  return lines.join('\n') + '\n';
}

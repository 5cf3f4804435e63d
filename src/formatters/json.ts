import type { AnalyzeResult } from '../analyzers/types.js';

/** The documented machine-readable shape; `fix` appears only on findings that have one. */
export function formatJson(result: AnalyzeResult): string {
  const findings = result.findings.map((f) => ({
    id: f.id,
    name: f.name,
    severity: f.severity,
    category: f.category,
    path: f.path,
    line: f.line,
    column: f.column,
    endLine: f.endLine,
    endColumn: f.endColumn,
    message: f.message,
    docsUrl: f.docsUrl,
    ...(f.fix ? { fix: f.fix } : {}),
  }));
  return JSON.stringify({ findings, skipped: result.skipped, partial: result.partial, errors: result.errors }, null, 2) + '\n';
}

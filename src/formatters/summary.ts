import type { Finding, Severity } from '../analyzers/types.js';

export const SEVERITY_ORDER: readonly Severity[] = ['critical', 'warning', 'info'];

export function countBySeverity(findings: readonly Finding[]): Record<Severity, number> {
  const counts: Record<Severity, number> = { critical: 0, warning: 0, info: 0 };
  for (const f of findings) counts[f.severity]++;
  return counts;
}

/** `3 findings: 1 critical, 2 warning` / `No findings`. */
export function summaryLine(findings: readonly Finding[]): string {
  if (findings.length === 0) return 'No findings.';
  const counts = countBySeverity(findings);
  const parts = SEVERITY_ORDER.filter((s) => counts[s] > 0).map((s) => `${counts[s]} ${s}`);
  return `Found ${findings.length} finding${findings.length === 1 ? '' : 's'}: ${parts.join(', ')}.`;
}

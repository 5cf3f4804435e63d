import type { Log, ReportingDescriptor, Result } from 'sarif';
import type { AnalyzeResult, Category, Severity } from '../analyzers/types.js';
import { PRODUCT_NAME, REPOSITORY_URL, VERSION } from '../meta.js';

/** What SARIF needs to know of a rule (a subset of the registry's rule definitions). */
export interface SarifRule {
  readonly id: string;
  readonly name: string;
  readonly category: Category;
  readonly severity: Severity;
  readonly docs: { readonly summary: string; readonly why: string; readonly fix: string };
}

const LEVEL: Record<Severity, Result.level> = { critical: 'error', warning: 'warning', info: 'note' };
const PRECISION = 'high';

function toUri(path: string): string {
  return path
    .replace(/\\/g, '/')
    .split('/')
    .map((seg) => encodeURIComponent(seg))
    .join('/');
}

/** SARIF 2.1.0, as GitHub code scanning accepts it (`github/codeql-action/upload-sarif`). */
export function formatSarif(result: AnalyzeResult, rules: readonly SarifRule[], docsUrl: (id: string) => string): string {
  // Every rule is listed, so code scanning knows the catalog even for rules without results.
  const index = new Map(rules.map((r, i) => [r.id, i]));
  const descriptors: ReportingDescriptor[] = rules.map((r) => ({
    id: r.id,
    name: r.name,
    shortDescription: { text: r.docs.summary },
    fullDescription: { text: r.docs.why },
    help: {
      text: `${r.docs.why}\n\nFix: ${r.docs.fix}\n\n${docsUrl(r.id)}`,
      markdown: `${r.docs.why}\n\n**Fix:** ${r.docs.fix}\n\n[Rule documentation](${docsUrl(r.id)})`,
    },
    helpUri: docsUrl(r.id),
    defaultConfiguration: { level: LEVEL[r.severity] },
    properties: { tags: ['pipeline-architecture', r.category], precision: PRECISION, 'problem.severity': r.severity === 'critical' ? 'error' : r.severity === 'warning' ? 'warning' : 'recommendation' },
  }));
  const results: Result[] = result.findings.map((f) => ({
    ruleId: f.id,
    ...(index.has(f.id) ? { ruleIndex: index.get(f.id)! } : {}),
    level: LEVEL[f.severity],
    message: { text: f.message },
    locations: [
      {
        physicalLocation: {
          artifactLocation: { uri: toUri(f.path), uriBaseId: '%SRCROOT%' },
          region: { startLine: f.line, startColumn: f.column, endLine: f.endLine, endColumn: f.endColumn },
        },
      },
    ],
  }));
  const log: Log = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: PRODUCT_NAME,
            version: VERSION,
            semanticVersion: VERSION,
            informationUri: REPOSITORY_URL,
            rules: descriptors,
          },
        },
        originalUriBaseIds: { '%SRCROOT%': { description: { text: 'The repository root.' } } },
        columnKind: 'utf16CodeUnits',
        results,
        invocations: [
          {
            executionSuccessful: result.errors.length === 0,
            toolExecutionNotifications: [
              ...result.skipped.map((s) => ({
                level: 'warning' as const,
                message: { text: `skipped: ${s.reason}` },
                locations: [{ physicalLocation: { artifactLocation: { uri: toUri(s.path), uriBaseId: '%SRCROOT%' } } }],
              })),
              ...result.errors.map((e) => ({
                level: 'error' as const,
                message: { text: `internal error in ${e.ruleId}: ${e.message}` },
                locations: [{ physicalLocation: { artifactLocation: { uri: toUri(e.path), uriBaseId: '%SRCROOT%' } } }],
              })),
            ],
          },
        ],
      },
    ],
  };
  return JSON.stringify(log, null, 2) + '\n';
}

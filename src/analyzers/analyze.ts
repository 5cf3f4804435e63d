import type { Config } from '../config/schema.js';
import { isRuleEnabled, severityFor } from '../config/select.js';
import { ruleDocsUrl } from '../meta.js';
import { decodeSource } from './decode.js';
import { LayerInference, mayBePipelineCode, modelFromTree, type FileModel } from './model/index.js';
import { isTestFile } from './model/layers.js';
import { parsePython } from './parse.js';
import { LineIndex } from './positions.js';
import type { Edit, Match, Rule, RuleContext } from './rule.js';
import { RULES } from './rules/index.js';
import { parseSuppressions } from './suppressions.js';
import { buildSyntaxTree, type PyNode } from './syntax.js';
import type { AnalyzeResult, Finding, Fix, SourceFile } from './types.js';

export interface AnalyzeOptions {
  /** The rules to consider (default: the registry). Config still decides which run. */
  readonly rules?: readonly Rule[];
}

/**
 * Analyzes Python files. Pure: no I/O, no GitHub. A file that cannot be read is reported in
 * `skipped`, a file with syntax errors is analyzed where it parses and listed in `partial`,
 * and a rule that throws is reported in `errors` without losing the other rules' findings.
 */
export function analyze(files: readonly SourceFile[], config: Config, options: AnalyzeOptions = {}): AnalyzeResult {
  const result: AnalyzeResult = { findings: [], skipped: [], partial: [], errors: [] };
  const layers = new LayerInference(config.layers);
  const rules = options.rules ?? RULES;
  for (const file of files) analyzeFile(file, config, rules, layers, result);
  result.findings.sort(compareFindings);
  return result;
}

export function compareFindings(a: Finding, b: Finding): number {
  return a.path.localeCompare(b.path) || a.line - b.line || a.column - b.column || a.id.localeCompare(b.id);
}

function analyzeFile(file: SourceFile, config: Config, rules: readonly Rule[], layers: LayerInference, result: AnalyzeResult): void {
  const decoded = decodeSource(file.content);
  if (!decoded.ok) {
    result.skipped.push({ path: file.path, reason: decoded.reason });
    return;
  }
  const source = decoded.text;
  // Tests build throwaway tables from literal rows: overwriting `bronze.orders` there loses nothing.
  if (isTestFile(file.path) || !mayBePipelineCode(source)) return;
  let model: FileModel;
  try {
    const tree = buildSyntaxTree(parsePython(source), source);
    model = modelFromTree(tree, file.path, layers);
  } catch (error) {
    result.skipped.push({ path: file.path, reason: `could not be analyzed: ${error instanceof Error ? error.message : String(error)}` });
    return;
  }
  if (!model.isPipeline) return;
  const lines = new LineIndex(source);
  const firstError = model.tree.errors[0];
  if (firstError) {
    const line = lines.line(firstError.start);
    result.partial.push({
      path: file.path,
      line,
      reason: `syntax error at line ${line}${model.tree.errors.length > 1 ? ` (and ${model.tree.errors.length - 1} more)` : ''}; the rest of the file was analyzed`,
    });
  }
  const suppressions = parseSuppressions(model.tree.comments, lines);
  const ctx: RuleContext = { model, path: file.path, lines, config, text: (span) => source.slice(span.start, span.end) };
  for (const rule of rules) {
    if (!isRuleEnabled(rule, config, file.path)) continue;
    let matches: Match[];
    try {
      matches = [...rule.detect(ctx)];
    } catch (error) {
      result.errors.push({ path: file.path, ruleId: rule.id, message: error instanceof Error ? error.message : String(error) });
      continue;
    }
    const severity = severityFor(rule, config);
    const seen = new Set<string>();
    for (const match of matches) {
      const start = lines.position(match.span.start);
      const end = lines.position(Math.max(match.span.start, match.span.end));
      const key = `${match.span.start}:${match.span.end}:${match.message}`;
      if (seen.has(key)) continue;
      seen.add(key);
      const statement = enclosingStatement(model.tree.root, match.span);
      const statementEnd = statement ? lines.line(Math.max(statement.start, statement.end - 1)) : end.line;
      if (suppressions.isSuppressed(rule.id, start.line, end.line) || suppressions.isSuppressed(rule.id, statementEnd, statementEnd)) continue;
      let fix: Fix | undefined;
      try {
        const proposed = rule.fix?.(match, ctx);
        if (proposed && proposed.edits.length > 0) fix = toFix(proposed.description, proposed.edits, lines);
      } catch (error) {
        result.errors.push({ path: file.path, ruleId: rule.id, message: `fix: ${error instanceof Error ? error.message : String(error)}` });
      }
      result.findings.push({
        id: rule.id,
        name: rule.name,
        // A per-match severity (BRZ003's DROPMALFORMED) applies unless the config overrides the rule.
        severity: config.severity[rule.id] ?? match.severity ?? severity,
        category: rule.category,
        path: file.path,
        line: start.line,
        column: start.column,
        endLine: end.line,
        endColumn: end.column,
        message: match.message,
        docsUrl: ruleDocsUrl(rule.id),
        ...(fix ? { fix } : {}),
      });
    }
  }
}

/**
 * The statement a span belongs to: `# noqa` is also honoured on its last line, where a comment
 * after a multi-line chain naturally goes.
 */
function enclosingStatement(root: PyNode, span: { start: number; end: number }): PyNode | undefined {
  let node: PyNode = root;
  let statement: PyNode | undefined;
  for (;;) {
    const kid = node.kids.find((k) => k.start <= span.start && span.end <= k.end);
    if (!kid) return statement;
    if (node.type === 'module' || node.type === 'block') statement = kid;
    node = kid;
  }
}

/** Applies edits to the whole lines they touch: the shape of a GitHub suggestion. */
function toFix(description: string, edits: readonly Edit[], lines: LineIndex): Fix {
  const sorted = [...edits].sort((a, b) => a.start - b.start);
  const startLine = lines.line(sorted[0]!.start);
  const endLine = lines.line(Math.max(...sorted.map((e) => e.end)));
  const from = lines.lineStart(startLine);
  const to = lines.lineEnd(endLine);
  let text = '';
  let cursor = from;
  for (const edit of sorted) {
    text += lines.source.slice(cursor, edit.start) + edit.text;
    cursor = edit.end;
  }
  text += lines.source.slice(cursor, to);
  return { description, startLine, endLine, replacement: text };
}

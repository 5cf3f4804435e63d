import { concatStr, holeStr, literalStr, type Str } from './strings.js';

/**
 * Just enough SQL understanding for lineage: what a statement writes, what it reads, and a few
 * properties rules ask about. Holes in the SQL string (f-string parts we cannot resolve) become
 * placeholder identifiers so that `INSERT INTO {target}` still yields a target.
 */
export type SqlKind =
  | 'select'
  | 'insert'
  | 'merge'
  | 'ctas'
  | 'create'
  | 'optimize'
  | 'drop'
  | 'delete'
  | 'update'
  | 'alter'
  | 'other';

export interface SqlInfo {
  readonly kind: SqlKind;
  /** The table written, dropped or optimized. */
  readonly target: Str | undefined;
  /** INSERT OVERWRITE, CREATE OR REPLACE. */
  readonly overwrite: boolean;
  /** Tables read (FROM, JOIN, USING, table_changes). */
  readonly reads: readonly Str[];
  /** MERGE ... USING (subquery): the subquery text. */
  readonly mergeSourceQuery: string | undefined;
  /** MERGE ... USING name: the name (a view, maybe registered from a DataFrame). */
  readonly mergeSourceName: string | undefined;
  /** Reads a change data feed (`table_changes(...)`). */
  readonly cdf: boolean;
  /** DISTINCT, GROUP BY, ROW_NUMBER, QUALIFY: rows are unique per some key. */
  readonly deduplicates: boolean;
  readonly hasWhere: boolean;
  readonly aggregates: boolean;
  /** The normalized text (comments and string literals blanked), for keyword checks. */
  readonly text: string;
}

const HOLE_RE = /__hole(\d+)__/g;
const NAME = '(?:`[^`]+`|[A-Za-z_][\\w$]*)(?:\\s*\\.\\s*(?:`[^`]+`|[A-Za-z_][\\w$]*))*';
const NAME_RE = new RegExp(`^\\s*(${NAME})`);

/** Replaces comments and quoted literals (keeping their length irrelevant) so keywords are real. */
function normalize(sql: string): string {
  return sql
    .replace(/--[^\n]*/g, ' ')
    .replace(/\/\*[\s\S]*?\*\//g, ' ')
    .replace(/'(?:[^'\\]|\\.)*'/g, "''")
    .replace(/"(?:[^"\\]|\\.)*"/g, '""')
    .replace(/\s+/g, ' ')
    .trim();
}

function nameToStr(name: string, holes: readonly string[]): Str {
  const cleaned = name.replace(/\s*\.\s*/g, '.').replace(/`/g, '');
  const parts: Str[] = [];
  let last = 0;
  for (const m of cleaned.matchAll(HOLE_RE)) {
    parts.push(literalStr(cleaned.slice(last, m.index)));
    parts.push(holeStr(holes[Number(m[1])] ?? '?'));
    last = m.index + m[0].length;
  }
  parts.push(literalStr(cleaned.slice(last)));
  return concatStr(...parts);
}

function nameAfter(text: string, index: number): string | undefined {
  return NAME_RE.exec(text.slice(index))?.[1];
}

const NOT_TABLES = new Set(['select', 'values', 'lateral', 'unnest', 'explode', 'table']);

function readTables(text: string, cteNames: ReadonlySet<string>, holes: readonly string[]): Str[] {
  const reads: Str[] = [];
  const re = /\b(?:from|join|using)\s+(?!\()/gi;
  for (const m of text.matchAll(re)) {
    const name = nameAfter(text, m.index + m[0].length);
    if (!name) continue;
    const lower = name.toLowerCase();
    if (NOT_TABLES.has(lower) || cteNames.has(lower)) continue;
    reads.push(nameToStr(name, holes));
  }
  return reads;
}

/**
 * Classifies one SQL statement. `sql` holds the known text with holes already replaced by
 * `__holeN__` placeholders; `holes` are the source texts of those holes.
 */
export function analyzeSql(sql: string, holes: readonly string[] = []): SqlInfo {
  const text = normalize(sql);
  const lower = text.toLowerCase();
  const cteNames = new Set<string>();
  for (const m of lower.matchAll(/(?:\bwith|,)\s*([a-z_][\w$]*)\s+as\s*\(/g)) cteNames.add(m[1]!);

  let kind: SqlKind = 'other';
  let target: Str | undefined;
  let overwrite = false;
  let mergeSourceQuery: string | undefined;
  let mergeSourceName: string | undefined;

  const insert = /^insert\s+(overwrite|into)\s+(?:table\s+)?/i.exec(text);
  const merge = /^merge\s+into\s+/i.exec(text);
  const create = /^create\s+(or\s+replace\s+)?(?:temporary\s+|temp\s+|global\s+temporary\s+)?(?:table|view|materialized\s+view|streaming\s+table|live\s+table)\s+(?:if\s+not\s+exists\s+)?/i.exec(
    text,
  );
  const replace = /^replace\s+table\s+/i.exec(text);
  if (/^(?:select|with|\(|from|values|table\s)/i.test(text)) {
    kind = 'select';
  } else if (insert) {
    kind = 'insert';
    overwrite = insert[1]!.toLowerCase() === 'overwrite';
    const name = nameAfter(text, insert[0].length);
    if (name) target = nameToStr(name, holes);
  } else if (merge) {
    kind = 'merge';
    const name = nameAfter(text, merge[0].length);
    if (name) target = nameToStr(name, holes);
    const using = /\busing\s+/i.exec(text);
    if (using) {
      const rest = text.slice(using.index + using[0].length);
      if (rest.startsWith('(')) {
        let depth = 0;
        let end = 0;
        for (; end < rest.length; end++) {
          if (rest[end] === '(') depth++;
          else if (rest[end] === ')' && --depth === 0) break;
        }
        mergeSourceQuery = rest.slice(1, end);
      } else {
        mergeSourceName = nameAfter(rest, 0)?.replace(/`/g, '');
      }
    }
  } else if (create || replace) {
    const m = (create ?? replace)!;
    overwrite = replace !== null || /or\s+replace/i.test(m[0]);
    const name = nameAfter(text, m[0].length);
    if (name) target = nameToStr(name, holes);
    kind = /\bas\s+(?:select|with|\()/i.test(text.slice(m[0].length)) ? 'ctas' : 'create';
  } else {
    const simple: [RegExp, SqlKind][] = [
      [/^optimize\s+/i, 'optimize'],
      [/^drop\s+(?:table|view)\s+(?:if\s+exists\s+)?/i, 'drop'],
      [/^delete\s+from\s+/i, 'delete'],
      [/^update\s+/i, 'update'],
      [/^alter\s+table\s+/i, 'alter'],
    ];
    for (const [re, k] of simple) {
      const m = re.exec(text);
      if (!m) continue;
      kind = k;
      const name = nameAfter(text, m[0].length);
      if (name) target = nameToStr(name, holes);
      break;
    }
  }

  const reads = kind === 'select' || kind === 'insert' || kind === 'merge' || kind === 'ctas' ? readTables(text, cteNames, holes) : [];
  const cdf = /\btable_changes\s*\(/i.test(text);
  if (cdf) {
    for (const m of sql.matchAll(/\btable_changes\s*\(\s*['"]([^'"]+)['"]/gi)) reads.push(nameToStr(m[1]!, holes));
  }
  return {
    kind,
    target,
    overwrite,
    reads,
    mergeSourceQuery,
    mergeSourceName,
    cdf,
    deduplicates: /\b(?:distinct|group\s+by|row_number|qualify|rank|dense_rank)\b/i.test(text),
    hasWhere: /\bwhere\b/i.test(text),
    aggregates: /\bgroup\s+by\b|\b(?:sum|count|avg|min|max)\s*\(/i.test(text),
    text,
  };
}

/** Builds the placeholder text for a string with holes. */
export function sqlWithPlaceholders(parts: readonly (string | { hole: string })[]): { sql: string; holes: string[] } {
  const holes: string[] = [];
  let sql = '';
  for (const part of parts) {
    if (typeof part === 'string') sql += part;
    else {
      sql += `__hole${holes.length}__`;
      holes.push(part.hole);
    }
  }
  return { sql, holes };
}

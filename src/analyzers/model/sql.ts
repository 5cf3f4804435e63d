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
  | 'copy'
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
  /** Tables read (FROM, JOIN, MERGE ... USING, table_changes, STREAM(...)). */
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
  /** The normalized text (comments removed, string literals emptied), for keyword checks. */
  readonly text: string;
  /** The normalized text with holes shown as `{expression}`, for messages and rules that read them. */
  readonly display: string;
}

const HOLE_RE = /__hole(\d+)__/g;
const PART = '(?:`[^`]+`|[A-Za-z_][\\w$]*)';
const NAME = `${PART}(?:\\s*\\.\\s*${PART})*`;
const NAME_RE = new RegExp(`^\\s*(${NAME})`);

/**
 * Removes comments and empties string literals in one left-to-right scan, so that `'--'` in a
 * literal is not a comment and `-- it's` in a comment does not open a literal.
 */
function normalize(sql: string): string {
  let out = '';
  let i = 0;
  while (i < sql.length) {
    const ch = sql[i]!;
    const next = sql[i + 1];
    if (ch === '-' && next === '-') {
      while (i < sql.length && sql[i] !== '\n') i++;
      out += ' ';
    } else if (ch === '/' && next === '*') {
      const end = sql.indexOf('*/', i + 2);
      i = end === -1 ? sql.length : end + 2;
      out += ' ';
    } else if (ch === "'" || ch === '"') {
      let j = i + 1;
      while (j < sql.length) {
        if (sql[j] === '\\') j += 2;
        else if (sql[j] === ch && sql[j + 1] === ch) j += 2;
        else if (sql[j] === ch) break;
        else j++;
      }
      // A literal holding an f-string hole (`'{last_watermark}'`) keeps it: rules read it.
      const body = sql.slice(i + 1, j);
      const holesInside = body.match(/__hole\d+__/g);
      out += holesInside ? `${ch}${holesInside.join(' ')}${ch}` : ch + ch;
      i = j + 1;
    } else if (ch === '`') {
      const end = sql.indexOf('`', i + 1);
      const stop = end === -1 ? sql.length : end + 1;
      out += sql.slice(i, stop);
      i = stop;
    } else {
      out += ch;
      i++;
    }
  }
  return out.replace(/\s+/g, ' ').trim();
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

/** Index of the parenthesis closing the one at `open`. */
function closing(text: string, open: number): number {
  let depth = 0;
  for (let i = open; i < text.length; i++) {
    if (text[i] === '(') depth++;
    else if (text[i] === ')' && --depth === 0) return i;
  }
  return text.length;
}

/** Skips `WITH a AS (...), b (c1) AS (...)`: returns the CTE names and where the statement starts. */
function skipCtes(text: string): { names: Set<string>; rest: number } {
  const names = new Set<string>();
  const head = /^with\s+(?:recursive\s+)?/i.exec(text);
  if (!head) return { names, rest: 0 };
  let i = head[0].length;
  const cte = /^\s*([A-Za-z_][\w$]*)\s*(?:\([^)]*\)\s*)?as\s*(?=\()/i;
  for (;;) {
    const m = cte.exec(text.slice(i));
    if (!m) break;
    names.add(m[1]!.toLowerCase());
    i = closing(text, i + m[0].length) + 1;
    const comma = /^\s*,/.exec(text.slice(i));
    if (!comma) break;
    i += comma[0].length;
  }
  return { names, rest: i };
}

/** Inside a function call's parentheses (`EXTRACT(YEAR FROM ts)`), not a subquery's. */
function insideFunctionCall(text: string, index: number): boolean {
  let depth = 0;
  for (let i = index - 1; i >= 0; i--) {
    const ch = text[i];
    if (ch === ')') depth++;
    else if (ch === '(') {
      if (depth > 0) {
        depth--;
        continue;
      }
      const after = text.slice(i + 1).trimStart();
      if (/^(?:select|with|from)\b/i.test(after)) return false;
      return /[\w`]\s*$/.test(text.slice(0, i));
    }
  }
  return false;
}

const NOT_TABLES = new Set(['select', 'values', 'lateral', 'unnest', 'explode', 'table', 'where', 'as']);

function readTables(text: string, cteNames: ReadonlySet<string>, holes: readonly string[], viaUsing: boolean): Str[] {
  const reads: Str[] = [];
  const add = (name: string): void => {
    const lower = name.toLowerCase();
    if (NOT_TABLES.has(lower) || cteNames.has(lower)) return;
    reads.push(nameToStr(name, holes));
  };
  const re = viaUsing ? /\b(?:from|join|using)\s+/gi : /\b(?:from|join)\s+/gi;
  for (const m of text.matchAll(re)) {
    if (insideFunctionCall(text, m.index)) continue;
    let at = m.index + m[0].length;
    for (;;) {
      if (text[at] === '(') break;
      const name = nameAfter(text, at);
      if (!name) break;
      at += text.slice(at).indexOf(name) + name.length;
      if (/^\s*\(/.test(text.slice(at))) {
        // A table-valued function: STREAM(x) reads x; table_changes('t', v) is read below.
        if (name.toLowerCase() === 'stream') {
          const inner = nameAfter(text, text.indexOf('(', at) + 1);
          if (inner) add(inner);
        }
        break;
      }
      add(name);
      // Comma joins: FROM a x, b y
      const more = new RegExp(`^\\s*(?:as\\s+)?(?:(?!where|join|on|group|order|limit|left|right|inner|full|cross|union|lateral)[A-Za-z_][\\w$]*\\s*)?,\\s*`, 'i').exec(text.slice(at));
      if (!more) break;
      at += more[0].length;
    }
  }
  return reads;
}

/**
 * Classifies one SQL statement. `sql` holds the known text with holes already replaced by
 * `__holeN__` placeholders; `holes` are the source texts of those holes.
 */
export function analyzeSql(sql: string, holes: readonly string[] = []): SqlInfo {
  const text = normalize(sql);
  const { names: cteNames, rest } = skipCtes(text);
  // CTEs may also open a nested query: INSERT INTO t WITH a AS (...) SELECT ...
  for (const m of text.matchAll(/(?:\bwith\s+(?:recursive\s+)?|,\s*)([A-Za-z_][\w$]*)\s*(?:\([^()]*\)\s*)?as\s*\(/gi)) {
    cteNames.add(m[1]!.toLowerCase());
  }
  const statement = text.slice(rest).trimStart();

  let kind: SqlKind = 'other';
  let target: Str | undefined;
  let overwrite = false;
  let mergeSourceQuery: string | undefined;
  let mergeSourceName: string | undefined;

  const insert = /^insert\s+(overwrite|into)\s+(?:table\s+)?/i.exec(statement);
  const merge = /^merge\s+into\s+/i.exec(statement);
  const create =
    /^create\s+(or\s+replace\s+|or\s+refresh\s+)?(?:temporary\s+|temp\s+|global\s+temporary\s+|global\s+temp\s+)?(?:table|view|materialized\s+view|streaming\s+table|live\s+table|streaming\s+live\s+table)\s+(?:if\s+not\s+exists\s+)?/i.exec(
      statement,
    );
  const replace = /^replace\s+table\s+/i.exec(statement);
  if (/^(?:select|\(|from|values)\b|^\(/i.test(statement) || (rest > 0 && statement === '')) {
    kind = 'select';
  } else if (/^table\s+/i.test(statement)) {
    kind = 'select';
  } else if (insert) {
    kind = 'insert';
    overwrite = insert[1]!.toLowerCase() === 'overwrite';
    const name = nameAfter(statement, insert[0].length);
    if (name) target = nameToStr(name, holes);
  } else if (merge) {
    kind = 'merge';
    const name = nameAfter(statement, merge[0].length);
    if (name) target = nameToStr(name, holes);
    const using = /\busing\s+/i.exec(statement);
    if (using) {
      const after = statement.slice(using.index + using[0].length);
      if (after.startsWith('(')) mergeSourceQuery = after.slice(1, closing(after, 0));
      else mergeSourceName = nameAfter(after, 0)?.replace(/`/g, '');
    }
  } else if (create || replace) {
    const m = (create ?? replace)!;
    overwrite = replace !== null || /or\s+(?:replace|refresh)/i.test(m[0]);
    const name = nameAfter(statement, m[0].length);
    if (name) target = nameToStr(name, holes);
    kind = /\bas\s+(?:select|with|\(|from)/i.test(statement.slice(m[0].length)) ? 'ctas' : 'create';
  } else {
    const simple: [RegExp, SqlKind][] = [
      [/^copy\s+into\s+/i, 'copy'],
      [/^optimize\s+/i, 'optimize'],
      [/^drop\s+(?:table|view|materialized\s+view)\s+(?:if\s+exists\s+)?/i, 'drop'],
      [/^delete\s+from\s+/i, 'delete'],
      [/^update\s+/i, 'update'],
      [/^alter\s+table\s+/i, 'alter'],
    ];
    for (const [re, k] of simple) {
      const m = re.exec(statement);
      if (!m) continue;
      kind = k;
      const name = nameAfter(statement, m[0].length);
      if (name) target = nameToStr(name, holes);
      break;
    }
  }

  let reads: Str[] = [];
  if (kind === 'select' || kind === 'insert' || kind === 'merge' || kind === 'ctas') {
    reads = readTables(text, cteNames, holes, kind === 'merge');
    const table = /^table\s+/i.exec(statement);
    if (table) {
      const name = nameAfter(statement, table[0].length);
      if (name) reads.push(nameToStr(name, holes));
    }
  }
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
    mergeSourceName: mergeSourceName && /^__hole(\d+)__$/.test(mergeSourceName) ? holes[Number(/\d+/.exec(mergeSourceName)![0])] : mergeSourceName,
    cdf,
    deduplicates: /\b(?:distinct|group\s+by|row_number|qualify|rank|dense_rank)\b/i.test(text),
    hasWhere: /\bwhere\b/i.test(text),
    aggregates: /\bgroup\s+by\b|\b(?:sum|count|avg|min|max)\s*\(/i.test(text),
    text,
    display: text.replace(HOLE_RE, (_m, n: string) => `{${holes[Number(n)] ?? '?'}}`),
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

import dedent from 'dedent';
import { upstream } from '../model/lineage.js';
import { isExistenceGuarded, optionValue, quote, sameTarget, sessionConf } from '../model/queries.js';
import type { DFNode, Sink } from '../model/types.js';
import type { FileModel } from '../model/index.js';
import { attributeName, attributeObject, calledAttribute, methodSpan } from '../model/nodes.js';
import { defineRule, type Match } from '../rule.js';

/** Variables that hold the edge of an increment. */
const INCREMENT_NAME = /\b\w*(?:watermark|last_\w+|since|cutoff|start_\w*|from_\w*|hwm|wm|high_water\w*|bookmark|checkpoint\w*|prev(?:ious)?_\w+|latest_\w+|max_\w+|min_\w+|run_date|batch_date|process(?:ing)?_date|load_date|as_of\w*)\b/i;
/** Names of one run's slice, compared with `==`; `max_d`/`latest_snapshot` are the whole current state instead. */
const SLICE_NAME = /\b\w*(?:run_date|batch_date|process(?:ing)?_date|load_date|as_of\w*|batch_id|run_id|\bds\b|partition_date|snapshot_date)\b/i;
/** Spark functions whose names look like increment variables (`from_unixtime(...)`, `max_by(...)`). */
const FUNCTION_LOOKALIKE = /^(?:from_|to_|max_by$|min_by$|date_)/;
/** Relative dates: "the last N days", "today". */
const DATE_FUNCTION = /\b(?:current_date|current_timestamp|date_sub|date_add|add_months|now|today|timedelta|utcnow)\s*\(/;
/** A column or word that says time or version. */
const TEMPORAL = /date|time|_ts\b|timestamp|version|updated|modified|created|ingest|load|_at\b|\bday\b|hour|month|year|period|batch/i;
/** A column that names one slice of time or one batch: `event_date == run_date`. */
const SLICE_COLUMN = /date|_dt\b|_ts\b|timestamp|\bday\b|_day\b|hour|month|year|period|batch_id|version/i;
const ORDERING = /(?:<=|>=|<|>)|\bbetween\b/;
const EQUALITY = /==|\bisin\b|\beqNullSafe\b|(?<![<>!=])=(?!=)/;

/** Python source with plain string literals blanked; f-strings keep their `{...}` expressions. */
function codeOnly(text: string): string {
  return text.replace(/(?<!\w)([rRbBuUfF]{0,2})("""[\s\S]*?"""|'''[\s\S]*?'''|"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*')/g, (_m, prefix: string, body: string) =>
    /f/i.test(prefix) ? ` ${[...body.matchAll(/\{([^{}]*)\}/g)].map((m) => m[1]).join(' ')} ` : '""',
  );
}

/** Where one clause of a query ends: the next clause, or the next statement. */
const SQL_CLAUSE_END = /^(?:group\s+by|order\s+by|sort\s+by|cluster\s+by|distribute\s+by|limit|union|intersect|having|window|qualify)\b/i;
/** The first comparison of a SQL predicate (`>=` before `>`, `<=>` before `<=`). */
const SQL_COMPARISON = /<=>|<=|>=|<>|!=|==|=|<|>|\bnot\s+in\s*\(|\bin\s*\(|\bnot\s+between\b|\bbetween\b/i;
/** Relative dates in SQL, where `current_date` needs no parentheses; or in the Python of a hole. */
const SQL_DATE_FUNCTION = new RegExp(`${DATE_FUNCTION.source}|\\b(?:current_date|current_timestamp|getdate|sysdate)\\b`, 'i');
/** Stands for an f-string hole (`{run_date}`) inside a SQL predicate. */
const HOLE = '\u0001';

/** Where the parenthesis around `index` opens (0 at top level). */
function enclosingParen(sql: string, index: number): number {
  let depth = 0;
  for (let i = index - 1; i >= 0; i--) {
    if (sql[i] === ')') depth++;
    else if (sql[i] === '(') {
      if (depth === 0) return i;
      depth--;
    }
  }
  return 0;
}

/**
 * The predicates of every WHERE clause of a query, split at top-level AND/OR (`BETWEEN a AND b`
 * stays whole). Holes (`{run_date}`) are kept as written; parentheses and quotes are respected.
 */
function sqlPredicates(sql: string): string[] {
  const out: string[] = [];
  for (const m of sql.matchAll(/\bwhere\b/gi)) {
    // A subquery inside a predicate (`id NOT IN (SELECT ... WHERE ...)`, `EXISTS (...)`, `> (SELECT ...)`)
    // filters another relation: what it keeps says nothing about the rows written.
    if (/(?:\bin|\bexists|[=<>])\s*$/i.test(sql.slice(0, enclosingParen(sql, m.index)))) continue;
    let depth = 0;
    let quote: string | undefined;
    let between = false;
    let piece = m.index + m[0].length;
    let i = piece;
    const cut = (end: number): void => {
      const p = sql.slice(piece, end).trim();
      if (p) out.push(p);
    };
    for (; i < sql.length; i++) {
      const c = sql[i]!;
      if (c === '{') {
        const close = sql.indexOf('}', i);
        if (close < 0) break;
        i = close;
        continue;
      }
      if (quote) {
        if (c === quote) quote = undefined;
        continue;
      }
      if (c === "'" || c === '"' || c === '`') quote = c;
      else if (c === '(') depth++;
      else if (c === ')') {
        if (depth === 0) break;
        depth--;
      } else if (c === ';') break;
      else if (depth === 0 && /[a-z]/i.test(c) && !/\w/.test(sql[i - 1] ?? '')) {
        const rest = sql.slice(i);
        if (SQL_CLAUSE_END.test(rest)) break;
        const word = /^(?:and|or|between)\b/i.exec(rest)?.[0].toLowerCase();
        if (word === 'between') between = true;
        else if (word === 'and' && between) between = false;
        else if (word) {
          cut(i);
          piece = i + word.length;
        }
        if (word) i += word.length - 1;
      }
    }
    cut(i);
  }
  return out;
}

/** Identifiers in Python code, without called Spark functions and module-level literal constants. */
function identifiers(code: string, isConstant: (name: string) => boolean): string[] {
  return [...code.matchAll(/\b[A-Za-z_]\w*\b(\s*\()?/g)]
    .filter((m) => !(m[1] && FUNCTION_LOOKALIKE.test(m[0])))
    .map((m) => m[0].replace(/\s*\($/, ''))
    .filter((w) => !isConstant(w));
}

/** `event_date = '{run_date}'` selects one snapshot of a snapshot table: the full state, unless the target keeps every snapshot. */
function selectsOneSnapshot(columnText: string, sink: Sink): boolean {
  return /snapshot/i.test(columnText) && !/snapshots|hist/i.test(sink.target.display);
}

/**
 * An equality that selects one partition of the target, or one slice of a date/batch column:
 * the verdict shared by SQL predicates and DataFrame filters (which find the column differently).
 */
function oneSlice(
  sink: Sink,
  onPartitionColumn: (partition: string) => boolean,
  columnText: string,
  vars: readonly string[],
  selectors: readonly (string | undefined)[],
): Omit<Increment, 'node'> | undefined {
  const partitions = (sink.partitionBy ?? []).filter((p): p is string => p !== null);
  if (partitions.some(onPartitionColumn)) return { reason: `one partition (${partitions.map((p) => `\`${p}\``).join(', ')})`, vars };
  if (!SLICE_COLUMN.test(columnText) || selectsOneSnapshot(columnText, sink)) return undefined;
  const by = [...new Set(selectors.filter((v): v is string => v !== undefined))];
  return { reason: `one slice (selected by ${by.map((v) => `\`${v}\``).join(', ')})`, vars: by };
}

interface Judge {
  readonly model: FileModel;
  readonly sink: Sink;
  readonly params: ReadonlySet<string>;
  readonly isConstant: (name: string) => boolean;
}

/**
 * A WHERE clause of a query built with an f-string, judged like a DataFrame filter: rows above a
 * watermark (`updated_at > '{last_watermark}'`, `> (SELECT max(...) FROM <target>)`) or one
 * slice (`ingest_date = '{run_date}'`). Each comparison is judged on its own, and an upper bound
 * alone (`event_date <= '{as_of}'`) is the history up to a date, not an increment.
 */
function sqlWhereIncrement(d: DFNode, sql: string, { model, sink, params, isConstant }: Judge): Omit<Increment, 'node'> | undefined {
  // The query reads the target itself and combines it with the new rows (`UNION ALL SELECT * FROM <target>
  // WHERE d <> ...`, a join): the whole table is rewritten.
  if (/\bunion\b|\bjoin\b/i.test(sql) && (d.source?.tables ?? []).some((t) => sameTarget(model, t, sink.target))) return undefined;
  for (const predicate of sqlPredicates(sql)) {
    const holes = [...predicate.matchAll(/\{([^{}]*)\}/g)].map((h) => h[1]!);
    // Holes as markers; string literals blanked, except that a quoted hole stays a hole.
    const bare = predicate
      .replace(/\{[^{}]*\}/g, HOLE)
      .replace(/'(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*"/g, (lit) => (lit.includes(HOLE) ? HOLE : "''"));
    const op = SQL_COMPARISON.exec(bare);
    if (!op) continue;
    const left = bare.slice(0, op.index);
    const right = bare.slice(op.index + op[0].length);
    const operator = op[0].toLowerCase().replace(/\s+/g, ' ');
    // The side holding the bound: a hole, or a date computed from today (`date_sub(current_date(), 1)`).
    const isBound = (side: string): boolean => side.includes(HOLE) || SQL_DATE_FUNCTION.test(side);
    const lowerBound =
      (/^>=?$/.test(operator) && isBound(right)) ||
      (/^<=?$/.test(operator) && isBound(left)) ||
      (operator === 'between' && isBound(/^([\s\S]*?)\band\b/i.exec(right)?.[1] ?? ''));
    const upperBound = /^[<>]=?$/.test(operator) || operator === 'between';
    const column = (left.includes(HOLE) && !right.includes(HOLE) ? right : left).replaceAll(HOLE, ' ');
    // `updated_at > (SELECT max(updated_at) FROM silver.orders)` when silver.orders is the target.
    if (/^>=?$/.test(operator) && /\(\s*select\b[\s\S]*\bmax\s*\(/i.test(right)) {
      const lower = right.toLowerCase();
      const ofTarget = (d.source?.tables ?? []).some((t) => sameTarget(model, t, sink.target) && lower.includes(t.display.toLowerCase()));
      if (ofTarget) return { reason: `rows newer than the latest in ${quote(sink.target)}`, vars: [] };
    }
    // A bound computed from today is a rolling window (see the DataFrame filters below).
    if (SQL_DATE_FUNCTION.test(predicate)) {
      if (lowerBound && keepsHistory(model, sink)) return { reason: 'the rows of a recent date range', vars: [] };
      continue;
    }
    if (holes.length === 0) continue;
    // The variables: identifiers of the hole expressions (`{run_date}`, `{self.since}`, `{cfg["as_of"]}`).
    const idents = identifiers(codeOnly(holes.join('\n')), isConstant);
    const paramUsed = idents.find((w) => params.has(w));
    const named = idents.find((w) => INCREMENT_NAME.test(w));
    const sliceVar = idents.find((w) => SLICE_NAME.test(w));
    const vars = [...new Set([paramUsed, named].filter((v): v is string => v !== undefined))];
    if (lowerBound) {
      if (named) return { reason: `rows newer than \`${named}\``, vars };
      if (paramUsed && TEMPORAL.test(column)) return { reason: `rows selected by \`${paramUsed}\``, vars };
    }
    if (upperBound || operator.startsWith('not') || operator === '<>' || operator === '!=') continue;
    if (!paramUsed && !sliceVar) continue;
    const slice = oneSlice(sink, (p) => new RegExp(`\\b${p.replace(/[^\w]/g, '\\$&')}\\b`, 'i').test(column), column, vars, [paramUsed, sliceVar]);
    if (slice) return slice;
  }
  return undefined;
}

interface Increment {
  readonly node: DFNode;
  readonly reason: string;
  /** The variables that select the increment (`last_watermark`, `run_date`). */
  readonly vars: readonly string[];
}

/** The file also appends or merges into the table, or reads it (for a watermark): it is the full history. */
function keepsHistory(model: FileModel, sink: Sink): boolean {
  return (
    model.sinks.some((s) => s !== sink && (s.mode === 'append' || s.mode === 'merge') && sameTarget(model, s.target, sink.target)) ||
    model.sources.some((s) => sameTarget(model, s.target, sink.target))
  );
}

/** The filter compares with a value computed as `max(...)` of the target table itself: a watermark. */
function watermarkFromTarget(model: FileModel, d: DFNode, sink: Sink): boolean {
  return d.argRefs.some((ref) => {
    const text = model.text(ref);
    return /\bmax\s*\(/i.test(text) && model.sources.some((s) => sameTarget(model, s.target, sink.target) && s.node.start >= ref.start && s.node.end <= ref.end);
  });
}

/**
 * `F.col("d") <= as_of_date`: everything up to a date is history as of then, not an increment.
 * True only when every comparison with `name` bounds the column from above.
 */
function onlyUpperBound(code: string, name: string): boolean {
  const v = name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  // Within one comparison: no other operator, and no `&`, `|`, `,` or line between.
  const gap = '[^<>=&|,\\n]*?';
  const lower = new RegExp(`(?:>=?|\\bbetween\\s*\\()${gap}\\b${v}\\b|\\b${v}\\b${gap}<(?!<)`);
  const upper = new RegExp(`<=?${gap}\\b${v}\\b|\\b${v}\\b${gap}>(?!>)`);
  return upper.test(code) && !lower.test(code);
}

function incrementalFilter(model: FileModel, df: DFNode, sink: Sink): Increment | undefined {
  // `self`/`cls` are the object, not a value the caller passes: `self.run_date` is judged by its name.
  const params = new Set(sink.ctx.scope.params.filter((p) => p !== 'self' && p !== 'cls'));
  const source = model.tree.source;
  // `START_DATE = "2024-01-01"` at module level is a fixed bound, not an increment.
  const constants = new Map<string, boolean>();
  const isConstant = (name: string): boolean => {
    if (!/^[A-Z][A-Z0-9_]*$/.test(name)) return false;
    let known = constants.get(name);
    if (known === undefined) {
      known = new RegExp(`^${name}\\s*(?::[^=\\n]+)?=\\s*(?:[rRbBuU]?["']|-?\\d)`, 'm').test(source);
      constants.set(name, known);
    }
    return known;
  };
  for (const d of upstream(df)) {
    const sqlIncrement = d.source?.sqlDisplay ? sqlWhereIncrement(d, d.source.sqlDisplay, { model, sink, params, isConstant }) : undefined;
    if (sqlIncrement) return { node: d, ...sqlIncrement };
    // A batch read of a change feed from a version or time on is, by construction, only the changes since then.
    if (d.source?.cdf && !d.stream) {
      const from = ['startingVersion', 'startingTimestamp'].find((key) => d.source!.options.has(key.toLowerCase()));
      if (from) return { node: d, reason: `the changes since \`${from}\``, vars: [] };
    }
    if (d.kind !== 'transform' || (d.op !== 'filter' && d.op !== 'where')) continue;
    const text = model.argText(d);
    // Column references through the DataFrame itself (`df.max_price`, `df["updated_at"]`) are not variables.
    const fn = calledAttribute(d.node);
    const receiver = fn ? attributeObject(fn) : undefined;
    const dfName = receiver?.type === 'identifier' ? model.text(receiver) : undefined;
    const code = dfName ? codeOnly(text).replace(new RegExp(`\\b${dfName}(?:\\.\\w+\\b(?!\\s*\\()|\\s*\\[[^\\]]*\\])`, 'g'), ' ') : codeOnly(text);
    // Identifiers in code (not column names in strings), without called Spark functions.
    const idents = identifiers(code, isConstant);
    const paramUsed = idents.find((w) => params.has(w));
    const named = idents.find((w) => INCREMENT_NAME.test(w));
    // A bound computed from today (`date.today() - timedelta(days=90)`, `current_date()`) is a
    // rolling window: usually the table is meant to hold just that window, rebuilt each run.
    // Only when the file treats the table as full history too is the overwrite a data loss.
    if (DATE_FUNCTION.test(text)) {
      if (keepsHistory(model, sink) && ORDERING.test(text)) return { node: d, reason: 'the rows of a recent date range', vars: [] };
      continue;
    }
    const vars = [...new Set([paramUsed, named].filter((v): v is string => v !== undefined))];
    if (ORDERING.test(text) && watermarkFromTarget(model, d, sink)) return { node: d, reason: `rows newer than the latest in ${quote(sink.target)}`, vars };
    if (ORDERING.test(text)) {
      if (named && !onlyUpperBound(code, named)) return { node: d, reason: `rows newer than \`${named}\``, vars };
      if (paramUsed && TEMPORAL.test(text) && !onlyUpperBound(code, paramUsed)) return { node: d, reason: `rows selected by \`${paramUsed}\``, vars };
    }
    const sliceVar = idents.find((w) => SLICE_NAME.test(w));
    if (EQUALITY.test(text) && (paramUsed || sliceVar)) {
      // `date == run_date` on a partition column or a date/batch column: the job means to replace one slice.
      const withoutVars = vars.reduce((t, v) => t.replaceAll(v, ''), text);
      const slice = oneSlice(sink, (p) => text.includes(p), withoutVars, vars, [paramUsed, sliceVar]);
      if (slice) return { node: d, ...slice };
    }
  }
  return undefined;
}

const STATE_TARGET = /checkpoint|watermark|bookmark|state|stag(?:e|ing)|(?:^|[^a-z])stg(?:[^a-z]|$)|_tmp|tmp_|temp|(?:^|\.)work\./i;
/** Tables meant to hold only a recent window: `gold.orders_last_30d`, `silver.recent_events`. */
const ROLLING_TARGET = /(?:^|[^a-z])(?:rolling|trailing|recent|last_?\d+|l\d+d|today|yesterday)|_\d+_?(?:d|days|h|hours|w|weeks|m|months)(?:$|[^a-z])/i;

/** The same table is read and unioned into the data: the overwrite rewrites old and new rows. */
function rewritesWholeTable(model: FileModel, df: DFNode, sink: Sink): boolean {
  const nodes = [...upstream(df)];
  if (!nodes.some((d) => d.kind === 'transform' && /^union/.test(d.op))) return false;
  return nodes.some((d) => d.source !== undefined && sameTarget(model, d.source.target, sink.target));
}

export default defineRule({
  id: 'INC002',
  name: 'incremental-overwrite-drops-data',
  category: 'incremental',
  severity: 'critical',
  default: true,
  docs: {
    summary: 'Only an increment of the data is written with mode `overwrite`, which deletes everything else in the table.',
    why: dedent`
      A job that reads "rows since the last watermark" or "yesterday's partition" and then writes
      with \`mode("overwrite")\` replaces the whole table with that increment: every other day,
      every earlier batch, is deleted. The same holds when the slice is selected in SQL
      (\`WHERE ingest_date = '{run_date}'\`) and written with \`INSERT OVERWRITE\` without a
      \`PARTITION (...)\` value. Delta can overwrite just the slice the run owns
      (\`replaceWhere\`), Spark can overwrite only the partitions present in the data
      (\`partitionOverwriteMode=dynamic\`), or the increment can be MERGEd.
    `,
    impact: 'Each run deletes every row outside the current increment: the table only ever holds the last batch.',
    fix: 'Overwrite only the slice with `.option("replaceWhere", ...)`, use dynamic partition overwrite, or MERGE the increment.',
    bad: dedent`
      from pyspark.sql import functions as F

      def load_orders(spark, last_watermark):
          new_orders = spark.read.table("bronze.orders").filter(F.col("updated_at") > last_watermark)
          new_orders.write.mode("overwrite").saveAsTable("silver.orders")
    `,
    good: dedent`
      from pyspark.sql import functions as F

      def load_orders(spark, run_date):
          day = spark.read.table("bronze.orders").filter(F.col("order_date") == run_date)
          (day.write.mode("overwrite")
              .option("replaceWhere", f"order_date = '{run_date}'")
              .saveAsTable("silver.orders"))
    `,
    quiet: [
      'The write uses `replaceWhere`, or dynamic partition overwrite (writer option or session conf).',
      'The filter compares with literals only (`amount > 0` is validation, not an increment), or with a module-level literal constant (`START_DATE = "2023-01-01"`).',
      'The write is the initial load in the "table does not exist yet" branch, or targets a checkpoint/state/staging table.',
      'The write replaces only a slice by itself: `writeTo(t).overwrite(condition)`, `INSERT OVERWRITE ... PARTITION (d = ...)`, or a target path named by the increment (`f".../date={run_date}"`).',
      'The target is meant to hold a recent window (`orders_last_30d`, `recent_events`, `rolling_*`, `*_today`), or the existing table is read and unioned (or, in SQL, joined) into the data being written.',
      'The date equality selects one snapshot of a snapshot table (`snapshot_date = run_date`): that is the full state, unless the target keeps snapshots (`*_snapshots`, `*_history`).',
      'In SQL, a bound only from above (`WHERE event_date <= \'{as_of}\'` is the history up to a date), or a filter inside a predicate subquery (`id NOT IN (SELECT ... WHERE d = ...)`).',
    ],
  },
  *detect({ model, lines }): Iterable<Match> {
    const dynamicSession = sessionConf(model, 'spark.sql.sources.partitionOverwriteMode')?.toLowerCase() === 'dynamic';
    for (const sink of model.sinks) {
      if (sink.stream || sink.mode !== 'overwrite' || !sink.df) continue;
      if (sink.kind !== 'batch' && sink.kind !== 'sql-insert') continue;
      if (sink.options.has('replacewhere')) continue;
      // Dynamic partition overwrite replaces only the partitions present in the data.
      if (optionValue(sink.options, 'partitionOverwriteMode')?.toLowerCase() === 'dynamic' || dynamicSession) continue;
      if (isExistenceGuarded(model, sink.ctx)) continue;
      if (STATE_TARGET.test(sink.target.display) || sink.target.names.some((n) => STATE_TARGET.test(n))) continue;
      if (ROLLING_TARGET.test(sink.target.display)) continue;
      // `writeTo(t).overwrite(condition)` replaces only the rows matching the condition.
      const method = calledAttribute(sink.node);
      if (sink.kind === 'batch' && method && model.text(attributeName(method) ?? method) === 'overwrite') continue;
      // `INSERT OVERWRITE t PARTITION (d = '...')` replaces one static partition.
      if (sink.kind === 'sql-insert' && /\bpartition\s*\([^)]*=/i.test(sink.sql ?? '')) continue;
      if (rewritesWholeTable(model, sink.df, sink)) continue;
      const found = incrementalFilter(model, sink.df, sink);
      if (!found) continue;
      // A target named by the increment (`save(f"/mnt/silver/events/date={run_date}")`) is the slice itself.
      const targetText = sink.target.node ? codeOnly(model.text(sink.target.node)) : '';
      if (found.vars.some((v) => new RegExp(`\\b${v}\\b`).test(`${targetText}\n${sink.target.display}`))) continue;
      const line = lines.line(methodSpan(found.node.node).start);
      yield {
        span: sink.modeNode && sink.kind === 'batch' ? { start: methodSpan(sink.modeNode).start, end: sink.anchor.end } : sink.anchor,
        message: `\`overwrite\` of ${quote(sink.target)} with only ${found.reason} (filter at line ${line}): every other row in the table is deleted. Use \`replaceWhere\` or MERGE.`,
      };
    }
  },
});

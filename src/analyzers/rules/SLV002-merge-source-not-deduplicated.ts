import dedent from 'dedent';
import { isAggregate, isComplete, someUpstream, sourcesOf, upstream } from '../model/lineage.js';
import type { FileModel } from '../model/index.js';
import { methodSpan } from '../model/nodes.js';
import { quote, sameTarget } from '../model/queries.js';
import { analyzeSql } from '../model/sql.js';
import type { DFNode, Sink } from '../model/types.js';
import { defineRule, type Match } from '../rule.js';

const DEDUP_OPS = new Set(['dropDuplicates', 'drop_duplicates', 'dropDuplicatesWithinWatermark']);
const WHOLE_ROW_DEDUP = new Set(['distinct', 'limit']);
const RANKING = /\b(?:row_number|rank|dense_rank|max_by|min_by|first|last|max|min)\b/;
/** A window expression (`row_number().over(w)`, `F.max("ts").over(w)`) then a filter keeping one row. */
const WINDOW = /\bover\s*\(/i;
const FILTERS = new Set(['filter', 'where']);
const DELETE_CLAUSES = new Set(['whenMatchedDelete', 'whenNotMatchedBySourceDelete']);

/** Column names quoted in a text: `["customer_id", "email"]` -> customer_id, email. */
function quotedColumns(text: string): string[] {
  return [...text.matchAll(/["'`]([\w.]+)["'`]/g)].map((m) => m[1]!.split('.').pop()!);
}

/** Whether the columns cover the merge keys; unknown columns (an expression, a variable) count as covering. */
function coversKeys(columns: readonly string[], keys: readonly string[]): boolean {
  if (keys.length === 0 || columns.length === 0) return true;
  return keys.every((k) => columns.includes(k));
}

/**
 * Whether the lineage keeps one row per merge key: `dropDuplicates` on (a superset of) the keys,
 * `distinct()`, a `groupBy` on the keys, or a window partitioned by the keys followed by a filter
 * (`row_number()` = 1). A dedup or window on other columns (`dropDuplicates(["email"])` before a
 * merge on `customer_id`, a count per country) does not count.
 */
function isDeduplicated(model: FileModel, df: DFNode, keys: readonly string[]): boolean {
  const lineage = [...upstream(df)];
  const filtersAfter = (d: DFNode): boolean => lineage.some((f) => FILTERS.has(f.op) && f !== d && someUpstream(f, (x) => x === d));
  return lineage.some((d) => {
    if (WHOLE_ROW_DEDUP.has(d.op)) return true;
    if (d.kind === 'transform' && DEDUP_OPS.has(d.op)) return coversKeys(quotedColumns(model.argText(d)), keys);
    if (isAggregate(d)) return d.op === 'agg' || coversKeys(quotedColumns(d.args.map((a) => model.text(a)).join(' ')), keys);
    if (d.kind === 'transform' && WINDOW.test(model.argText(d)) && RANKING.test(model.argText(d))) {
      const text = model.argText(d);
      const partition = /partitionBy\s*\(([^)]*)\)/.exec(text);
      return (partition === null || coversKeys(quotedColumns(partition[1]!), keys)) && filtersAfter(d);
    }
    return d.source?.sql !== undefined && (analyzeSql(d.source.sql).deduplicates || WINDOW.test(d.source.sql));
  });
}

/**
 * The source is a table this file overwrote earlier with deduplicated rows
 * (`INSERT OVERWRITE staging.x SELECT ... QUALIFY ROW_NUMBER() ...`, then `MERGE ... USING staging.x`).
 */
function stagedDeduplicated(model: FileModel, merge: Sink, df: DFNode, keys: readonly string[]): boolean {
  const tables = sourcesOf(df).flatMap((d) => (d.source ? (d.source.tables.length > 0 ? d.source.tables : [d.source.target]) : []));
  return tables.some((table) =>
    model.sinks.some(
      (w) =>
        w !== merge &&
        w.node.start < merge.node.start &&
        (w.mode === 'overwrite' || w.kind === 'sql-ctas') &&
        sameTarget(model, w.target, table) &&
        w.df !== undefined &&
        isDeduplicated(model, w.df, keys),
    ),
  );
}

/**
 * A batch read of silver or gold tables (not a change feed): the layers that already hold one row
 * per key. Raw files, bronze tables, streams and change feeds repeat keys; unknown tables may.
 */
function readsCuratedTables(d: DFNode): boolean {
  const s = d.source;
  if (!s || s.stream || s.cdf || (s.kind !== 'table' && s.kind !== 'sql')) return false;
  const tables = s.kind === 'sql' ? s.tables : [s.target];
  return tables.length > 0 && tables.every((t) => t.layer === 'silver' || t.layer === 'gold');
}

export default defineRule({
  id: 'SLV002',
  name: 'merge-source-not-deduplicated',
  category: 'silver',
  severity: 'warning',
  default: true,
  docs: {
    summary: 'A MERGE uses a source that is not deduplicated on the merge key.',
    why: dedent`
      Delta's MERGE requires at most one source row per target row: when two source rows match the
      same target row it fails with "multiple source rows matched"; when two new rows share a key
      that is not in the target yet, both are inserted and the key is duplicated. Incremental batches
      and change feeds routinely carry several versions of a key, so the source should be reduced to
      one row per key first (\`dropDuplicates([key])\`, a \`row_number()\` window keeping the latest,
      or a \`groupBy\` on the key).
    `,
    impact: 'The MERGE fails when a key repeats in a batch, or inserts duplicates of a new key.',
    fix: 'Reduce the source to one row per key first: `dropDuplicates([key])`, or keep the latest with `row_number()`.',
    bad: dedent`
      from delta.tables import DeltaTable

      updates = spark.read.table("bronze.customers").filter("customer_id IS NOT NULL")
      (DeltaTable.forName(spark, "silver.customers").alias("t")
          .merge(updates.alias("s"), "t.customer_id = s.customer_id")
          .whenMatchedUpdateAll()
          .whenNotMatchedInsertAll()
          .execute())
    `,
    good: dedent`
      from delta.tables import DeltaTable

      updates = (spark.read.table("bronze.customers")
          .filter("customer_id IS NOT NULL")
          .dropDuplicates(["customer_id"]))
      (DeltaTable.forName(spark, "silver.customers").alias("t")
          .merge(updates.alias("s"), "t.customer_id = s.customer_id")
          .whenMatchedUpdateAll()
          .whenNotMatchedInsertAll()
          .execute())
    `,
    quiet: [
      'The source lineage passes through a call we cannot follow, or starts at a parameter (e.g. a `foreachBatch` micro-batch).',
      'SQL `MERGE INTO ... USING name` where `name` is unqualified and not a temp view registered in this file (a view made elsewhere).',
      'A step keeps one row per merge key: `dropDuplicates` on the keys (or on columns we cannot resolve), `distinct()`, `groupBy` on the keys, a `row_number()`/`rank()`/`max(...)` window partitioned by the keys and then filtered, SQL `DISTINCT`/`GROUP BY`/`QUALIFY`. A dedup, window or `groupBy` on other columns does not count.',
      'The source is built in memory (`createDataFrame`) or is one literal row (`USING (SELECT \'job\' AS name, ...)` with no `FROM`).',
      'The MERGE only deletes (`whenMatchedDelete`, `WHEN MATCHED THEN DELETE`): repeated keys delete the same row and insert nothing.',
      'The source is a table this file overwrote earlier with deduplicated rows (a staging table built with `QUALIFY ROW_NUMBER() ...`).',
      'Every source is a batch read of silver or gold tables (the layers that already hold one row per key); change-feed reads of them still count.',
    ],
  },
  *detect({ model }): Iterable<Match> {
    for (const sink of model.sinks) {
      if (sink.kind !== 'merge' && sink.kind !== 'sql-merge') continue;
      const df = sink.df;
      // Only deletes: several source rows matching one target row delete it once; nothing is inserted.
      const clauses = sink.merge?.clauses.map((c) => model.text(methodSpan(c)).replace(/\(.*$/s, '')) ?? [];
      if (clauses.length > 0 && clauses.every((c) => DELETE_CLAUSES.has(c))) continue;
      if (sink.kind === 'sql-merge' && sink.sql) {
        const info = analyzeSql(sink.sql);
        if (/\bthen\s+delete\b/i.test(info.text) && !/\bthen\s+(?:update|insert)\b/i.test(info.text)) continue;
        // `USING (SELECT 'job' AS name, ts AS wm)`: one literal row, no table to repeat keys.
        if (info.mergeSourceQuery !== undefined && (analyzeSql(info.mergeSourceQuery).deduplicates || !/\bfrom\b/i.test(info.mergeSourceQuery))) continue;
        // `USING updates`: an unqualified name this file never registers is most likely a temp view
        // created elsewhere (a foreachBatch function, another notebook cell): its lineage is unknown.
        const name = info.mergeSourceName;
        if (name !== undefined && !name.includes('.') && !model.tempViews.has(name.toLowerCase())) continue;
      }
      if (!df || !isComplete(df)) continue;
      const sources = sourcesOf(df);
      if (sources.some((d) => d.source?.kind === 'memory')) continue;
      if (sources.every(readsCuratedTables)) continue;
      const condition = sink.merge?.condition ? model.text(sink.merge.condition) : undefined;
      const keys = condition ? [...condition.matchAll(/\.\s*`?(\w+)`?\s*(?:=|<=>)\s*\w+\s*\.\s*`?\1\b/g)].map((m) => m[1]!) : [];
      if (isDeduplicated(model, df, keys) || stagedDeduplicated(model, sink, df, keys)) continue;
      const on = keys.length > 0 ? ` on ${keys.map((k) => `\`${k}\``).join(', ')}` : '';
      yield {
        span: sink.anchor,
        message: `MERGE into ${quote(sink.target)} from a source that is not deduplicated${on}: a key that repeats in the batch fails the MERGE or is inserted twice.`,
      };
    }
  },
});

import dedent from 'dedent';
import { isAggregate, isComplete, someUpstream, sourcesOf } from '../model/lineage.js';
import { quote } from '../model/queries.js';
import { analyzeSql } from '../model/sql.js';
import { defineRule, type Match } from '../rule.js';

const DEDUP_OPS = new Set(['dropDuplicates', 'drop_duplicates', 'dropDuplicatesWithinWatermark', 'distinct', 'limit']);
const RANKING = /\b(?:row_number|rank|dense_rank|max_by|min_by|first|last)\b/;

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
      'Any step deduplicates or aggregates: `dropDuplicates`, `distinct`, `groupBy(...).agg`, a `row_number()`/`rank()` window, SQL `DISTINCT`/`GROUP BY`/`QUALIFY`.',
      'The source is built in memory (`createDataFrame`).',
    ],
  },
  *detect({ model }): Iterable<Match> {
    for (const sink of model.sinks) {
      if (sink.kind !== 'merge' && sink.kind !== 'sql-merge') continue;
      const df = sink.df;
      if (sink.kind === 'sql-merge' && sink.sql) {
        const info = analyzeSql(sink.sql);
        if (info.mergeSourceQuery !== undefined && analyzeSql(info.mergeSourceQuery).deduplicates) continue;
      }
      if (!df || !isComplete(df)) continue;
      if (sourcesOf(df).some((d) => d.source?.kind === 'memory')) continue;
      const deduplicated = someUpstream(
        df,
        (d) =>
          DEDUP_OPS.has(d.op) ||
          isAggregate(d) ||
          (d.kind === 'transform' && RANKING.test(model.argText(d))) ||
          (d.source?.sql !== undefined && analyzeSql(d.source.sql).deduplicates),
      );
      if (deduplicated) continue;
      const condition = sink.merge?.condition ? model.text(sink.merge.condition) : undefined;
      const keys = condition ? [...condition.matchAll(/\.\s*`?(\w+)`?\s*(?:=|<=>)\s*\w+\s*\.\s*`?\1\b/g)].map((m) => m[1]!) : [];
      const on = keys.length > 0 ? ` on ${keys.map((k) => `\`${k}\``).join(', ')}` : '';
      yield {
        span: sink.anchor,
        message: `MERGE into ${quote(sink.target)} from a source that is not deduplicated${on}: a key that repeats in the batch fails the MERGE or is inserted twice.`,
      };
    }
  },
});

import dedent from 'dedent';
import { rerunSafety } from '../model/idempotency.js';
import { aggregationIn, quote } from '../model/queries.js';
import { methodSpan } from '../model/nodes.js';
import { defineRule, type Match } from '../rule.js';

export default defineRule({
  id: 'GLD001',
  name: 'gold-append-aggregates',
  category: 'gold',
  severity: 'critical',
  default: true,
  docs: {
    summary: 'Aggregated results are appended into a gold table.',
    why: dedent`
      An aggregate is a statement about a whole slice of data ("revenue on 2024-05-01 was X").
      Appending it means a re-run, a retry or a late-arriving batch adds a second row for the same
      slice, and every dashboard summing the table double-counts. Aggregates should replace the
      slice they cover: overwrite with \`replaceWhere\` on the slice, or MERGE on the grouping keys.
    `,
    impact: 'Every re-run adds the same totals again: gold metrics double-count.',
    fix: 'Overwrite the slice with `replaceWhere` (or MERGE on the grouping keys) instead of appending.',
    bad: dedent`
      from pyspark.sql import functions as F

      daily = (spark.read.table("silver.orders")
          .groupBy("order_date")
          .agg(F.sum("amount").alias("revenue")))
      daily.write.mode("append").saveAsTable("gold.daily_revenue")
    `,
    good: dedent`
      from pyspark.sql import functions as F

      daily = (spark.read.table("silver.orders")
          .where("order_date = '2024-05-01'")
          .groupBy("order_date")
          .agg(F.sum("amount").alias("revenue")))
      (daily.write.mode("overwrite")
          .option("replaceWhere", "order_date = '2024-05-01'")
          .saveAsTable("gold.daily_revenue"))
    `,
    quiet: [
      'Streaming writes (append of finalized windows with a watermark is the streaming contract).',
      'Appends with `txnAppId`/`txnVersion` or `replaceWhere` (or SQL `INSERT INTO ... REPLACE WHERE`), inside `foreachBatch`, or in the "table does not exist yet" branch.',
      'The same function also MERGEs into the same table (the append is its first-load path), or DELETEs the slice first (delete, then append).',
      'Inside (or after an early exit of) an `if` whose condition checks the target, e.g. "stop if this period is already snapshotted".',
      'No aggregation is visible in the lineage, or the target is not known to be gold.',
    ],
  },
  *detect({ model }): Iterable<Match> {
    for (const sink of model.sinks) {
      if (sink.stream || sink.mode !== 'append' || sink.target.layer !== 'gold' || !sink.df) continue;
      if (sink.kind !== 'batch' && sink.kind !== 'sql-insert') continue;
      if (rerunSafety(model, sink)) continue;
      const aggregation = aggregationIn(sink.df);
      if (!aggregation) continue;
      yield {
        span: sink.modeNode && sink.kind === 'batch' ? { start: methodSpan(sink.modeNode).start, end: sink.anchor.end } : sink.anchor,
        message: `Aggregates (${aggregation}) are appended into gold table ${quote(sink.target)}: each re-run adds the same totals again. Overwrite the slice with \`replaceWhere\` or MERGE on the grouping keys.`,
      };
    }
  },
});

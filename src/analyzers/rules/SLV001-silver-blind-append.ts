import dedent from 'dedent';
import { rerunSafety } from '../model/idempotency.js';
import { methodSpan } from '../model/nodes.js';
import { aggregationIn, quote } from '../model/queries.js';
import { defineRule, type Match } from '../rule.js';

export default defineRule({
  id: 'SLV001',
  name: 'silver-blind-append',
  category: 'silver',
  severity: 'critical',
  default: true,
  docs: {
    summary: 'A batch job appends into a silver or gold table with nothing that makes a re-run safe.',
    why: dedent`
      Jobs fail halfway and get retried; schedulers re-run them; backfills overlap. A plain batch
      append writes the same rows again each time, and silver is where consumers expect one row per
      business key. An idempotent write survives re-runs: MERGE on the key, overwrite the slice the
      run owns with \`replaceWhere\`, or make the append transactional per run with Delta's
      \`txnAppId\` / \`txnVersion\` options.
    `,
    impact: 'A retried or re-run job duplicates rows in silver/gold, and every downstream count is wrong.',
    fix: 'MERGE on the business key (or overwrite the run\'s slice with `replaceWhere`, or set `txnAppId`/`txnVersion`).',
    bad: dedent`
      from pyspark.sql import functions as F

      orders = spark.read.table("bronze.orders").filter(F.col("order_id").isNotNull())
      orders.write.format("delta").mode("append").saveAsTable("silver.orders")
    `,
    good: dedent`
      from delta.tables import DeltaTable
      from pyspark.sql import functions as F

      orders = (spark.read.table("bronze.orders")
          .filter(F.col("order_id").isNotNull())
          .dropDuplicates(["order_id"]))
      (DeltaTable.forName(spark, "silver.orders").alias("t")
          .merge(orders.alias("s"), "t.order_id = s.order_id")
          .whenMatchedUpdateAll()
          .whenNotMatchedInsertAll()
          .execute())
    `,
    quiet: [
      'Streaming writes (the checkpoint makes the Delta sink exactly-once).',
      'An append inside (or after an early exit of) an `if` whose condition names the target (e.g. "stop if this date is loaded already"), or after a `DELETE` of the same table in the same function (delete the slice, then append it).',
      'Appends with `txnAppId`/`txnVersion` (as options or the `spark.databricks.delta.write.txnAppId` session conf), `replaceWhere`, or options we cannot see (`.options(**opts)`), and appends of rows filtered by a left-anti join, `subtract`/`exceptAll` or `NOT EXISTS` against the target.',
      'The append in the "table does not exist yet" branch of an `isDeltaTable`/`tableExists` test (or under any existence test less plain than `[not] tableExists(...)`), or next to a MERGE into the same table.',
      'Appends inside a `foreachBatch` function (the catalog rule STR004, foreachbatch-not-idempotent, owns them; it is not implemented yet) and aggregates appended into gold (GLD001 covers them).',
      'The target is not known to be silver or gold, stores nothing (`noop`), or is a store of rejected rows (`*_quarantine`, `*_dlq`, `*_dead_letter`, `*_rejects`, `*_invalid`, `*_bad_records`).',
    ],
  },
  *detect({ model }): Iterable<Match> {
    for (const sink of model.sinks) {
      if (sink.stream || sink.mode !== 'append') continue;
      if (sink.kind !== 'batch' && sink.kind !== 'sql-insert') continue;
      const layer = sink.target.layer;
      if (layer !== 'silver' && layer !== 'gold') continue;
      if (sink.df && layer === 'gold' && aggregationIn(sink.df)) continue;
      if (rerunSafety(model, sink)) continue;
      yield {
        span: sink.modeNode && sink.kind === 'batch' ? { start: methodSpan(sink.modeNode).start, end: sink.anchor.end } : sink.anchor,
        message: `Blind append into ${layer} table ${quote(sink.target)}: a retried or re-run job appends the same rows again. MERGE on the key, or use \`replaceWhere\` / \`txnAppId\`.`,
      };
    }
  },
});

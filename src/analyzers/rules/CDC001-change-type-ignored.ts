import dedent from 'dedent';
import { downstream } from '../model/lineage.js';
import { methodSpan } from '../model/nodes.js';
import { dataframeOf, quote } from '../model/queries.js';
import type { DFNode } from '../model/types.js';
import type { FileModel } from '../model/index.js';
import { defineRule, type Match } from '../rule.js';

const CHANGE_TYPE = /_change_type/;

/** Whether `_change_type` is looked at anywhere downstream, or the data leaves our sight. */
function changeTypeHandled(model: FileModel, df: DFNode): boolean {
  for (const d of [df, ...downstream(df)]) {
    if (d.escapes.length > 0) return true;
    if (d.kind === 'opaque') return true;
    if (d.kind === 'transform' && d.op !== 'drop' && CHANGE_TYPE.test(model.argText(d))) return true;
    if (d.source?.sql && CHANGE_TYPE.test(d.source.sql)) return true;
    for (const c of d.consumers) {
      if (c.kind !== 'sink') continue;
      const sink = c.sink;
      if (sink.foreachBatch || sink.foreachBatchNode) return true;
      const merge = sink.merge;
      if (merge && [merge.condition, ...merge.clauses].some((n) => n && CHANGE_TYPE.test(model.text(n)))) return true;
    }
  }
  for (const m of model.merges) {
    if (m.source && !m.executed && [m.condition, ...m.clauses].some((n) => n && CHANGE_TYPE.test(model.text(n)))) return true;
  }
  return false;
}

export default defineRule({
  id: 'CDC001',
  name: 'change-type-ignored',
  category: 'cdc',
  severity: 'critical',
  default: true,
  docs: {
    summary: 'A Delta change data feed is read, but `_change_type` is never looked at.',
    why: dedent`
      A change data feed is not a table of rows: each row is an event. Updates arrive twice
      (\`update_preimage\` with the old values and \`update_postimage\` with the new), and deletes
      arrive as rows with \`_change_type = 'delete'\`. Writing the feed on as if it were data
      resurrects deleted rows and duplicates every updated one. The consumer has to split or filter
      by \`_change_type\`.
    `,
    impact: 'Deleted rows are inserted again and every update lands twice (old and new values).',
    fix: 'Filter out `update_preimage`, and route `delete` rows to a delete (e.g. `whenMatchedDelete`) instead of writing them as data.',
    bad: dedent`
      changes = (spark.read.format("delta")
          .option("readChangeFeed", "true")
          .option("startingVersion", 12)
          .table("silver.customers"))
      changes.write.mode("append").saveAsTable("gold.customer_history")
    `,
    good: dedent`
      from pyspark.sql import functions as F

      changes = (spark.read.format("delta")
          .option("readChangeFeed", "true")
          .option("startingVersion", 12)
          .table("silver.customers"))
      current = changes.filter(F.col("_change_type").isin("insert", "update_postimage"))
      current.write.mode("append").saveAsTable("gold.customer_history")
    `,
    quiet: [
      'Any step after the read references `_change_type` (a filter, a `when`, a MERGE condition, a SQL query over a view of it).',
      'The feed is handed to something we cannot see: a `foreachBatch` function, a helper function, a return value.',
      'The change-feed option is not a literal `true`.',
    ],
  },
  *detect({ model }): Iterable<Match> {
    for (const source of model.sources) {
      if (!source.cdf) continue;
      const df = dataframeOf(model, source);
      if (!df || changeTypeHandled(model, df)) continue;
      const how = source.sql !== undefined ? '`table_changes`' : `the change data feed of ${quote(source.target)}`;
      yield {
        span: source.sql !== undefined ? source.node : methodSpan(source.node),
        message: `${how.charAt(0).toUpperCase()}${how.slice(1)} is used without looking at \`_change_type\`: update pre-images and deletes are processed as ordinary rows.`,
      };
    }
  },
});

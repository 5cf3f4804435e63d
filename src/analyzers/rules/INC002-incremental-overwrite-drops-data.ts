import dedent from 'dedent';
import { upstream } from '../model/lineage.js';
import { isExistenceGuarded, optionValue, quote, sessionConf } from '../model/queries.js';
import type { DFNode, Sink } from '../model/types.js';
import type { FileModel } from '../model/index.js';
import { methodSpan } from '../model/nodes.js';
import { defineRule, type Match } from '../rule.js';

/** Variables that hold the edge of an increment. */
const INCREMENT_NAME = /\b\w*(?:watermark|last_\w+|since|cutoff|start_\w*|from_\w*|hwm|high_water\w*|bookmark|checkpoint\w*|prev(?:ious)?_\w+|latest_\w+|max_\w+|min_\w+|run_date|batch_date|process(?:ing)?_date|load_date|as_of\w*)\b/i;
/** Relative dates: "the last N days", "today". */
const DATE_FUNCTION = /\b(?:current_date|current_timestamp|date_sub|date_add|add_months|now|today|timedelta|utcnow)\s*\(/;
/** A column or word that says time or version. */
const TEMPORAL = /date|time|_ts\b|timestamp|version|updated|modified|created|ingest|load|_at\b|\bday\b|hour|month|year|period|batch/i;
const ORDERING = /(?:<=|>=|<|>)|\bbetween\b/;

function incrementalFilter(model: FileModel, df: DFNode, sink: Sink): { node: DFNode; reason: string } | undefined {
  const params = new Set(sink.ctx.scope.params);
  for (const d of upstream(df)) {
    if (d.kind !== 'transform' || (d.op !== 'filter' && d.op !== 'where')) continue;
    const text = model.argText(d);
    const paramUsed = [...text.matchAll(/\b[A-Za-z_]\w*\b/g)].map((m) => m[0]).find((w) => params.has(w));
    if (ORDERING.test(text)) {
      const named = INCREMENT_NAME.exec(text)?.[0];
      if (named) return { node: d, reason: `rows newer than \`${named}\`` };
      if (DATE_FUNCTION.test(text)) return { node: d, reason: 'rows in a relative date range' };
      if (paramUsed && TEMPORAL.test(text)) return { node: d, reason: `rows selected by \`${paramUsed}\`` };
    }
    // `date == run_date` on a partition column: the job means to replace one partition.
    const partitions = (sink.partitionBy ?? []).filter((p): p is string => p !== null);
    const eq = /==|\bisin\b/.test(text);
    if (eq && partitions.some((p) => text.includes(p)) && (paramUsed || DATE_FUNCTION.test(text) || INCREMENT_NAME.test(text))) {
      return { node: d, reason: `one partition (${partitions.map((p) => `\`${p}\``).join(', ')})` };
    }
  }
  return undefined;
}

const STATE_TARGET = /checkpoint|watermark|bookmark|state|staging|_tmp|tmp_|temp/i;

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
      every earlier batch, is deleted. Delta can overwrite just the slice the run owns
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
      'The filter compares with literals only (`amount > 0` is validation, not an increment).',
      'The write is the initial load in the "table does not exist yet" branch, or targets a checkpoint/state/staging table.',
    ],
  },
  *detect({ model }): Iterable<Match> {
    const dynamicSession = sessionConf(model, 'spark.sql.sources.partitionOverwriteMode')?.toLowerCase() === 'dynamic';
    for (const sink of model.sinks) {
      if (sink.stream || sink.mode !== 'overwrite' || !sink.df) continue;
      if (sink.kind !== 'batch' && sink.kind !== 'sql-insert') continue;
      if (sink.options.has('replacewhere')) continue;
      // Dynamic partition overwrite replaces only the partitions present in the data.
      if (optionValue(sink.options, 'partitionOverwriteMode')?.toLowerCase() === 'dynamic' || dynamicSession) continue;
      if (isExistenceGuarded(model, sink.ctx)) continue;
      if (STATE_TARGET.test(sink.target.display) || sink.target.names.some((n) => STATE_TARGET.test(n))) continue;
      const found = incrementalFilter(model, sink.df, sink);
      if (!found) continue;
      const line = model.tree.source.slice(0, found.node.node.start).split('\n').length;
      yield {
        span: sink.modeNode && sink.kind === 'batch' ? { start: methodSpan(sink.modeNode).start, end: sink.anchor.end } : sink.anchor,
        message: `\`overwrite\` of ${quote(sink.target)} with only ${found.reason} (filter at line ${line}): every other row in the table is deleted. Use \`replaceWhere\` or MERGE.`,
      };
    }
  },
});

import dedent from 'dedent';
import { downstream, upstream } from '../model/lineage.js';
import { methodSpan } from '../model/nodes.js';
import { dataframeOf, quote } from '../model/queries.js';
import type { DFNode, Sink } from '../model/types.js';
import type { FileModel } from '../model/index.js';
import { defineRule, type Match } from '../rule.js';

const CHANGE_TYPE = /_change_type/;

/** Transforms that keep every row and every column of the feed (so `_change_type` still labels each row). */
const KEEPS_LABELS = new Set([
  'withColumn',
  'withColumns',
  'withColumnRenamed',
  'withColumnsRenamed',
  'withMetadata',
  'filter',
  'where',
  'alias',
  'hint',
  'join',
  'union',
  'unionAll',
  'unionByName',
  'cache',
  'persist',
  'repartition',
  'repartitionByRange',
  'coalesce',
  'orderBy',
  'sort',
  'sortWithinPartitions',
  'withWatermark',
  'drop',
]);
/** Tables meant to keep change events as events: `gold.customer_history`, `audit.order_changes`. */
const CHANGE_LOG_TARGET = /histor|audit|change_?log|changes|_log\b|journal|archive|\bcdc\b|_cdc|cdc_|_cdf|cdf_/i;

/** Whether `_change_type` is looked at anywhere downstream, or the data leaves our sight. */
function changeTypeHandled(model: FileModel, df: DFNode): boolean {
  const feed = new Set([df, ...downstream(df)]);
  for (const d of feed) {
    if (d.escapes.length > 0) return true;
    if (d.kind === 'opaque') return true;
    // The feed only tells which keys changed (the other side of a join): the values come from
    // elsewhere, so the change type does not matter.
    if (d.kind === 'transform' && d.parents.slice(1).some((p) => feed.has(p)) && !feed.has(d.parents[0]!)) return true;
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

/**
 * A write that archives the feed as events: not a MERGE, into a table named as a change log, with
 * every row and the `_change_type` column carried through (`select("*", ...)` keeps them too).
 */
function isChangeLogWrite(model: FileModel, feed: DFNode, sink: Sink): boolean {
  if (sink.kind === 'merge' || sink.kind === 'sql-merge' || sink.kind === 'delete' || sink.kind === 'update' || !sink.df) return false;
  if (!CHANGE_LOG_TARGET.test(sink.target.display) && !sink.target.names.some((n) => CHANGE_LOG_TARGET.test(n))) return false;
  // `SELECT customer_id, email FROM table_changes(...)` drops the label in the query itself.
  const sql = feed.source?.sql;
  if (sql !== undefined && !(/^select \* from\b/i.test(sql) && !/\b(?:group by|distinct)\b/i.test(sql))) return false;
  const below = new Set(downstream(feed));
  for (const d of upstream(sink.df)) {
    if (!below.has(d) || d.kind === 'phi') continue;
    // `INSERT INTO audit.changes SELECT * FROM changes_view`
    if (d.kind === 'source' && d.source?.sql && /\bselect \* from [\w.`]+;?$/i.test(d.source.sql)) continue;
    if (d.kind !== 'transform') return false;
    if (d.op === 'drop' && CHANGE_TYPE.test(model.argText(d))) return false;
    if (d.op === 'select' || d.op === 'selectExpr') {
      if (!d.args.some((a) => /^(?:["']\*["']|[\w.]*col(?:umn)?\(\s*["']\*["']\s*\))$/.test(model.text(a).trim()))) return false;
      continue;
    }
    if (!KEEPS_LABELS.has(d.op)) return false;
  }
  return true;
}

/** The sinks the feed reaches. */
function sinksOf(df: DFNode): Sink[] {
  const out: Sink[] = [];
  for (const d of [df, ...downstream(df)]) for (const c of d.consumers) if (c.kind === 'sink') out.push(c.sink);
  return out;
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
      changes.select("customer_id", "name", "email").write.mode("append").saveAsTable("gold.customers")
    `,
    good: dedent`
      from pyspark.sql import functions as F

      changes = (spark.read.format("delta")
          .option("readChangeFeed", "true")
          .option("startingVersion", 12)
          .table("silver.customers"))
      current = changes.filter(F.col("_change_type").isin("insert", "update_postimage"))
      current.select("customer_id", "name", "email").write.mode("append").saveAsTable("gold.customers")
    `,
    quiet: [
      'Any step after the read references `_change_type` (a filter, a `when`, a MERGE condition, a SQL query over a view of it).',
      'The feed is handed to something we cannot see: a `foreachBatch` function, a helper function, a return value.',
      'The change-feed option is not a literal `true`.',
      'The feed only supplies the keys that changed: it is joined in as the other side of a join (`table.join(changed_keys, "id")`), so the values come from elsewhere.',
      'The feed is not written anywhere in the file (only counted or displayed).',
      'The feed is archived as events: appended with every row and `_change_type` kept into a table named as a change log (`*_history`, `*_changes`, `audit.*`, `*_cdc`).',
    ],
  },
  *detect({ model }): Iterable<Match> {
    for (const source of model.sources) {
      if (!source.cdf) continue;
      const df = dataframeOf(model, source);
      if (!df || changeTypeHandled(model, df)) continue;
      // Nothing is written (a count, a `display`): no event lands as data.
      const sinks = sinksOf(df);
      if (sinks.length === 0 || sinks.every((sink) => isChangeLogWrite(model, df, sink))) continue;
      let how: string;
      if (source.sql !== undefined) {
        const table = /table_changes\s*\(\s*(?:'([^']+)'|"([^"]+)")/i.exec(model.text(source.node));
        const name = table?.[1] ?? table?.[2];
        how = name ? `\`table_changes('${name}', ...)\`` : '`table_changes`';
      } else {
        how = `the change data feed of ${quote(source.target)}`;
      }
      yield {
        span: source.sql !== undefined ? source.node : methodSpan(source.node),
        message: `${how.charAt(0).toUpperCase()}${how.slice(1)} is used without looking at \`_change_type\`: update pre-images and deletes are processed as ordinary rows.`,
      };
    }
  },
});

import dedent from 'dedent';
import { someUpstream } from '../model/lineage.js';
import type { FileModel } from '../model/index.js';
import { aggregationIn, hasIdempotentWriteOptions, inForeachBatch, isExistenceGuarded, lineageText, quote, sameTarget, sessionConf } from '../model/queries.js';
import { methodSpan, unparen } from '../model/nodes.js';
import type { Context, Sink } from '../model/types.js';
import type { PyNode } from '../syntax.js';
import { defineRule, type Match } from '../rule.js';

/** Steps that make an append insert only rows that are not there yet. */
const INSERT_ONLY_NEW = /["'](?:left_?anti|anti)["']|\bnot\s+exists\b|\banti\s+join\b|\bexcept\b|\bnot\s+in\s*\(/i;
/** DataFrame set operations that keep only rows missing from another DataFrame. */
const SET_DIFFERENCE = new Set(['subtract', 'exceptAll']);
/** Tables that collect rejected rows (what SLV007 asks for): an append-only error store, not keyed data. */
const REJECT_STORE = /(?:^|[^a-z])(?:quarantined?|dlq|dead_?letters?|rejects|rejected|invalid|bad_(?:records|rows)|corrupt_(?:records|rows))(?:[^a-z]|$)/i;
/** Sinks that store nothing. */
const NO_STORAGE = new Set(['noop', 'console', 'memory']);
/** The same tests `isExistenceGuarded` looks for. */
const EXISTENCE_TEST = /isDeltaTable|tableExists|table_exists|\.exists\s*\(|path\.exists|_exists\s*\(/;
const EXISTENCE_CALL = /^[\w.]*(?:isDeltaTable|tableExists|table_exists|exists|_exists)\s*\(/;

/**
 * Whether a simple existence test (`tableExists(...)`, `not DeltaTable.isDeltaTable(...)`) says the
 * table already exists in this branch: `true`/`false` when the condition is that plain, else undefined.
 */
function existsWhen(model: FileModel, condition: PyNode, holds: boolean): boolean | undefined {
  let n = unparen(condition);
  let positive = holds;
  while (n.type === 'not_operator' && n.kids.length === 1) {
    positive = !positive;
    n = unparen(n.kids[0]!);
  }
  if (n.type !== 'call' || !EXISTENCE_CALL.test(model.text(n))) return undefined;
  return positive;
}

/**
 * Inside an existence test, but in the branch where the table is known to exist already: the
 * steady-state write, not the initial load. Anything less plain keeps the rule quiet.
 */
function onlyInExistsBranches(model: FileModel, ctx: Context): boolean {
  let sawExistsBranch = false;
  for (let f = ctx.branches; f; f = f.next) {
    const { conditions, branch } = f.value;
    for (let i = 0; i < conditions.length; i++) {
      const condition = conditions[i]!;
      if (!EXISTENCE_TEST.test(model.text(condition))) continue;
      // In branch k of an if/elif chain, condition k holds and the earlier ones failed.
      const exists = existsWhen(model, condition, i === branch);
      if (exists !== true) return false;
      sawExistsBranch = true;
    }
  }
  return sawExistsBranch;
}

/** Inside `if <test that names the target>`: e.g. "skip if this run's slice is already loaded". */
function guardedByTargetCheck(model: FileModel, ctx: Context, target: Sink['target']): boolean {
  const names = [target.display, ...(target.node ? [model.text(target.node)] : [])].filter((n) => n !== '' && n !== '(unnamed)');
  for (let f = ctx.branches; f; f = f.next) {
    for (const condition of f.value.conditions) {
      const text = model.text(condition);
      // Existence tests name the target too: \`onlyInExistsBranches\` weighs those.
      if (EXISTENCE_TEST.test(text)) continue;
      if (names.some((n) => text.includes(n))) return true;
    }
  }
  return false;
}

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
      'An append inside an `if` whose condition names the target (e.g. "only if this date is not loaded yet").',
      'Appends with `txnAppId`/`txnVersion` (as options or the `spark.databricks.delta.write.txnAppId` session conf), `replaceWhere`, or options we cannot see (`.options(**opts)`), and appends of rows filtered by a left-anti join, `subtract`/`exceptAll` or `NOT EXISTS` against the target.',
      'The append in the "table does not exist yet" branch of an `isDeltaTable`/`tableExists` test (or under any existence test less plain than `[not] tableExists(...)`), or next to a MERGE into the same table.',
      'Appends inside a `foreachBatch` function (STR004 covers them) and aggregates appended into gold (GLD001 covers them).',
      'The target is not known to be silver or gold, stores nothing (`noop`), or is a store of rejected rows (`*_quarantine`, `*_dlq`, `*_dead_letter`, `*_rejects`, `*_invalid`, `*_bad_records`).',
    ],
  },
  *detect({ model }): Iterable<Match> {
    const merges = model.sinks.filter((s) => s.kind === 'merge' || s.kind === 'sql-merge');
    for (const sink of model.sinks) {
      if (sink.stream || sink.mode !== 'append') continue;
      if (sink.kind !== 'batch' && sink.kind !== 'sql-insert') continue;
      const layer = sink.target.layer;
      if (layer !== 'silver' && layer !== 'gold') continue;
      if (sink.format !== undefined && NO_STORAGE.has(sink.format.toLowerCase())) continue;
      if ([sink.target.display, ...sink.target.names].some((n) => REJECT_STORE.test(n))) continue;
      if (hasIdempotentWriteOptions(sink) || sink.optionsOpaque || inForeachBatch(sink.ctx)) continue;
      if (sessionConf(model, 'spark.databricks.delta.write.txnAppId') !== undefined) continue;
      if (guardedByTargetCheck(model, sink.ctx, sink.target)) continue;
      if (isExistenceGuarded(model, sink.ctx) && !onlyInExistsBranches(model, sink.ctx)) continue;
      if (merges.some((m) => m.ctx.scope === sink.ctx.scope && sameTarget(model, m.target, sink.target))) continue;
      if (sink.df) {
        if (layer === 'gold' && aggregationIn(sink.df)) continue;
        if (INSERT_ONLY_NEW.test(lineageText(model, sink.df))) continue;
        if (someUpstream(sink.df, (d) => SET_DIFFERENCE.has(d.op))) continue;
      }
      if (sink.sql && INSERT_ONLY_NEW.test(sink.sql)) continue;
      yield {
        span: sink.modeNode && sink.kind === 'batch' ? { start: methodSpan(sink.modeNode).start, end: sink.anchor.end } : sink.anchor,
        message: `Blind append into ${layer} table ${quote(sink.target)}: a retried or re-run job appends the same rows again. MERGE on the key, or use \`replaceWhere\` / \`txnAppId\`.`,
      };
    }
  },
});

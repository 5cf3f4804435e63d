import type { FileModel } from './index.js';
import { someUpstream } from './lineage.js';
import { unparen } from './nodes.js';
import { hasIdempotentWriteOptions, inForeachBatch, lineageText, sameTarget, sessionConf } from './queries.js';
import type { Context, Sink } from './types.js';
import type { PyNode } from '../syntax.js';

/**
 * Whether a batch append survives a re-run without duplicating rows, as far as the code shows.
 * SLV001 (silver/gold appends) and GLD001 (appended aggregates) share it.
 */

/** Steps that make an append insert only rows that are not there yet. */
const INSERT_ONLY_NEW = /["'](?:left_?anti|anti)["']|\bnot\s+exists\b|\banti\s+join\b|\bexcept\b|\bnot\s+in\s*\(/i;
/** DataFrame set operations that keep only rows missing from another DataFrame. */
const SET_DIFFERENCE = new Set(['subtract', 'exceptAll']);
/** Tables that collect rejected rows (what SLV007 asks for): an append-only error store, not keyed data. */
const REJECT_STORE = /(?:^|[^a-z])(?:quarantined?|dlq|dead_?letters?|rejects|rejected|invalid|bad_(?:records|rows)|corrupt_(?:records|rows))(?:[^a-z]|$)/i;
/** Sinks that store nothing. */
const NO_STORAGE = new Set(['noop', 'console', 'memory']);
export const EXISTENCE_TEST = /isDeltaTable|tableExists|table_exists|\.exists\s*\(|path\.exists|_exists\s*\(/;
const EXISTENCE_CALL = /^[\w.]*(?:isDeltaTable|tableExists|table_exists|exists|_exists)\s*\(/;

/**
 * Whether a plain existence test (`tableExists(...)`, `not DeltaTable.isDeltaTable(...)`) says the
 * table exists where the condition holds (`holds`) or failed: undefined when it is not that plain.
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
 * Inside an existence test, but where the table is known to exist already: the steady-state
 * write, not the initial load. Anything less plain counts as the initial load.
 */
function onlyWhereTableExists(model: FileModel, ctx: Context): boolean {
  let sawExistsBranch = false;
  for (let f = ctx.branches; f; f = f.next) {
    const { conditions, branch } = f.value;
    for (let i = 0; i < conditions.length; i++) {
      const condition = conditions[i]!;
      if (!EXISTENCE_TEST.test(model.text(condition))) continue;
      // In branch k of an if/elif chain condition k holds; all others (and all, after the if) failed.
      const exists = existsWhen(model, condition, i === branch);
      if (exists !== true) return false;
      sawExistsBranch = true;
    }
  }
  return sawExistsBranch;
}

function isExistenceTested(model: FileModel, ctx: Context): boolean {
  for (let f = ctx.branches; f; f = f.next) {
    for (const condition of f.value.conditions) if (EXISTENCE_TEST.test(model.text(condition))) return true;
  }
  return false;
}

/** Inside (or after an early exit of) `if <test naming the target>`: "skip if already loaded". */
function guardedByTargetCheck(model: FileModel, sink: Sink): boolean {
  const target = sink.target;
  const names = [target.display, ...(target.node ? [model.text(target.node)] : [])].filter((n) => n !== '' && n !== '(unnamed)');
  for (let f = sink.ctx.branches; f; f = f.next) {
    for (const condition of f.value.conditions) {
      const text = model.text(condition);
      if (EXISTENCE_TEST.test(text)) continue;
      // `loaded = spark.read.table(TARGET)...count() > 0` then `if not loaded:`.
      const texts = [text, ...(model.conditionRefs.get(condition) ?? [])];
      if (texts.some((t) => names.some((n) => t.includes(n)))) return true;
    }
  }
  return false;
}

/** `DELETE FROM t WHERE <slice>` (SQL or `DeltaTable.delete`) earlier in the same function. */
function deletedBefore(model: FileModel, sink: Sink): boolean {
  const earlier = (start: number, ctx: Context): boolean => ctx.scope === sink.ctx.scope && start < sink.node.start;
  return (
    model.sql.some((s) => s.kind === 'delete' && s.target !== undefined && earlier(s.node.start, s.ctx) && sameTarget(model, s.target, sink.target)) ||
    model.sinks.some((s) => s.kind === 'delete' && earlier(s.node.start, s.ctx) && sameTarget(model, s.target, sink.target))
  );
}

/** Why an append is safe to re-run, or undefined when nothing in the code makes it so. */
export function rerunSafety(model: FileModel, sink: Sink): string | undefined {
  if (sink.format !== undefined && NO_STORAGE.has(sink.format.toLowerCase())) return 'stores nothing';
  if ([sink.target.display, ...sink.target.names].some((n) => REJECT_STORE.test(n))) return 'a store of rejected rows';
  if (hasIdempotentWriteOptions(sink)) return 'txnAppId/txnVersion or replaceWhere';
  if (sink.optionsOpaque) return 'options we cannot see';
  if (inForeachBatch(sink.ctx)) return 'in foreachBatch (STR004)';
  if (sessionConf(model, 'spark.databricks.delta.write.txnAppId') !== undefined) return 'session txnAppId';
  if (guardedByTargetCheck(model, sink)) return 'guarded by a check of the target';
  if (isExistenceTested(model, sink.ctx) && !onlyWhereTableExists(model, sink.ctx)) return 'initial load';
  if (model.sinks.some((m) => (m.kind === 'merge' || m.kind === 'sql-merge') && m.ctx.scope === sink.ctx.scope && sameTarget(model, m.target, sink.target))) return 'next to a MERGE into the same table';
  if (deletedBefore(model, sink)) return 'the slice is deleted first';
  if (sink.df && (INSERT_ONLY_NEW.test(lineageText(model, sink.df)) || someUpstream(sink.df, (d) => SET_DIFFERENCE.has(d.op)))) return 'only new rows';
  if (sink.sql && INSERT_ONLY_NEW.test(sink.sql)) return 'only new rows';
  return undefined;
}

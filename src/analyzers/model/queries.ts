import type { PyNode } from '../syntax.js';
import type { FileModel } from './index.js';
import { downstream, isAggregate, upstream } from './lineage.js';
import { analyzeSql } from './sql.js';
import type { BranchFrame, Context, DFNode, Frame, LayerOrUnknown, Sink, Source, Target } from './types.js';

/** Questions several rules ask of the model. */

/** A target in a message: `/mnt/bronze/events`, `silver.orders`, or the expression naming it. */
export function quote(target: Target): string {
  return `\`${target.display}\``;
}

function* frames<T>(f: Frame<T> | undefined): Generator<T> {
  for (let x = f; x; x = x.next) yield x.value;
}

const EXISTENCE_TEST = /isDeltaTable|tableExists|table_exists|\.exists\s*\(|path\.exists|_exists\s*\(/;

/**
 * Inside a branch of `if DeltaTable.isDeltaTable(...)` / `if spark.catalog.tableExists(...)`:
 * an initial load that creates the table, not the steady-state write.
 */
export function isExistenceGuarded(model: FileModel, ctx: Context): boolean {
  for (const branch of frames(ctx.branches)) {
    for (const condition of branch.conditions) if (EXISTENCE_TEST.test(model.text(condition))) return true;
  }
  return false;
}

/** In a function handed to `foreachBatch` (directly or via an enclosing function). */
export function inForeachBatch(ctx: Context): boolean {
  for (let s: Context['scope'] | undefined = ctx.scope; s; s = s.parent) if (s.isForeachBatch) return true;
  return false;
}

export function isInLoop(ctx: Context): boolean {
  return ctx.loops !== undefined;
}

/** Whether two events sit in different branches of the same if/elif/else (never both run). */
export function mutuallyExclusive(a: Context, b: Context): boolean {
  const branchesOfA = new Map<PyNode, BranchFrame[]>();
  for (const f of frames(a.branches)) branchesOfA.set(f.statement, [...(branchesOfA.get(f.statement) ?? []), f]);
  for (const fb of frames(b.branches)) {
    for (const fa of branchesOfA.get(fb.statement) ?? []) {
      if (fa.branch >= 0 && fb.branch >= 0 && fa.branch !== fb.branch) return true;
      // One runs after the `if`, the other in a branch of it that returned.
      if (fa.branch < 0 && fb.branch >= 0 && fa.excludes?.includes(fb.branch)) return true;
      if (fb.branch < 0 && fa.branch >= 0 && fb.excludes?.includes(fa.branch)) return true;
    }
  }
  return false;
}

/** All sinks writing this DataFrame or anything derived from it. */
export function downstreamSinks(df: DFNode): Sink[] {
  const sinks: Sink[] = [];
  for (const d of [df, ...downstream(df)]) {
    for (const c of d.consumers) if (c.kind === 'sink') sinks.push(c.sink);
  }
  return sinks;
}

/** The DataFrame a source produced. */
export function dataframeOf(model: FileModel, source: Source): DFNode | undefined {
  return model.dataframes.find((d) => d.source === source);
}

/** Text of every transform argument from the sources to this DataFrame, and SQL queries read. */
export function lineageText(model: FileModel, df: DFNode): string {
  const parts: string[] = [];
  for (const d of upstream(df)) {
    if (d.kind === 'transform' || d.kind === 'opaque') parts.push(model.argText(d));
    if (d.source?.sql) parts.push(d.source.sql);
  }
  return parts.join('\n');
}

export function optionValue(options: Sink['options'], key: string): string | undefined {
  const o = options.get(key.toLowerCase());
  if (!o) return undefined;
  if (o.literal !== undefined) return o.literal;
  const parts = o.value?.parts;
  if (!parts || parts.some((p) => typeof p !== 'string')) return undefined;
  return parts.join('');
}

export function isTrue(value: string | undefined): boolean {
  return value !== undefined && /^(?:true|1)$/i.test(value);
}

/** A session-level Spark conf set in this file (`spark.conf.set`, `SparkSession.builder.config`). */
export function sessionConf(model: FileModel, key: string): string | undefined {
  for (let i = model.conf.length - 1; i >= 0; i--) {
    const c = model.conf[i]!;
    if (c.key.toLowerCase() === key.toLowerCase()) {
      const parts = c.value?.parts ?? [];
      return parts.every((p) => typeof p === 'string') ? parts.join('') : '';
    }
  }
  return undefined;
}

/** Writes whose data is idempotent by construction: `txnAppId`/`txnVersion`, `replaceWhere`. */
export function hasIdempotentWriteOptions(sink: Sink): boolean {
  return sink.options.has('txnappid') || sink.options.has('txnversion') || sink.options.has('replacewhere');
}

/** The layer of a lineage root: the source's target, or an opaque root's name (`bronze_df`). */
export function rootLayer(model: FileModel, root: DFNode): LayerOrUnknown {
  if (root.source) return root.source.target.layer;
  if (root.opaque && (root.opaque.reason === 'parameter' || root.opaque.reason === 'unbound' || root.opaque.reason === 'attribute' || root.opaque.reason === 'outer-scope')) {
    return model.layers.infer({ str: undefined, names: root.opaque.names, functionNames: [], path: undefined }).layer;
  }
  return 'unknown';
}

/** Source kinds that bring raw data into the lakehouse. */
export function isRawSource(source: Source): boolean {
  return source.kind === 'file' || source.kind === 'autoloader' || source.kind === 'kafka' || source.kind === 'jdbc';
}

/** Same written table: same resolved string, or the same expression text. */
export function sameTarget(model: FileModel, a: Target, b: Target): boolean {
  if (a.display === b.display) return true;
  return a.node !== undefined && b.node !== undefined && model.text(a.node) === model.text(b.node);
}

/** The text of a call's receiver when it is a plain name (`gold_df` in `gold_df.count()`). */
export function receiverName(model: FileModel, call: PyNode): string | undefined {
  const fn = call.kids[0];
  if (fn?.type !== 'attribute') return undefined;
  const obj = fn.kids[0];
  if (!obj) return undefined;
  if (obj.type === 'identifier') return model.text(obj);
  if (obj.type === 'attribute' && /^[\w.]+$/.test(model.text(obj))) return model.text(obj);
  return undefined;
}

/** Aggregated data: `groupBy(...).agg(...)`, `agg(...)`, or an aggregating SQL query upstream. */
export function aggregationIn(df: DFNode): string | undefined {
  for (const d of upstream(df)) {
    if (isAggregate(d)) return d.op === 'agg' ? '`agg(...)`' : `\`groupBy(...).${d.op.slice('groupBy.'.length)}(...)\``;
    if (d.source?.sql && analyzeSql(d.source.sql).aggregates) return 'an aggregating query';
  }
  return undefined;
}

import type { PyNode } from '../syntax.js';
import type { Str } from './strings.js';

export type Layer = 'bronze' | 'silver' | 'gold';
export type LayerOrUnknown = Layer | 'unknown';
export type LayerEvidence = 'config' | 'string' | 'identifier' | 'function' | 'path';

/** What a source reads or a sink writes: a path, a table name, or something we cannot resolve. */
export interface Target {
  /** The expression naming it (argument of `save`, `table`, `forPath`...), if any. */
  readonly node: PyNode | undefined;
  /** Its string value, possibly with unresolved holes. */
  readonly str: Str | undefined;
  /** Identifiers that name it: `bronze_table`, `self.silver_path`, and what they were assigned from. */
  readonly names: readonly string[];
  /** How to show it in a message: the resolved string, else the source text. */
  readonly display: string;
  readonly layer: LayerOrUnknown;
  readonly evidence: LayerEvidence | undefined;
}

export type ScopeKind = 'module' | 'function' | 'lambda' | 'class';

export interface Scope {
  readonly kind: ScopeKind;
  readonly name: string;
  readonly node: PyNode;
  readonly parent: Scope | undefined;
  readonly params: readonly string[];
  /** Decorator expressions, as source text (`dlt.table(name="x")`). */
  readonly decorators: readonly PyNode[];
  /** Set when the function is passed to `foreachBatch` anywhere in the file. */
  isForeachBatch: boolean;
}

/** A lexical situation: where an event happened. Persistent lists, so snapshots are free. */
export interface Frame<T> {
  readonly value: T;
  readonly next: Frame<T> | undefined;
}

export interface TryFrame {
  readonly tryNode: PyNode;
}

export interface BranchFrame {
  /** The if/match/try statement whose branches exclude each other. */
  readonly statement: PyNode;
  readonly branch: number;
  /**
   * Conditions tested on the way into this branch: the last one holds and the earlier ones failed
   * (`elif`). For code after the statement (`branch` -1), the conditions that all failed.
   */
  readonly conditions: readonly PyNode[];
  /**
   * For code after the statement (`branch` -1): the branches that ended in return/raise, which
   * never run together with it.
   */
  readonly excludes?: readonly number[];
}

export interface Context {
  readonly scope: Scope;
  readonly loops: Frame<PyNode> | undefined;
  /** `try` statements whose body (not handler) encloses the event. */
  readonly tries: Frame<TryFrame> | undefined;
  readonly branches: Frame<BranchFrame> | undefined;
}

export type OptionMap = ReadonlyMap<string, OptionValue>;

export interface OptionValue {
  /** The key as written (`checkpointLocation`); the map is keyed by its lower-case form. */
  readonly key: string;
  readonly value: Str | undefined;
  /** Literal booleans and numbers are kept as their Python text (`True`, `1`). */
  readonly literal: string | undefined;
  readonly node: PyNode;
}

export type SourceKind =
  | 'file'
  | 'autoloader'
  | 'kafka'
  | 'jdbc'
  | 'table'
  | 'sql'
  | 'memory'
  | 'dlt'
  | 'other';

export interface Source {
  readonly kind: SourceKind;
  /** The call that creates the DataFrame (`load(...)`, `table(...)`, `sql(...)`). */
  readonly node: PyNode;
  /** `json`, `csv`, `delta`, `cloudFiles`...; undefined when not given or not resolvable. */
  readonly format: string | undefined;
  readonly formatKnown: boolean;
  readonly options: OptionMap;
  /** `.options(**opts)` or a non-literal key: some options cannot be seen. */
  readonly optionsOpaque: boolean;
  readonly schemaGiven: boolean;
  readonly stream: boolean;
  /** Reads a Delta change data feed (`readChangeFeed`, `table_changes`). */
  readonly cdf: boolean;
  readonly target: Target;
  /** For SQL sources: every table the query reads. */
  readonly tables: readonly Target[];
  readonly sql: string | undefined;
  /** The SQL with unresolved parts shown as `{expression}`. */
  readonly sqlDisplay: string | undefined;
  readonly ctx: Context;
}

export type DFKind = 'source' | 'transform' | 'opaque' | 'phi';

export type OpaqueReason = 'parameter' | 'call' | 'unbound' | 'attribute' | 'outer-scope' | 'expression';

export interface DFNode {
  readonly id: number;
  readonly kind: DFKind;
  /** Transform method (`filter`, `withColumn`, `groupBy.agg`, `join`...), `source`, `opaque`, `phi`. */
  readonly op: string;
  readonly node: PyNode;
  /** Argument expressions of the transform call. */
  readonly args: readonly PyNode[];
  /** Source text of expressions the arguments refer to through variables (`withColumns(audit)`). */
  readonly argRefs: readonly PyNode[];
  /** Constant strings the arguments refer to through names (`F.col(CHANGE_TYPE)`), quoted. */
  readonly argStrings: readonly string[];
  readonly parents: readonly DFNode[];
  readonly source: Source | undefined;
  readonly opaque: { readonly reason: OpaqueReason; readonly names: readonly string[] } | undefined;
  readonly stream: boolean;
  readonly ctx: Context;
  /** Downstream DataFrames derived from this one. */
  readonly children: DFNode[];
  /** Actions and sinks that consume exactly this DataFrame. */
  readonly consumers: Consumer[];
  /** Uses we cannot follow: passed to an unknown function, returned, stored. */
  readonly escapes: PyNode[];
  /** `df.cache()` / `df.persist()` called on this DataFrame as a statement. */
  cached: boolean;
}

export type Consumer = { readonly kind: 'action'; readonly action: Action } | { readonly kind: 'sink'; readonly sink: Sink };

export interface Action {
  readonly name: string;
  readonly node: PyNode;
  readonly df: DFNode;
  readonly ctx: Context;
}

export type SinkKind =
  | 'batch'
  | 'stream'
  | 'merge'
  | 'delete'
  | 'update'
  | 'sql-insert'
  | 'sql-merge'
  | 'sql-ctas'
  | 'dlt';

export interface ValueRef {
  readonly value: Str | undefined;
  readonly literal: string | undefined;
  readonly node: PyNode;
}

export interface Sink {
  readonly kind: SinkKind;
  /** The call that performs the write (`save`, `start`, `execute`, `spark.sql`), or the `return`. */
  readonly node: PyNode;
  /** The span to report: usually the terminal method and its arguments. */
  readonly anchor: Span;
  readonly df: DFNode | undefined;
  readonly stream: boolean;
  readonly format: string | undefined;
  readonly formatKnown: boolean;
  /** `append`, `overwrite`, `errorifexists`, `ignore`, `complete`, `update`, `merge`... */
  readonly mode: string | undefined;
  /** False when a mode was given but cannot be resolved. */
  readonly modeKnown: boolean;
  readonly modeNode: PyNode | undefined;
  readonly options: OptionMap;
  readonly optionsOpaque: boolean;
  /** Column names; `undefined` when not given; `null` entries for unresolvable expressions. */
  readonly partitionBy: readonly (string | null)[] | undefined;
  readonly clusterBy: readonly (string | null)[] | undefined;
  readonly trigger: { readonly kind: string; readonly node: PyNode } | undefined;
  /** The function given to `foreachBatch`, when it is one we can see. */
  readonly foreachBatch: Scope | undefined;
  readonly foreachBatchNode: PyNode | undefined;
  readonly target: Target;
  readonly sql: string | undefined;
  /** MERGE: the join condition and the `when*` clauses. */
  readonly merge: MergeChain | undefined;
  readonly ctx: Context;
}

export interface Span {
  readonly start: number;
  readonly end: number;
}

export interface MergeChain {
  /** The `.merge(source, condition)` call. */
  readonly mergeCall: PyNode;
  readonly target: Target;
  readonly source: DFNode | undefined;
  readonly condition: PyNode | undefined;
  readonly clauses: PyNode[];
  executed: boolean;
  /** Returned, passed on or stored: it may be executed where we cannot see. */
  escaped: boolean;
  readonly ctx: Context;
}

export interface CallSite {
  readonly node: PyNode;
  /** The called expression's text: `eval`, `F.count`, `df.withColumn`. */
  readonly callee: string;
  /** The last name of the callee: `count`, `withColumn`. */
  readonly name: string;
  /** What the receiver of a method call is known to be. */
  readonly receiver: 'dataframe' | 'grouped' | 'spark' | 'module' | 'other' | 'none';
  /** The module a bare or module-qualified function comes from (`pyspark.sql.functions`). */
  readonly module: string | undefined;
  readonly ctx: Context;
}

export interface Handler {
  readonly node: PyNode;
  /** Exception type expressions' text; empty for a bare `except:`. */
  readonly types: readonly string[];
  readonly body: PyNode;
}

export interface TryStatement {
  readonly node: PyNode;
  readonly body: PyNode;
  readonly handlers: readonly Handler[];
  readonly ctx: Context;
}

export interface ConfSetting {
  readonly key: string;
  readonly value: Str | undefined;
  readonly node: PyNode;
}

export interface SqlStatementRecord {
  readonly kind: string;
  readonly node: PyNode;
  readonly sql: string;
  readonly target: Target | undefined;
  readonly ctx: Context;
}

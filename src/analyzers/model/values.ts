import type { PyNode } from '../syntax.js';
import type { Str } from './strings.js';
import type { DFNode, MergeChain, OptionValue, Scope, Target } from './types.js';

/** What an expression is known to evaluate to, as far as pipeline analysis cares. */
export type Value =
  | { readonly k: 'str'; readonly s: Str; readonly names: readonly string[] }
  /** Numbers, booleans and None, as their Python text. */
  | { readonly k: 'lit'; readonly text: string }
  | { readonly k: 'seq'; readonly items: readonly Value[] }
  | { readonly k: 'dict'; readonly entries: readonly (readonly [Value, Value, PyNode])[]; readonly opaque: boolean }
  | { readonly k: 'spark' }
  | { readonly k: 'sparkBuilder' }
  | { readonly k: 'conf' }
  | { readonly k: 'reader'; readonly r: ReaderState }
  | { readonly k: 'df'; readonly df: DFNode }
  | { readonly k: 'grouped'; readonly df: DFNode; readonly call: PyNode; readonly args: readonly PyNode[] }
  | { readonly k: 'na'; readonly df: DFNode }
  | { readonly k: 'writer'; readonly w: WriterState }
  | { readonly k: 'writerV2'; readonly w: WriterV2State }
  /** A DeltaTable; its target seen as a sink (merge, delete) and as a source (`toDF()`). */
  | { readonly k: 'delta'; readonly target: Target; readonly sourceTarget: Target }
  | { readonly k: 'merge'; readonly m: MergeChain }
  | { readonly k: 'func'; readonly scope: Scope }
  /** An imported module, class or function, by its qualified name (`pyspark.sql.functions.col`). */
  | { readonly k: 'module'; readonly name: string }
  | Unknown;

export type UnknownOrigin = 'parameter' | 'call' | 'unbound' | 'attribute' | 'outer-scope' | 'expression';

export interface Unknown {
  readonly k: 'unknown';
  /** Identifiers that name the value, nearest first: `path`, then `bronze_path` it came from. */
  readonly names: readonly string[];
  readonly origin: UnknownOrigin;
  /** The expression that produced it, when it was bound to a name. */
  readonly expr: PyNode | undefined;
}

export interface FormatInfo {
  readonly value: string | undefined;
  readonly known: boolean;
  readonly node: PyNode;
}

export interface ReaderState {
  readonly stream: boolean;
  readonly format: FormatInfo | undefined;
  readonly options: ReadonlyMap<string, OptionValue>;
  readonly optionsOpaque: boolean;
  readonly schema: boolean;
}

export interface ModeInfo {
  readonly value: string | undefined;
  readonly known: boolean;
  readonly node: PyNode;
}

export interface WriterState {
  readonly df: DFNode;
  readonly stream: boolean;
  readonly format: FormatInfo | undefined;
  readonly mode: ModeInfo | undefined;
  readonly outputMode: ModeInfo | undefined;
  readonly options: ReadonlyMap<string, OptionValue>;
  readonly optionsOpaque: boolean;
  readonly partitionBy: readonly (string | null)[] | undefined;
  readonly clusterBy: readonly (string | null)[] | undefined;
  readonly trigger: { readonly kind: string; readonly node: PyNode } | undefined;
  readonly foreachBatch: Scope | undefined;
  readonly foreachBatchNode: PyNode | undefined;
}

export interface WriterV2State {
  readonly df: DFNode;
  readonly target: Target;
  readonly targetNode: PyNode | undefined;
  readonly options: ReadonlyMap<string, OptionValue>;
  readonly optionsOpaque: boolean;
  readonly partitionBy: readonly (string | null)[] | undefined;
  readonly clusterBy: readonly (string | null)[] | undefined;
  readonly format: FormatInfo | undefined;
}

export const UNKNOWN_EXPR: Unknown = { k: 'unknown', names: [], origin: 'expression', expr: undefined };

export function unknown(origin: UnknownOrigin, names: readonly string[] = [], expr?: PyNode): Unknown {
  return { k: 'unknown', names, origin, expr };
}

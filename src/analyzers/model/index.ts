import { parsePython } from '../parse.js';
import { buildSyntaxTree, type PyNode, type SyntaxTree } from '../syntax.js';
import { Interpreter, type ModelEvents } from './interpreter.js';
import type { LayerInference } from './layers.js';
import type { CallSite, DFNode } from './types.js';

export interface FileModel extends ModelEvents {
  readonly path: string;
  readonly tree: SyntaxTree;
  /** Whether the Spark rules apply: the file imports or uses Spark, Delta, DLT or Glue. */
  readonly isPipeline: boolean;
  readonly callsByName: ReadonlyMap<string, readonly CallSite[]>;
  /** The layer inference used for targets, for rules that weigh other names (opaque roots). */
  readonly layers: LayerInference;
  text(node: { start: number; end: number }): string;
  /** Argument text of a transform, including expressions its arguments name. */
  argText(df: DFNode): string;
}

const PIPELINE_IMPORT = /^(?:pyspark|delta|dlt|awsglue)(?:\.|$)/;
const NOTEBOOK_HEADER = /^\uFEFF?# Databricks notebook source/;
/** Cheap test before parsing: a file without any of these words cannot be pipeline code. */
const MAYBE_PIPELINE = /pyspark|delta|dlt|awsglue|spark|SparkSession|GlueContext|Databricks notebook source|\.write(?:Stream|To)?\b|\.readStream\b/i;

export function mayBePipelineCode(source: string): boolean {
  return MAYBE_PIPELINE.test(source);
}

export function buildModel(source: string, path: string, layers: LayerInference): FileModel {
  const tree = buildSyntaxTree(parsePython(source), source);
  return modelFromTree(tree, path, layers);
}

export function modelFromTree(tree: SyntaxTree, path: string, layers: LayerInference): FileModel {
  const events = new Interpreter(tree, path, layers).run();
  const callsByName = new Map<string, CallSite[]>();
  for (const call of events.calls) {
    const list = callsByName.get(call.name);
    if (list) list.push(call);
    else callsByName.set(call.name, [call]);
  }
  const isPipeline =
    NOTEBOOK_HEADER.test(tree.source) ||
    events.usesSpark ||
    // DataFrame writers and readers are unmistakable even in a snippet without imports.
    events.sinks.length > 0 ||
    events.sources.length > 0 ||
    [...events.imports].some((m) => PIPELINE_IMPORT.test(m) || m === 'pyspark.pipelines');
  const text = (node: { start: number; end: number }): string => tree.source.slice(node.start, node.end);
  return {
    ...events,
    path,
    tree,
    isPipeline,
    callsByName,
    layers,
    text,
    argText: (df: DFNode) => [...[...df.args, ...df.argRefs].map((n: PyNode) => text(n)), ...df.argStrings].join('\n'),
  };
}

export { LayerInference } from './layers.js';
export * from './lineage.js';
export type * from './types.js';

import type { DFNode } from './types.js';

/** The DataFrame and everything it was derived from, each once. */
export function* upstream(df: DFNode): Generator<DFNode> {
  const seen = new Set<DFNode>();
  const stack = [df];
  while (stack.length > 0) {
    const d = stack.pop()!;
    if (seen.has(d)) continue;
    seen.add(d);
    yield d;
    for (const p of d.parents) stack.push(p);
  }
}

/** Everything derived from the DataFrame (not itself), each once. */
export function* downstream(df: DFNode): Generator<DFNode> {
  const seen = new Set<DFNode>([df]);
  const stack = [...df.children];
  while (stack.length > 0) {
    const d = stack.pop()!;
    if (seen.has(d)) continue;
    seen.add(d);
    yield d;
    for (const c of d.children) stack.push(c);
  }
}

export function someUpstream(df: DFNode, predicate: (d: DFNode) => boolean): boolean {
  for (const d of upstream(df)) if (predicate(d)) return true;
  return false;
}

/**
 * Whether every step from the sources to this DataFrame is visible. A lineage that passes
 * through an unresolved call or starts at a parameter is opaque: rules that reason about the
 * absence of a step must stay silent on it.
 */
export function isComplete(df: DFNode): boolean {
  return !someUpstream(df, (d) => d.kind === 'opaque');
}

/** Where the data comes from: sources and opaque roots. */
export function roots(df: DFNode): DFNode[] {
  const out: DFNode[] = [];
  for (const d of upstream(df)) if (d.parents.length === 0) out.push(d);
  return out;
}

export function sourcesOf(df: DFNode): DFNode[] {
  const out: DFNode[] = [];
  for (const d of upstream(df)) if (d.kind === 'source') out.push(d);
  return out;
}

/** Transforms between the roots and this DataFrame, excluding no-op renames of the same data. */
export function hasTransforms(df: DFNode): boolean {
  return someUpstream(df, (d) => d.kind === 'transform' && d.op !== 'alias' && d.op !== 'hint');
}

const AGGREGATING = /^(?:agg|groupBy\.\w+)$/;

export function isAggregate(d: DFNode): boolean {
  return d.kind === 'transform' && AGGREGATING.test(d.op);
}

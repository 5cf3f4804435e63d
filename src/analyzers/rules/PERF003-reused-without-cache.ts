import dedent from 'dedent';
import { downstream, hasTransforms, isComplete, someUpstream } from '../model/lineage.js';
import { attributeName, chainBase, methodSpan } from '../model/nodes.js';
import { mutuallyExclusive } from '../model/queries.js';
import type { FileModel } from '../model/index.js';
import type { PyNode } from '../syntax.js';
import type { Consumer, Context, DFNode } from '../model/types.js';
import { FULL_ACTIONS } from '../model/spark-api.js';
import type { Span } from '../rule.js';
import { defineRule, type Match } from '../rule.js';

const CACHING = new Set(['cache', 'persist', 'checkpoint', 'localCheckpoint']);

interface Use {
  readonly ctx: Context;
  /** The call that runs the job (`count()`, `saveAsTable()`, `execute()`): one job per call. */
  readonly call: PyNode;
  readonly node: PyNode;
  readonly span: Span;
  readonly start: number;
  readonly label: string;
}

const NOT_A_FIELD = new Set(['write', 'writeStream', 'writeTo', 'na', 'stat', 'rdd']);

/** The DataFrame expression a use starts from: `daily` in `daily.count()`, `self.df` in `self.df.write.save(p)`. */
function usedName(model: FileModel, node: PyNode): PyNode | undefined {
  let n = chainBase(node);
  while (n?.parent?.type === 'attribute' && n.parent.kids[0] === n) {
    const attr = n.parent;
    const name = attributeName(attr);
    if (!name || NOT_A_FIELD.has(model.text(name)) || (attr.parent?.type === 'call' && attr.parent.kids[0] === attr)) break;
    n = attr;
  }
  return n;
}

/** The variable a DataFrame was assigned to: `checked` in `checked = bronze.withColumn(...)`. */
function boundName(model: FileModel, df: DFNode): string | undefined {
  let n = df.node;
  while (n.parent?.type === 'parenthesized_expression') n = n.parent;
  const parent = n.parent;
  if (parent?.type !== 'assignment' || parent.kids[parent.kids.length - 1] !== n) return undefined;
  const left = parent.kids[0];
  return left && (left.type === 'identifier' || left.type === 'attribute') ? model.text(left) : undefined;
}

/** A use that computes the whole DataFrame: a full action or a batch write. */
function useOf(model: FileModel, c: Consumer, derived: boolean): Use | undefined {
  const on = derived ? ' of a DataFrame derived from it' : '';
  if (c.kind === 'action') {
    if (!FULL_ACTIONS.has(c.action.name)) return undefined;
    return { ctx: c.action.ctx, call: c.action.node, node: c.action.node, span: methodSpan(c.action.node), start: c.action.node.start, label: `\`${c.action.name}()\`${on}` };
  }
  if (c.sink.stream) return undefined;
  const what = c.sink.kind === 'merge' ? 'the MERGE' : `\`${model.text(c.sink.anchor).replace(/\(.*$/s, '')}()\``;
  return { ctx: c.sink.ctx, call: c.sink.node, node: c.sink.kind === 'merge' && c.sink.df ? c.sink.df.node : c.sink.node, span: c.sink.anchor, start: c.sink.node.start, label: `${what}${on}` };
}

/**
 * Every computation of the DataFrame: its own actions and writes, plus, for each DataFrame derived
 * from it, the first action or write downstream (`scores.agg(...).collect()` recomputes `scores`).
 * Each action counts once: a self-join, a `union` of two filters of it or an SCD2 staged-updates
 * MERGE reaches the same action through several children, and Spark runs that as one job.
 */
function usesOf(model: FileModel, df: DFNode): Use[] {
  const uses = new Map<PyNode, Use>();
  const add = (use: Use | undefined): void => {
    if (use && !uses.has(use.call)) uses.set(use.call, use);
  };
  for (const c of df.consumers) add(useOf(model, c, false));
  for (const child of df.children) {
    if (child.stream) continue;
    let first: Use | undefined;
    for (const d of [child, ...downstream(child)]) {
      for (const c of d.consumers) {
        const use = useOf(model, c, true);
        if (use && (!first || use.start < first.start)) first = use;
      }
    }
    add(first);
  }
  return [...uses.values()];
}

/** The first two uses that can both run (not in exclusive branches of one `if`). */
function firstPairThatBothRun(uses: readonly Use[]): [Use, Use] | undefined {
  for (let j = 1; j < uses.length; j++) {
    for (let i = 0; i < j; i++) if (!mutuallyExclusive(uses[i]!.ctx, uses[j]!.ctx)) return [uses[i]!, uses[j]!];
  }
  return undefined;
}

export default defineRule({
  id: 'PERF003',
  name: 'reused-without-cache',
  category: 'performance',
  severity: 'warning',
  default: true,
  docs: {
    summary: 'A derived DataFrame is computed by two or more actions or writes (its own, or those of DataFrames derived from it), and nothing caches it.',
    why: dedent`
      DataFrames are lazy: every action re-runs the whole plan from the sources. Writing a
      DataFrame and then calling \`count()\` on it reads and transforms the input twice; counting
      three filtered views does it three times. On large inputs that doubles cost and run time, and
      if the source changes between the two runs (a streaming landing zone, a table being written)
      the count no longer describes what was written. Persist it once, use it, then unpersist.
    `,
    impact: 'The whole lineage is recomputed for every action: double cost, and counts that may not match what was written.',
    fix: 'Call `df = df.persist()` before the first use and `df.unpersist()` after the last, or compute the count once from what was written (Delta commit metrics).',
    bad: dedent`
      from pyspark.sql import functions as F

      daily = spark.read.table("silver.orders").groupBy("order_date").agg(F.sum("amount").alias("revenue"))
      daily.write.mode("overwrite").saveAsTable("gold.daily_revenue")
      print(f"wrote {daily.count()} days")
    `,
    good: dedent`
      from pyspark.sql import functions as F

      daily = spark.read.table("silver.orders").groupBy("order_date").agg(F.sum("amount").alias("revenue")).persist()
      daily.write.mode("overwrite").saveAsTable("gold.daily_revenue")
      print(f"wrote {daily.count()} days")
      daily.unpersist()
    `,
    quiet: [
      'Anything upstream is cached or checkpointed (`cache()`, `persist()`, `checkpoint()`, also as a statement).',
      'The uses are in different branches of one `if`/`else` (only one runs), or one is a cheap probe (`first`, `head`, `take`, `show`, `display`, `isEmpty`).',
      'Streaming DataFrames, and a plain read with no transformation in between.',
      'One action whose plan uses the DataFrame several times (a self-join, a `union` of two filters of it, an SCD2 staged-updates MERGE): Spark runs it as one job.',
      'Opaque lineage (a parameter or the result of an unknown call): the caller may have cached it.',
    ],
  },
  *detect({ model, lines }): Iterable<Match> {
    const found: { df: DFNode; earlier: Use; again: Use }[] = [];
    for (const df of model.dataframes) {
      if (df.stream || df.kind === 'phi') continue;
      const uses = usesOf(model, df);
      // Opaque lineage (a parameter, an unknown call): the caller may have cached what it passes in.
      if (uses.length < 2 || !hasTransforms(df) || !isComplete(df)) continue;
      if (someUpstream(df, (d) => d.cached || CACHING.has(d.op))) continue;
      uses.sort((a, b) => a.start - b.start);
      const pair = firstPairThatBothRun(uses);
      if (pair) found.push({ df, earlier: pair[0], again: pair[1] });
    }
    // Caching the first DataFrame that is recomputed also spares everything derived from it.
    const recomputed = new Set(found.map((f) => f.df));
    for (const { df, earlier, again } of found) {
      if (someUpstream(df, (d) => d !== df && recomputed.has(d))) continue;
      const name = boundName(model, df) ?? (() => {
        const base = usedName(model, again.node);
        return base ? model.text(base) : undefined;
      })();
      yield {
        span: again.span,
        message: `${name ? `\`${name}\`` : 'This DataFrame'} is computed again by ${again.label}: ${earlier.label} (line ${lines.line(earlier.start)}) already ran its whole lineage and nothing caches it. \`persist()\` it before the first use.`,
      };
    }
  },
});

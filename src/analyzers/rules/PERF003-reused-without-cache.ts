import dedent from 'dedent';
import { hasTransforms, someUpstream } from '../model/lineage.js';
import { chainBase, methodSpan } from '../model/nodes.js';
import { mutuallyExclusive } from '../model/queries.js';
import type { PyNode } from '../syntax.js';
import type { Consumer, Context } from '../model/types.js';
import { FULL_ACTIONS } from '../model/spark-api.js';
import type { Span } from '../rule.js';
import { defineRule, type Match } from '../rule.js';

const CACHING = new Set(['cache', 'persist', 'checkpoint', 'localCheckpoint']);

interface Use {
  readonly ctx: Context;
  readonly node: PyNode;
  readonly span: Span;
  readonly start: number;
  readonly label: string;
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
    summary: 'A derived DataFrame is computed by two or more actions or writes, and nothing caches it.',
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
      'The uses are in different branches of one `if`/`else` (only one runs), or one is a cheap probe (`first`, `head`, `take`, `show`, `isEmpty`).',
      'Streaming DataFrames, and a plain read with no transformation in between.',
    ],
  },
  *detect({ model }): Iterable<Match> {
    for (const df of model.dataframes) {
      if (df.stream || df.consumers.length < 2) continue;
      const uses: Use[] = [];
      for (const c of df.consumers as Consumer[]) {
        if (c.kind === 'action') {
          if (!FULL_ACTIONS.has(c.action.name) && c.action.name !== 'display') continue;
          uses.push({ ctx: c.action.ctx, node: c.action.node, span: methodSpan(c.action.node), start: c.action.node.start, label: `\`${c.action.name}()\`` });
        } else {
          if (c.sink.stream) continue;
          const what = c.sink.kind === 'merge' ? 'the MERGE' : `\`${model.text(c.sink.anchor).replace(/\(.*$/s, '')}()\``;
          uses.push({ ctx: c.sink.ctx, node: c.sink.kind === 'merge' && c.sink.df ? c.sink.df.node : c.sink.node, span: c.sink.anchor, start: c.sink.node.start, label: what });
        }
      }
      if (uses.length < 2 || !hasTransforms(df)) continue;
      if (someUpstream(df, (d) => d.cached || CACHING.has(d.op))) continue;
      uses.sort((a, b) => a.start - b.start);
      const pair = firstPairThatBothRun(uses);
      if (!pair) continue;
      const [earlier, again] = pair;
      const base = chainBase(again.node);
      const line = model.tree.source.slice(0, earlier.start).split('\n').length;
      yield {
        span: again.span,
        message: `${base ? `\`${model.text(base)}\`` : 'This DataFrame'} is computed again by ${again.label}: ${earlier.label} (line ${line}) already ran its whole lineage and nothing caches it. \`persist()\` it before the first use.`,
      };
    }
  },
});

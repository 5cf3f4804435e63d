import dedent from 'dedent';
import { attributeName, callArgs } from '../model/nodes.js';
import { plainStringValue } from '../model/strings.js';
import type { CallSite } from '../model/types.js';
import type { PyNode } from '../syntax.js';
import { defineRule, type Match } from '../rule.js';

interface Data {
  /** The `count` name to replace with `countDistinct` (only for `F.count`-style calls). */
  readonly callee: PyNode | undefined;
}

/** Names that promise distinct values: `unique_users`, `distinct_ids`, `n_unique`, `users_nunique`. */
const DISTINCT_NAME = /(?:^|_)(?:unique|distinct|nunique|uniq|n_?unique|num_?unique|count_?distinct)(?:_|$)/i;
const SQL_COUNT_AS_UNIQUE = /\bcount\s*\(\s*(?!distinct\b)([^()]*)\)\s+(?:as\s+)?`?(\w+)/gi;

/** The name given to a column expression: `.alias("x")`/`.name("x")` around it, or `withColumn("x", ...)`. */
function givenName(call: PyNode, text: (n: PyNode) => string): PyNode | undefined {
  let n: PyNode = call;
  for (;;) {
    const parent = n.parent;
    if (!parent) return undefined;
    if (parent.type === 'parenthesized_expression') {
      n = parent;
      continue;
    }
    if (parent.type === 'attribute' && parent.kids[0] === n) {
      const method = attributeName(parent);
      const outer = parent.parent;
      if (!method || outer?.type !== 'call') return undefined;
      const name = text(method);
      if (name === 'alias' || name === 'name') return callArgs(outer)?.kids[0];
      // `count(x).over(w).alias(...)`, `count(x).cast("long").alias(...)`
      if (name === 'over' || name === 'cast') {
        n = outer;
        continue;
      }
      return undefined;
    }
    if (parent.type === 'argument_list' && parent.kids[1] === n) {
      const outer = parent.parent;
      const fn = outer?.kids[0];
      if (fn?.type === 'attribute' && text(attributeName(fn)!) === 'withColumn') return parent.kids[0];
    }
    return undefined;
  }
}

function isSparkCount(call: CallSite): boolean {
  const args = callArgs(call.node);
  if (!args || args.kids.length !== 1) return false;
  if (call.module === 'pyspark.sql.functions') return true;
  // `F.count("x").alias(...)`, where `F` came from somewhere we cannot see: a `count` with one
  // argument that is then aliased is a Column function (builtins have no `count`, lists' return ints).
  return call.receiver === 'other' && /^[A-Za-z_]\w*\.count$/.test(call.callee);
}

export default defineRule<Data>({
  id: 'GLD003',
  name: 'count-named-as-distinct',
  category: 'gold',
  severity: 'warning',
  default: true,
  docs: {
    summary: '`count(x)` is published under a name that promises distinct values (`unique_*`, `distinct_*`).',
    why: dedent`
      \`count(col)\` counts the rows where \`col\` is not null. A user who buys three times is counted
      three times. Naming that result \`unique_users\` makes every consumer of the gold table read a
      row count as a headcount, and ratios built on it ("revenue per user") are wrong by the repeat rate.
    `,
    impact: 'The metric over-counts by the number of repeated values; every ratio built on it is wrong.',
    fix: 'Use `countDistinct(x)` (or `approx_count_distinct(x)` on very large data), or rename the column.',
    bad: dedent`
      from pyspark.sql import functions as F

      daily = spark.read.table("silver.events").groupBy("event_date").agg(
          F.count("user_id").alias("unique_users"),
      )
    `,
    good: dedent`
      from pyspark.sql import functions as F

      daily = spark.read.table("silver.events").groupBy("event_date").agg(
          F.countDistinct("user_id").alias("unique_users"),
          F.count("user_id").alias("events_with_user"),
      )
    `,
    quiet: [
      '`countDistinct`, `count_distinct`, `approx_count_distinct`, and SQL `COUNT(DISTINCT x)`.',
      'A `count` that is not the Spark column function (`list.count(x)`, a method of our own).',
      'Names that do not promise distinct values (`event_count`, `users`).',
    ],
  },
  *detect({ model }): Iterable<Match<Data>> {
    for (const call of model.callsByName.get('count') ?? []) {
      if (!isSparkCount(call)) continue;
      const nameNode = givenName(call.node, (n) => model.text(n));
      const name = nameNode?.type === 'string' ? plainStringValue(model.text(nameNode)) : undefined;
      if (!name || !DISTINCT_NAME.test(name)) continue;
      const fn = call.node.kids[0];
      const arg = callArgs(call.node)?.kids[0];
      yield {
        span: call.node,
        message: `\`${model.text(call.node)}\` is named \`${name}\` but counts rows, not distinct values: use \`countDistinct(${arg ? model.text(arg) : ''})\`.`,
        data: { callee: fn?.type === 'attribute' ? attributeName(fn) : undefined },
      };
    }
    for (const name of ['expr', 'selectExpr']) {
      for (const call of model.callsByName.get(name) ?? []) {
        for (const arg of callArgs(call.node)?.kids ?? []) {
          if (arg.type !== 'string') continue;
          const sql = plainStringValue(model.text(arg));
          if (!sql) continue;
          for (const m of sql.matchAll(SQL_COUNT_AS_UNIQUE)) {
            if (!DISTINCT_NAME.test(m[2]!)) continue;
            yield {
              span: arg,
              message: `\`${m[0].trim()}\` names a row count \`${m[2]}\`: \`count(${m[1]!.trim()})\` counts rows, not distinct values; use \`count(DISTINCT ${m[1]!.trim()})\`.`,
              data: { callee: undefined },
            };
          }
        }
      }
    }
  },
  fix(match) {
    const callee = match.data?.callee;
    if (!callee) return undefined;
    return { description: 'Count distinct values', edits: [{ start: callee.start, end: callee.end, text: 'countDistinct' }] };
  },
});

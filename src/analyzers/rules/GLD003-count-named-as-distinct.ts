import dedent from 'dedent';
import type { FileModel } from '../model/index.js';
import { upstream } from '../model/lineage.js';
import { attributeName, callArgs, contains } from '../model/nodes.js';
import { plainStringValue } from '../model/strings.js';
import type { CallSite } from '../model/types.js';
import type { PyNode } from '../syntax.js';
import { defineRule, type Match, type Span } from '../rule.js';

interface Data {
  /** The `count` name to replace with `countDistinct` (only for `F.count`-style calls, not windows). */
  readonly callee: PyNode | undefined;
}

/** Names that promise distinct values: `unique_users`, `distinct_ids`, `n_unique`, `users_nunique`. */
const DISTINCT_NAME = /(?:^|_)(?:unique|distinct|nunique|uniq|n_?unique|num_?unique|count_?distinct)(?:_|$)/i;
const SQL_COUNT_AS_UNIQUE = /\bcount\s*\((?!\s*distinct\b)\s*([^()]*)\)\s+(?:as\s+)?`?(\w+)/gi;

interface GivenName {
  readonly node: PyNode;
  /** The count is a window function (`count(x).over(w)`): `countDistinct` is not allowed there. */
  readonly window: boolean;
}

/** The name given to a column expression: `.alias("x")`/`.name("x")` around it, or `withColumn("x", ...)`. */
/**
 * `count(when(rn == 1, ...))`, `COUNT(CASE WHEN ... END)`: which rows count is decided by a
 * condition we cannot judge (with `rn` a row_number per key, it is a distinct count).
 */
const CONDITIONAL_COUNT = /^(?:[\w.]+\.)?when\s*\(|^case\b|^if\s*\(|^iff\s*\(/i;

function givenName(call: PyNode, text: (n: PyNode) => string): GivenName | undefined {
  let n: PyNode = call;
  let window = false;
  const named = (node: PyNode | undefined): GivenName | undefined => (node ? { node, window } : undefined);
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
      if (name === 'alias' || name === 'name') return named(callArgs(outer)?.kids[0]);
      // `count(x).over(w).alias(...)`, `count(x).cast("long").alias(...)`
      if (name === 'over' || name === 'cast') {
        if (name === 'over') window = true;
        n = outer;
        continue;
      }
      return undefined;
    }
    if (parent.type === 'argument_list' && parent.kids[1] === n) {
      const outer = parent.parent;
      const fn = outer?.kids[0];
      if (fn?.type === 'attribute' && text(attributeName(fn)!) === 'withColumn') return named(parent.kids[0]);
    }
    return undefined;
  }
}

/** The counted column's name in `"user_id"`, `F.col("user_id")`, `s.user_id` (SQL); undefined for `*`, `1`, expressions. */
function countedColumn(text: string): string | undefined {
  const t = text.trim();
  const m = /^(?:[\w.]*\bcol(?:umn)?\s*\(\s*)?(["'`]?)([A-Za-z_][\w.]*)\1\s*\)?$/.exec(t);
  if (!m || (m[1] === '' && /\(/.test(t))) return undefined;
  return m[2]!.split('.').pop();
}

const DEDUP_OPS = new Set(['distinct', 'dropDuplicates', 'drop_duplicates', 'dropDuplicatesWithinWatermark']);

/**
 * Whether the DataFrame the count runs over was made unique on the counted column first:
 * `select("d", "user_id").distinct()`, `dropDuplicates(["d", "user_id"])`, or an earlier
 * `groupBy("d", "user_id")`. Then `count(user_id)` per `d` does count distinct users.
 */
function deduplicatedBefore(model: FileModel, expr: Span, column: string | undefined): boolean {
  const word = column === undefined ? undefined : new RegExp(`\\b${column}\\b`);
  const mentions = (nodes: readonly PyNode[]): boolean => word === undefined || nodes.some((n) => word.test(model.text(n)));
  for (const holder of model.dataframes) {
    // The transform whose arguments hold the expression, or the `spark.sql` source whose query does.
    const holds = [...holder.args, ...holder.argRefs].some((a) => contains(a, expr)) || (holder.source !== undefined && contains(holder.source.node, expr));
    if (!holds) continue;
    for (const parent of holder.parents) {
      for (const d of upstream(parent)) {
        if (d.kind !== 'transform') continue;
        if (DEDUP_OPS.has(d.op) && (d.args.length === 0 || mentions([...d.args, ...d.argRefs]))) return true;
        if (d.op.startsWith('groupBy.')) {
          // The grouping keys: arguments outside the aggregate call's own argument list.
          const own = callArgs(d.node);
          if (mentions(d.args.filter((a) => !own || !contains(own, a)))) return true;
        }
      }
    }
  }
  return false;
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
      'A conditional count (`count(when(rn == 1, ...))`, `COUNT(CASE WHEN ... END)`): the condition may pick one row per value, as a `row_number()` does.',
      'The counted DataFrame was made unique on the column first (`select(...).distinct()`, `dropDuplicates([..., x])`, an earlier `groupBy(..., x)`), or the `spark.sql` query dedups in a subquery, CTE or `SELECT DISTINCT`.',
    ],
  },
  *detect({ model }): Iterable<Match<Data>> {
    for (const call of model.callsByName.get('count') ?? []) {
      if (!isSparkCount(call)) continue;
      const given = givenName(call.node, (n) => model.text(n));
      const name = given?.node.type === 'string' ? plainStringValue(model.text(given.node)) : undefined;
      if (!given || !name || !DISTINCT_NAME.test(name)) continue;
      const fn = call.node.kids[0];
      const arg = callArgs(call.node)?.kids[0];
      const argText = arg ? model.text(arg) : '';
      if (CONDITIONAL_COUNT.test(argText) || deduplicatedBefore(model, call.node, countedColumn(argText))) continue;
      // Spark rejects `countDistinct(x).over(w)` ("Distinct window functions are not supported").
      const instead = given.window ? `\`F.size(F.collect_set(${argText}))\` over the window` : `\`countDistinct(${argText})\``;
      yield {
        span: call.node,
        message: `\`${model.text(call.node)}\` is named \`${name}\` but counts rows, not distinct values: use ${instead}.`,
        data: { callee: fn?.type === 'attribute' && !given.window ? attributeName(fn) : undefined },
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
            const counted = m[1]!.trim();
            if (CONDITIONAL_COUNT.test(counted) || deduplicatedBefore(model, arg, countedColumn(counted))) continue;
            yield {
              span: arg,
              message: `\`${m[0].trim()}\` names a row count \`${m[2]}\`: \`count(${counted})\` counts rows, not distinct values; use \`count(DISTINCT ${counted})\`.`,
              data: { callee: undefined },
            };
          }
        }
      }
    }
    // `spark.sql(...)` statements, as the model resolved them (variables, f-strings, constants).
    for (const statement of model.sql) {
      const sql = statement.sql;
      // A query that deduplicates in a subquery, a CTE or SELECT DISTINCT may count unique rows on purpose.
      if (/\bselect\s+distinct\b|\(\s*select\b|^\s*with\b/i.test(sql)) continue;
      for (const m of sql.matchAll(SQL_COUNT_AS_UNIQUE)) {
        if (!DISTINCT_NAME.test(m[2]!)) continue;
        const counted = m[1]!.trim();
        if (CONDITIONAL_COUNT.test(counted) || deduplicatedBefore(model, statement.node, countedColumn(counted))) continue;
        yield {
          span: statement.node,
          message: `\`${m[0].trim()}\` names a row count \`${m[2]}\`: \`count(${counted})\` counts rows, not distinct values; use \`count(DISTINCT ${counted})\`.`,
          data: { callee: undefined },
        };
      }
    }
  },
  fix(match) {
    const callee = match.data?.callee;
    if (!callee) return undefined;
    return { description: 'Count distinct values', edits: [{ start: callee.start, end: callee.end, text: 'countDistinct' }] };
  },
});

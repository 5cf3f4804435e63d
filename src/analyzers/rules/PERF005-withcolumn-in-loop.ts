import dedent from 'dedent';
import { assignmentParts, chainBase, descendants, unparen } from '../model/nodes.js';
import type { CallSite } from '../model/types.js';
import type { FileModel } from '../model/index.js';
import type { PyNode } from '../syntax.js';
import { defineRule, type Match } from '../rule.js';

/** Steps that only add, rename or reshape columns: what `withColumns`/one `select` replaces. */
const COLUMN_ONLY = new Set(['withColumn', 'withColumnRenamed', 'drop', 'alias', 'cast', 'select', 'selectExpr', 'fillna', 'withColumns', 'withColumnsRenamed']);

/** The variable a loop keeps reassigning: `df` in `df = df.withColumn(...)` (or `self.df`). */
function loopCarried(model: FileModel, call: CallSite): string | undefined {
  const base = chainBase(call.node);
  if (!base) return undefined;
  let n: PyNode = call.node;
  while (n.parent && n.parent.type !== 'assignment' && n.parent.type !== 'block' && n.parent.type !== 'module') n = n.parent;
  const assign = n.parent;
  if (assign?.type !== 'assignment') return undefined;
  const { left } = assignmentParts(assign);
  if (!left) return undefined;
  const name = model.text(base);
  const target = model.text(left);
  // `df = df.withColumn(...)`; for `self.df = self.df.withColumn(...)` the base is `self`.
  const receiverChain = model.text(call.node.kids[0]!).replace(/\.withColumn(?:Renamed)?$/, '');
  if (!(target === name || receiverChain === target || receiverChain.startsWith(`${target}.`))) return undefined;
  const loop = call.ctx.loops?.value;
  if (loop && (perIterationTarget(model, loop, left) || freshEachIteration(model, loop, target, assign))) return undefined;
  if (iterativeStep(model, assignmentParts(assign).right) || breaksRightAfter(assign)) return undefined;
  return target;
}

/** Methods of a chain: `labels.join(c).withColumn(...).checkpoint()` -> join, withColumn, checkpoint. */
function chainMethods(model: FileModel, node: PyNode | undefined): string[] {
  const out: string[] = [];
  let n = node;
  while (n) {
    n = unparen(n);
    if (n.type !== 'call' || n.kids[0]?.type !== 'attribute') break;
    const attr = n.kids[0];
    out.push(model.text(attr.kids[attr.kids.length - 1]!));
    n = attr.kids[0];
  }
  return out;
}

/**
 * `labels = labels.join(cand, ...).withColumn(...).checkpoint()`: an iterative algorithm where each
 * pass depends on the last, not a list of columns that could be added at once.
 */
function iterativeStep(model: FileModel, right: PyNode | undefined): boolean {
  return chainMethods(model, right).some((m) => !COLUMN_ONLY.has(m));
}

/** `df = df.withColumn(...); break`: at most one iteration adds a column. */
function breaksRightAfter(assign: PyNode): boolean {
  const statement = assign.parent;
  const block = statement?.parent;
  if (!statement || !block) return false;
  const next = block.kids[block.kids.indexOf(statement) + 1];
  return next?.type === 'break_statement' || next?.type === 'return_statement';
}

/**
 * A target that names a different DataFrame each iteration: the loop variable itself
 * (`for d in dfs: d = d.withColumn(...)`), `dfs[t]` or `job.df` where `t`/`job` is the loop
 * variable, or a subscript with a computed key.
 */
function perIterationTarget(model: FileModel, loop: PyNode, target: PyNode): boolean {
  const loopVars = new Set<string>();
  if (loop.type === 'for_statement' && loop.kids[0]) {
    const left = loop.kids[0];
    if (left.type === 'identifier') loopVars.add(model.text(left));
    for (const n of descendants(left)) if (n.type === 'identifier') loopVars.add(model.text(n));
  }
  if (target.type === 'identifier') return loopVars.has(model.text(target));
  for (const n of descendants(target)) if (n.type === 'identifier' && loopVars.has(model.text(n))) return true;
  for (let n: PyNode | undefined = target; n && (n.type === 'subscript' || n.type === 'attribute'); n = n.kids[0]) {
    if (n.type === 'subscript' && n.kids.slice(1).some((k) => k.type !== 'string' && k.type !== 'integer')) return true;
  }
  return false;
}

/** `df = spark.read.table(t)` earlier in the loop body: each iteration starts from a new DataFrame. */
function freshEachIteration(model: FileModel, loop: PyNode, target: string, assign: PyNode): boolean {
  const body = loop.type === 'for_statement' ? loop.kids[2] : loop.kids[1];
  if (!body) return false;
  for (const n of descendants(body)) {
    if (n.start >= assign.start) break;
    // `if (df := spark.read.table(t)) is not None:` binds a fresh DataFrame too.
    if (n.type === 'named_expression') {
      const [name, value] = n.kids;
      if (name && value && model.text(name) === target && !model.text(value).startsWith(target)) return true;
      continue;
    }
    if (n.type !== 'assignment') continue;
    const { left, right } = assignmentParts(n);
    if (!left || !right || model.text(left) !== target) continue;
    const rhs = model.text(right);
    if (rhs !== target && !rhs.startsWith(`${target}.`) && !rhs.startsWith(`(${target}`)) return true;
  }
  return false;
}

/** `reduce(lambda acc, c: acc.withColumn(...), cols, df)`. */
function inReduceLambda(model: FileModel, call: CallSite): boolean {
  const scope = call.ctx.scope;
  if (scope.kind !== 'lambda') return false;
  const base = chainBase(call.node);
  if (!base || model.text(base) !== scope.params[0]) return false;
  const outer = scope.node.parent?.parent;
  return outer?.type === 'call' && /(?:^|\.)reduce$/.test(model.text(outer.kids[0]!));
}

export default defineRule({
  id: 'PERF005',
  name: 'withcolumn-in-loop',
  category: 'performance',
  severity: 'warning',
  default: true,
  docs: {
    summary: '`withColumn` / `withColumnRenamed` is applied to the same DataFrame in a loop (or a `reduce`).',
    why: dedent`
      Each \`withColumn\` call adds a projection to the logical plan, and Spark re-analyzes the
      whole plan every time. A loop over fifty columns builds a fifty-level plan: the driver spends
      seconds to minutes in analysis, and very deep plans end in \`StackOverflowError\`.
      \`withColumns\` / \`withColumnsRenamed\` (Spark 3.3 / 3.4) or one \`select\` add them all in a
      single projection.
    `,
    impact: 'Plan analysis grows with every iteration: slow driver, and stack overflows on wide tables.',
    fix: 'Build a dict of columns and call `df.withColumns({...})` (or `withColumnsRenamed`, or one `select`) once.',
    bad: dedent`
      from pyspark.sql import functions as F

      df = spark.read.table("bronze.customers")
      for name in ["first_name", "last_name", "email", "city"]:
          df = df.withColumn(name, F.trim(F.col(name)))
    `,
    good: dedent`
      from pyspark.sql import functions as F

      df = spark.read.table("bronze.customers")
      names = ["first_name", "last_name", "email", "city"]
      df = df.withColumns({name: F.trim(F.col(name)) for name in names})
    `,
    quiet: [
      'A loop that builds a different DataFrame each iteration (`out = tables[t].withColumn(...)`, `dfs[t] = dfs[t].withColumn(...)`, `df = spark.read.table(t)` then `df = df.withColumn(...)`).',
      '`withColumns` / `withColumnsRenamed`, and `withColumn` calls outside loops.',
      'An iterative algorithm: the reassignment also joins, aggregates, filters or checkpoints (each pass depends on the previous one).',
      'The reassignment is followed by `break` or `return`: at most one iteration adds a column.',
    ],
  },
  *detect({ model }): Iterable<Match> {
    const reported = new Set<PyNode>();
    for (const method of ['withColumn', 'withColumnRenamed']) {
      for (const call of model.callsByName.get(method) ?? []) {
        if (call.receiver !== 'dataframe' && call.receiver !== 'other') continue;
        const loop = call.ctx.loops?.value;
        if (loop) {
          const carried = loopCarried(model, call);
          if (!carried || reported.has(loop)) continue;
          reported.add(loop);
          const kind = loop.type === 'for_statement' ? '`for`' : '`while`';
          yield {
            span: call.node.kids[0]?.kids[1] ? { start: call.node.kids[0].kids[1].start, end: call.node.end } : call.node,
            message: `\`${carried} = ${carried}.${method}(...)\` in a ${kind} loop adds one projection per iteration: build the columns first and call \`${method === 'withColumn' ? 'withColumns' : 'withColumnsRenamed'}({...})\` once.`,
          };
        } else if (inReduceLambda(model, call)) {
          const lambda = call.ctx.scope.node;
          if (reported.has(lambda)) continue;
          reported.add(lambda);
          yield {
            span: call.node,
            message: `\`${method}\` folded over a list with \`reduce\` adds one projection per element: call \`${method === 'withColumn' ? 'withColumns' : 'withColumnsRenamed'}({...})\` once.`,
          };
        }
      }
    }
  },
});

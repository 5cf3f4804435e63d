import dedent from 'dedent';
import { someUpstream } from '../model/lineage.js';
import { attributeName, attributeObject, callArgs } from '../model/nodes.js';
import type { PyNode } from '../syntax.js';
import { defineRule, type Match } from '../rule.js';

interface Data {
  readonly replace: PyNode;
  readonly receiver: string;
  readonly empty: boolean;
  readonly needsParens: boolean;
}

/** A plain name or attribute path naming a Spark DataFrame or RDD: `df`, `df2`, `orders_df`, `self.source_df`, `rdd`. */
const SPARK_NAMED = /^(?:[A-Za-z_]\w*\.)*(?:\w*_)?(?:df|sdf|dataframe|rdd)\d*(?:_\w*)?$/i;
const PANDAS_NAMED = /pandas|(?:^|[._])(?:pdf|pd)(?:_|$)/i;

function up(node: PyNode): PyNode {
  let n = node;
  while (n.parent?.type === 'parenthesized_expression') n = n.parent;
  return n;
}

const CACHING = new Set(['cache', 'persist', 'checkpoint', 'localCheckpoint']);

/** For `count OP literal`: whether the comparison means "is empty" (true), "is not empty" (false), or neither. */
function emptinessOf(op: string, literal: string, countFirst: boolean): boolean | undefined {
  const flipped: Record<string, string> = { '<': '>', '>': '<', '<=': '>=', '>=': '<=', '==': '==', '!=': '!=' };
  const o = countFirst ? op : flipped[op];
  if (literal === '0') {
    if (o === '==' || o === '<=') return true;
    if (o === '!=' || o === '>') return false;
  }
  if (literal === '1') {
    if (o === '<') return true;
    if (o === '>=') return false;
  }
  return undefined;
}

/** Parents where `not df.isEmpty()` can stand without parentheses. */
const LOW_PRECEDENCE_OK = new Set([
  'if_statement',
  'elif_clause',
  'while_statement',
  'boolean_operator',
  'not_operator',
  'return_statement',
  'assert_statement',
  'assignment',
  'argument_list',
  'expression_statement',
  'parenthesized_expression',
  'conditional_expression',
  'keyword_argument',
]);

export default defineRule<Data>({
  id: 'PERF004',
  name: 'count-for-emptiness',
  category: 'performance',
  severity: 'info',
  default: true,
  docs: {
    summary: '`df.count()` is compared with 0 (or used as a truth value) to test whether a DataFrame is empty.',
    why: dedent`
      \`count()\` runs the whole lineage and counts every row, only for the answer "zero or not".
      \`isEmpty()\` (PySpark 3.3+) stops at the first row. On a large input the difference is a full
      scan versus reading one file split.
    `,
    impact: 'A full scan of the data just to learn whether there is any.',
    fix: 'Use `df.isEmpty()` (or `len(df.head(1)) == 0` before PySpark 3.3).',
    bad: dedent`
      new_rows = spark.read.table("bronze.events").filter("event_date = current_date()")
      if new_rows.count() == 0:
          print("nothing to do")
    `,
    good: dedent`
      new_rows = spark.read.table("bronze.events").filter("event_date = current_date()")
      if new_rows.isEmpty():
          print("nothing to do")
    `,
    quiet: [
      'The count is kept in a variable (it is probably logged or used too).',
      'Comparisons that are not about emptiness (`count() > 100`, `count() == expected`).',
      '`count(x)` with an argument (a list or string method), and `groupBy(...).count()`.',
      'A receiver not known to be a DataFrame unless its name says so (`df`, `orders_df`, `self.source_df`, `rdd`) or its parameter is annotated `DataFrame`: pandas, SQLAlchemy and Django objects also have `count()`.',
      '`df.limit(1).count()` (counts at most one row), and counts of a cached DataFrame (the count fills the cache the next step reads).',
    ],
  },
  *detect({ model }): Iterable<Match<Data>> {
    for (const call of model.callsByName.get('count') ?? []) {
      if (call.receiver !== 'dataframe' && call.receiver !== 'other') continue;
      if ((callArgs(call.node)?.kids.length ?? 0) > 0) continue;
      const fn = call.node.kids[0];
      const recvNode = fn?.type === 'attribute' ? attributeObject(fn) : undefined;
      if (!recvNode) continue;
      const receiver = model.text(recvNode);
      // Unknown receivers (parameters, results of helpers): only names that say DataFrame or RDD;
      // pandas, SQLAlchemy or Django objects have a zero-argument count() and no isEmpty().
      if (call.receiver === 'other' && !(SPARK_NAMED.test(receiver) && !PANDAS_NAMED.test(receiver))) continue;
      // `df.limit(1).count()` counts at most one row.
      if (recvNode.type === 'call' && recvNode.kids[0]?.type === 'attribute' && model.text(attributeName(recvNode.kids[0])!) === 'limit') continue;
      // On a cached DataFrame the count fills the cache the next step reads anyway.
      const df = model.actions.find((a) => a.node === call.node)?.df;
      if (df && someUpstream(df, (d) => d.cached || CACHING.has(d.op))) continue;
      const self = up(call.node);
      const parent = self.parent;
      if (!parent) continue;
      let replace: PyNode | undefined;
      let empty: boolean | undefined;
      if (parent.type === 'comparison_operator' && parent.kids.length === 2 && parent.ops?.length === 1) {
        const countFirst = parent.kids[0] === self;
        const other = countFirst ? parent.kids[1]! : parent.kids[0]!;
        if (other.type !== 'integer') continue;
        empty = emptinessOf(parent.ops[0]!, model.text(other), countFirst);
        replace = parent;
      } else if (parent.type === 'not_operator') {
        empty = true;
        replace = parent;
      } else if (
        ((parent.type === 'if_statement' || parent.type === 'elif_clause' || parent.type === 'while_statement') && parent.kids[0] === self) ||
        (parent.type === 'boolean_operator' && isCondition(parent)) ||
        (parent.type === 'argument_list' && parent.kids.length === 1 && parent.parent?.type === 'call' && model.text(parent.parent.kids[0]!) === 'bool')
      ) {
        empty = false;
        replace = parent.type === 'argument_list' ? parent.parent! : self;
      }
      if (empty === undefined || !replace) continue;
      const target = up(replace);
      yield {
        span: replace,
        message: `\`${model.text(replace)}\` counts every row just to test for emptiness: \`${empty ? '' : 'not '}${receiver}.isEmpty()\` stops at the first row.`,
        data: { replace, receiver, empty, needsParens: !empty && !LOW_PRECEDENCE_OK.has(target.parent?.type ?? '') },
      };
    }
  },
  fix(match) {
    const d = match.data;
    if (!d) return undefined;
    const expr = `${d.empty ? '' : 'not '}${d.receiver}.isEmpty()`;
    return {
      description: 'Test emptiness with isEmpty()',
      edits: [{ start: d.replace.start, end: d.replace.end, text: d.needsParens ? `(${expr})` : expr }],
    };
  },
});

/** A boolean expression that is (part of) an if/while condition. */
function isCondition(node: PyNode): boolean {
  let n = node;
  while (n.parent && (n.parent.type === 'boolean_operator' || n.parent.type === 'parenthesized_expression' || n.parent.type === 'not_operator')) n = n.parent;
  const p = n.parent;
  return !!p && (p.type === 'if_statement' || p.type === 'elif_clause' || p.type === 'while_statement') && p.kids[0] === n;
}

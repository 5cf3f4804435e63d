import dedent from 'dedent';
import { methodSpan } from '../model/nodes.js';
import { quote } from '../model/queries.js';
import type { PyNode } from '../syntax.js';
import { defineRule, type Match } from '../rule.js';

interface Data {
  /** The last `when*` call, when the chain is a statement of its own (safe to append to). */
  readonly appendAfter: PyNode | undefined;
}

function chainIsStatement(call: PyNode): boolean {
  let n: PyNode = call;
  while (n.parent?.type === 'parenthesized_expression') n = n.parent;
  return n.parent?.type === 'expression_statement';
}

export default defineRule<Data>({
  id: 'SLV003',
  name: 'merge-missing-execute',
  category: 'silver',
  severity: 'critical',
  default: true,
  docs: {
    summary: 'A Delta MERGE builder with `when*` clauses is never executed.',
    why: dedent`
      \`DeltaTable.merge(...)\` only builds a merge: nothing is read or written until
      \`.execute()\` is called. A chain that ends at \`whenNotMatchedInsertAll()\` runs without error
      and does nothing, so the job succeeds while the target silently stops receiving data.
    `,
    impact: 'The job reports success but the target table is never updated.',
    fix: 'End the builder chain with `.execute()`.',
    bad: dedent`
      from delta.tables import DeltaTable

      updates = spark.read.table("bronze.customers").dropDuplicates(["customer_id"])
      (DeltaTable.forName(spark, "silver.customers").alias("t")
          .merge(updates.alias("s"), "t.customer_id = s.customer_id")
          .whenMatchedUpdateAll()
          .whenNotMatchedInsertAll())
    `,
    good: dedent`
      from delta.tables import DeltaTable

      updates = spark.read.table("bronze.customers").dropDuplicates(["customer_id"])
      (DeltaTable.forName(spark, "silver.customers").alias("t")
          .merge(updates.alias("s"), "t.customer_id = s.customer_id")
          .whenMatchedUpdateAll()
          .whenNotMatchedInsertAll()
          .execute())
    `,
    quiet: [
      'The builder is returned, passed to a function, or stored on an object: it may be executed elsewhere.',
      'A builder kept in a variable is executed later in the same function (`builder.execute()`).',
      'The builder is put in a list/dict, chosen by a conditional expression, yielded, made `global`, used by a nested function or referenced as `builder.execute` without a call: we cannot see every use.',
      'A `.merge(...)` with no `when*` clause yet.',
    ],
  },
  *detect({ model }): Iterable<Match<Data>> {
    for (const chain of model.merges) {
      if (chain.executed || chain.escaped || chain.clauses.length === 0) continue;
      const last = chain.clauses[chain.clauses.length - 1]!;
      const names = chain.clauses.map((c) => `\`${model.text(methodSpan(c)).replace(/\(.*$/s, '')}()\``);
      yield {
        span: methodSpan(last),
        message: `MERGE into ${quote(chain.target)} builds ${[...new Set(names)].join(', ')} but never calls \`.execute()\`: nothing is written.`,
        data: { appendAfter: chainIsStatement(last) ? last : undefined },
      };
    }
  },
  fix(match) {
    const last = match.data?.appendAfter;
    if (!last) return undefined;
    return { description: 'Execute the merge', edits: [{ start: last.end, end: last.end, text: '.execute()' }] };
  },
});

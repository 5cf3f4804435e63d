import dedent from 'dedent';
import { callArgs, descendants } from '../model/nodes.js';
import type { FileModel } from '../model/index.js';
import { defineRule, type Match } from '../rule.js';

/**
 * Whether the file binds its own `eval`/`exec`: a function (not a method) of that name, an import
 * (`from x import eval`, `import y as eval`), or an assignment (`eval = numexpr.evaluate`).
 */
function shadowsBuiltin(model: FileModel, name: string): boolean {
  if (model.scopes.some((s) => s.kind === 'function' && s.name === name && s.parent?.kind !== 'class')) return true;
  for (const n of descendants(model.tree.root, true)) {
    if (n.type === 'import_from_statement' && model.text(n.kids[0]!) !== 'builtins' && n.kids.slice(1).some((k) => k.type === 'dotted_name' && model.text(k) === name)) return true;
    if (n.type === 'aliased_import' && n.kids[1] && model.text(n.kids[1]) === name) return true;
    if (n.type === 'assignment' && n.kids[0]?.type === 'identifier' && model.text(n.kids[0]) === name) return true;
  }
  return false;
}

export default defineRule({
  id: 'ERR005',
  name: 'eval-or-exec',
  category: 'error-handling',
  severity: 'critical',
  default: true,
  docs: {
    summary: '`eval()` or `exec()` runs code built from strings in pipeline code.',
    why: dedent`
      Pipelines build filter conditions and column expressions from configuration. Passing those
      strings to \`eval()\` runs arbitrary Python on the driver with the job's credentials: a typo
      becomes a runtime crash far from its cause, and a value from a table or a file becomes code.
      PySpark already composes expressions safely: Column objects combined with \`&\` / \`|\`,
      \`functools.reduce\`, or SQL expression strings through \`F.expr\`.
    `,
    impact: 'Configuration or data can execute arbitrary code on the driver; errors surface far from their cause.',
    fix: 'Build Column expressions directly (e.g. `functools.reduce(operator.and_, conditions)`) or use `F.expr` for SQL text.',
    bad: dedent`
      from pyspark.sql import functions as F

      checks = ["F.col('id').isNotNull()", "F.col('amount') > 0"]
      df = spark.read.table("bronze.orders")
      valid = df.filter(eval(" & ".join(f"({c})" for c in checks)))
    `,
    good: dedent`
      import functools
      import operator
      from pyspark.sql import functions as F

      checks = [F.col("id").isNotNull(), F.col("amount") > 0]
      df = spark.read.table("bronze.orders")
      valid = df.filter(functools.reduce(operator.and_, checks))
    `,
    quiet: [
      'Methods named `eval` (`pandas.DataFrame.eval`, a model\'s `eval()`), `ast.literal_eval`, `F.expr`.',
      'A file that defines (a function, not a method), imports (`from x import eval`, `... as eval`) or assigns its own `eval`/`exec`; `builtins.eval(...)` is still reported.',
    ],
  },
  *detect({ model }): Iterable<Match> {
    for (const name of ['eval', 'exec']) {
      const calls = model.callsByName.get(name) ?? [];
      if (calls.length === 0) continue;
      const shadowed = shadowsBuiltin(model, name);
      for (const call of calls) {
        const explicit = call.callee === `builtins.${name}`;
        if (!explicit && (call.callee !== name || shadowed || (call.module !== undefined && call.module !== 'builtins'))) continue;
        const arg = callArgs(call.node)?.kids[0];
        const shown = arg ? `${name}(${model.text(arg).length > 40 ? '...' : model.text(arg)})` : `${name}()`;
        yield {
          span: call.node,
          message: `\`${shown}\` runs code built from strings: build the Column expression directly instead.`,
        };
      }
    }
  },
});

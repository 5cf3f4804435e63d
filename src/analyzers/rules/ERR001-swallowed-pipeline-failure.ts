import dedent from 'dedent';
import { descendants } from '../model/nodes.js';
import { isOperationalName } from '../model/layers.js';
import { quote } from '../model/queries.js';
import type { CallSite, Context, Handler, Scope, TryStatement } from '../model/types.js';
import type { FileModel } from '../model/index.js';
import type { PyNode } from '../syntax.js';
import type { LineIndex } from '../positions.js';
import { defineRule, type Match } from '../rule.js';

/** Exception types that catch every failure of a Spark job. */
const BROAD = /^(?:(?:builtins\.)?(?:Exception|BaseException)|(?:[\w.]*\.)?Py4JJavaError|(?:[\w.]*\.)?SparkException|(?:[\w.]*\.)?StreamingQueryException)$/;
const LOG_CALL = /^(?:[\w.]*(?:log|logger|logging|LOG|LOGGER|Log|Logger))\.(?:debug|info|warning|warn|error|exception|critical|fatal|log)$|^(?:print|traceback\.print_exc|traceback\.print_exception|pprint|warnings\.warn)$/;
/** Exits the process; with no status, 0, False or None the run ends as succeeded. */
const EXIT_CALL = /^(?:sys\.exit|exit|quit|os\._exit)$/;
/** Ends a Databricks notebook run as succeeded, whatever it reports: the failure is swallowed. */
const NOTEBOOK_EXIT = /^dbutils\.notebook\.exit$/;

/** `sys.exit()`, `sys.exit(0)`: the process ends with status 0, a success for the orchestrator. */
function exitsSuccessfully(model: FileModel, call: PyNode): boolean {
  if (!EXIT_CALL.test(model.text(call.kids[0]!))) return false;
  const args = call.kids[1]?.kids ?? [];
  if (args.length === 0) return true;
  if (args.length > 1) return false;
  const arg = args[0]!;
  return arg.type === 'false' || arg.type === 'none' || (arg.type === 'integer' && Number(model.text(arg)) === 0);
}

function insideTry(ctx: Context, tryNode: PyNode): boolean {
  for (let f = ctx.tries; f; f = f.next) if (f.value.tryNode === tryNode) return true;
  return false;
}

function isBroad(handler: Handler): boolean {
  return handler.types.length === 0 || handler.types.some((t) => BROAD.test(t.replace(/\s+/g, '')));
}

/** A value that records the failure and nothing else: literals, `str(e)`, `repr(e)`, f-strings. */
function isInertValue(model: FileModel, node: PyNode): boolean {
  switch (node.type) {
    case 'string':
    case 'concatenated_string':
    case 'integer':
    case 'float':
    case 'true':
    case 'false':
    case 'none':
    case 'identifier':
      return true;
    case 'call': {
      const fn = model.text(node.kids[0]!);
      return (fn === 'str' || fn === 'repr' || fn === 'type') && (node.kids[1]?.kids ?? []).every((k) => isInertValue(model, k));
    }
    case 'list':
    case 'tuple':
    case 'dictionary':
    case 'pair':
    case 'attribute':
    case 'binary_operator':
      return node.kids.every((k) => isInertValue(model, k));
    default:
      return false;
  }
}

/** Reads of `name` (an identifier or a dotted attribute) in `root`, outside `skip`, not as an assignment target. */
function isReadIn(model: FileModel, root: PyNode, name: string, skip: PyNode): boolean {
  for (const n of descendants(root, true)) {
    if (n.type !== 'identifier' && n.type !== 'attribute') continue;
    if (n.start >= skip.start && n.end <= skip.end) continue;
    if (model.text(n) !== name) continue;
    const p = n.parent;
    if (p?.type === 'attribute' && p.kids[0] !== n) continue;
    if ((p?.type === 'assignment' || p?.type === 'augmented_assignment') && p.kids[0] === n) continue;
    return true;
  }
  return false;
}

/**
 * A flag or fallback set in the handler (`failed = True`, `self.status = "FAILED"`,
 * `errors[t] = str(e)`) that the code reads elsewhere: it may be checked later and fail the job.
 */
function flagReadLater(model: FileModel, t: TryStatement, handler: Handler, target: PyNode): boolean {
  let n = target;
  while (n.type === 'subscript') n = n.kids[0]!;
  if (n.type !== 'identifier' && n.type !== 'attribute') return true;
  const name = model.text(n);
  let root: PyNode = model.tree.root;
  if (n.type === 'identifier' && t.ctx.scope.kind === 'function') {
    const declared = [...descendants(t.ctx.scope.node, true)].some(
      (d) => (d.type === 'global_statement' || d.type === 'nonlocal_statement') && d.kids.some((k) => model.text(k) === name),
    );
    if (!declared) root = t.ctx.scope.node;
  }
  return isReadIn(model, root, name, handler.body);
}

/**
 * `return False` / `return 1` from the handler hands a status to the caller. It is swallowed only
 * when the function is called in this file and every call discards the result; unknown callers may check it.
 */
function statusDiscarded(model: FileModel, t: TryStatement): boolean {
  const scope = t.ctx.scope;
  if (scope.kind !== 'function') return false;
  const calls = (model.callsByName.get(scope.name) ?? []).filter((c) => c.callee === scope.name || c.callee.endsWith(`.${scope.name}`));
  if (calls.length === 0) return false;
  return calls.every((c) => c.node.parent?.type === 'expression_statement');
}

/**
 * Whether the handler only records the failure: `pass`, logging, printing, `continue`/`break`,
 * a bare `return` (or a returned status every caller ignores), a flag nothing reads. Any other
 * statement (a call we cannot see into, a `raise`, `sys.exit(1)`, a write to a dead-letter
 * table) counts as handling it.
 */
function swallows(model: FileModel, t: TryStatement, handler: Handler): boolean {
  for (const n of descendants(handler.body)) if (n.type === 'raise_statement') return false;
  for (const stmt of handler.body.kids) {
    switch (stmt.type) {
      case 'pass_statement':
      case 'continue_statement':
      case 'break_statement':
        continue;
      case 'return_statement': {
        if (!stmt.kids.every((k) => isInertValue(model, k))) return false;
        const value = stmt.kids[0];
        if (value && value.type !== 'none' && !statusDiscarded(model, t)) return false;
        continue;
      }
      case 'expression_statement': {
        const expr = stmt.kids[0];
        if (!expr) continue;
        if (expr.type === 'string' || expr.type === 'ellipsis') continue;
        if (expr.type === 'call' && (LOG_CALL.test(model.text(expr.kids[0]!)) || NOTEBOOK_EXIT.test(model.text(expr.kids[0]!)) || exitsSuccessfully(model, expr))) continue;
        if (expr.type === 'assignment' || expr.type === 'augmented_assignment') {
          const value = expr.kids[expr.kids.length - 1];
          const target = expr.kids[0];
          if (value && target && (target.type === 'identifier' || target.type === 'subscript' || target.type === 'attribute') && isInertValue(model, value) && !flagReadLater(model, t, handler, target)) continue;
        }
        return false;
      }
      default:
        return false;
    }
  }
  return true;
}

/** SQL statements that change data (INSERT and MERGE are sinks already). */
const SQL_WRITES = new Set(['update', 'delete', 'copy']);

/**
 * Best-effort writes whose failure must not fail the job: run metrics, telemetry, audit logs.
 * A broad handler around only those is a deliberate choice.
 */
function onlyTelemetry(model: FileModel, t: TryStatement): boolean {
  const sinks = model.sinks.filter((s) => insideTry(s.ctx, t.node));
  const actions = model.actions.filter((a) => insideTry(a.ctx, t.node));
  return sinks.length > 0 && actions.every((a) => sinks.some((s) => s.df && a.df === s.df)) && sinks.every((s) => isOperationalName(s.target.display));
}

/** Inside a bounded retry loop whose `else` raises when the attempts run out. */
function retriedThenRaised(t: TryStatement): boolean {
  const loop = t.ctx.loops?.value;
  const elseClause = loop?.kids.find((k) => k.type === 'else_clause');
  return elseClause !== undefined && [...descendants(elseClause)].some((n) => n.type === 'raise_statement');
}

function inFunction(scope: Scope | undefined, fn: Scope): boolean {
  for (let s = scope; s; s = s.parent) if (s.node === fn.node) return true;
  return false;
}

/**
 * The function of this file a call runs: `main()` for a module-level `def main`, `self.load()`
 * for a method of the caller's class. Calls on anything else stay opaque.
 */
function localFunction(call: CallSite, functions: readonly Scope[]): Scope | undefined {
  const callee = call.callee;
  if (/^[A-Za-z_]\w*$/.test(callee)) return functions.find((f) => f.name === callee && f.parent?.kind === 'module');
  const method = /^self\.([A-Za-z_]\w*)$/.exec(callee);
  if (!method) return undefined;
  let cls = call.ctx.scope.parent;
  while (cls && cls.kind !== 'class') cls = cls.parent;
  return functions.find((f) => f.name === method[1] && f.parent?.node === cls?.node);
}

/** Functions of the file that write or call anything, computed once per file. */
const functionsByModel = new WeakMap<FileModel, Scope[]>();
function functionsOf(model: FileModel): Scope[] {
  let functions = functionsByModel.get(model);
  if (!functions) {
    const set = new Set<Scope>();
    for (const { ctx } of [...model.sinks, ...model.calls]) for (let x: Scope | undefined = ctx.scope; x; x = x.parent) if (x.kind === 'function') set.add(x);
    functions = [...set];
    functionsByModel.set(model, functions);
  }
  return functions;
}

/**
 * Writes that a call in the `try` body makes through functions of this file (`main()` wrapped in
 * a try at the bottom of a job), up to a few calls deep. Operational writes are left out.
 */
function writesThroughCalls(model: FileModel, t: TryStatement): { start: number; what: string }[] {
  const functions = functionsOf(model);
  if (functions.length === 0) return [];
  const found: { start: number; what: string }[] = [];
  const seen = new Set<PyNode>();
  const visit = (call: CallSite, via: CallSite, depth: number): void => {
    const fn = localFunction(call, functions);
    if (!fn || seen.has(fn.node)) return;
    seen.add(fn.node);
    for (const sink of model.sinks) {
      if (sink.kind === 'dlt' || !inFunction(sink.ctx.scope, fn) || isOperationalName(sink.target.display)) continue;
      found.push({ start: via.node.start, what: `the write to ${quote(sink.target)} in \`${via.callee}()\`` });
    }
    if (depth < 3) for (const inner of model.calls) if (inFunction(inner.ctx.scope, fn)) visit(inner, via, depth + 1);
  };
  for (const call of model.calls) if (insideTry(call.ctx, t.node) && !inNestedScope(call, t)) visit(call, call, 1);
  return found;
}

/** A call inside a function or lambda defined within the try body runs when that is called, not here. */
function inNestedScope(call: CallSite, t: TryStatement): boolean {
  return call.ctx.scope !== t.ctx.scope;
}

function firstRisk(model: FileModel, lines: LineIndex, t: TryStatement): { what: string; line: number } | undefined {
  const line = (offset: number): number => lines.line(offset);
  const candidates: { start: number; what: string }[] = [];
  for (const sink of model.sinks) {
    if (!insideTry(sink.ctx, t.node)) continue;
    const what = sink.kind === 'merge' || sink.kind === 'sql-merge' ? `the MERGE into ${quote(sink.target)}` : sink.kind === 'stream' ? `the streaming write to ${quote(sink.target)}` : `the write to ${quote(sink.target)}`;
    candidates.push({ start: sink.node.start, what });
  }
  for (const action of model.actions) {
    if (!insideTry(action.ctx, t.node)) continue;
    candidates.push({ start: action.node.start, what: `\`${action.name}()\`` });
  }
  for (const statement of model.sql) {
    if (!SQL_WRITES.has(statement.kind) || !insideTry(statement.ctx, t.node)) continue;
    candidates.push({ start: statement.node.start, what: `the SQL ${statement.kind.toUpperCase()}${statement.target ? ` of ${quote(statement.target)}` : ''}` });
  }
  // A streaming query fails in `awaitTermination()`: that is where its error surfaces.
  for (const name of ['awaitTermination', 'awaitAnyTermination']) {
    for (const call of model.callsByName.get(name) ?? []) {
      if (insideTry(call.ctx, t.node)) candidates.push({ start: call.node.start, what: `the streaming query's \`${name}()\`` });
    }
  }
  if (candidates.length === 0) candidates.push(...writesThroughCalls(model, t));
  candidates.sort((a, b) => a.start - b.start);
  const first = candidates[0];
  return first ? { what: first.what, line: line(first.start) } : undefined;
}

export default defineRule({
  id: 'ERR001',
  name: 'swallowed-pipeline-failure',
  category: 'error-handling',
  severity: 'critical',
  default: true,
  docs: {
    summary: 'A broad `except` around a write, MERGE, action or streaming `awaitTermination()` only logs (or passes) and lets the job finish successfully.',
    why: dedent`
      Orchestrators (Databricks Jobs, Airflow, ADF) decide retries, alerts and downstream runs from
      the job's exit status. A handler that catches \`Exception\` around a write and only logs it turns
      a failed load into a green run: downstream jobs read incomplete data and nobody is paged.
      Log with context, then re-raise (or route the failed records to a dead-letter table and fail
      if that cannot be done).
    `,
    impact: 'A failed write ends as a successful run: data is missing and no retry or alert happens.',
    fix: 'Re-raise after logging (`raise`), or raise a specific error the orchestrator sees.',
    bad: dedent`
      import logging

      logger = logging.getLogger(__name__)
      df = spark.read.table("bronze.events")
      try:
          df.write.mode("append").saveAsTable("silver.events_raw_copy")
      except Exception as e:
          logger.error("write failed: %s", e)
    `,
    good: dedent`
      import logging

      logger = logging.getLogger(__name__)
      df = spark.read.table("bronze.events")
      try:
          df.write.mode("append").saveAsTable("silver.events_raw_copy")
      except Exception:
          logger.exception("write to silver.events_raw_copy failed")
          raise
    `,
    quiet: [
      'The handler catches a specific exception (`AnalysisException`, `FileNotFoundError`...): that is deliberate handling.',
      'The handler raises, exits non-zero, or calls anything besides logging/printing/`warnings.warn` (a dead-letter write, an alert function, a circuit breaker). `dbutils.notebook.exit(...)` and `sys.exit()` / `sys.exit(0)` are not exits with failure: the run still ends as succeeded, so they count as swallowing.',
      'No write, MERGE, SQL UPDATE/DELETE/COPY, action or `awaitTermination()` is inside the `try` body, or in a function of this file it calls (`main()`, `self.load()`, a few calls deep). Calls into other modules are opaque and do not count.',
      'The `try` is in a bounded retry loop whose `else` raises once the attempts run out.',
      'Everything the `try` writes is operational (run metrics, telemetry, audit or job logs): recording them is best effort by design.',
      'The handler sets a flag or fallback that the code reads elsewhere (`failed = True` checked later, `self.failed` read by another method).',
      'The handler returns a status (`return False`) and some caller uses the result, or no caller is in this file.',
    ],
  },
  *detect({ model, lines }): Iterable<Match> {
    for (const t of model.tries) {
      if (retriedThenRaised(t) || onlyTelemetry(model, t)) continue;
      const broadSwallowing = t.handlers.filter((h) => isBroad(h) && swallows(model, t, h));
      if (broadSwallowing.length === 0) continue;
      const risk = firstRisk(model, lines, t);
      if (!risk) continue;
      for (const handler of broadSwallowing) {
        const caught = handler.types.length === 0 ? '`except:`' : handler.types.length === 1 ? `\`except ${handler.types[0]}\`` : `\`except (${handler.types.join(', ')})\``;
        yield {
          span: { start: handler.node.start, end: handler.body.start },
          message: `${caught} swallows a failure of ${risk.what} (line ${risk.line}): the job ends successfully with the data missing. Re-raise after logging.`,
        };
      }
    }
  },
});

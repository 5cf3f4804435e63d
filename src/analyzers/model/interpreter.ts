import type { PyNode, SyntaxTree } from '../syntax.js';
import type { LayerInference } from './layers.js';
import {
  assignmentParts,
  attributeName,
  attributeObject,
  lastBlock,
  methodSpan,
  unparen,
} from './nodes.js';
import {
  BATCH_WRITER_TERMINALS,
  DF_ACTIONS,
  DF_GROUPING,
  DF_MULTI_INPUT,
  DF_ONLY_METHODS,
  DF_TRANSFORMS,
  DLT_DATASET_DECORATORS,
  GROUPED_AGGREGATES,
  MERGE_CLAUSES,
  READER_TERMINALS,
  STREAM_WRITER_TERMINALS,
  TEMP_VIEW_METHODS,
  WRITER_V2_TERMINALS,
} from './spark-api.js';
import { upstream } from './lineage.js';
import { analyzeSql, sqlWithPlaceholders, type SqlInfo } from './sql.js';
import {
  concatStr,
  decodeEscapes,
  hasLiteralText,
  holeStr,
  literalStr,
  plainStringValue,
  splitStringLiteral,
  strDisplay,
  strValue,
  type Str,
} from './strings.js';
import type {
  Action,
  BranchFrame,
  CallSite,
  ConfSetting,
  Context,
  DFNode,
  Frame,
  Handler,
  MergeChain,
  OpaqueReason,
  OptionValue,
  Scope,
  Sink,
  SinkKind,
  Source,
  SourceKind,
  SqlStatementRecord,
  Target,
  TryStatement,
} from './types.js';
import {
  UNKNOWN_EXPR,
  unknown,
  type FormatInfo,
  type ModeInfo,
  type ReaderState,
  type Unknown,
  type Value,
  type WriterState,
  type WriterV2State,
} from './values.js';

export interface ModelEvents {
  readonly scopes: Scope[];
  readonly sources: Source[];
  readonly dataframes: DFNode[];
  readonly sinks: Sink[];
  readonly actions: Action[];
  readonly merges: MergeChain[];
  readonly calls: CallSite[];
  readonly tries: TryStatement[];
  readonly conf: ConfSetting[];
  readonly sql: SqlStatementRecord[];
  readonly tempViews: Map<string, DFNode>;
  readonly imports: Set<string>;
  /** For `if` conditions: the texts of what the names in them stand for. */
  readonly conditionRefs: Map<PyNode, string[]>;
  /** A Spark session handle is used (`spark`, a `spark` parameter, `SparkSession...getOrCreate()`). */
  usesSpark: boolean;
  /** Expressions too deeply nested to follow; the model is partial there. */
  truncated: boolean;
}

interface Args {
  readonly pos: Value[];
  readonly posNodes: PyNode[];
  readonly kw: Map<string, { readonly value: Value; readonly node: PyNode; readonly kwNode: PyNode }>;
  /** `*args` / `**kwargs` present: some arguments are unknown. */
  readonly splat: boolean;
  readonly kwSplats: Value[];
  readonly nodes: PyNode[];
  /**
   * What names used anywhere inside the arguments stand for: the expressions they were bound to
   * (`col("d") >= cutoff`), or the constant strings they hold (`F.col(CHANGE_TYPE)`).
   */
  readonly refs: (PyNode | string)[];
}

/** Shared by every call without keyword arguments; never written to (see evalArgs). */
const NO_KEYWORDS: Args['kw'] = new Map();
const NO_ARGS: Args = { pos: [], posNodes: [], kw: NO_KEYWORDS, splat: false, kwSplats: [], nodes: [], refs: [] };

const MAX_DEPTH = 400;
/** Names that say "DataFrame": `df`, `bronze_df`, `events_sdf`, `dataframe`. */
const DATAFRAME_NAME = /(?:^|_)(?:s?df|dataframe)s?$|^s?df(?:_|\d|$)/i;

function isDataFrameMethod(name: string): boolean {
  return DF_TRANSFORMS.has(name) || DF_GROUPING.has(name) || DF_ACTIONS.has(name) || TEMP_VIEW_METHODS.has(name);
}
const SPARK_NAMES = /^(?:self\.|cls\.)?_*(?:spark|spark_?session|sparksession|ss|session|spark_?sess)$/i;
/** Factories that hand out the session: `get_spark()`, `get_spark_session()`, `create_spark_session()`. */
const SPARK_FACTORY = /^(?:get|create|build|init|make|new)_?spark(?:_?session)?$/i;

class Env {
  readonly vars: Map<string, Value>;
  constructor(
    readonly scope: Scope,
    readonly parent: Env | undefined,
    vars?: Map<string, Value>,
  ) {
    this.vars = vars ?? new Map();
  }
}

interface ClassInfo {
  readonly name: string;
  /** `self.x` assigned exactly once to a constant string. */
  readonly constants: Map<string, Str>;
  /** `self.x = some_name`: the names it came from. */
  readonly aliases: Map<string, string[]>;
}

interface ScopeRun {
  readonly scope: Scope;
  readonly dlt: { readonly name: Str; readonly node: PyNode } | undefined;
  /** Names declared `global`/`nonlocal`: what is bound to them escapes this function. */
  readonly globals: Set<string>;
  /** What `return` statements give back; undefined for a bare `return`. */
  readonly returns: (Value | undefined)[];
}

/**
 * What a function of this file does to DataFrames, so a call to it is not opaque: it returns
 * DataFrames built only from its parameters (by the steps in its body) and from reads it makes.
 */
interface HelperSummary {
  readonly params: readonly string[];
  /** Parameters whose DataFrames flow into the result. */
  readonly dataParams: ReadonlySet<string>;
  readonly returned: readonly DFNode[];
}

function frame<T>(value: T, next: Frame<T> | undefined): Frame<T> {
  return { value, next };
}

/** Calls that end the program or the notebook: `sys.exit(...)`, `dbutils.notebook.exit(...)`. */
const EXIT_CALL = /^(?:sys\.exit|exit|quit|os\._exit|dbutils\.notebook\.exit)\s*\(/;

function isTerminator(stmt: PyNode | undefined, source: string): boolean {
  if (!stmt) return false;
  if (stmt.type === 'expression_statement') {
    const call = stmt.kids[0];
    return call?.type === 'call' && EXIT_CALL.test(source.slice(call.start, call.end));
  }
  return (
    stmt.type === 'return_statement' ||
    stmt.type === 'raise_statement' ||
    stmt.type === 'continue_statement' ||
    stmt.type === 'break_statement'
  );
}

/**
 * One pass over a file's statements, in order, evaluating expressions abstractly: which names
 * hold the Spark session, readers, DataFrames (with their lineage), writers, Delta tables, merge
 * builders and constant strings. Sources, transforms, sinks, actions, merges and call sites are
 * recorded as they are met, with the context (scope, loops, try blocks, branches) they occur in.
 */
export class Interpreter {
  readonly events: ModelEvents = {
    scopes: [],
    sources: [],
    dataframes: [],
    sinks: [],
    actions: [],
    merges: [],
    calls: [],
    tries: [],
    conf: [],
    sql: [],
    tempViews: new Map(),
    imports: new Set(),
    conditionRefs: new Map(),
    usesSpark: false,
    truncated: false,
  };

  private readonly source: string;
  private ctx: Context;
  private env: Env;
  private depth = 0;
  private readonly moduleConstants = new Map<string, Str>();
  private readonly classes: ClassInfo[] = [];
  private readonly runs: ScopeRun[] = [];
  private readonly starImports = new Set<string>();
  private readonly opaqueOf = new WeakMap<Unknown, DFNode>();
  private readonly pendingForeachBatch: { name: string; node: PyNode }[] = [];
  private readonly helpers = new Map<Scope, HelperSummary>();
  private nextId = 0;
  /** Where identifier lookups inside call arguments report the expressions they name. */
  private refCollector: (PyNode | string)[] | undefined;

  constructor(
    private readonly tree: SyntaxTree,
    private readonly path: string,
    private readonly layers: LayerInference,
  ) {
    this.source = tree.source;
    const moduleScope: Scope = {
      kind: 'module',
      name: '<module>',
      node: tree.root,
      parent: undefined,
      params: [],
      decorators: [],
      isForeachBatch: false,
    };
    this.events.scopes.push(moduleScope);
    this.ctx = { scope: moduleScope, loops: undefined, tries: undefined, branches: undefined };
    this.env = new Env(moduleScope, undefined);
    this.runs.push({ scope: moduleScope, dlt: undefined, globals: new Set(), returns: [] });
  }

  run(): ModelEvents {
    this.collectModuleConstants(this.tree.root);
    this.execBlock(this.tree.root);
    this.resolvePendingForeachBatch();
    return this.events;
  }

  // ---------------------------------------------------------------- helpers

  private text(node: PyNode): string {
    return this.source.slice(node.start, node.end);
  }

  private withCtx<T>(ctx: Context, body: () => T): T {
    const saved = this.ctx;
    this.ctx = ctx;
    try {
      return body();
    } finally {
      this.ctx = saved;
    }
  }

  private functionNames(scope: Scope): string[] {
    const names: string[] = [];
    for (let s: Scope | undefined = scope; s; s = s.parent) {
      if (s.kind === 'function' || s.kind === 'class') names.push(s.name);
    }
    return names;
  }

  /** Identifier-like text of an expression naming a target: `bronze_path`, `self.silver_table`. */
  private namingText(node: PyNode | undefined): string | undefined {
    if (!node) return undefined;
    const n = unparen(node);
    if (n.type === 'identifier') return this.text(n);
    if (n.type === 'attribute') {
      const obj = attributeObject(n);
      if (obj && (obj.type === 'identifier' || obj.type === 'attribute')) {
        const inner = this.namingText(obj);
        const attr = attributeName(n);
        if (inner !== undefined && attr) return `${inner}.${this.text(attr)}`;
      }
    }
    return undefined;
  }

  private makeTarget(node: PyNode | undefined, value: Value | undefined, role: 'source' | 'sink', strOverride?: Str): Target {
    const s = strOverride ?? (value?.k === 'str' ? value.s : undefined);
    const names: string[] = [];
    const own = this.namingText(node);
    if (own) names.push(own);
    if (value && (value.k === 'unknown' || value.k === 'str')) {
      for (const n of value.names) if (!names.includes(n)) names.push(n);
    }
    if (s) {
      for (const part of s.parts) if (typeof part !== 'string' && !names.includes(part.hole)) names.push(part.hole);
    }
    const resolved = strValue(s);
    const display =
      resolved ?? (s && hasLiteralText(s) ? strDisplay(s) : node ? this.text(node) : s ? strDisplay(s) : '(unnamed)');
    // A write that names no table (`foreachBatch(...).start()`) writes nothing the layers can place.
    const named = node !== undefined || s !== undefined;
    const verdict = this.layers.infer({
      str: s,
      names,
      functionNames: role === 'sink' && named ? this.functionNames(this.ctx.scope) : [],
      path: role === 'sink' && named ? this.path : undefined,
    });
    return { node, str: s, names, display, layer: verdict.layer, evidence: verdict.evidence };
  }

  private newDF(
    kind: DFNode['kind'],
    op: string,
    node: PyNode,
    parents: readonly DFNode[],
    extra: { source?: Source; opaque?: DFNode['opaque']; args?: readonly PyNode[]; argRefs?: readonly PyNode[]; argStrings?: readonly string[]; stream?: boolean } = {},
  ): DFNode {
    const df: DFNode = {
      id: this.nextId++,
      kind,
      op,
      node,
      args: extra.args ?? [],
      argRefs: extra.argRefs ?? [],
      argStrings: extra.argStrings ?? [],
      parents,
      source: extra.source,
      opaque: extra.opaque,
      stream: extra.stream ?? parents.some((p) => p.stream),
      ctx: this.ctx,
      children: [],
      consumers: [],
      escapes: [],
      cached: false,
    };
    for (const p of parents) p.children.push(df);
    this.events.dataframes.push(df);
    return df;
  }

  /** `df.alias("s")` and hints are the same data: consumers attach to what they wrap. */
  private underlying(df: DFNode): DFNode {
    let d = df;
    while (d.kind === 'transform' && (d.op === 'alias' || d.op === 'hint') && d.parents[0]) d = d.parents[0];
    return d;
  }

  private opaqueReason(u: Unknown): OpaqueReason {
    return u.origin === 'expression' ? 'expression' : u.origin;
  }

  /** A value used as a DataFrame: unknown values become opaque roots (once per value). */
  private asDF(value: Value, node: PyNode): DFNode | undefined {
    if (value.k === 'df') return value.df;
    if (value.k !== 'unknown') return undefined;
    let df = this.opaqueOf.get(value);
    if (!df) {
      df = this.newDF('opaque', 'opaque', node, [], {
        opaque: { reason: this.opaqueReason(value), names: value.names },
      });
      if (value !== UNKNOWN_EXPR) this.opaqueOf.set(value, df);
    }
    return df;
  }

  private escape(value: Value | undefined, node: PyNode): void {
    if (!value) return;
    if (value.k === 'df') this.underlying(value.df).escapes.push(node);
    else if (value.k === 'merge') value.m.escaped = true;
    else if (value.k === 'grouped' || value.k === 'na') value.df.escapes.push(node);
    else if (value.k === 'writer' || value.k === 'writerV2') value.w.df.escapes.push(node);
    else if (value.k === 'seq') for (const item of value.items) this.escape(item, node);
    else if (value.k === 'dict') for (const [, v] of value.entries) this.escape(v, node);
  }

  private escapeArgs(args: Args, node: PyNode): void {
    for (const v of args.pos) this.escape(v, node);
    for (const { value } of args.kw.values()) this.escape(value, node);
  }

  private strOf(value: Value | undefined): Str | undefined {
    return value?.k === 'str' ? value.s : undefined;
  }

  /** A value as a string with holes: unknown values become a hole named by their source. */
  private strOrHole(value: Value, node: PyNode): Str {
    if (value.k === 'str') return value.s;
    if (value.k === 'lit') return literalStr(value.text);
    return holeStr(this.text(node));
  }

  private columnNames(value: Value | undefined): (string | null)[] | undefined {
    if (!value) return undefined;
    if (value.k === 'seq') return value.items.flatMap((v) => this.columnNames(v) ?? [null]);
    const s = strValue(this.strOf(value));
    return [s ?? null];
  }

  // ------------------------------------------------------------- statements

  private collectModuleConstants(module: PyNode): void {
    const counts = new Map<string, number>();
    const values = new Map<string, PyNode>();
    for (const stmt of module.kids) {
      if (stmt.type !== 'expression_statement') continue;
      const assign = stmt.kids[0];
      if (assign?.type !== 'assignment') continue;
      const { left, right } = assignmentParts(assign);
      if (left?.type !== 'identifier' || !right) continue;
      const name = this.text(left);
      counts.set(name, (counts.get(name) ?? 0) + 1);
      values.set(name, right);
    }
    // Constants may refer to earlier constants: resolve in source order, literal parts only.
    for (const [name, node] of values) {
      if (counts.get(name) !== 1) continue;
      const s = this.constantStr(node);
      if (s) this.moduleConstants.set(name, s);
    }
    for (const stmt of module.kids) {
      if (stmt.type === 'expression_statement') {
        const assign = stmt.kids[0];
        if (assign?.type === 'augmented_assignment' && assign.kids[0]?.type === 'identifier') {
          this.moduleConstants.delete(this.text(assign.kids[0]));
        }
      }
    }
  }

  /** A string built only from literals and module constants (no evaluation side effects). */
  private constantStr(node: PyNode): Str | undefined {
    const n = unparen(node);
    switch (n.type) {
      case 'string':
        if (n.kids.length === 0) {
          const v = plainStringValue(this.text(n));
          return v === undefined ? undefined : literalStr(v);
        }
        return undefined;
      case 'concatenated_string': {
        const parts = n.kids.map((k) => this.constantStr(k));
        return parts.every((p): p is Str => p !== undefined) ? concatStr(...parts) : undefined;
      }
      case 'identifier':
        return this.moduleConstants.get(this.text(n));
      case 'binary_operator': {
        if (n.ops?.[0] !== '+') return undefined;
        const l = n.kids[0] && this.constantStr(n.kids[0]);
        const r = n.kids[1] && this.constantStr(n.kids[1]);
        return l && r ? concatStr(l, r) : undefined;
      }
      default:
        return undefined;
    }
  }

  private execBlock(block: PyNode): boolean {
    const saved = this.ctx;
    let terminated = false;
    try {
      for (const stmt of block.kids) {
        const continuation = this.execStmt(stmt);
        // After `if x: ...; return`, the rest of the block never runs together with that branch.
        if (continuation) this.ctx = { ...this.ctx, branches: frame(continuation, this.ctx.branches) };
        terminated = isTerminator(stmt, this.source);
      }
    } finally {
      this.ctx = saved;
    }
    return terminated;
  }

  private execStmt(stmt: PyNode): BranchFrame | undefined {
    switch (stmt.type) {
      case 'expression_statement':
        for (const kid of stmt.kids) this.evalTopExpression(kid);
        return;
      case 'if_statement':
        return this.execIf(stmt);
      case 'for_statement':
      case 'while_statement':
        this.execLoop(stmt);
        return undefined;
      case 'try_statement':
        this.execTry(stmt);
        return undefined;
      case 'with_statement':
        this.execWith(stmt);
        return undefined;
      case 'function_definition':
        this.execFunction(stmt, []);
        return;
      case 'class_definition':
        this.execClass(stmt, []);
        return undefined;
      case 'decorated_definition': {
        const def = stmt.kids[stmt.kids.length - 1];
        const decorators = stmt.kids.slice(0, -1).map((d) => d.kids[0]).filter((d): d is PyNode => d !== undefined);
        for (const d of decorators) this.eval(d);
        if (def?.type === 'function_definition') this.execFunction(def, decorators);
        else if (def?.type === 'class_definition') this.execClass(def, decorators);
        return;
      }
      case 'return_statement':
        this.execReturn(stmt);
        return undefined;
      case 'import_statement':
      case 'import_from_statement':
      case 'future_import_statement':
        this.execImport(stmt);
        return undefined;
      case 'match_statement':
        this.execMatch(stmt);
        return undefined;
      case 'global_statement':
      case 'nonlocal_statement': {
        const run = this.runs[this.runs.length - 1];
        for (const kid of stmt.kids) if (kid.type === 'identifier') run?.globals.add(this.text(kid));
        return;
      }
      case 'raise_statement':
      case 'assert_statement':
      case 'delete_statement':
      case 'print_statement':
      case 'exec_statement':
        for (const kid of stmt.kids) this.eval(kid);
        return;
      case 'block':
        this.execBlock(stmt);
        return;
      case 'ERROR':
        // Unparseable region: nothing in it is trusted, and names it may bind become unknown.
        return;
      default:
        return;
    }
  }

  private evalTopExpression(node: PyNode): void {
    switch (node.type) {
      case 'assignment':
        this.execAssignment(node);
        return;
      case 'augmented_assignment': {
        const [left, right] = node.kids;
        if (!left || !right) return;
        const value = this.eval(right);
        if (node.ops?.[0] === '+=' && left.type === 'identifier') {
          const current = this.lookup(this.text(left), left);
          if (current.k === 'str' && value.k === 'str') {
            this.env.vars.set(this.text(left), { k: 'str', s: concatStr(current.s, value.s), names: [] });
            return;
          }
        }
        this.bind(left, unknown('expression', [], node));
        return;
      }
      default:
        this.eval(node);
    }
  }

  private execAssignment(node: PyNode): void {
    const { left, right } = assignmentParts(node);
    if (!left) return;
    if (!right) return; // annotation only
    let value: Value;
    if (right.type === 'assignment') {
      // a = b = expr: evaluate once, bind every target.
      this.execAssignment(right);
      let inner = right;
      while (inner.type === 'assignment') {
        const parts = assignmentParts(inner);
        if (!parts.right || parts.right.type !== 'assignment') break;
        inner = parts.right;
      }
      const innerLeft = assignmentParts(inner).left;
      value = innerLeft ? this.eval(innerLeft) : UNKNOWN_EXPR;
    } else {
      value = this.eval(right);
    }
    this.bind(left, this.named(value, right));
  }

  /** Records the defining expression of unknown values, so rules can read through a name. */
  private named(value: Value, expr: PyNode): Value {
    if (value.k === 'unknown' && value.expr === undefined && value !== UNKNOWN_EXPR) {
      return { ...value, expr };
    }
    if (value === UNKNOWN_EXPR) return unknown('expression', [], expr);
    return value;
  }

  private bind(target: PyNode, value: Value): void {
    const t = unparen(target);
    switch (t.type) {
      case 'identifier': {
        const name = this.text(t);
        if (this.runs[this.runs.length - 1]?.globals.has(name)) this.escape(value, t);
        // A value bound to a name is named by it: `bronze_path = ...` carries `bronze_path`.
        if (value.k === 'unknown' && !value.names.includes(name)) {
          this.env.vars.set(name, { ...value, names: [...value.names, name] });
          return;
        }
        if (value.k === 'str' && !value.names.includes(name)) {
          this.env.vars.set(name, { ...value, names: [...value.names, name] });
          return;
        }
        this.env.vars.set(name, value);
        return;
      }
      case 'attribute': {
        const naming = this.namingText(t);
        const obj = attributeObject(t);
        if (naming && obj && (this.text(obj) === 'self' || this.text(obj) === 'cls')) {
          this.env.vars.set(naming, value);
          // Other methods may use it where we cannot see.
          this.escape(value, t);
          return;
        }
        if (obj) this.eval(obj);
        this.escape(value, t);
        return;
      }
      case 'pattern_list':
      case 'tuple_pattern':
      case 'list_pattern':
      case 'tuple':
      case 'list':
      case 'expression_list': {
        const items = value.k === 'seq' && value.items.length === t.kids.length ? value.items : undefined;
        t.kids.forEach((kid, i) => this.bind(kid, items?.[i] ?? unknown('expression', [], kid)));
        if (!items) this.escape(value, t);
        return;
      }
      case 'subscript': {
        const [base, key] = t.kids;
        const container = base?.type === 'identifier' ? this.env.vars.get(this.text(base)) : undefined;
        const keyValue = key ? this.eval(key) : undefined;
        if (base && container?.k === 'dict') {
          // `opts["checkpointLocation"] = path`: the dict now holds that entry too.
          const k = strValue(this.strOf(keyValue));
          this.env.vars.set(
            this.text(base),
            k === undefined
              ? { ...container, opaque: true }
              : { k: 'dict', opaque: container.opaque, entries: [...container.entries.filter(([ek]) => strValue(this.strOf(ek)) !== k), [keyValue!, value, t]] },
          );
        } else if (base) {
          this.eval(base);
        }
        this.escape(value, t);
        return;
      }
      default:
        this.escape(value, t);
    }
  }

  private lookup(name: string, node: PyNode): Value {
    const value = this.lookupBinding(name, node);
    if (this.refCollector) {
      if (value.k === 'unknown' && value.expr) this.refCollector.push(value.expr);
      else if (value.k === 'str') {
        const text = strValue(value.s);
        if (text !== undefined) this.refCollector.push(JSON.stringify(text));
      }
    }
    return value;
  }

  private lookupBinding(name: string, node: PyNode): Value {
    const local = this.env.vars.get(name);
    if (local) return local;
    for (let e = this.env.parent; e; e = e.parent) {
      const v = e.vars.get(name);
      if (!v) continue;
      // DataFrames of an enclosing scope may have changed by the time this code runs.
      switch (v.k) {
        case 'str':
        case 'lit':
        case 'module':
        case 'func':
        case 'spark':
        case 'conf':
        case 'sparkBuilder':
          return v;
        case 'seq':
        case 'dict':
        case 'unknown':
        case 'delta':
          // Not data: a module-level `RUN_TS = datetime.now()` keeps its expression for rules, and
          // a module-level `DeltaTable.forName(...)` is still that table.
          return v;
        default:
          // A nested function may run any time: whatever it does to the builder, we cannot order it.
          this.escape(v, node);
          return unknown('outer-scope', [name]);
      }
    }
    const constant = this.moduleConstants.get(name);
    if (constant) return { k: 'str', s: constant, names: [name] };
    if (SPARK_NAMES.test(name) || name === 'sqlContext') {
      this.events.usesSpark = true;
      return { k: 'spark' };
    }
    if (name === 'DeltaTable') return { k: 'module', name: 'delta.tables.DeltaTable' };
    if (name === 'SparkSession') return { k: 'module', name: 'pyspark.sql.SparkSession' };
    if (name === 'dlt') return { k: 'module', name: 'dlt' };
    if (this.starImports.size > 0) {
      for (const mod of this.starImports) {
        if (mod === 'pyspark.sql.functions') return { k: 'module', name: `${mod}.${name}` };
      }
    }
    return unknown('unbound', [name]);
  }

  private execImport(stmt: PyNode): void {
    if (stmt.type === 'import_statement') {
      for (const item of stmt.kids) {
        if (item.type === 'dotted_name') {
          const full = this.text(item);
          this.events.imports.add(full);
          const head = full.split('.')[0]!;
          this.env.vars.set(head, { k: 'module', name: head });
        } else if (item.type === 'aliased_import') {
          const [name, alias] = item.kids;
          if (!name || !alias) continue;
          const full = this.text(name);
          this.events.imports.add(full);
          this.env.vars.set(this.text(alias), { k: 'module', name: full });
        }
      }
      return;
    }
    if (stmt.type !== 'import_from_statement') return;
    const [moduleNode, ...names] = stmt.kids;
    if (!moduleNode) return;
    const mod = this.text(moduleNode);
    this.events.imports.add(mod);
    for (const item of names) {
      if (item.type === 'wildcard_import') {
        this.starImports.add(mod);
      } else if (item.type === 'dotted_name') {
        const name = this.text(item);
        this.events.imports.add(`${mod}.${name}`);
        this.env.vars.set(name, { k: 'module', name: `${mod}.${name}` });
      } else if (item.type === 'aliased_import') {
        const [name, alias] = item.kids;
        if (!name || !alias) continue;
        this.events.imports.add(`${mod}.${this.text(name)}`);
        this.env.vars.set(this.text(alias), { k: 'module', name: `${mod}.${this.text(name)}` });
      }
    }
  }

  private pushBranch(statement: PyNode, branch: number, conditions: readonly PyNode[]): Context {
    const f: BranchFrame = { statement, branch, conditions };
    return { ...this.ctx, branches: frame(f, this.ctx.branches) };
  }

  /** Runs branches on copies of the environment and merges what they bind. */
  /** Returns the indices of branches that end in return/raise/continue/break. */
  private runBranches(statement: PyNode, branches: readonly { body: PyNode; conditions: readonly PyNode[]; bind?: () => void }[], exhaustive: boolean): number[] {
    const base = this.env.vars;
    const outcomes: Map<string, Value>[] = [];
    const ended: number[] = [];
    branches.forEach((b, i) => {
      this.env = new Env(this.env.scope, this.env.parent, new Map(base));
      const terminated = this.withCtx(this.pushBranch(statement, i, b.conditions), () => {
        b.bind?.();
        return this.execBlock(b.body);
      });
      if (terminated) ended.push(i);
      else outcomes.push(this.env.vars);
    });
    if (!exhaustive) outcomes.push(base);
    this.env = new Env(this.env.scope, this.env.parent, this.mergeEnvs(base, outcomes));
    return ended;
  }

  private mergeEnvs(base: Map<string, Value>, outcomes: Map<string, Value>[]): Map<string, Value> {
    if (outcomes.length === 0) return new Map(base);
    if (outcomes.length === 1) return outcomes[0]!;
    const merged = new Map<string, Value>();
    const keys = new Set<string>();
    for (const o of outcomes) for (const k of o.keys()) keys.add(k);
    for (const key of keys) {
      const values = outcomes.map((o) => o.get(key)).filter((v): v is Value => v !== undefined);
      merged.set(key, this.mergeValues(values, key));
    }
    return merged;
  }

  private mergeValues(values: Value[], name: string): Value {
    const first = values[0]!;
    if (values.every((v) => v === first)) return first;
    if (values.every((v) => v.k === 'df' || v.k === 'unknown')) {
      const dfs = values.map((v) => (v.k === 'df' ? v.df : this.asDF(v, this.ctx.scope.node)!));
      const unique = [...new Set(dfs)];
      if (unique.length === 1) return { k: 'df', df: unique[0]! };
      if (values.some((v) => v.k === 'df')) {
        return { k: 'df', df: this.newDF('phi', 'phi', unique[0]!.node, unique) };
      }
    }
    if (values.every((v) => v.k === 'str')) {
      const texts = values.map((v) => (v.k === 'str' ? strValue(v.s) : undefined));
      if (texts[0] !== undefined && texts.every((t) => t === texts[0])) return first;
    }
    if (values.every((v) => v.k === 'merge' && v.m === (first as { m: MergeChain }).m)) return first;
    if (values.every((v) => v.k === 'spark')) return first;
    if (values.every((v) => v.k === 'module' && v.name === (first as { name: string }).name)) return first;
    const names = new Set<string>([name]);
    for (const v of values) if (v.k === 'unknown' || v.k === 'str') for (const n of v.names) names.add(n);
    return unknown('expression', [...names]);
  }

  /** Evaluates a condition, noting what its names stand for (`if not loaded:` -> how `loaded` was computed). */
  private evalCondition(condition: PyNode): void {
    const outer = this.refCollector;
    const refs: (PyNode | string)[] = [];
    this.refCollector = refs;
    this.eval(condition);
    this.refCollector = outer;
    if (refs.length > 0) this.events.conditionRefs.set(condition, refs.map((r) => (typeof r === 'string' ? r : this.text(r))));
  }

  private execIf(stmt: PyNode): BranchFrame | undefined {
    const [condition, consequence, ...alternatives] = stmt.kids;
    if (!condition || !consequence) return;
    this.evalCondition(condition);
    const branches: { body: PyNode; conditions: PyNode[] }[] = [{ body: consequence, conditions: [condition] }];
    const seen: PyNode[] = [condition];
    let exhaustive = false;
    for (const alt of alternatives) {
      if (alt.type === 'elif_clause') {
        const [cond, body] = alt.kids;
        if (!cond || !body) continue;
        this.evalCondition(cond);
        seen.push(cond);
        branches.push({ body, conditions: [...seen] });
      } else if (alt.type === 'else_clause') {
        const body = alt.kids[0];
        if (body) branches.push({ body, conditions: [...seen] });
        exhaustive = true;
      }
    }
    const terminated = this.runBranches(stmt, branches, exhaustive);
    if (terminated.length === 0) return undefined;
    // After `if c: return`, the code that follows runs only where `c` was false.
    const failed = terminated.map((i) => branches[i]!.conditions[i]).filter((c): c is PyNode => c !== undefined);
    return { statement: stmt, branch: -1, conditions: failed, excludes: terminated };
  }

  private execLoop(stmt: PyNode): void {
    let body: PyNode | undefined;
    let elseClause: PyNode | undefined;
    let bindTarget: (() => void) | undefined;
    if (stmt.type === 'for_statement') {
      const [left, right] = stmt.kids;
      if (right) this.eval(right);
      body = stmt.kids[2];
      elseClause = stmt.kids[3];
      if (left) bindTarget = () => this.bind(left, unknown('expression', [], left));
    } else {
      const [condition] = stmt.kids;
      if (condition) this.eval(condition);
      body = stmt.kids[1];
      elseClause = stmt.kids[2];
    }
    if (!body) return;
    const loopCtx: Context = { ...this.ctx, loops: frame(stmt, this.ctx.loops) };
    const base = this.env.vars;
    this.env = new Env(this.env.scope, this.env.parent, new Map(base));
    this.withCtx(loopCtx, () => {
      bindTarget?.();
      this.execBlock(body);
    });
    const after = this.mergeEnvs(base, [base, this.env.vars]);
    this.env = new Env(this.env.scope, this.env.parent, after);
    if (elseClause?.type === 'else_clause' && elseClause.kids[0]) this.execBlock(elseClause.kids[0]);
  }

  private execTry(stmt: PyNode): void {
    const [body, ...clauses] = stmt.kids;
    if (!body) return;
    const handlers: Handler[] = [];
    for (const clause of clauses) {
      if (clause.type !== 'except_clause') continue;
      const block = lastBlock(clause);
      if (!block) continue;
      const typeNode = clause.kids[0] !== block ? clause.kids[0] : undefined;
      const typeExpr = typeNode?.type === 'as_pattern' ? typeNode.kids[0] : typeNode;
      const inner = typeExpr && unparen(typeExpr);
      const types = !inner ? [] : inner.type === 'tuple' ? inner.kids.map((k) => this.text(k)) : [this.text(inner)];
      handlers.push({ node: clause, types, body: block });
    }
    const record: TryStatement = { node: stmt, body, handlers, ctx: this.ctx };
    this.events.tries.push(record);

    const base = this.env.vars;
    this.env = new Env(this.env.scope, this.env.parent, new Map(base));
    // Branch 0 is the body; handlers are branches 1.. (a handler runs because the body failed).
    const tryCtx: Context = { ...this.pushBranch(stmt, 0, []), tries: frame({ tryNode: stmt }, this.ctx.tries) };
    const bodyTerminated = this.withCtx(tryCtx, () => this.execBlock(body));
    const afterBody = this.env.vars;
    const outcomes: Map<string, Value>[] = [];
    let elseBlock: PyNode | undefined;
    let finallyBlock: PyNode | undefined;
    for (const clause of clauses) {
      if (clause.type === 'else_clause') elseBlock = clause.kids[0];
      if (clause.type === 'finally_clause') finallyBlock = clause.kids[0];
    }
    if (elseBlock) {
      this.env = new Env(this.env.scope, this.env.parent, afterBody);
      if (!this.execBlock(elseBlock)) outcomes.push(this.env.vars);
    } else if (!bodyTerminated) {
      outcomes.push(afterBody);
    }
    // A handler may run after any part of the body: start it from what either side binds.
    const handlerBase = this.mergeEnvs(base, [base, afterBody]);
    handlers.forEach((h, i) => {
      this.env = new Env(this.env.scope, this.env.parent, new Map(handlerBase));
      const terminated = this.withCtx(this.pushBranch(stmt, i + 1, []), () => {
        const typeNode = h.node.kids[0];
        if (typeNode?.type === 'as_pattern') {
          const alias = typeNode.kids[1]?.kids[0];
          if (alias) this.bind(alias, unknown('expression', [], alias));
        }
        return this.execBlock(h.body);
      });
      if (!terminated) outcomes.push(this.env.vars);
    });
    this.env = new Env(this.env.scope, this.env.parent, this.mergeEnvs(base, outcomes));
    if (finallyBlock) this.execBlock(finallyBlock);
  }

  private execWith(stmt: PyNode): void {
    for (const kid of stmt.kids) {
      if (kid.type === 'with_clause') {
        for (const item of kid.kids) {
          const value = item.kids[0];
          if (!value) continue;
          if (value.type === 'as_pattern') {
            const [expr, target] = value.kids;
            const v = expr ? this.eval(expr) : UNKNOWN_EXPR;
            const alias = target?.kids[0];
            // `with SparkSession.builder.getOrCreate() as session:` keeps what the context gives.
            if (alias) this.bind(alias, v.k === 'spark' ? v : unknown('expression', [], alias));
          } else {
            this.eval(value);
          }
        }
      } else if (kid.type === 'block') {
        this.execBlock(kid);
      }
    }
  }

  private execMatch(stmt: PyNode): void {
    const subject = stmt.kids[0];
    if (subject) this.eval(subject);
    const body = lastBlock(stmt);
    if (!body) return;
    const branches = body.kids
      .filter((c) => c.type === 'case_clause')
      .map((c) => ({ body: lastBlock(c) ?? c, conditions: [] as PyNode[] }));
    this.runBranches(stmt, branches, false);
  }

  private execReturn(stmt: PyNode): void {
    const expr = stmt.kids[0];
    const run = this.runs[this.runs.length - 1];
    if (!expr) {
      run?.returns.push(undefined);
      return;
    }
    const value = this.eval(expr);
    run?.returns.push(value);
    if (run?.dlt && (value.k === 'df' || value.k === 'unknown')) {
      const df = this.asDF(value, expr);
      if (df) {
        const target = this.makeTarget(undefined, undefined, 'sink', run.dlt.name);
        this.recordSink({
          kind: 'dlt',
          node: stmt,
          anchor: { start: stmt.start, end: stmt.end },
          df,
          stream: df.stream,
          format: 'delta',
          formatKnown: true,
          mode: undefined,
          modeKnown: true,
          modeNode: undefined,
          options: new Map(),
          optionsOpaque: false,
          partitionBy: undefined,
          clusterBy: undefined,
          trigger: undefined,
          foreachBatch: undefined,
          foreachBatchNode: undefined,
          target,
          sql: undefined,
          merge: undefined,
        });
        return;
      }
    }
    this.escape(value, stmt);
  }

  private paramNames(params: PyNode | undefined): { name: string; node: PyNode; type: string | undefined }[] {
    if (!params) return [];
    const out: { name: string; node: PyNode; type: string | undefined }[] = [];
    for (const p of params.kids) {
      let id: PyNode | undefined;
      switch (p.type) {
        case 'identifier':
          id = p;
          break;
        case 'typed_parameter':
        case 'list_splat_pattern':
        case 'dictionary_splat_pattern':
          id = p.kids.find((k) => k.type === 'identifier') ?? p.kids[0]?.kids.find((k) => k.type === 'identifier');
          break;
        case 'default_parameter':
        case 'typed_default_parameter':
          id = p.kids[0];
          if (p.kids[p.kids.length - 1]) this.eval(p.kids[p.kids.length - 1]!);
          break;
        default:
          break;
      }
      const annotation = p.kids.find((k) => k.type === 'type');
      if (id?.type === 'identifier') out.push({ name: this.text(id), node: id, type: annotation ? this.text(annotation) : undefined });
    }
    return out;
  }

  private dltDataset(decorators: readonly PyNode[], fnName: string): ScopeRun['dlt'] {
    for (const d of decorators) {
      const callee = d.type === 'call' ? d.kids[0] : d;
      if (!callee) continue;
      const value = this.eval(callee);
      if (value.k !== 'module') continue;
      const parts = value.name.split('.');
      const last = parts[parts.length - 1]!;
      const mod = parts.slice(0, -1).join('.');
      if (!(mod === 'dlt' || mod === 'pyspark.pipelines' || mod.endsWith('.pipelines'))) continue;
      if (!DLT_DATASET_DECORATORS.has(last)) continue;
      let name: Str = literalStr(fnName);
      let node: PyNode = d;
      if (d.type === 'call') {
        const args = d.kids[1];
        for (const arg of args?.kids ?? []) {
          if (arg.type === 'keyword_argument' && arg.kids[0] && this.text(arg.kids[0]) === 'name' && arg.kids[1]) {
            const v = this.eval(arg.kids[1]);
            if (v.k === 'str') {
              name = v.s;
              node = arg.kids[1];
            }
          }
        }
      }
      return { name, node };
    }
    return undefined;
  }

  private execFunction(def: PyNode, decorators: readonly PyNode[]): Scope {
    const nameNode = def.kids[0];
    const name = nameNode ? this.text(nameNode) : '<function>';
    const paramsNode = def.kids.find((k) => k.type === 'parameters');
    const params = this.paramNames(paramsNode);
    const scope: Scope = {
      kind: 'function',
      name,
      node: def,
      parent: this.ctx.scope,
      params: params.map((p) => p.name),
      decorators,
      isForeachBatch: false,
    };
    this.events.scopes.push(scope);
    const outerEnv = this.env;
    this.env.vars.set(name, { k: 'func', scope });
    const dlt = this.dltDataset(decorators, name);
    const body = lastBlock(def);
    const env = new Env(scope, outerEnv);
    for (const p of params) {
      const isSpark = SPARK_NAMES.test(p.name) || (p.type !== undefined && /(?:^|\.)SparkSession$/.test(p.type));
      if (isSpark) this.events.usesSpark = true;
      const value: Value = isSpark ? { k: 'spark' } : unknown('parameter', [p.name]);
      env.vars.set(p.name, value);
      // `batch: DataFrame`: an opaque DataFrame we know is one.
      if (!isSpark && p.type !== undefined && /(?:^|\.)DataFrame$/.test(p.type)) {
        const df = this.withCtx({ scope, loops: undefined, tries: undefined, branches: undefined }, () => this.asDF(value, p.node));
        if (df) env.vars.set(p.name, { k: 'df', df });
      }
    }
    const savedEnv = this.env;
    const savedCtx = this.ctx;
    this.env = env;
    this.ctx = { scope, loops: undefined, tries: undefined, branches: undefined };
    const run: ScopeRun = { scope, dlt, globals: new Set(), returns: [] };
    this.runs.push(run);
    try {
      if (body) this.execBlock(body);
    } finally {
      this.runs.pop();
      this.env = savedEnv;
      this.ctx = savedCtx;
    }
    const summary = this.summarize(scope, run);
    if (summary) this.helpers.set(scope, summary);
    return scope;
  }

  private summarize(scope: Scope, run: ScopeRun): HelperSummary | undefined {
    if (run.dlt || run.returns.length === 0) return undefined;
    const returned: DFNode[] = [];
    const dataParams = new Set<string>();
    for (const value of run.returns) {
      if (value?.k !== 'df') return undefined;
      for (const d of upstream(value.df)) {
        if (d.kind !== 'opaque') continue;
        const param = d.opaque?.reason === 'parameter' && d.parents.length === 0 ? d.opaque.names.find((n) => scope.params.includes(n)) : undefined;
        if (!param) return undefined;
        dataParams.add(param);
      }
      returned.push(value.df);
    }
    return { params: scope.params, dataParams, returned };
  }

  /** A call to a function of this file: its result continues the lineage of what is passed in. */
  private callHelper(scope: Scope, node: PyNode, args: Args): Value {
    const summary = this.helpers.get(scope);
    if (!summary) {
      this.escapeArgs(args, node);
      return unknown('call', [], node);
    }
    const parents: DFNode[] = [];
    for (const param of summary.dataParams) {
      const index = summary.params.indexOf(param);
      const arg = this.arg(args, index, param);
      const df = arg ? this.asDF(arg.value, arg.node) : undefined;
      if (!df) {
        this.escapeArgs(args, node);
        return unknown('call', [], node);
      }
      parents.push(df);
    }
    if (parents.length === 0 && summary.returned.length === 1) return { k: 'df', df: summary.returned[0]! };
    // Reads the helper makes itself are inputs too.
    for (const r of summary.returned) for (const root of upstream(r)) if (root.kind === 'source' && !parents.includes(root)) parents.push(root);
    const df = this.newDF('transform', `helper:${scope.name}`, node, parents, { args: [...args.nodes], argRefs: [scope.node] });
    return { k: 'df', df };
  }

  private execClass(def: PyNode, decorators: readonly PyNode[]): void {
    const nameNode = def.kids[0];
    const name = nameNode ? this.text(nameNode) : '<class>';
    const scope: Scope = {
      kind: 'class',
      name,
      node: def,
      parent: this.ctx.scope,
      params: [],
      decorators,
      isForeachBatch: false,
    };
    this.events.scopes.push(scope);
    const body = lastBlock(def);
    if (!body) return;
    const info = this.classInfo(name, body);
    this.classes.push(info);
    const savedEnv = this.env;
    const savedCtx = this.ctx;
    this.env = new Env(scope, savedEnv);
    this.ctx = { scope, loops: undefined, tries: undefined, branches: undefined };
    try {
      this.execBlock(body);
    } finally {
      this.classes.pop();
      this.env = savedEnv;
      this.ctx = savedCtx;
    }
    savedEnv.vars.set(name, { k: 'module', name });
  }

  /** `self.x = ...` assignments across a class's methods. */
  private classInfo(name: string, body: PyNode): ClassInfo {
    const counts = new Map<string, number>();
    const rhs = new Map<string, PyNode>();
    const visit = (block: PyNode): void => {
      for (const stmt of block.kids) {
        if (stmt.type === 'expression_statement') {
          const a = stmt.kids[0];
          if (a?.type !== 'assignment' && a?.type !== 'augmented_assignment') continue;
          const { left, right } = a.type === 'assignment' ? assignmentParts(a) : { left: a.kids[0], right: undefined };
          if (left?.type !== 'attribute') continue;
          const obj = attributeObject(left);
          const attr = attributeName(left);
          if (!obj || !attr || this.text(obj) !== 'self') continue;
          const key = `self.${this.text(attr)}`;
          counts.set(key, (counts.get(key) ?? 0) + (a.type === 'assignment' ? 1 : 2));
          if (right) rhs.set(key, right);
        } else if (stmt.type === 'function_definition' || stmt.type === 'decorated_definition') {
          const def = stmt.type === 'decorated_definition' ? stmt.kids[stmt.kids.length - 1] : stmt;
          const b = def && lastBlock(def);
          if (b) visit(b);
        } else if (stmt.type !== 'class_definition') {
          for (const kid of stmt.kids) if (kid.type === 'block') visit(kid);
          for (const kid of stmt.kids) for (const k2 of kid.kids) if (k2.type === 'block') visit(k2);
        }
      }
    };
    visit(body);
    const constants = new Map<string, Str>();
    const aliases = new Map<string, string[]>();
    for (const [key, node] of rhs) {
      if (counts.get(key) !== 1) continue;
      const s = this.constantStr(node);
      if (s) constants.set(key, s);
      else {
        const naming = this.namingText(node);
        if (naming) aliases.set(key, [naming]);
      }
    }
    return { name, constants, aliases };
  }

  private resolvePendingForeachBatch(): void {
    for (const { name } of this.pendingForeachBatch) {
      for (const scope of this.events.scopes) {
        if (scope.kind === 'function' && scope.name === name) scope.isForeachBatch = true;
      }
    }
  }

  // ------------------------------------------------------------ expressions

  eval(node: PyNode): Value {
    if (this.depth > MAX_DEPTH) {
      this.events.truncated = true;
      return UNKNOWN_EXPR;
    }
    // No try/finally: an exception abandons the whole file's model, depth included.
    this.depth++;
    const value = this.evalInner(node);
    this.depth--;
    return value;
  }

  private evalInner(node: PyNode): Value {
    switch (node.type) {
      case 'identifier':
        return this.lookup(this.text(node), node);
      case 'string':
        return this.evalString(node);
      case 'concatenated_string': {
        const parts = node.kids.map((k) => this.eval(k));
        return { k: 'str', s: concatStr(...parts.map((p, i) => this.strOrHole(p, node.kids[i]!))), names: [] };
      }
      case 'integer':
      case 'float':
      case 'true':
      case 'false':
      case 'none':
        return { k: 'lit', text: this.text(node) };
      case 'parenthesized_expression':
        return node.kids.length === 1 ? this.eval(node.kids[0]!) : this.evalChildren(node);
      case 'attribute':
        return this.evalAttribute(node);
      case 'call':
        return this.evalCall(node);
      case 'binary_operator':
        return this.evalBinary(node);
      case 'list':
      case 'tuple':
      case 'set':
      case 'expression_list': {
        const items = node.kids.map((k) => this.eval(k));
        // We do not follow values through containers: a builder or DataFrame in one may be used anywhere.
        for (const item of items) this.escape(item, node);
        return { k: 'seq', items };
      }
      case 'dictionary': {
        const entries: (readonly [Value, Value, PyNode])[] = [];
        let opaque = false;
        for (const kid of node.kids) {
          if (kid.type === 'pair' && kid.kids[0] && kid.kids[1]) {
            const value = this.eval(kid.kids[1]);
            this.escape(value, kid);
            entries.push([this.eval(kid.kids[0]), value, kid]);
          } else {
            opaque = true;
            this.eval(kid);
          }
        }
        return { k: 'dict', entries, opaque };
      }
      case 'conditional_expression': {
        const [a, cond, b] = node.kids;
        if (cond) this.eval(cond);
        // `x if c else y`: only one arm runs.
        const va = a ? this.withCtx(this.pushBranch(node, 0, cond ? [cond] : []), () => this.eval(a)) : UNKNOWN_EXPR;
        const vb = b ? this.withCtx(this.pushBranch(node, 1, cond ? [cond] : []), () => this.eval(b)) : UNKNOWN_EXPR;
        if (va === vb) return va;
        if (va.k === 'merge' && vb.k === 'merge' && va.m === vb.m) return va;
        if (va.k === 'merge' || vb.k === 'merge') {
          this.escape(va, node);
          this.escape(vb, node);
        }
        if ((va.k === 'df' || vb.k === 'df') && (va.k === 'df' || va.k === 'unknown') && (vb.k === 'df' || vb.k === 'unknown')) {
          const da = this.asDF(va, node)!;
          const db = this.asDF(vb, node)!;
          return { k: 'df', df: this.newDF('phi', 'phi', node, [da, db]) };
        }
        return unknown('expression', [], node);
      }
      case 'lambda':
        return this.evalLambda(node);
      case 'named_expression': {
        const [name, value] = node.kids;
        const v = value ? this.eval(value) : UNKNOWN_EXPR;
        if (name) this.bind(name, v);
        return v;
      }
      case 'list_comprehension':
      case 'set_comprehension':
      case 'dictionary_comprehension':
      case 'generator_expression':
        return this.evalComprehension(node);
      case 'subscript': {
        const [base, ...keys] = node.kids;
        const container = base ? this.eval(base) : UNKNOWN_EXPR;
        const keyValues = keys.map((k) => this.eval(k));
        // `CONF["dst"]`, `TABLES["events"]`: an entry of a dict literal we can see.
        if (container.k === 'dict' && keyValues.length === 1) {
          const entry = this.dictEntry(container, keyValues[0]!);
          if (entry) return entry;
        }
        return unknown('expression', [], node);
      }
      case 'await':
        return node.kids[0] ? this.eval(node.kids[0]) : UNKNOWN_EXPR;
      case 'yield': {
        for (const kid of node.kids) this.escape(this.eval(kid), node);
        return unknown('expression', [], node);
      }
      case 'ERROR':
        return UNKNOWN_EXPR;
      default:
        return this.evalChildren(node);
    }
  }

  private evalChildren(node: PyNode): Value {
    for (const kid of node.kids) this.eval(kid);
    return unknown('expression', [], node);
  }

  private evalString(node: PyNode): Value {
    if (node.kids.length === 0) {
      const text = this.text(node);
      const quote = text[0];
      // Fast path for the common "plain" / 'plain' literal.
      if ((quote === '"' || quote === "'") && text.length >= 2 && text[1] !== quote && text.indexOf('\\') === -1) {
        return { k: 'str', s: literalStr(text.slice(1, -1)), names: [] };
      }
      const v = plainStringValue(text);
      return v === undefined ? unknown('expression', [], node) : { k: 'str', s: literalStr(v), names: [] };
    }
    // f-string: literal chunks and interpolations.
    const shape = splitStringLiteral(this.text(node));
    const raw = shape?.raw ?? false;
    const parts: Str[] = [];
    for (const kid of node.kids) {
      if (kid.type === 'string_content') {
        const chunk = this.text(kid).replace(/\{\{/g, '{').replace(/\}\}/g, '}');
        parts.push(literalStr(raw ? chunk : decodeEscapes(chunk)));
      } else if (kid.type === 'interpolation') {
        const expr = kid.kids[0];
        if (!expr) continue;
        const v = this.eval(expr);
        const hasSpec = kid.kids.length > 1;
        parts.push(v.k === 'str' && !hasSpec ? v.s : v.k === 'lit' && !hasSpec ? literalStr(v.text) : holeStr(this.text(expr)));
      } else if (kid.type === 'escape_sequence') {
        parts.push(literalStr(decodeEscapes(this.text(kid))));
      }
    }
    const s = concatStr(...parts);
    // `F.col(f"{P}_type")`: what a built string resolves to is what rules need to read.
    const resolved = strValue(s);
    if (resolved !== undefined && this.refCollector) this.refCollector.push(JSON.stringify(resolved));
    return { k: 'str', s, names: [] };
  }

  private evalBinary(node: PyNode): Value {
    const [l, r] = node.kids;
    const lv = l ? this.eval(l) : UNKNOWN_EXPR;
    const rv = r ? this.eval(r) : UNKNOWN_EXPR;
    const op = node.ops?.[0];
    if (op === '+' && l && r && (lv.k === 'str' || rv.k === 'str')) {
      return { k: 'str', s: concatStr(this.strOrHole(lv, l), this.strOrHole(rv, r)), names: [] };
    }
    // `Path("/mnt") / "bronze" / name`: pathlib joins (dividing two strings is no other valid Python).
    if (op === '/' && l && r && lv.k === 'str' && (rv.k === 'str' || rv.k === 'unknown')) {
      return { k: 'str', s: concatStr(lv.s, literalStr('/'), this.strOrHole(rv, r)), names: [] };
    }
    if (op === '%' && lv.k === 'str') {
      // printf-style: the template's literal text is known, the values are not.
      const parts = lv.s.parts.flatMap((p) =>
        typeof p === 'string'
          ? p.split(/(%(?:\([^)]*\))?[-#0 +]*\d*(?:\.\d+)?[sdrifeEgGxXo])/).map((chunk, i) => (i % 2 === 1 ? holeStr(chunk) : literalStr(chunk)))
          : [{ parts: [p] } as Str],
      );
      return { k: 'str', s: concatStr(...parts), names: [] };
    }
    return unknown('expression', [], node);
  }

  private evalLambda(node: PyNode): Value {
    const params = node.kids.find((k) => k.type === 'lambda_parameters');
    const body = node.kids[node.kids.length - 1];
    const names = this.paramNames(params);
    const scope: Scope = {
      kind: 'lambda',
      name: '<lambda>',
      node,
      parent: this.ctx.scope,
      params: names.map((n) => n.name),
      decorators: [],
      isForeachBatch: false,
    };
    this.events.scopes.push(scope);
    const env = new Env(scope, this.env);
    for (const p of names) env.vars.set(p.name, unknown('parameter', [p.name]));
    const savedEnv = this.env;
    const savedCtx = this.ctx;
    this.env = env;
    this.ctx = { scope, loops: undefined, tries: undefined, branches: undefined };
    try {
      if (body && body.type !== 'lambda_parameters') {
        const v = this.eval(body);
        this.escape(v, body);
      }
    } finally {
      this.env = savedEnv;
      this.ctx = savedCtx;
    }
    return { k: 'func', scope };
  }

  private evalComprehension(node: PyNode): Value {
    const savedEnv = this.env;
    this.env = new Env(this.env.scope, this.env.parent, new Map(this.env.vars));
    try {
      const clauses = node.kids.filter((k) => k.type === 'for_in_clause' || k.type === 'if_clause');
      for (const clause of clauses) {
        if (clause.type === 'for_in_clause') {
          const [left, ...rights] = clause.kids;
          for (const r of rights) this.eval(r);
          if (left) this.bind(left, unknown('expression', [], left));
        } else {
          for (const kid of clause.kids) this.eval(kid);
        }
      }
      for (const kid of node.kids) {
        if (kid.type !== 'for_in_clause' && kid.type !== 'if_clause') {
          const v = kid.type === 'pair' ? this.evalChildren(kid) : this.eval(kid);
          this.escape(v, kid);
        }
      }
    } finally {
      this.env = savedEnv;
    }
    return unknown('expression', [], node);
  }

  private evalAttribute(node: PyNode): Value {
    const objNode = attributeObject(node);
    const attrNode = attributeName(node);
    if (!objNode || !attrNode) return UNKNOWN_EXPR;
    const attr = this.text(attrNode);
    if (objNode.type === 'identifier') {
      const objName = this.text(objNode);
      if (objName === 'self' || objName === 'cls') {
        const key = `${objName}.${attr}`;
        const local = this.env.vars.get(key);
        if (local) return local;
        const cls = this.classes[this.classes.length - 1];
        const constant = cls?.constants.get(`self.${attr}`);
        if (constant) return { k: 'str', s: constant, names: [key] };
        if (SPARK_NAMES.test(key)) return { k: 'spark' };
        const aliases = cls?.aliases.get(`self.${attr}`) ?? [];
        if (aliases.some((a) => SPARK_NAMES.test(a))) return { k: 'spark' };
        return unknown('attribute', [key, ...aliases]);
      }
    }
    const obj = this.eval(objNode);
    // `pool.submit(builder.execute)`: a method taken as a value may be called anywhere.
    if (obj.k === 'merge') this.escape(obj, node);
    switch (obj.k) {
      case 'spark':
        if (attr === 'read') return { k: 'reader', r: { stream: false, format: undefined, options: new Map(), optionsOpaque: false, schema: false } };
        if (attr === 'readStream') return { k: 'reader', r: { stream: true, format: undefined, options: new Map(), optionsOpaque: false, schema: false } };
        if (attr === 'conf') return { k: 'conf' };
        if (attr === 'catalog') return { k: 'module', name: 'spark.catalog' };
        if (attr === 'spark_session' || attr === 'sparkSession') return { k: 'spark' };
        return unknown('attribute', [], node);
      case 'df':
        return this.dfAttribute(obj.df, attr, node);
      case 'module': {
        const name = `${obj.name}.${attr}`;
        if (name === 'pyspark.sql.SparkSession.builder') return { k: 'sparkBuilder' };
        return { k: 'module', name };
      }
      case 'unknown': {
        if (attr === 'spark_session' || attr === 'sparkSession') return { k: 'spark' };
        if (attr === 'write' || attr === 'writeStream') {
          const df = this.asDF(obj, objNode);
          if (df) return this.dfAttribute(df, attr, node);
        }
        const naming = this.namingText(node);
        return unknown('attribute', naming ? [naming] : [], node);
      }
      default:
        return unknown('attribute', [], node);
    }
  }

  private dfAttribute(df: DFNode, attr: string, node: PyNode): Value {
    switch (attr) {
      case 'write':
        return {
          k: 'writer',
          w: {
            df,
            stream: false,
            format: undefined,
            mode: undefined,
            outputMode: undefined,
            options: new Map(),
            optionsOpaque: false,
            partitionBy: undefined,
            clusterBy: undefined,
            trigger: undefined,
            foreachBatch: undefined,
            foreachBatchNode: undefined,
          },
        };
      case 'writeStream':
        return {
          k: 'writer',
          w: {
            df,
            stream: true,
            format: undefined,
            mode: undefined,
            outputMode: undefined,
            options: new Map(),
            optionsOpaque: false,
            partitionBy: undefined,
            clusterBy: undefined,
            trigger: undefined,
            foreachBatch: undefined,
            foreachBatchNode: undefined,
          },
        };
      case 'na':
        return { k: 'na', df };
      default:
        return unknown('attribute', [], node);
    }
  }

  private evalArgs(argList: PyNode | undefined): Args {
    if (!argList) return NO_ARGS;
    if (argList.type === 'generator_expression') {
      const v = this.eval(argList);
      return { pos: [v], posNodes: [argList], kw: NO_KEYWORDS, splat: false, kwSplats: [], nodes: [argList], refs: [] };
    }
    if (argList.kids.length === 0) return NO_ARGS;
    const hasKeywords = argList.kids.some((k) => k.type === 'keyword_argument');
    const args: Args = { pos: [], posNodes: [], kw: hasKeywords ? new Map() : NO_KEYWORDS, splat: false, kwSplats: [], nodes: [], refs: [] };
    const outer = this.refCollector;
    this.refCollector = args.refs;
    for (const kid of argList.kids) {
      args.nodes.push(kid);
      if (kid.type === 'keyword_argument') {
        const [name, value] = kid.kids;
        if (!name || !value) continue;
        args.kw.set(this.text(name), { value: this.eval(value), node: value, kwNode: kid });
      } else if (kid.type === 'list_splat') {
        (args as { splat: boolean }).splat = true;
        const v = kid.kids[0] ? this.eval(kid.kids[0]) : UNKNOWN_EXPR;
        if (v.k === 'seq') {
          for (const item of v.items) {
            args.pos.push(item);
            args.posNodes.push(kid);
          }
        } else {
          this.escape(v, kid);
        }
      } else if (kid.type === 'dictionary_splat') {
        (args as { splat: boolean }).splat = true;
        const v = kid.kids[0] ? this.eval(kid.kids[0]) : UNKNOWN_EXPR;
        args.kwSplats.push(v);
      } else {
        args.pos.push(this.eval(kid));
        args.posNodes.push(kid);
      }
    }
    this.refCollector = outer;
    if (outer) outer.push(...args.refs);
    return args;
  }

  private arg(args: Args, index: number, keyword?: string): { value: Value; node: PyNode } | undefined {
    if (keyword) {
      const kw = args.kw.get(keyword);
      if (kw) return kw;
    }
    const value = args.pos[index];
    const node = args.posNodes[index];
    return value && node ? { value, node } : undefined;
  }

  private recordCall(node: PyNode, fn: PyNode, name: string, receiver: Value | undefined, callee: Value | undefined): void {
    let kind: CallSite['receiver'] = 'none';
    if (receiver) {
      switch (receiver.k) {
        case 'df':
          kind = 'dataframe';
          break;
        case 'grouped':
          kind = 'grouped';
          break;
        case 'spark':
          kind = 'spark';
          break;
        case 'module':
          kind = 'module';
          break;
        default:
          kind = 'other';
      }
    }
    let module: string | undefined;
    if (callee?.k === 'module') module = callee.name.split('.').slice(0, -1).join('.') || undefined;
    else if (receiver?.k === 'module') module = receiver.name;
    this.events.calls.push({ node, callee: this.text(fn), name, receiver: kind, module, ctx: this.ctx });
  }

  private evalCall(node: PyNode): Value {
    const fn = node.kids[0];
    const argList = node.kids[1];
    if (!fn) return UNKNOWN_EXPR;
    if (fn.type === 'attribute') {
      const objNode = attributeObject(fn);
      const attrNode = attributeName(fn);
      if (!objNode || !attrNode) return this.evalChildren(node);
      const name = this.text(attrNode);
      const receiver = this.eval(objNode);
      const args = this.evalArgs(argList);
      this.recordCall(node, fn, name, receiver, receiver.k === 'module' ? { k: 'module', name: `${receiver.name}.${name}` } : undefined);
      const result = this.callMethod(receiver, name, node, args, objNode);
      if (result) return result;
      this.escapeArgs(args, node);
      if (receiver.k === 'df') this.escape(receiver, node);
      return unknown('call', [], node);
    }
    const callee = this.eval(fn);
    const args = this.evalArgs(argList);
    const name = fn.type === 'identifier' ? this.text(fn) : '';
    this.recordCall(node, fn, name, undefined, callee);
    const result = this.callFunction(callee, name, node, args);
    if (result) return result;
    this.escapeArgs(args, node);
    return unknown('call', [], node);
  }

  private callFunction(callee: Value, name: string, node: PyNode, args: Args): Value | undefined {
    const fnName = name || (callee.k === 'module' ? (callee.name.split('.').pop() ?? '') : '');
    if (SPARK_FACTORY.test(fnName) && (callee.k === 'unknown' || callee.k === 'func' || callee.k === 'module')) {
      this.events.usesSpark = true;
      return { k: 'spark' };
    }
    if (callee.k === 'module') {
      if (/(?:^|\.)(?:Path|PurePath|PurePosixPath)$/.test(callee.name) && args.pos[0]) {
        return { k: 'str', s: this.strOrHole(args.pos[0], args.posNodes[0]!), names: [] };
      }
      return this.callModuleFunction(callee.name, node, args);
    }
    if (callee.k === 'func') return this.callHelper(callee.scope, node, args);
    if (callee.k === 'unknown' && callee.origin === 'unbound') {
      switch (name) {
        case 'display': {
          const first = args.pos[0];
          const df = first && (first.k === 'df' ? first.df : undefined);
          if (df) this.recordAction('display', node, df);
          return UNKNOWN_EXPR;
        }
        case 'str': {
          const first = args.pos[0];
          return first?.k === 'str' ? first : unknown('call', [], node);
        }
        case 'print':
        case 'len':
        case 'isinstance':
        case 'int':
        case 'float':
        case 'bool':
        case 'repr':
          return unknown('call', [], node);
        default:
          return undefined;
      }
    }
    return undefined;
  }

  private callModuleFunction(qualified: string, node: PyNode, args: Args): Value | undefined {
    const parts = qualified.split('.');
    const fname = parts[parts.length - 1]!;
    const mod = parts.slice(0, -1).join('.');
    if (mod.endsWith('DeltaTable') && (fname === 'forPath' || fname === 'forName')) {
      const t = this.arg(args, 1, fname === 'forPath' ? 'path' : 'tableOrViewName');
      return {
        k: 'delta',
        target: this.makeTarget(t?.node, t?.value, 'sink'),
        sourceTarget: this.makeTarget(t?.node, t?.value, 'source'),
      };
    }
    if ((mod === 'dlt' || mod.endsWith('pipelines')) && (fname === 'read' || fname === 'read_stream')) {
      const t = this.arg(args, 0, 'name');
      return this.newSource({
        kind: 'dlt',
        node,
        format: 'delta',
        formatKnown: true,
        options: new Map(),
        optionsOpaque: false,
        schemaGiven: false,
        stream: fname === 'read_stream',
        cdf: false,
        target: this.makeTarget(t?.node, t?.value, 'source'),
        tables: [],
        sql: undefined,
        sqlDisplay: undefined,
      });
    }
    if ((mod === 'os.path' || mod === 'posixpath' || mod === 'ntpath') && fname === 'join') {
      const pieces = args.pos.map((v, i) => this.strOrHole(v, args.posNodes[i]!));
      const joined: Str[] = [];
      pieces.forEach((p, i) => {
        if (i > 0) joined.push(literalStr('/'));
        joined.push(p);
      });
      return { k: 'str', s: concatStr(...joined), names: [] };
    }
    if (fname === 'broadcast') {
      const first = args.pos[0];
      if (first?.k === 'df') return { k: 'df', df: this.newDF('transform', 'hint', node, [first.df], { args: args.nodes }) };
    }
    if (qualified === 'spark.catalog.cacheTable') {
      const view = strValue(this.strOf(this.arg(args, 0, 'tableName')?.value));
      const df = view !== undefined ? this.events.tempViews.get(view.toLowerCase()) : undefined;
      if (df) df.cached = true;
      return UNKNOWN_EXPR;
    }
    if (qualified === 'pyspark.sql.SparkSession.getActiveSession' || qualified === 'pyspark.sql.SparkSession.active') {
      return { k: 'spark' };
    }
    if (mod.startsWith('pyspark.sql.functions') || mod === 'pyspark.sql' || mod.startsWith('pyspark.sql.types')) {
      return unknown('call', [], node);
    }
    return undefined;
  }

  private callMethod(receiver: Value, name: string, node: PyNode, args: Args, recvNode: PyNode): Value | undefined {
    switch (receiver.k) {
      case 'spark':
        return this.sparkMethod(name, node, args);
      case 'sparkBuilder':
        if (name === 'config') this.recordConf(node, args);
        if (name === 'getOrCreate' || name === 'create') {
          this.events.usesSpark = true;
          return { k: 'spark' };
        }
        return { k: 'sparkBuilder' };
      case 'conf':
        if (name === 'set') this.recordConf(node, args);
        return unknown('call', [], node);
      case 'reader':
        return this.readerMethod(receiver.r, name, node, args);
      case 'df':
        return this.dfMethod(receiver.df, name, node, args);
      case 'grouped':
        return this.groupedMethod(receiver, name, node, args);
      case 'na': {
        const op = `na.${name}`;
        return { k: 'df', df: this.newDF('transform', op, node, [receiver.df], this.transformArgs(args)) };
      }
      case 'writer':
        return receiver.w.stream ? this.streamWriterMethod(receiver.w, name, node, args) : this.writerMethod(receiver.w, name, node, args);
      case 'writerV2':
        return this.writerV2Method(receiver.w, name, node, args);
      case 'delta':
        return this.deltaMethod(receiver, name, node, args);
      case 'merge':
        return this.mergeMethod(receiver.m, name, node, args);
      case 'module':
        return this.callModuleFunction(`${receiver.name}.${name}`, node, args);
      case 'str':
        return this.strMethod(receiver, name, node, args);
      case 'dict':
        if (name === 'get' && args.pos[0]) return this.dictEntry(receiver, args.pos[0]) ?? args.pos[1] ?? undefined;
        this.mutateContainer(receiver, name, args, recvNode);
        return undefined;
      case 'seq':
        this.mutateContainer(receiver, name, args, recvNode);
        return undefined;
      case 'unknown':
        if (DF_ONLY_METHODS.has(name) || (DATAFRAME_NAME.test(receiver.names[0] ?? '') && isDataFrameMethod(name))) {
          const df = this.asDF(receiver, recvNode);
          if (df) return this.dfMethod(df, name, node, args);
        }
        if (name === 'sql' && /spark|sql_?context/i.test(receiver.names.join(' '))) return this.sparkMethod('sql', node, args);
        return undefined;
      default:
        return undefined;
    }
  }

  private dictEntry(dict: Value & { k: 'dict' }, key: Value): Value | undefined {
    const wanted = strValue(this.strOf(key));
    if (wanted === undefined) return undefined;
    for (let i = dict.entries.length - 1; i >= 0; i--) {
      const [k, v] = dict.entries[i]!;
      if (strValue(this.strOf(k)) === wanted) return v;
    }
    return undefined;
  }

  /** `opts.update({...})`, `cols.append(c)`: keep what we can see, else forget the contents. */
  private mutateContainer(receiver: Value & { k: 'dict' | 'seq' }, name: string, args: Args, recvNode: PyNode): void {
    if (recvNode.type !== 'identifier') return;
    const binding = this.text(recvNode);
    if (this.env.vars.get(binding) !== receiver) return;
    if (receiver.k === 'dict') {
      if (name === 'get' || name === 'items' || name === 'keys' || name === 'values' || name === 'copy') return;
      const update = args.pos[0];
      if (name === 'update' && args.pos.length <= 1 && (!update || (update.k === 'dict' && !update.opaque)) && args.kwSplats.length === 0) {
        const added: (readonly [Value, Value, PyNode])[] = [...(update?.k === 'dict' ? update.entries : [])];
        for (const [key, { value, kwNode }] of args.kw) added.push([{ k: 'str', s: literalStr(key), names: [] }, value, kwNode]);
        const keys = new Set(added.map(([k]) => strValue(this.strOf(k))));
        this.env.vars.set(binding, {
          k: 'dict',
          opaque: receiver.opaque || keys.has(undefined),
          entries: [...receiver.entries.filter(([k]) => !keys.has(strValue(this.strOf(k)))), ...added],
        });
        return;
      }
      this.env.vars.set(binding, { ...receiver, opaque: true });
      return;
    }
    if (name === 'index' || name === 'count' || name === 'copy') return;
    this.env.vars.set(binding, unknown('expression', [binding]));
  }

  private strMethod(receiver: Value & { k: 'str' }, name: string, node: PyNode, args: Args): Value | undefined {
    if (name === 'format') {
      // "{}/{}".format(a, b): literal text stays, replacement fields become the arguments.
      const parts: Str[] = [];
      let auto = 0;
      for (const part of receiver.s.parts) {
        if (typeof part !== 'string') {
          parts.push({ parts: [part] });
          continue;
        }
        const chunks = part.split(/(\{[^{}]*\})/);
        chunks.forEach((chunk, i) => {
          if (i % 2 === 0) {
            parts.push(literalStr(chunk.replace(/\{\{/g, '{').replace(/\}\}/g, '}')));
            return;
          }
          const field = chunk.slice(1, -1).split(/[!:]/)[0]!;
          const arg = field === '' ? this.arg(args, auto++) : /^\d+$/.test(field) ? this.arg(args, Number(field)) : this.arg(args, -1, field);
          parts.push(arg ? this.strOrHole(arg.value, arg.node) : holeStr(field || '?'));
        });
      }
      return { k: 'str', s: concatStr(...parts), names: [] };
    }
    if (name === 'join' && args.pos[0]?.k === 'seq' && args.posNodes[0]) {
      // "/".join([base, "bronze", table])
      const pieces = args.pos[0].items.map((v) => this.strOrHole(v, args.posNodes[0]!));
      const joined: Str[] = [];
      pieces.forEach((p, i) => {
        if (i > 0) joined.push(receiver.s);
        joined.push(p);
      });
      return { k: 'str', s: concatStr(...joined), names: [] };
    }
    if (name === 'lower' || name === 'upper' || name === 'strip') {
      const v = strValue(receiver.s);
      if (v !== undefined) return { k: 'str', s: literalStr(name === 'lower' ? v.toLowerCase() : name === 'upper' ? v.toUpperCase() : v.trim()), names: [] };
    }
    void node;
    return unknown('call', [], node);
  }

  private recordConf(node: PyNode, args: Args): void {
    const k = this.arg(args, 0, 'key');
    const v = this.arg(args, 1, 'value');
    const key = strValue(this.strOf(k?.value));
    if (key === undefined) return;
    this.events.conf.push({ key, value: v ? this.strOrHole(v.value, v.node) : undefined, node });
  }

  // ------------------------------------------------------------- spark API

  private sparkMethod(name: string, node: PyNode, args: Args): Value | undefined {
    switch (name) {
      case 'table': {
        const t = this.arg(args, 0, 'tableName');
        return this.newSource({
          kind: 'table',
          node,
          format: 'table',
          formatKnown: true,
          options: new Map(),
          optionsOpaque: false,
          schemaGiven: false,
          stream: false,
          cdf: false,
          target: this.makeTarget(t?.node, t?.value, 'source'),
          tables: [],
          sql: undefined,
          sqlDisplay: undefined,
        });
      }
      case 'sql':
        return this.sparkSql(node, args);
      case 'createDataFrame':
      case 'range':
        return this.newSource({
          kind: 'memory',
          node,
          format: undefined,
          formatKnown: true,
          options: new Map(),
          optionsOpaque: false,
          schemaGiven: true,
          stream: false,
          cdf: false,
          target: this.makeTarget(undefined, undefined, 'source', literalStr('')),
          tables: [],
          sql: undefined,
          sqlDisplay: undefined,
        });
      case 'newSession':
        return { k: 'spark' };
      default:
        return unknown('call', [], node);
    }
  }

  private sparkSql(node: PyNode, args: Args): Value {
    const q = this.arg(args, 0, 'sqlQuery');
    const s = q && q.value.k === 'str' ? q.value.s : undefined;
    const known = strValue(s);
    // `SET spark.sql.sources.partitionOverwriteMode = dynamic` is session configuration too.
    const set = known !== undefined ? /^\s*set\s+([\w.]+)\s*=\s*(.*?)\s*;?\s*$/is.exec(known) : null;
    if (set) {
      this.events.conf.push({ key: set[1]!, value: literalStr(set[2]!.replace(/^['"]|['"]$/g, '')), node });
      return UNKNOWN_EXPR;
    }
    // `CACHE TABLE v`: the DataFrame behind a temporary view is cached.
    const cache = known !== undefined ? /^\s*cache\s+(?:lazy\s+)?table\s+`?([\w.]+)`?\s*;?\s*$/i.exec(known) : null;
    if (cache) {
      const df = this.events.tempViews.get(cache[1]!.toLowerCase());
      if (df) df.cached = true;
      return UNKNOWN_EXPR;
    }
    if (!s || !hasLiteralText(s)) {
      return { k: 'df', df: this.newDF('opaque', 'opaque', node, [], { opaque: { reason: 'call', names: [] } }) };
    }
    const { sql, holes } = sqlWithPlaceholders(s.parts);
    const info = analyzeSql(sql, holes);
    const readTargets = info.reads.map((r) => this.makeTarget(undefined, undefined, 'source', r));
    const viewParents = (names: readonly Str[]): DFNode[] => {
      const out: DFNode[] = [];
      for (const r of names) {
        const v = strValue(r);
        const df = v !== undefined ? this.events.tempViews.get(v.toLowerCase()) : undefined;
        if (df) out.push(df);
      }
      return out;
    };
    const makeSelectSource = (): DFNode => {
      const parents = viewParents(info.reads);
      const firstTable = readTargets[0] ?? this.makeTarget(undefined, undefined, 'source', literalStr(''));
      const sourceValue = this.newSource(
        {
          kind: 'sql',
          node,
          format: 'sql',
          formatKnown: true,
          options: new Map(),
          optionsOpaque: false,
          schemaGiven: true,
          stream: false,
          cdf: info.cdf,
          target: firstTable,
          tables: readTargets,
          sql: info.text,
          sqlDisplay: info.display,
        },
        parents,
      );
      return sourceValue.df;
    };
    const record = (kind: string, target: Target | undefined): void => {
      this.events.sql.push({ kind, node, sql: info.text, target, ctx: this.ctx });
    };
    if (info.kind === 'ctas' && /^create\s+(?:or\s+replace\s+)?(?:global\s+)?temp(?:orary)?\s+view\b/i.test(info.text)) {
      // A temporary view holds no data: later SQL reading it reads this query.
      const view = strValue(info.target);
      const df = makeSelectSource();
      if (view !== undefined) this.events.tempViews.set(view.toLowerCase(), df);
      record('view', undefined);
      return UNKNOWN_EXPR;
    }
    switch (info.kind) {
      case 'select':
        record('select', undefined);
        return { k: 'df', df: makeSelectSource() };
      case 'ctas':
      case 'insert':
      case 'merge': {
        const target = this.makeTarget(undefined, undefined, 'sink', info.target ?? literalStr(''));
        record(info.kind, target);
        let df: DFNode | undefined;
        if (info.kind === 'merge' && info.mergeSourceName) {
          df = this.events.tempViews.get(info.mergeSourceName.toLowerCase());
        }
        if (!df && (info.kind !== 'merge' || info.mergeSourceQuery !== undefined || info.reads.length > 0)) df = makeSelectSource();
        const sinkKind: SinkKind = info.kind === 'insert' ? 'sql-insert' : info.kind === 'ctas' ? 'sql-ctas' : 'sql-merge';
        this.recordSink(this.sqlSink(sinkKind, node, df, target, info));
        return UNKNOWN_EXPR;
      }
      default: {
        const target = info.target ? this.makeTarget(undefined, undefined, 'sink', info.target) : undefined;
        record(info.kind, target);
        return UNKNOWN_EXPR;
      }
    }
  }

  private sqlSink(kind: SinkKind, node: PyNode, df: DFNode | undefined, target: Target, info: SqlInfo): Omit<Sink, 'ctx'> {
    const mode = kind === 'sql-merge' ? 'merge' : info.overwrite ? 'overwrite' : kind === 'sql-ctas' ? 'errorifexists' : 'append';
    // INSERT INTO t REPLACE WHERE ...: Delta's SQL form of `replaceWhere`.
    const replaceWhere = kind === 'sql-insert' && /^(?:with\b.*?\)\s*)?insert\s+into\s+\S+(?:\s+\S+)?\s+replace\s+(?:where|using|on)\b/i.test(info.text);
    const options = new Map<string, OptionValue>();
    if (replaceWhere) options.set('replacewhere', { key: 'replaceWhere', value: literalStr(''), literal: undefined, node });
    return {
      kind,
      node,
      anchor: { start: node.start, end: node.end },
      df,
      stream: false,
      format: 'delta',
      formatKnown: false,
      mode,
      modeKnown: true,
      modeNode: undefined,
      options,
      optionsOpaque: false,
      partitionBy: undefined,
      clusterBy: undefined,
      trigger: undefined,
      foreachBatch: undefined,
      foreachBatchNode: undefined,
      target,
      sql: info.text,
      merge: undefined,
    };
  }

  private newSource(source: Omit<Source, 'ctx'>, parents: DFNode[] = []): Value & { k: 'df' } {
    const full: Source = { ...source, ctx: this.ctx };
    this.events.sources.push(full);
    const df = this.newDF('source', 'source', source.node, parents, { source: full, stream: source.stream });
    return { k: 'df', df };
  }

  private optionFrom(keyNode: PyNode, key: string, value: Value, valueNode: PyNode): OptionValue {
    void keyNode;
    return {
      key,
      value: value.k === 'str' ? value.s : undefined,
      literal: value.k === 'lit' ? value.text : undefined,
      node: valueNode,
    };
  }

  /** `.option(k, v)`, `.options(a=1)`, `.options(**d)` on readers and writers. */
  private addOptions(
    name: 'option' | 'options',
    args: Args,
    node: PyNode,
    into: Map<string, OptionValue>,
  ): boolean {
    let opaque = false;
    if (name === 'option') {
      const k = this.arg(args, 0, 'key');
      const v = this.arg(args, 1, 'value');
      const key = strValue(this.strOf(k?.value));
      if (key === undefined || !v || !k) return true;
      into.set(key.toLowerCase(), this.optionFrom(k.node, key, v.value, v.node));
      return false;
    }
    for (const [key, { value, node: vnode, kwNode }] of args.kw) into.set(key.toLowerCase(), this.optionFrom(kwNode, key, value, vnode));
    for (const splat of args.kwSplats) {
      if (splat.k !== 'dict' || splat.opaque) {
        opaque = true;
        continue;
      }
      for (const [k, v, pair] of splat.entries) {
        const key = strValue(this.strOf(k));
        if (key === undefined) opaque = true;
        else into.set(key.toLowerCase(), this.optionFrom(pair, key, v, pair.kids[1] ?? pair));
      }
    }
    for (const v of args.pos) {
      if (v.k === 'dict' && !v.opaque) {
        for (const [k, val, pair] of v.entries) {
          const key = strValue(this.strOf(k));
          if (key === undefined) opaque = true;
          else into.set(key.toLowerCase(), this.optionFrom(pair, key, val, pair.kids[1] ?? pair));
        }
      } else opaque = true;
    }
    void node;
    return opaque;
  }

  private formatFrom(value: Value | undefined, node: PyNode): FormatInfo {
    const v = strValue(this.strOf(value));
    return { value: v?.toLowerCase(), known: v !== undefined, node };
  }

  private readerMethod(r: ReaderState, name: string, node: PyNode, args: Args): Value | undefined {
    switch (name) {
      case 'format': {
        const f = this.arg(args, 0, 'source');
        return { k: 'reader', r: { ...r, format: this.formatFrom(f?.value, node) } };
      }
      case 'option':
      case 'options': {
        const options = new Map(r.options);
        const opaque = this.addOptions(name, args, node, options);
        return { k: 'reader', r: { ...r, options, optionsOpaque: r.optionsOpaque || opaque } };
      }
      case 'schema':
        return { k: 'reader', r: { ...r, schema: true } };
      default:
        break;
    }
    if (!READER_TERMINALS.has(name)) return undefined;
    const implied = READER_TERMINALS.get(name);
    const options = new Map(r.options);
    let optionsOpaque = r.optionsOpaque;
    let schemaGiven = r.schema;
    let format: FormatInfo | undefined = r.format;
    const pathKw = name === 'table' ? 'tableName' : name === 'jdbc' ? 'table' : 'path';
    const pathIndex = name === 'jdbc' ? 1 : 0;
    const kwOptions: Args = { ...args, kw: new Map(args.kw), pos: [], posNodes: [] };
    for (const skip of [pathKw, 'format', 'schema', 'url', 'properties', 'paths']) kwOptions.kw.delete(skip);
    if (args.kw.has('schema')) schemaGiven = true;
    const fmtKw = args.kw.get('format');
    if (fmtKw) format = this.formatFrom(fmtKw.value, fmtKw.node);
    if (implied && name !== 'table') format = { value: implied, known: true, node };
    if (kwOptions.kw.size > 0 || kwOptions.kwSplats.length > 0) {
      optionsOpaque = this.addOptions('options', kwOptions, node, options) || optionsOpaque;
    }
    const t = this.arg(args, pathIndex, pathKw);
    const fmt = name === 'table' ? 'table' : format?.value;
    const formatKnown = name === 'table' || (format ? format.known : true);
    const stream = r.stream;
    const cdfOption = options.get('readchangefeed') ?? options.get('readchangedata');
    const cdf = cdfOption !== undefined && /^(true|1)$/i.test(cdfOption.literal ?? strValue(cdfOption.value) ?? '');
    let kind: SourceKind = 'other';
    if (name === 'table' || fmt === 'delta' || fmt === 'table') kind = 'table';
    else if (fmt === 'cloudfiles') kind = 'autoloader';
    else if (fmt === 'kafka') kind = 'kafka';
    else if (fmt === 'jdbc' || name === 'jdbc') kind = 'jdbc';
    else if (fmt && /^(json|csv|parquet|orc|text|xml|avro|binaryfile)$/.test(fmt)) kind = 'file';
    else if (!format && name === 'load') kind = 'file';
    if (kind === 'table' && name === 'load' && fmt !== 'delta') kind = 'other';
    if (name === 'load' && fmt === 'delta') kind = 'table';
    let targetNode = t?.node;
    let targetValue = t?.value;
    if (!t) {
      const opt = options.get('path') ?? options.get('dbtable') ?? options.get('subscribe') ?? options.get('topic');
      if (opt) {
        targetNode = opt.node;
        targetValue = opt.value ? { k: 'str', s: opt.value, names: [] } : undefined;
      }
    }
    return this.newSource({
      kind,
      node,
      format: fmt,
      formatKnown,
      options,
      optionsOpaque,
      schemaGiven,
      stream,
      cdf,
      target: this.makeTarget(targetNode, targetValue, 'source'),
      tables: [],
      sql: undefined,
      sqlDisplay: undefined,
    });
  }

  /** The nodes a transform's arguments refer to through names (`withColumns(audit_cols)`). */
  private transformArgs(args: Args): { args: readonly PyNode[]; argRefs: readonly PyNode[]; argStrings: readonly string[] } {
    const argRefs: PyNode[] = [];
    const argStrings: string[] = [];
    const collect = (v: Value): void => {
      if (v.k === 'unknown' && v.expr) argRefs.push(v.expr);
      else if (v.k === 'seq') v.items.forEach(collect);
      else if (v.k === 'dict') for (const [, val, pair] of v.entries) {
        argRefs.push(pair);
        collect(val);
      }
    };
    args.pos.forEach(collect);
    for (const { value } of args.kw.values()) collect(value);
    args.kwSplats.forEach(collect);
    for (const ref of args.refs) {
      if (typeof ref === 'string') argStrings.push(ref);
      else if (!argRefs.includes(ref)) argRefs.push(ref);
    }
    return { args: args.nodes, argRefs, argStrings };
  }

  private recordAction(name: string, node: PyNode, df: DFNode): void {
    const action: Action = { name, node, df, ctx: this.ctx };
    this.events.actions.push(action);
    this.underlying(df).consumers.push({ kind: 'action', action });
  }

  private dfMethod(df: DFNode, name: string, node: PyNode, args: Args): Value | undefined {
    if (DF_TRANSFORMS.has(name)) {
      const parents: DFNode[] = [df];
      if (DF_MULTI_INPUT.has(name)) {
        // join(other, on, how): only `other` is data; union*(a, b, ...): every argument is.
        const joinLike = name === 'join' || name === 'crossJoin';
        const others = joinLike ? [this.arg(args, 0, 'other')].filter((a) => a !== undefined) : args.pos.map((value, i) => ({ value, node: args.posNodes[i]! }));
        for (const other of others) {
          const odf = this.asDF(other.value, other.node);
          if (odf) parents.push(odf);
        }
      }
      const isAgg = name === 'agg';
      const op = isAgg ? 'agg' : name;
      const out = this.newDF('transform', op, node, parents, this.transformArgs(args));
      if ((name === 'cache' || name === 'persist' || name === 'checkpoint' || name === 'localCheckpoint') && node.parent?.type === 'expression_statement') {
        df.cached = true;
      }
      return { k: 'df', df: out };
    }
    if (DF_GROUPING.has(name)) return { k: 'grouped', df, call: node, args: args.nodes };
    if (name === 'write' || name === 'writeStream') return undefined;
    if (name === 'writeTo') {
      const t = this.arg(args, 0, 'table');
      return {
        k: 'writerV2',
        w: {
          df,
          target: this.makeTarget(t?.node, t?.value, 'sink'),
          targetNode: t?.node,
          options: new Map(),
          optionsOpaque: false,
          partitionBy: undefined,
          clusterBy: undefined,
          format: undefined,
        },
      };
    }
    if (TEMP_VIEW_METHODS.has(name)) {
      const v = strValue(this.strOf(this.arg(args, 0, 'name')?.value));
      if (v !== undefined) this.events.tempViews.set(v.toLowerCase(), this.underlying(df));
      else this.escape({ k: 'df', df }, node);
      return UNKNOWN_EXPR;
    }
    if (DF_ACTIONS.has(name)) {
      this.recordAction(name, node, df);
      return unknown('call', [], node);
    }
    if (name === 'transform') {
      return { k: 'df', df: this.newDF('opaque', 'transform', node, [df], { opaque: { reason: 'call', names: [] }, ...this.transformArgs(args) }) };
    }
    if (name === 'printSchema' || name === 'explain' || name === 'createOrReplaceTempView') return UNKNOWN_EXPR;
    return undefined;
  }

  private groupedMethod(g: Value & { k: 'grouped' }, name: string, node: PyNode, args: Args): Value | undefined {
    if (name === 'pivot') return { ...g };
    if (GROUPED_AGGREGATES.has(name)) {
      const { argRefs, argStrings } = this.transformArgs(args);
      return {
        k: 'df',
        df: this.newDF('transform', `groupBy.${name}`, node, [g.df], { args: [...g.args, ...args.nodes], argRefs, argStrings }),
      };
    }
    return undefined;
  }

  private writerMethod(w: WriterState, name: string, node: PyNode, args: Args): Value | undefined {
    const step = this.writerStep(w, name, node, args);
    if (step) return step;
    if (!BATCH_WRITER_TERMINALS.has(name)) return undefined;
    const implied = BATCH_WRITER_TERMINALS.get(name);
    const targetKw = name === 'saveAsTable' ? 'name' : name === 'insertInto' ? 'tableName' : name === 'jdbc' ? 'table' : 'path';
    const t = this.arg(args, name === 'jdbc' ? 1 : 0, targetKw);
    let format = w.format;
    const fmtKw = args.kw.get('format');
    if (fmtKw) format = this.formatFrom(fmtKw.value, fmtKw.kwNode);
    if (implied) format = { value: implied, known: true, node };
    let mode = w.mode;
    const modeKw = args.kw.get('mode');
    if (modeKw) mode = this.modeFrom(modeKw.value, modeKw.kwNode);
    if (name === 'insertInto') {
      const ow = args.kw.get('overwrite') ?? (args.pos[1] ? { value: args.pos[1], kwNode: args.posNodes[1]! } : undefined);
      if (ow) {
        const text = ow.value.k === 'lit' ? ow.value.text : undefined;
        mode = { value: text === 'True' ? 'overwrite' : text === 'False' ? 'append' : undefined, known: text === 'True' || text === 'False', node: ow.kwNode };
      } else if (!mode) {
        // Without `overwrite=`, insertInto uses the writer's mode, and appends by default.
        mode = { value: 'append', known: true, node };
      }
    }
    let partitionBy = w.partitionBy;
    const pb = args.kw.get('partitionBy');
    if (pb) partitionBy = this.columnNames(pb.value);
    const options = new Map(w.options);
    let optionsOpaque = w.optionsOpaque;
    const extra: Args = { ...args, pos: [], posNodes: [], kw: new Map(args.kw) };
    for (const k of [targetKw, 'format', 'mode', 'partitionBy', 'overwrite', 'url', 'properties']) extra.kw.delete(k);
    if (extra.kw.size > 0 || extra.kwSplats.length > 0) optionsOpaque = this.addOptions('options', extra, node, options) || optionsOpaque;
    // `.option("path", ...)` / `.option("dbtable", ...)` name the target when the call does not.
    const named = t ?? (() => {
      const opt = options.get('path') ?? options.get('dbtable');
      return opt ? { node: opt.node, value: opt.value ? ({ k: 'str', s: opt.value, names: [] } as Value) : unknown('expression') } : undefined;
    })();
    this.recordSink({
      kind: 'batch',
      node,
      anchor: methodSpan(node),
      df: w.df,
      stream: false,
      format: format?.value,
      formatKnown: format ? format.known : true,
      mode: mode?.value,
      modeKnown: mode ? mode.known : true,
      modeNode: mode?.node,
      options,
      optionsOpaque,
      partitionBy,
      clusterBy: w.clusterBy,
      trigger: undefined,
      foreachBatch: undefined,
      foreachBatchNode: undefined,
      target: this.makeTarget(named?.node, named?.value, 'sink'),
      sql: undefined,
      merge: undefined,
    });
    return UNKNOWN_EXPR;
  }

  private modeFrom(value: Value | undefined, node: PyNode): ModeInfo {
    const v = strValue(this.strOf(value));
    return { value: v?.toLowerCase(), known: v !== undefined, node };
  }

  /** Builder steps shared by batch and stream writers. */
  private writerStep(w: WriterState, name: string, node: PyNode, args: Args): Value | undefined {
    switch (name) {
      case 'format':
        return { k: 'writer', w: { ...w, format: this.formatFrom(this.arg(args, 0, 'source')?.value, node) } };
      case 'mode':
        return { k: 'writer', w: { ...w, mode: this.modeFrom(this.arg(args, 0, 'saveMode')?.value, node) } };
      case 'outputMode':
        return { k: 'writer', w: { ...w, outputMode: this.modeFrom(this.arg(args, 0, 'outputMode')?.value, node) } };
      case 'option':
      case 'options': {
        const options = new Map(w.options);
        const opaque = this.addOptions(name, args, node, options);
        return { k: 'writer', w: { ...w, options, optionsOpaque: w.optionsOpaque || opaque } };
      }
      case 'partitionBy':
        return { k: 'writer', w: { ...w, partitionBy: args.pos.flatMap((v) => this.columnNames(v) ?? [null]) } };
      case 'clusterBy':
        return { k: 'writer', w: { ...w, clusterBy: args.pos.flatMap((v) => this.columnNames(v) ?? [null]) } };
      case 'bucketBy':
      case 'sortBy':
      case 'queryName':
        return { k: 'writer', w };
      case 'trigger': {
        const [first] = [...args.kw.keys()];
        return { k: 'writer', w: { ...w, trigger: { kind: first ?? 'unknown', node } } };
      }
      case 'foreachBatch':
      case 'foreach': {
        const fn = this.arg(args, 0, 'func');
        let scope: Scope | undefined;
        if (fn?.value.k === 'func') scope = fn.value.scope;
        else if (fn?.node.type === 'identifier') this.pendingForeachBatch.push({ name: this.text(fn.node), node: fn.node });
        if (name === 'foreachBatch') {
          if (scope) scope.isForeachBatch = true;
          return { k: 'writer', w: { ...w, foreachBatch: scope, foreachBatchNode: fn?.node, format: { value: 'foreachbatch', known: true, node } } };
        }
        return { k: 'writer', w: { ...w, format: { value: 'foreach', known: true, node } } };
      }
      default:
        return undefined;
    }
  }

  private streamWriterMethod(w: WriterState, name: string, node: PyNode, args: Args): Value | undefined {
    const step = this.writerStep(w, name, node, args);
    if (step) return step;
    if (!STREAM_WRITER_TERMINALS.has(name)) return undefined;
    const targetKw = name === 'toTable' ? 'tableName' : 'path';
    const t = this.arg(args, 0, targetKw);
    let format = w.format;
    const fmtKw = args.kw.get('format');
    if (fmtKw) format = this.formatFrom(fmtKw.value, fmtKw.kwNode);
    let outputMode = w.outputMode;
    const om = args.kw.get('outputMode');
    if (om) outputMode = this.modeFrom(om.value, om.kwNode);
    let partitionBy = w.partitionBy;
    const pb = args.kw.get('partitionBy');
    if (pb) partitionBy = this.columnNames(pb.value);
    const options = new Map(w.options);
    let optionsOpaque = w.optionsOpaque;
    const extra: Args = { ...args, pos: [], posNodes: [], kw: new Map(args.kw) };
    for (const k of [targetKw, 'format', 'outputMode', 'partitionBy', 'queryName']) extra.kw.delete(k);
    if (extra.kw.size > 0 || extra.kwSplats.length > 0) optionsOpaque = this.addOptions('options', extra, node, options) || optionsOpaque;
    let targetNode = t?.node;
    let targetValue = t?.value;
    if (!t) {
      const opt = options.get('path');
      if (opt) {
        targetNode = opt.node;
        targetValue = opt.value ? { k: 'str', s: opt.value, names: [] } : undefined;
      }
    }
    this.recordSink({
      kind: 'stream',
      node,
      anchor: methodSpan(node),
      df: w.df,
      stream: true,
      format: format?.value,
      formatKnown: format ? format.known : true,
      mode: outputMode?.value ?? 'append',
      modeKnown: outputMode ? outputMode.known : true,
      modeNode: outputMode?.node,
      options,
      optionsOpaque,
      partitionBy,
      clusterBy: w.clusterBy,
      trigger: w.trigger,
      foreachBatch: w.foreachBatch,
      foreachBatchNode: w.foreachBatchNode,
      target: this.makeTarget(targetNode, targetValue, 'sink'),
      sql: undefined,
      merge: undefined,
    });
    return unknown('call', [], node);
  }

  private writerV2Method(w: WriterV2State, name: string, node: PyNode, args: Args): Value | undefined {
    switch (name) {
      case 'using':
        return { k: 'writerV2', w: { ...w, format: this.formatFrom(this.arg(args, 0, 'provider')?.value, node) } };
      case 'option':
      case 'options': {
        const options = new Map(w.options);
        const opaque = this.addOptions(name, args, node, options);
        return { k: 'writerV2', w: { ...w, options, optionsOpaque: w.optionsOpaque || opaque } };
      }
      case 'partitionedBy':
        return { k: 'writerV2', w: { ...w, partitionBy: args.pos.map((v) => strValue(this.strOf(v)) ?? null) } };
      case 'clusterBy':
        return { k: 'writerV2', w: { ...w, clusterBy: args.pos.flatMap((v) => this.columnNames(v) ?? [null]) } };
      case 'tableProperty':
        return { k: 'writerV2', w };
      default:
        break;
    }
    const mode = WRITER_V2_TERMINALS.get(name);
    if (!mode) return undefined;
    this.recordSink({
      kind: 'batch',
      node,
      anchor: methodSpan(node),
      df: w.df,
      stream: false,
      format: w.format?.value ?? 'delta',
      formatKnown: w.format ? w.format.known : true,
      mode,
      modeKnown: true,
      modeNode: node,
      options: w.options,
      optionsOpaque: w.optionsOpaque,
      partitionBy: w.partitionBy,
      clusterBy: w.clusterBy,
      trigger: undefined,
      foreachBatch: undefined,
      foreachBatchNode: undefined,
      target: w.target,
      sql: undefined,
      merge: undefined,
    });
    return UNKNOWN_EXPR;
  }

  private deltaMethod(delta: Value & { k: 'delta' }, name: string, node: PyNode, args: Args): Value | undefined {
    const target = delta.target;
    switch (name) {
      case 'alias':
        return delta;
      case 'toDF':
        return this.newSource({
          kind: 'table',
          node,
          format: 'delta',
          formatKnown: true,
          options: new Map(),
          optionsOpaque: false,
          schemaGiven: true,
          stream: false,
          cdf: false,
          target: delta.sourceTarget,
          tables: [],
          sql: undefined,
          sqlDisplay: undefined,
        });
      case 'merge': {
        const src = this.arg(args, 0, 'source');
        const cond = this.arg(args, 1, 'condition');
        const sourceDF = src ? this.asDF(src.value, src.node) : undefined;
        const chain: MergeChain = {
          mergeCall: node,
          target,
          source: sourceDF,
          condition: cond?.node,
          clauses: [],
          executed: false,
          escaped: false,
          ctx: this.ctx,
        };
        this.events.merges.push(chain);
        return { k: 'merge', m: chain };
      }
      case 'delete':
      case 'update':
      case 'updateExpr':
        this.recordSink({
          kind: name === 'delete' ? 'delete' : 'update',
          node,
          anchor: methodSpan(node),
          df: undefined,
          stream: false,
          format: 'delta',
          formatKnown: true,
          mode: name,
          modeKnown: true,
          modeNode: node,
          options: new Map(),
          optionsOpaque: false,
          partitionBy: undefined,
          clusterBy: undefined,
          trigger: undefined,
          foreachBatch: undefined,
          foreachBatchNode: undefined,
          target,
          sql: undefined,
          merge: undefined,
        });
        return UNKNOWN_EXPR;
      default:
        return unknown('call', [], node);
    }
  }

  private mergeMethod(m: MergeChain, name: string, node: PyNode, args: Args): Value | undefined {
    if (MERGE_CLAUSES.has(name)) {
      m.clauses.push(node);
      return { k: 'merge', m };
    }
    if (name === 'withSchemaEvolution') return { k: 'merge', m };
    if (name === 'execute') {
      m.executed = true;
      this.recordSink({
        kind: 'merge',
        node,
        anchor: methodSpan(m.mergeCall),
        df: m.source,
        stream: false,
        format: 'delta',
        formatKnown: true,
        mode: 'merge',
        modeKnown: true,
        modeNode: undefined,
        options: new Map(),
        optionsOpaque: false,
        partitionBy: undefined,
        clusterBy: undefined,
        trigger: undefined,
        foreachBatch: undefined,
        foreachBatchNode: undefined,
        target: m.target,
        sql: undefined,
        merge: m,
      });
      return UNKNOWN_EXPR;
    }
    void args;
    return undefined;
  }

  private recordSink(sink: Omit<Sink, 'ctx'>): void {
    const full: Sink = { ...sink, ctx: this.ctx };
    this.events.sinks.push(full);
    if (full.df) this.underlying(full.df).consumers.push({ kind: 'sink', sink: full });
  }
}

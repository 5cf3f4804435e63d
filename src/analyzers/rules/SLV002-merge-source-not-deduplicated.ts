import dedent from 'dedent';
import { downstream, isAggregate, isComplete, someUpstream, sourcesOf, upstream } from '../model/lineage.js';
import type { FileModel } from '../model/index.js';
import { attributeName, attributeObject, callArgs, callFunction, descendants, methodSpan, unparen } from '../model/nodes.js';
import { quote, sameTarget } from '../model/queries.js';
import { analyzeSql } from '../model/sql.js';
import { plainStringValue } from '../model/strings.js';
import type { DFNode, Sink } from '../model/types.js';
import type { PyNode } from '../syntax.js';
import { defineRule, type Match } from '../rule.js';

const DEDUP_OPS = new Set(['dropDuplicates', 'drop_duplicates', 'dropDuplicatesWithinWatermark']);
const WHOLE_ROW_DEDUP = new Set(['distinct', 'limit']);
const RANKING = /\b(?:row_number|rank|dense_rank|max_by|min_by|first|last|max|min)\b/;
/** A window expression (`row_number().over(w)`, `F.max("ts").over(w)`) then a filter keeping one row. */
const WINDOW = /\bover\s*\(/i;
const FILTERS = new Set(['filter', 'where']);
const DELETE_CLAUSES = new Set(['whenMatchedDelete', 'whenNotMatchedBySourceDelete']);
/** Steps that keep every row and every column as it is (for uniqueness). Joins and unions too: a dedup before them counts, as it always did. */
const ROW_PRESERVING = new Set([
  'filter', 'where', 'alias', 'hint', 'cache', 'persist', 'unpersist', 'checkpoint', 'localCheckpoint', 'orderBy', 'sort',
  'sortWithinPartitions', 'repartition', 'repartitionByRange', 'coalesce', 'withWatermark', 'limit', 'offset', 'sample',
  'dropna', 'fillna', 'replace', 'distinct', 'dropDuplicates', 'drop_duplicates', 'dropDuplicatesWithinWatermark', 'observe',
  'withMetadata', 'to', 'intersect', 'intersectAll', 'subtract', 'exceptAll', 'join', 'crossJoin', 'union', 'unionAll', 'unionByName',
]);
/** Generators: one input row becomes several output rows. */
const GENERATOR = /^(?:explode|explode_outer|posexplode|posexplode_outer|inline|inline_outer|stack)$/i;
const SQL_GENERATOR = /\b(explode|explode_outer|posexplode|posexplode_outer|inline|inline_outer|stack)\s*\(/i;

/**
 * What a DataFrame is known to be unique on: one entry per column of the dedup, each the set of
 * (lower-case) names that column now goes by (a rename changes it, `withColumn("b", F.col("a"))`
 * copies it). `unknown`: a step we cannot follow (counts as covering the keys); `none`: the
 * uniqueness is gone (an aggregation replaced it).
 */
type Unique = readonly ReadonlySet<string>[] | 'unknown' | 'none';

function stringValue(model: FileModel, node: PyNode | undefined): string | undefined {
  return node?.type === 'string' ? plainStringValue(model.text(node)) : undefined;
}

/** A string literal, or literals concatenated, without interpolation. */
function literalString(model: FileModel, node: PyNode): boolean {
  const n = unparen(node);
  if (n.type === 'concatenated_string') return n.kids.every((k) => literalString(model, k));
  return stringValue(model, n) !== undefined;
}

function callName(model: FileModel, node: PyNode): string | undefined {
  if (node.type !== 'call') return undefined;
  const fn = callFunction(node);
  if (fn?.type === 'identifier') return model.text(fn);
  const name = fn?.type === 'attribute' ? attributeName(fn) : undefined;
  return name ? model.text(name) : undefined;
}

function callArgList(node: PyNode): PyNode[] {
  return callArgs(node)?.kids ?? [];
}

/** `"x"`, `F.col("x")`, `col("x")`, `df["x"]` -> x (possibly dotted: `"line.sku"`). */
function columnRef(model: FileModel, node: PyNode): string | undefined {
  const n = unparen(node);
  if (n.type === 'string') return stringValue(model, n);
  if (n.type === 'subscript') return stringValue(model, n.kids[1]);
  const name = callName(model, n);
  const args = callArgList(n);
  if ((name === 'col' || name === 'column') && args.length === 1) return stringValue(model, args[0]);
  return undefined;
}

/**
 * The columns of a `dropDuplicates`/`groupBy`/`partitionBy` argument list (`"a", F.col("b")`,
 * `["a", "b"]`, `subset=[...]`); undefined when one cannot be read (a variable, an expression)
 * or when there are none (a whole-row dedup).
 */
function columnList(model: FileModel, nodes: readonly PyNode[], constants: readonly string[] = []): string[] | undefined {
  const out: string[] = [];
  let names = 0;
  const visit = (node: PyNode): boolean => {
    const n = unparen(node);
    if (n.type === 'keyword_argument') return n.kids[1] !== undefined && visit(n.kids[1]);
    if (n.type === 'list' || n.type === 'tuple') return n.kids.every(visit);
    if (n.type === 'identifier') return ++names > 0;
    const c = columnRef(model, n);
    if (c === undefined || c.includes('*')) return false;
    out.push(c.toLowerCase());
    return true;
  };
  if (!nodes.every(visit)) return undefined;
  // `dropDuplicates([KEY])` with KEY = "customer_id": the names' constant values, when each resolved.
  if (names > 0) {
    if (constants.length !== names) return undefined;
    for (const c of constants) {
      const v = plainStringValue(c);
      if (v === undefined) return undefined;
      out.push(v.toLowerCase());
    }
  }
  return out.length > 0 ? out : undefined;
}

function uniqueOn(columns: readonly string[] | undefined): Unique {
  return columns === undefined ? 'unknown' : columns.map((c) => new Set([c]));
}

/** Whether a text names one of the columns (as a word). */
function mentions(text: string, names: ReadonlySet<string>): boolean {
  const lower = text.toLowerCase();
  for (const n of names) if (new RegExp(`(?<![\\w$])${n.replace(/[^\w]/g, '\\$&')}(?![\\w$])`).test(lower)) return true;
  return false;
}

/**
 * A generator (`explode`, `posexplode`, `inline`...) adds rows: the result is unique on the old
 * columns plus its position (`posexplode`) or, at best, its values. Quiet unless the keys surely
 * repeat: the merge keys include none of its outputs, so every key repeats once per element.
 * `outputs` are the given names (`.alias("line_no", "line")`, `withColumn("line", ...)`), else undefined.
 */
function generate(u: Unique, fn: string, outputs: readonly string[] | undefined, keys: ReadonlySet<string>): Unique {
  if (u === 'unknown' || u === 'none') return u;
  const lower = fn.toLowerCase();
  if (!lower.includes('explode')) return 'unknown';
  const positional = lower.startsWith('pos');
  const names = outputs?.map((o) => o.toLowerCase()) ?? (positional ? ['pos', 'col', 'key', 'value'] : ['col', 'key', 'value']);
  const position = positional ? (outputs ? names[0]! : 'pos') : undefined;
  const values = positional ? names.slice(1) : names;
  // (row, position) is unique: a merge on the old keys and the position is covered.
  if (position !== undefined && keys.has(position)) return [...u, new Set([position])];
  // A merge key among the exploded values: unique only if the array holds distinct values; we cannot know.
  if (values.some((v) => keys.has(v))) return 'unknown';
  return [...u, new Set(names)];
}

/** Renames the names a column goes by; `undefined` target drops the name. */
function rename(u: readonly ReadonlySet<string>[], from: string, to: string | undefined): ReadonlySet<string>[] {
  return u.map((names) => {
    if (!names.has(from)) return names;
    const next = new Set(names);
    next.delete(from);
    if (to !== undefined) next.add(to);
    return next;
  });
}

/** `expr.alias("a", "b")` / `expr.name("a")` -> the expression and the literal names. */
function aliased(model: FileModel, node: PyNode): { expr: PyNode; names: string[] | undefined } | undefined {
  const n = unparen(node);
  const name = callName(model, n);
  const fn = n.type === 'call' ? callFunction(n) : undefined;
  if ((name !== 'alias' && name !== 'name') || fn?.type !== 'attribute') return undefined;
  const expr = attributeObject(fn);
  if (!expr) return undefined;
  const args = callArgList(n);
  const names = args.map((a) => stringValue(model, a));
  return { expr, names: names.every((x) => x !== undefined) && names.length > 0 ? (names as string[]) : undefined };
}

/**
 * Whether an expression is built from literals only (`F.lit(1)`, `F.col("a").cast("int")`): no
 * variable can make it a column we do not see (`F.col(key)`).
 */
function literalOnly(model: FileModel, node: PyNode): boolean {
  const n = unparen(node);
  switch (n.type) {
    case 'string':
      return plainStringValue(model.text(n)) !== undefined;
    case 'integer':
    case 'float':
    case 'true':
    case 'false':
    case 'none':
      return true;
    case 'keyword_argument':
      return n.kids[1] !== undefined && literalOnly(model, n.kids[1]);
    case 'call': {
      const fn = callFunction(n);
      const object = fn?.type === 'attribute' ? attributeObject(fn) : undefined;
      if (fn?.type !== 'identifier' && !(object && (object.type === 'identifier' || literalOnly(model, object)))) return false;
      return callArgList(n).every((a) => literalOnly(model, a));
    }
    case 'binary_operator':
    case 'comparison_operator':
    case 'boolean_operator':
    case 'unary_operator':
    case 'not_operator':
    case 'list':
    case 'tuple':
      return n.kids.every((k) => literalOnly(model, k));
    default:
      return false;
  }
}

/**
 * A `select(...)`: each unique column goes by the names the projection keeps or gives it. Only
 * names the merge condition uses matter: a computed column is harmless unless it may land on one
 * of them from a unique column (or from something we cannot see).
 */
function select(model: FileModel, d: DFNode, u: readonly ReadonlySet<string>[], keys: ReadonlySet<string>): Unique {
  const current = new Set(u.flatMap((names) => [...names]));
  const kept = new Map<string, Set<string>>();
  const keep = (from: string, to: string): void => {
    const set = kept.get(from) ?? new Set<string>();
    set.add(to);
    kept.set(from, set);
  };
  let all = false;
  let generator: { fn: string; outputs: string[] | undefined } | undefined;
  const args = d.args.flatMap((a) => (unparen(a).type === 'list' ? unparen(a).kids : [a]));
  for (const arg of args) {
    const a = aliased(model, arg);
    if (a && (a.names === undefined || a.names.length === 0)) return 'unknown';
    const inner = a ? unparen(a.expr) : unparen(arg);
    const ref = columnRef(model, inner)?.toLowerCase();
    const fn = callName(model, inner);
    if (ref !== undefined) {
      const parts = ref.split('.');
      const last = parts[parts.length - 1]!;
      if (last === '*') {
        // `"*"`, `"s.*"` (one side of a join): every column is kept; `"line.*"`: fields of a unique column.
        if (parts.slice(0, -1).some((p) => current.has(p))) return 'unknown';
        all = true;
        continue;
      }
      if (a && a.names!.length !== 1) return 'unknown';
      const to = (a ? a.names![0]! : last).toLowerCase();
      if (parts.length === 1) keep(ref, to);
      // `"line.sku"`, `"s.customer_id"`: a field or a qualified name we cannot follow, if it lands on a key.
      else if (keys.has(to) && parts.some((p) => current.has(p))) return 'unknown';
    } else if (fn !== undefined && GENERATOR.test(fn)) {
      if (generator) return 'unknown';
      generator = { fn, outputs: a?.names };
    } else if (inner.type === 'identifier' || inner.type === 'list_splat' || inner.type === 'attribute' || inner.type === 'subscript') {
      // A variable, `*cols`, `df.x`, `df[name]`: columns we cannot see.
      return 'unknown';
    } else {
      // A computed column: harmless unless it may be a unique column under a key's name.
      const derived = mentions(model.text(inner), current) || !literalOnly(model, inner);
      if (derived && (a === undefined || a.names!.some((n) => keys.has(n.toLowerCase())))) return 'unknown';
    }
  }
  if (d.argStrings.some((s) => mentions(s, current))) return 'unknown';
  return project(u, all, kept, generator, keys);
}

/** The unique column sets after a projection that keeps (and renames) `kept`, or all columns, then a generator. */
function project(
  u: readonly ReadonlySet<string>[],
  all: boolean,
  kept: ReadonlyMap<string, ReadonlySet<string>>,
  generator: { fn: string; outputs: string[] | undefined } | undefined,
  keys: ReadonlySet<string>,
): Unique {
  const next: Unique = u.map((names) => {
    if (all) return names;
    const out = new Set<string>();
    for (const n of names) for (const to of kept.get(n) ?? []) out.add(to);
    return out;
  });
  return generator ? generate(next, generator.fn, generator.outputs, keys) : next;
}

/** A `selectExpr("a AS b", "posexplode(lines) AS (line_no, line)")`. */
function selectExpr(model: FileModel, d: DFNode, u: readonly ReadonlySet<string>[], keys: ReadonlySet<string>): Unique {
  const current = new Set(u.flatMap((names) => [...names]));
  const kept = new Map<string, Set<string>>();
  let all = false;
  let generator: { fn: string; outputs: string[] | undefined } | undefined;
  for (const arg of d.args) {
    const sql = stringValue(model, arg)?.trim();
    if (sql === undefined) return 'unknown';
    if (sql === '*') {
      all = true;
      continue;
    }
    const plain = /^`?(\w+)`?(?:\s+(?:as\s+)?`?(\w+)`?)?$/i.exec(sql);
    if (plain) {
      const from = plain[1]!.toLowerCase();
      const set = kept.get(from) ?? new Set<string>();
      set.add((plain[2] ?? plain[1]!).toLowerCase());
      kept.set(from, set);
      continue;
    }
    const gen = SQL_GENERATOR.exec(sql);
    if (gen) {
      if (generator) return 'unknown';
      // `posexplode(lines) AS (line_no, line)`, `explode(lines) line`.
      const as = /\)\s*(?:as\s+)?(?:\(([\w\s,`]+)\)|`?(\w+)`?)\s*$/i.exec(sql);
      const names = (as?.[1] ?? as?.[2])?.split(',').map((x) => x.replace(/`/g, '').trim());
      generator = { fn: gen[1]!, outputs: names?.every((x) => /^\w+$/.test(x)) ? names : undefined };
      continue;
    }
    if (mentions(sql, current)) return 'unknown';
  }
  return project(u, all, kept, generator, keys);
}

/**
 * `withColumn(name, expr)`: a copy of a unique column adds a name; a generator adds rows. Only the
 * names the merge condition uses matter: a column computed under another name is harmless.
 */
function withColumn(model: FileModel, name: string | undefined, expr: PyNode, u: readonly ReadonlySet<string>[], keys: ReadonlySet<string>): Unique {
  const current = new Set(u.flatMap((names) => [...names]));
  const fn = callName(model, unparen(expr));
  if (fn !== undefined && GENERATOR.test(fn)) return generate(u, fn, name === undefined ? undefined : [name], keys);
  const derived = mentions(model.text(expr), current) || !literalOnly(model, expr);
  if (name === undefined) return derived ? 'unknown' : u;
  const to = name.toLowerCase();
  const ref = columnRef(model, expr)?.toLowerCase();
  if (ref !== undefined && current.has(ref)) return u.map((names) => (names.has(ref) ? new Set([...names, to]) : names));
  // A unique column replaced, or a key computed from a unique column (`F.trim("CustomerID")`).
  if (current.has(to) || (keys.has(to) && derived)) return 'unknown';
  return u;
}

/** A dict literal of string keys and values: `{"a": "b"}`; undefined otherwise. */
function literalDict(model: FileModel, node: PyNode | undefined): [string, PyNode][] | undefined {
  const n = node ? unparen(node) : undefined;
  if (n?.type !== 'dictionary') return undefined;
  const out: [string, PyNode][] = [];
  for (const pair of n.kids) {
    const key = pair.type === 'pair' ? stringValue(model, pair.kids[0]) : undefined;
    if (key === undefined || !pair.kids[1]) return undefined;
    out.push([key, pair.kids[1]]);
  }
  return out;
}

/** How one step changes what the DataFrame is unique on. */
function step(model: FileModel, d: DFNode, u: Unique, keys: ReadonlySet<string>): Unique {
  if (u === 'unknown' || u === 'none') return u;
  if (d.kind === 'phi' || (d.kind === 'transform' && ROW_PRESERVING.has(d.op))) return u;
  if (d.kind !== 'transform') return 'unknown';
  // A new aggregation decides uniqueness itself (it is a candidate of its own).
  if (isAggregate(d)) return 'none';
  const [first, second] = d.args;
  switch (d.op) {
    case 'withColumnRenamed': {
      const from = stringValue(model, first)?.toLowerCase();
      const to = stringValue(model, second)?.toLowerCase();
      return from === undefined || to === undefined ? 'unknown' : rename(u, from, to);
    }
    case 'withColumnsRenamed': {
      const pairs = literalDict(model, first);
      if (!pairs || d.args.length !== 1) return 'unknown';
      const targets = pairs.map(([, v]) => stringValue(model, v)?.toLowerCase());
      if (targets.some((t) => t === undefined)) return 'unknown';
      // All renamed at once: `{"a": "b", "b": "a"}` swaps.
      const renamed = (n: string): string => {
        const i = pairs.findIndex(([k]) => k.toLowerCase() === n);
        return i >= 0 ? targets[i]! : n;
      };
      return u.map((names) => new Set([...names].map(renamed)));
    }
    case 'drop': {
      const cols = columnList(model, d.args);
      if (!cols) return u;
      let next: readonly ReadonlySet<string>[] = u;
      for (const c of cols) next = rename(next, c, undefined);
      return next;
    }
    case 'withColumn':
      return first && second ? withColumn(model, stringValue(model, first), second, u, keys) : 'unknown';
    case 'withColumns': {
      const pairs = literalDict(model, first);
      if (!pairs || d.args.length !== 1) return 'unknown';
      let next: readonly ReadonlySet<string>[] = u;
      for (const [k, v] of pairs) {
        const after = withColumn(model, k, v, next, keys);
        if (after === 'unknown' || after === 'none') return after;
        next = after;
      }
      return next;
    }
    case 'select':
      return select(model, d, u, keys);
    case 'selectExpr':
      return selectExpr(model, d, u, keys);
    default:
      // toDF (positional names), unpivot, mapInPandas...: we cannot follow the columns.
      return 'unknown';
  }
}

/** What `df` is unique on, given that `start` is unique as `initial`; steps from `start` to `df` are followed. */
function uniqueAt(model: FileModel, df: DFNode, start: DFNode, initial: Unique, keys: ReadonlySet<string>): Unique {
  const derived = new Set<DFNode>([start, ...downstream(start)]);
  const memo = new Map<DFNode, Unique>();
  const at = (d: DFNode): Unique => {
    if (d === start) return initial;
    const known = memo.get(d);
    if (known !== undefined) return known;
    memo.set(d, 'unknown');
    const states = d.parents.filter((p) => derived.has(p)).map(at);
    let u: Unique;
    if (states.length === 0) u = 'none';
    else if (states.includes('unknown')) u = 'unknown';
    else {
      const sets = states.filter((s) => s !== 'none');
      if (sets.length === 0) u = 'none';
      // Two paths from the same dedup (a self-join, both branches of an `if`): we do not compare them.
      else u = sets.length === 1 ? sets[0]! : 'unknown';
      u = step(model, d, u, keys);
    }
    memo.set(d, u);
    return u;
  };
  return at(df);
}

/**
 * Whether every unique column still goes by a name that appears in the merge condition. When part
 * of the condition is not literal (`f"t.id = s.id AND t.{col} = s.{col}"`), unseen names may be keys
 * too: a dedup on every key we see counts as well.
 */
function covers(u: Unique, keys: ReadonlySet<string>, partial: readonly string[] | undefined): boolean {
  if (u === 'unknown' || keys.size === 0) return true;
  if (u === 'none') return false;
  if (u.every((names) => [...names].some((n) => keys.has(n)))) return true;
  const all = new Set(u.flatMap((names) => [...names]));
  return partial !== undefined && partial.every((k) => all.has(k.toLowerCase()));
}

/** `partitionBy(...)` calls in a window step's arguments (or the window spec they name). */
function windowPartitions(model: FileModel, d: DFNode): (string[] | undefined)[] {
  const out: (string[] | undefined)[] = [];
  for (const root of [...d.args, ...d.argRefs]) {
    for (const n of [root, ...descendants(root)]) if (callName(model, n) === 'partitionBy') out.push(columnList(model, callArgList(n)));
  }
  return out;
}

/**
 * Whether the lineage keeps one row per merge key: `dropDuplicates` on the keys (or on a subset of
 * them: unique on fewer columns is unique on more), `distinct()`, a `groupBy` on the keys, or a
 * window partitioned by the keys followed by a filter (`row_number()` = 1). The dedup columns are
 * followed through later renames and projections (`withColumnRenamed`, `select(F.col(a).alias(b))`);
 * a step we cannot follow keeps the dedup counting. A dedup, window or `groupBy` on other columns
 * (`dropDuplicates(["email"])` before a merge on `customer_id`) does not count, nor does a dedup
 * followed by an `explode` whose values the keys leave out.
 *
 * `keys` are the words of the merge condition, lower case; empty when the keys are unknown.
 * `partial`: the keys seen, when part of the condition is not literal.
 */
function isDeduplicated(model: FileModel, df: DFNode, keys: ReadonlySet<string>, partial: readonly string[] | undefined): boolean {
  const lineage = [...upstream(df)];
  const filtersAfter = (d: DFNode): boolean => lineage.some((f) => FILTERS.has(f.op) && f !== d && someUpstream(f, (x) => x === d));
  const holds = (d: DFNode, initial: Unique): boolean => covers(uniqueAt(model, df, d, initial, keys), keys, partial);
  return lineage.some((d) => {
    if (WHOLE_ROW_DEDUP.has(d.op)) return true;
    if (d.kind === 'transform' && DEDUP_OPS.has(d.op)) return holds(d, uniqueOn(columnList(model, d.args, d.argStrings)));
    if (isAggregate(d)) {
      if (d.op === 'agg') return holds(d, []);
      // d.args: the groupBy arguments, then the aggregate's own.
      const own = callArgList(d.node).length;
      return holds(d, uniqueOn(columnList(model, d.args.slice(0, d.args.length - own))));
    }
    if (d.kind === 'transform' && WINDOW.test(model.argText(d)) && RANKING.test(model.argText(d))) {
      if (!filtersAfter(d)) return false;
      const partitions = windowPartitions(model, d);
      if (partitions.length === 0) return true;
      return partitions.some((p) => holds(d, uniqueOn(p)));
    }
    return d.source?.sql !== undefined && (analyzeSql(d.source.sql).deduplicates || WINDOW.test(d.source.sql));
  });
}

/**
 * The source is a table this file overwrote earlier with deduplicated rows
 * (`INSERT OVERWRITE staging.x SELECT ... QUALIFY ROW_NUMBER() ...`, then `MERGE ... USING staging.x`).
 */
function stagedDeduplicated(model: FileModel, merge: Sink, df: DFNode, keys: ReadonlySet<string>, partial: readonly string[] | undefined): boolean {
  const tables = sourcesOf(df).flatMap((d) => (d.source ? (d.source.tables.length > 0 ? d.source.tables : [d.source.target]) : []));
  return tables.some((table) =>
    model.sinks.some(
      (w) =>
        w !== merge &&
        w.node.start < merge.node.start &&
        (w.mode === 'overwrite' || w.kind === 'sql-ctas') &&
        sameTarget(model, w.target, table) &&
        w.df !== undefined &&
        isDeduplicated(model, w.df, keys, partial),
    ),
  );
}

/**
 * A batch read of silver or gold tables (not a change feed): the layers that already hold one row
 * per key. Raw files, bronze tables, streams and change feeds repeat keys; unknown tables may.
 */
function readsCuratedTables(d: DFNode): boolean {
  const s = d.source;
  if (!s || s.stream || s.cdf || (s.kind !== 'table' && s.kind !== 'sql')) return false;
  const tables = s.kind === 'sql' ? s.tables : [s.target];
  return tables.length > 0 && tables.every((t) => t.layer === 'silver' || t.layer === 'gold');
}

export default defineRule({
  id: 'SLV002',
  name: 'merge-source-not-deduplicated',
  category: 'silver',
  severity: 'warning',
  default: true,
  docs: {
    summary: 'A MERGE uses a source that is not deduplicated on the merge key.',
    why: dedent`
      Delta's MERGE requires at most one source row per target row: when two source rows match the
      same target row it fails with "multiple source rows matched"; when two new rows share a key
      that is not in the target yet, both are inserted and the key is duplicated. Incremental batches
      and change feeds routinely carry several versions of a key, so the source should be reduced to
      one row per key first (\`dropDuplicates([key])\`, a \`row_number()\` window keeping the latest,
      or a \`groupBy\` on the key).
    `,
    impact: 'The MERGE fails when a key repeats in a batch, or inserts duplicates of a new key.',
    fix: 'Reduce the source to one row per key first: `dropDuplicates([key])`, or keep the latest with `row_number()`.',
    bad: dedent`
      from delta.tables import DeltaTable

      updates = spark.read.table("bronze.customers").filter("customer_id IS NOT NULL")
      (DeltaTable.forName(spark, "silver.customers").alias("t")
          .merge(updates.alias("s"), "t.customer_id = s.customer_id")
          .whenMatchedUpdateAll()
          .whenNotMatchedInsertAll()
          .execute())
    `,
    good: dedent`
      from delta.tables import DeltaTable

      updates = (spark.read.table("bronze.customers")
          .filter("customer_id IS NOT NULL")
          .dropDuplicates(["customer_id"]))
      (DeltaTable.forName(spark, "silver.customers").alias("t")
          .merge(updates.alias("s"), "t.customer_id = s.customer_id")
          .whenMatchedUpdateAll()
          .whenNotMatchedInsertAll()
          .execute())
    `,
    quiet: [
      'The source lineage passes through a call we cannot follow, or starts at a parameter (e.g. a `foreachBatch` micro-batch).',
      'SQL `MERGE INTO ... USING name` where `name` is unqualified and not a temp view registered in this file (a view made elsewhere).',
      'A step keeps one row per merge key: `dropDuplicates` on the keys or on some of them (one row per `order_id` is one row per `order_id, line_no`) or on columns we cannot resolve, `distinct()`, `groupBy` on the keys, a `row_number()`/`rank()`/`max(...)` window partitioned by the keys and then filtered, SQL `DISTINCT`/`GROUP BY`/`QUALIFY`. A dedup, window or `groupBy` on other columns, or on more columns than the merge condition names (`dropDuplicates(["customer_id", "updated_at"])` before a merge on `customer_id`), does not count, unless part of the condition is not literal (`f"t.id = s.id AND t.{col} = s.{col}"`) and the dedup covers every key we see.',
      'The deduplicated columns are renamed to the merge keys afterwards (`dropDuplicates(["CustomerID"])` then `withColumnRenamed("CustomerID", "customer_id")`, `withColumnsRenamed({...})`, `select(F.col("CustomerID").alias("customer_id"))`, `selectExpr("CustomerID AS customer_id")`): the rename is followed. A step whose columns we cannot follow (`toDF(...)`, a rename through variables, `select(*cols)`, a key computed from the deduplicated column) keeps the dedup counting.',
      'A dedup followed by a generator: `posexplode(...)` merged on the keys and its position (`order_id`, `line_no`) is unique by construction; an `explode`/`inline` whose outputs the merge condition names may be unique. (A generator whose outputs the merge condition leaves out repeats every key once per element: reported.)',
      'The source is built in memory (`createDataFrame`) or is one literal row (`USING (SELECT \'job\' AS name, ...)` with no `FROM`).',
      'The MERGE only deletes (`whenMatchedDelete`, `WHEN MATCHED THEN DELETE`): repeated keys delete the same row and insert nothing.',
      'The source is a table this file overwrote earlier with deduplicated rows (a staging table built with `QUALIFY ROW_NUMBER() ...`).',
      'Every source is a batch read of silver or gold tables (the layers that already hold one row per key); change-feed reads of them still count.',
    ],
  },
  *detect({ model }): Iterable<Match> {
    for (const sink of model.sinks) {
      if (sink.kind !== 'merge' && sink.kind !== 'sql-merge') continue;
      const df = sink.df;
      // Only deletes: several source rows matching one target row delete it once; nothing is inserted.
      const clauses = sink.merge?.clauses.map((c) => model.text(methodSpan(c)).replace(/\(.*$/s, '')) ?? [];
      if (clauses.length > 0 && clauses.every((c) => DELETE_CLAUSES.has(c))) continue;
      if (sink.kind === 'sql-merge' && sink.sql) {
        const info = analyzeSql(sink.sql);
        if (/\bthen\s+delete\b/i.test(info.text) && !/\bthen\s+(?:update|insert)\b/i.test(info.text)) continue;
        // `USING (SELECT 'job' AS name, ts AS wm)`: one literal row, no table to repeat keys.
        if (info.mergeSourceQuery !== undefined && (analyzeSql(info.mergeSourceQuery).deduplicates || !/\bfrom\b/i.test(info.mergeSourceQuery))) continue;
        // `USING updates`: an unqualified name this file never registers is most likely a temp view
        // created elsewhere (a foreachBatch function, another notebook cell): its lineage is unknown.
        const name = info.mergeSourceName;
        if (name !== undefined && !name.includes('.') && !model.tempViews.has(name.toLowerCase())) continue;
      }
      if (!df || !isComplete(df)) continue;
      const sources = sourcesOf(df);
      if (sources.some((d) => d.source?.kind === 'memory')) continue;
      if (sources.every(readsCuratedTables)) continue;
      const condition = sink.merge?.condition ? model.text(sink.merge.condition) : undefined;
      const keys = condition ? [...condition.matchAll(/\.\s*`?(\w+)`?\s*(?:=|<=>)\s*\w+\s*\.\s*`?\1\b/g)].map((m) => m[1]!) : [];
      // Every name in the condition counts as a key (`t.id = s.customer_id AND t.day = s.day`):
      // a dedup on columns the condition names is trusted.
      const words = new Set(keys.length > 0 ? [...condition!.matchAll(/\w+/g)].map((m) => m[0].toLowerCase()) : []);
      const partial = sink.merge?.condition && !literalString(model, sink.merge.condition) ? keys : undefined;
      if (isDeduplicated(model, df, words, partial) || stagedDeduplicated(model, sink, df, words, partial)) continue;
      const on = keys.length > 0 ? ` on ${keys.map((k) => `\`${k}\``).join(', ')}` : '';
      yield {
        span: sink.anchor,
        message: `MERGE into ${quote(sink.target)} from a source that is not deduplicated${on}: a key that repeats in the batch fails the MERGE or is inserted twice.`,
      };
    }
  },
});

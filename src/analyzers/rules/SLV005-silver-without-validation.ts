import dedent from 'dedent';
import { roots, someUpstream, upstream } from '../model/lineage.js';
import { isRawSource, lineageText, quote, rootLayer } from '../model/queries.js';
import { plainStringValue } from '../model/strings.js';
import type { DFNode } from '../model/types.js';
import type { FileModel } from '../model/index.js';
import type { PyNode } from '../syntax.js';
import { defineRule, type Match } from '../rule.js';

const VALIDATING_OPS = new Set(['filter', 'where', 'na.drop', 'dropna']);
/** Null and format checks, also when they flag rows (\`F.when(F.col("id").isNull(), "invalid")\`) instead of dropping them. */
const VALIDATING_EXPR = /\b(?:isNotNull|isnotnull|is_not_null|isNull|isnull|is_null|IS\s+(?:NOT\s+)?NULL|isnan|rlike)\b/i;
/** Join types that drop rows without a match: an inner join enforces that the key exists (and is not null). */
const FILTERING_JOIN = new Set(['inner', 'semi', 'leftsemi', 'left_semi']);

/** An inner or semi join: `how` omitted, one of those literals, or a value we cannot resolve. */
function isFilteringJoin(model: FileModel, d: DFNode): boolean {
  if (d.kind !== 'transform' || d.op !== 'join') return false;
  let how: { node: PyNode } | undefined;
  let positional = 0;
  for (const arg of d.args) {
    if (arg.type === 'keyword_argument') {
      if (arg.kids[0] && model.text(arg.kids[0]) === 'how' && arg.kids[1]) how = { node: arg.kids[1] };
    } else if (positional++ === 2) {
      how = { node: arg };
    }
  }
  if (!how) return true;
  const value = plainStringValue(model.text(how.node));
  return value === undefined || FILTERING_JOIN.has(value.toLowerCase());
}

/**
 * A module-level name defined outside this file and named as bronze data (`bronze_df` from an
 * earlier notebook cell or a `%run`): there is no caller that could have validated it, and its
 * name says what it holds. Parameters stay opaque: the caller may have validated them.
 */
function isNotebookBronze(model: FileModel, d: DFNode): boolean {
  return d.kind === 'opaque' && d.parents.length === 0 && d.opaque?.reason === 'unbound' && rootLayer(model, d) === 'bronze';
}

/** `JOIN`, `INNER JOIN`, `LEFT SEMI JOIN`: rows without a matching key are dropped. */
const SQL_FILTERING_JOIN = /(?<!\b(?:left|right|full|outer|cross|anti)\s+)(?<!\b(?:left|right|full)\s+outer\s+)\b(?:inner\s+|semi\s+|left\s+semi\s+)?join\b/i;

const EXPECTATION = /\bexpect(?:_all)?(?:_or_(?:drop|fail))?\b|\bexpect_or_drop\b/;

export default defineRule({
  id: 'SLV005',
  name: 'silver-without-validation',
  category: 'silver',
  severity: 'warning',
  default: true,
  docs: {
    summary: 'Bronze or raw data is written to silver without any validation step.',
    why: dedent`
      Silver is the layer consumers trust: cleansed, validated, conformed. Moving bronze rows to silver
      without a single filter, null check or expectation means malformed keys, corrupt records and
      out-of-range values flow straight into every downstream table and report.
    `,
    impact: 'Invalid rows from bronze reach silver and every table built on it.',
    fix: 'Validate before writing: filter on required keys (`isNotNull`), drop or quarantine corrupt records, or declare expectations.',
    bad: dedent`
      bronze = spark.read.table("bronze.events")
      bronze.select("event_id", "user_id", "amount").write.mode("overwrite").saveAsTable("silver.events")
    `,
    good: dedent`
      from pyspark.sql import functions as F

      bronze = spark.read.table("bronze.events")
      valid = bronze.filter(F.col("event_id").isNotNull() & F.col("_corrupt_record").isNull())
      valid.select("event_id", "user_id", "amount").write.mode("overwrite").saveAsTable("silver.events")
    `,
    quiet: [
      'The lineage passes through a call we cannot follow (a validation helper), starts at a parameter (even one named `bronze_df`: the caller may have validated it), or starts somewhere not known to be bronze or raw. A module-level name defined elsewhere and named as bronze data (`bronze_df` from an earlier notebook cell) counts as bronze.',
      'The data is also handed to a function we cannot see (`run_dq_checks(df)`), or checked by an action on a filtered copy (`df.filter(F.col("id").isNull()).count()`, `assert ... isEmpty()`): the job may stop on bad data.',
      'Any step filters (`filter`/`where`), drops nulls (`na.drop`/`dropna`), checks `isNotNull`/`isNull`/`rlike` (also to flag rows in a quality column), inner- or semi-joins on a key (rows without a valid key are dropped), or the function has a DLT expectation.',
      'The target is not known to be silver.',
    ],
  },
  *detect({ model }): Iterable<Match> {
    for (const sink of model.sinks) {
      if (sink.target.layer !== 'silver' || !sink.df || sink.kind === 'delete' || sink.kind === 'update') continue;
      // Opaque lineage (a call we cannot follow, or data from a parameter such as \`bronze_df\`, which
      // the caller may have validated): we cannot know what happened to it.
      if (someUpstream(sink.df, (d) => d.kind === 'opaque' && !isNotebookBronze(model, d))) continue;
      let bronze: string | undefined;
      const bronzeRoots: DFNode[] = [];
      let unknownRoot = false;
      for (const root of roots(sink.df)) {
        const source = root.source;
        if (!source) {
          bronze ??= `bronze \`${root.opaque?.names[0] ?? 'data'}\``;
          bronzeRoots.push(root);
          continue;
        }
        const layer = source.target.layer;
        if (layer === 'bronze') bronze ??= `bronze ${quote(source.target)}`;
        else if (isRawSource(source)) bronze ??= `the raw ${source.format ?? source.kind} source ${quote(source.target)}`;
        else if (source.kind !== 'memory' && layer === 'unknown') unknownRoot = true;
        if (layer === 'bronze' || isRawSource(source)) bronzeRoots.push(root);
      }
      if (!bronze || unknownRoot) continue;
      // Only steps the bronze rows pass through can validate them: a filter on a joined lookup does not.
      const onBronzePath = [...upstream(sink.df)].filter((d) => bronzeRoots.some((r) => d === r || someUpstream(d, (x) => x === r)));
      if (onBronzePath.some((d) => VALIDATING_OPS.has(d.op) || isFilteringJoin(model, d))) continue;
      if (onBronzePath.some((d) => (d.kind === 'transform' || d.kind === 'opaque') && VALIDATING_EXPR.test(model.argText(d)))) continue;
      if (onBronzePath.some((d) => d.source?.sql !== undefined && (/\bwhere\b/i.test(d.source.sql) || SQL_FILTERING_JOIN.test(d.source.sql)))) continue;
      if (sink.ctx.scope.decorators.some((d) => EXPECTATION.test(model.text(d)))) continue;
      // The data was handed to a function we cannot see (\`run_dq_checks(df)\`): it may validate and raise.
      if (someUpstream(sink.df, (d) => d.escapes.length > 0)) continue;
      // A check on the same data that can stop the job: \`assert df.filter(F.col("id").isNull()).isEmpty()\`.
      const lineage = new Set(upstream(sink.df));
      const checked = model.actions.some(
        (a) => someUpstream(a.df, (d) => lineage.has(d)) && (someUpstream(a.df, (d) => VALIDATING_OPS.has(d.op)) || VALIDATING_EXPR.test(lineageText(model, a.df))),
      );
      if (checked) continue;
      yield {
        span: sink.anchor,
        message: `Silver table ${quote(sink.target)} is written from ${bronze} without validation: no filter, null check or expectation between them.`,
      };
    }
  },
});

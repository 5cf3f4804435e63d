import dedent from 'dedent';
import { roots, someUpstream } from '../model/lineage.js';
import { isRawSource, lineageText, quote, rootLayer } from '../model/queries.js';
import type { DFNode } from '../model/types.js';
import { defineRule, type Match } from '../rule.js';

const VALIDATING_OPS = new Set(['filter', 'where', 'na.drop', 'dropna']);
const VALIDATING_EXPR = /\b(?:isNotNull|isnotnull|is_not_null|IS\s+NOT\s+NULL)\b/i;
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
      'The lineage passes through a call we cannot follow (a validation helper), or starts somewhere not known to be bronze or raw.',
      'Any step filters (`filter`/`where`), drops nulls (`na.drop`/`dropna`), checks `isNotNull`, or the function has a DLT expectation.',
      'The target is not known to be silver.',
    ],
  },
  *detect({ model }): Iterable<Match> {
    for (const sink of model.sinks) {
      if (sink.target.layer !== 'silver' || !sink.df || sink.kind === 'delete' || sink.kind === 'update') continue;
      const origins = roots(sink.df);
      // Every opaque step must be a named bronze root (`bronze_df`): anything else may validate.
      const opaqueSteps = someUpstream(sink.df, (d) => d.kind === 'opaque' && d.parents.length > 0);
      if (opaqueSteps) continue;
      let bronze: DFNode | undefined;
      let unknownRoot = false;
      for (const root of origins) {
        const layer = rootLayer(model, root);
        const raw = root.source !== undefined && isRawSource(root.source);
        if (layer === 'bronze' || raw) bronze ??= root;
        else if (root.kind === 'opaque' || (root.source && root.source.kind !== 'memory' && layer === 'unknown')) unknownRoot = true;
      }
      if (!bronze || unknownRoot) continue;
      if (someUpstream(sink.df, (d) => VALIDATING_OPS.has(d.op))) continue;
      if (VALIDATING_EXPR.test(lineageText(model, sink.df))) continue;
      if (someUpstream(sink.df, (d) => d.source?.sql !== undefined && /\bwhere\b/i.test(d.source.sql))) continue;
      if (sink.ctx.scope.decorators.some((d) => EXPECTATION.test(model.text(d)))) continue;
      const from = bronze.source ? quote(bronze.source.target) : `\`${bronze.opaque?.names[0] ?? 'bronze data'}\``;
      yield {
        span: sink.anchor,
        message: `Silver table ${quote(sink.target)} is written from bronze ${from} without validation: no filter, null check or expectation between them.`,
      };
    }
  },
});

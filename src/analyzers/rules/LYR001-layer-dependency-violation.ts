import dedent from 'dedent';
import { upstream } from '../model/lineage.js';
import { quote, rootLayer } from '../model/queries.js';
import { strValue } from '../model/strings.js';
import type { DFNode, Layer, LayerOrUnknown, Target } from '../model/types.js';
import { defineRule, type Match } from '../rule.js';

const ORDER: Record<Layer, number> = { bronze: 0, silver: 1, gold: 2 };

/** A name in a SQL query that is a temp view registered in the file: its data is followed through lineage, not its name. */
function isTempView(views: ReadonlyMap<string, DFNode>, t: Target): boolean {
  const name = strValue(t.str);
  return name !== undefined && views.has(name.toLowerCase());
}

const VALIDATION_STEPS = new Set(['filter', 'where', 'dropna', 'na.drop']);
const DEDUP_STEPS = new Set(['dropDuplicates', 'drop_duplicates', 'distinct', 'dropDuplicatesWithinWatermark']);

/** Both a row validation and an explicit deduplication between the bronze read and the write. */
function cleansesOnTheWay(df: DFNode): boolean {
  let validates = false;
  let dedups = false;
  for (const d of upstream(df)) {
    if (d.kind !== 'transform') continue;
    validates ||= VALIDATION_STEPS.has(d.op);
    dedups ||= DEDUP_STEPS.has(d.op);
  }
  return validates && dedups;
}

export default defineRule({
  id: 'LYR001',
  name: 'layer-dependency-violation',
  category: 'layering',
  severity: 'warning',
  default: true,
  docs: {
    summary: 'A table is built from a later layer (silver from gold, bronze from silver), or gold straight from bronze.',
    why: dedent`
      The medallion layers form a one-way pipeline: bronze (raw) -> silver (validated, conformed) ->
      gold (business aggregates). Reading backwards creates cycles: a silver table that depends on a
      gold aggregate changes when the aggregate's logic changes and can no longer be rebuilt from
      raw data. Building gold straight from bronze skips validation and deduplication, so gold
      metrics count malformed and duplicated rows.
    `,
    impact: 'Layers depend on each other in circles, or gold metrics include unvalidated raw rows.',
    fix: 'Read from the previous layer only: build gold from silver, and move logic that needs gold data into gold.',
    bad: dedent`
      raw = spark.read.table("bronze.orders")
      raw.groupBy("order_date").count().write.mode("overwrite").saveAsTable("gold.orders_per_day")
    `,
    good: dedent`
      orders = spark.read.table("silver.orders")
      orders.groupBy("order_date").count().write.mode("overwrite").saveAsTable("gold.orders_per_day")
    `,
    quiet: [
      'Either side has no known layer (configure `layers` patterns for your naming).',
      'Reads within the same layer, and each layer reading the one before it.',
      'Data that comes through a call we cannot follow (`load_orders(spark)`): its layer is unknown.',
      'The name of a temp view in a SQL query: the DataFrame that registered it is followed instead.',
      'Gold written from bronze through both a row validation (`filter`/`where`/`dropna`) and an explicit deduplication (`dropDuplicates`/`distinct`): a two-zone lake (raw -> curated) doing silver\'s work in one step. An aggregation alone does not count.',
    ],
  },
  *detect({ model }): Iterable<Match> {
    for (const sink of model.sinks) {
      const sinkLayer = sink.target.layer;
      if (sinkLayer === 'unknown' || !sink.df) continue;
      let violation: { from: Layer; name: string } | undefined;
      // Every source upstream, not only the roots: a SQL query over a temp view has the view's
      // lineage as parents and may read further tables itself (`FROM updates JOIN bronze.x`).
      for (const d of upstream(sink.df)) {
        let candidates: { layer: LayerOrUnknown; name: string }[];
        if (d.source) {
          const src = d.source;
          const targets: Target[] =
            src.tables.length > 0 ? src.tables.filter((t) => !isTempView(model.tempViews, t)) : [src.target];
          candidates = targets.map((t) => ({ layer: t.layer, name: quote(t) }));
        } else if (d.parents.length === 0) {
          candidates = [{ layer: rootLayer(model, d), name: `\`${d.opaque?.names[0] ?? '?'}\`` }];
        } else continue;
        for (const c of candidates) {
          if (c.layer === 'unknown') continue;
          if (ORDER[c.layer] > ORDER[sinkLayer] || (sinkLayer === 'gold' && c.layer === 'bronze')) {
            violation = { from: c.layer, name: c.name };
            break;
          }
        }
        if (violation) break;
      }
      if (!violation) continue;
      // A two-zone lake (raw -> curated) that validates and deduplicates on the way does silver's work.
      if (sinkLayer === 'gold' && violation.from === 'bronze' && cleansesOnTheWay(sink.df)) continue;
      const message =
        sinkLayer === 'gold' && violation.from === 'bronze'
          ? `Gold table ${quote(sink.target)} is built directly from bronze ${violation.name}: unvalidated, undeduplicated raw rows reach gold. Build it from silver.`
          : `${sinkLayer[0]!.toUpperCase()}${sinkLayer.slice(1)} table ${quote(sink.target)} is built from ${violation.from} ${violation.name}, a later layer: the layers now depend on each other in a cycle.`;
      yield { span: sink.anchor, message };
    }
  },
});

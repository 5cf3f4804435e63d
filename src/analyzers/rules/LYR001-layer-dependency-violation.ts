import dedent from 'dedent';
import { roots } from '../model/lineage.js';
import { quote, rootLayer } from '../model/queries.js';
import type { Layer, Target } from '../model/types.js';
import { defineRule, type Match } from '../rule.js';

const ORDER: Record<Layer, number> = { bronze: 0, silver: 1, gold: 2 };

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
    ],
  },
  *detect({ model }): Iterable<Match> {
    for (const sink of model.sinks) {
      const sinkLayer = sink.target.layer;
      if (sinkLayer === 'unknown' || !sink.df) continue;
      let violation: { from: Layer; name: string } | undefined;
      for (const root of roots(sink.df)) {
        const targets: Target[] = root.source ? (root.source.tables.length > 0 ? [...root.source.tables] : [root.source.target]) : [];
        const candidates: { layer: ReturnType<typeof rootLayer>; name: string }[] = targets.length > 0
          ? targets.map((t) => ({ layer: t.layer, name: quote(t) }))
          : [{ layer: rootLayer(model, root), name: `\`${root.opaque?.names[0] ?? '?'}\`` }];
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
      const message =
        sinkLayer === 'gold' && violation.from === 'bronze'
          ? `Gold table ${quote(sink.target)} is built directly from bronze ${violation.name}: unvalidated, undeduplicated raw rows reach gold. Build it from silver.`
          : `${sinkLayer[0]!.toUpperCase()}${sinkLayer.slice(1)} table ${quote(sink.target)} is built from ${violation.from} ${violation.name}, a later layer: the layers now depend on each other in a cycle.`;
      yield { span: sink.anchor, message };
    }
  },
});

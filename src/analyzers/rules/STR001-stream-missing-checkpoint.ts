import dedent from 'dedent';
import { quote, sessionConf } from '../model/queries.js';
import { defineRule, type Match } from '../rule.js';

/** Sinks Spark runs with a temporary checkpoint: debugging outputs. */
const EPHEMERAL_FORMATS = new Set(['memory', 'console', 'noop']);

export default defineRule({
  id: 'STR001',
  name: 'stream-missing-checkpoint',
  category: 'streaming',
  severity: 'critical',
  default: true,
  docs: {
    summary: 'A streaming query is started without a `checkpointLocation`.',
    why: dedent`
      A Structured Streaming query records which input it has processed, and its state, in the
      checkpoint. Without a \`checkpointLocation\` (and no session default), Spark refuses to start
      a query on a durable sink; where a temporary location is used instead, a restart begins from
      scratch: the source is reprocessed (duplicates) or, with \`startingOffsets=latest\`, skipped
      (data loss). Each query needs its own durable location.
    `,
    impact: 'The query cannot start, or restarts from scratch and duplicates or skips data.',
    fix: 'Add `.option("checkpointLocation", "<durable path unique to this query>")` to the writer.',
    bad: dedent`
      events = spark.readStream.table("bronze.events")
      events.writeStream.format("delta").outputMode("append").toTable("silver.events")
    `,
    good: dedent`
      events = spark.readStream.table("bronze.events")
      (events.writeStream.format("delta")
          .outputMode("append")
          .option("checkpointLocation", "/mnt/checkpoints/silver_events")
          .toTable("silver.events"))
    `,
    quiet: [
      '`memory`, `console` and `noop` sinks (debugging outputs).',
      'A session default is set in the file (`spark.sql.streaming.checkpointLocation`).',
      'Options passed as `.options(**conf)` or a format we cannot resolve.',
      'Lakeflow / DLT datasets (the pipeline manages checkpoints).',
    ],
  },
  *detect({ model }): Iterable<Match> {
    if (sessionConf(model, 'spark.sql.streaming.checkpointLocation') !== undefined) return;
    for (const sink of model.sinks) {
      if (sink.kind !== 'stream' || sink.optionsOpaque || !sink.formatKnown) continue;
      if (sink.format !== undefined && EPHEMERAL_FORMATS.has(sink.format)) continue;
      if (sink.options.has('checkpointlocation')) continue;
      const target = sink.target.node || sink.target.str ? ` to ${quote(sink.target)}` : sink.foreachBatchNode ? ` through \`foreachBatch(${model.text(sink.foreachBatchNode)})\`` : '';
      yield {
        span: sink.anchor,
        message: `Streaming query${target} has no \`checkpointLocation\`: it cannot start, or restarts from scratch and reprocesses or skips data. Give it its own durable checkpoint.`,
      };
    }
  },
});

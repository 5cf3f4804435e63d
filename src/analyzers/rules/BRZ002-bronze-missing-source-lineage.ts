import dedent from 'dedent';
import { isComplete, sourcesOf } from '../model/lineage.js';
import { lineageText, quote } from '../model/queries.js';
import { defineRule, type Match } from '../rule.js';

const FILE_LINEAGE = /\b(?:input_file_name|input_file_block_start|_metadata)\b|file_path|file_name/;
/** A column that records where the data came from: `_source_system`, `source`, `origin`. */
const SOURCE_COLUMN = /["'][\w.]*(?:source|origin|system|src)\w*["']/i;

export default defineRule({
  id: 'BRZ002',
  name: 'bronze-missing-source-lineage',
  category: 'bronze',
  severity: 'warning',
  default: true,
  docs: {
    summary: 'Files are ingested into bronze without recording which file (or source system) each row came from.',
    why: dedent`
      When a bad file lands, the first question is which rows it produced. Bronze answers it only if
      each row carries its source file (\`_metadata.file_path\`, or \`input_file_name()\` on older
      runtimes) or at least its source system. Without it, a bad delivery can only be removed by
      reloading everything.
    `,
    impact: 'A bad or duplicated source file cannot be traced, quarantined or reloaded on its own.',
    fix: 'Add `.withColumn("_source_file", F.col("_metadata.file_path"))` before the bronze write.',
    bad: dedent`
      from pyspark.sql import functions as F

      orders = spark.read.option("badRecordsPath", "/mnt/bad/orders").csv("/mnt/landing/orders/")
      (orders.withColumn("_ingested_at", F.current_timestamp())
          .write.mode("append").saveAsTable("bronze.orders"))
    `,
    good: dedent`
      from pyspark.sql import functions as F

      orders = spark.read.option("badRecordsPath", "/mnt/bad/orders").csv("/mnt/landing/orders/")
      (orders.withColumn("_ingested_at", F.current_timestamp())
          .withColumn("_source_file", F.col("_metadata.file_path"))
          .write.mode("append").saveAsTable("bronze.orders"))
    `,
    quiet: [
      'The source is a table, Kafka or JDBC (no files to trace).',
      'Any step references `_metadata`, `input_file_name()`, a file path/name column, or adds a column named like `_source_system`.',
      'The target is not known to be bronze, or the lineage passes through a call we cannot follow.',
    ],
  },
  *detect({ model }): Iterable<Match> {
    for (const sink of model.sinks) {
      if (sink.target.layer !== 'bronze' || !sink.df || sink.kind === 'delete' || sink.kind === 'update') continue;
      if (!isComplete(sink.df)) continue;
      const sources = sourcesOf(sink.df);
      const file = sources.find((d) => d.source?.kind === 'file' || d.source?.kind === 'autoloader');
      if (!file?.source) continue;
      const text = lineageText(model, sink.df);
      if (FILE_LINEAGE.test(text) || SOURCE_COLUMN.test(text)) continue;
      yield {
        span: sink.anchor,
        message: `Bronze write to ${quote(sink.target)} records no source file for rows read from ${quote(file.source.target)}: add \`_source_file\` from \`_metadata.file_path\`.`,
      };
    }
  },
});

import dedent from 'dedent';
import type { FileModel } from '../model/index.js';
import { isComplete, sourcesOf, upstream } from '../model/lineage.js';
import { isRawSource, optionValue, quote } from '../model/queries.js';
import type { DFNode, Source } from '../model/types.js';
import { defineRule, type Match } from '../rule.js';

/**
 * Functions and columns that stamp a row with the time it was ingested. `_metadata` counts when
 * the whole struct (or `_metadata.*`) is kept, which includes `file_modification_time`; a single
 * other field such as `_metadata.file_path` is not a timestamp.
 */
const TIMESTAMP_EXPR = /\b(?:current_timestamp|now|localtimestamp|getdate|sysdate|file_modification_time)\b|\b_metadata\b(?!\s*\.\s*\w)/;
/** A column named as an ingestion/load time, whatever its expression (`lit(run_ts)`). */
const TIMESTAMP_COLUMN = /["'][\w.]*(?:ingest|load|receiv|arriv|insert|landed|audit|etl|processed)\w*(?:_at|_ts|_time|time|timestamp|_date|_dts?|dts)["']/i;

/** Steps that only keep or drop rows: a timestamp in their condition adds no column. */
const ROW_FILTERS = new Set(['filter', 'where']);

/** The text of every step that can add a column (not row filters), and of SQL sources. */
function columnStepsText(model: FileModel, df: DFNode): string {
  const parts: string[] = [];
  for (const d of upstream(df)) {
    if ((d.kind === 'transform' && !ROW_FILTERS.has(d.op)) || d.kind === 'opaque') parts.push(model.argText(d));
    if (d.source?.sql) parts.push(d.source.sql);
  }
  return parts.join('\n');
}

/** `binaryFile` rows carry the file's `modificationTime` (and `path`) by construction. */
function carriesFileColumns(source: Source): boolean {
  const fmt = source.kind === 'autoloader' ? optionValue(source.options, 'cloudFiles.format') : source.format;
  return fmt?.toLowerCase() === 'binaryfile';
}

export default defineRule({
  id: 'BRZ001',
  name: 'bronze-missing-ingestion-timestamp',
  category: 'bronze',
  severity: 'warning',
  default: true,
  docs: {
    summary: 'A bronze write of raw data adds no ingestion timestamp.',
    why: dedent`
      Bronze keeps raw data as received, plus the audit columns that say when and from where it
      arrived. Without an ingestion timestamp there is no way to tell which load a row came from,
      to reprocess one day's arrivals, to measure latency, or to deduplicate by arrival order in silver.
    `,
    impact: 'Rows cannot be traced to the load that brought them; reprocessing and late-data handling become guesswork.',
    fix: 'Add `.withColumn("_ingested_at", F.current_timestamp())` before the bronze write.',
    bad: dedent`
      from pyspark.sql import functions as F

      raw = spark.read.json("/mnt/landing/events/")
      raw.write.format("delta").mode("append").save("/mnt/bronze/events")
    `,
    good: dedent`
      from pyspark.sql import functions as F

      raw = spark.read.json("/mnt/landing/events/")
      (raw.withColumn("_ingested_at", F.current_timestamp())
          .withColumn("_source_file", F.col("_metadata.file_path"))
          .write.format("delta").mode("append").save("/mnt/bronze/events"))
    `,
    quiet: [
      'The target is not known to be bronze (see layer inference).',
      'The data does not come from a raw source read in this file (files, Auto Loader, Kafka, JDBC), or comes from `binaryFile`, whose rows carry the file\'s `modificationTime`.',
      'The lineage passes through a function call we cannot follow (a helper may add the column).',
      'Any step that can add a column (not a `filter`/`where` condition) uses `current_timestamp()`, `now()`, `_metadata.file_modification_time` or the whole `_metadata` column, or adds a column named like `_ingested_at` / `load_ts` / the Data Vault `LOAD_DTS` (`_metadata.file_path` alone is not a timestamp).',
    ],
  },
  *detect({ model }): Iterable<Match> {
    for (const sink of model.sinks) {
      if (sink.target.layer !== 'bronze' || !sink.df || sink.kind === 'delete' || sink.kind === 'update') continue;
      if (!isComplete(sink.df)) continue;
      const raw = sourcesOf(sink.df)
        .sort((a, b) => a.node.start - b.node.start)
        .find((d) => d.source && isRawSource(d.source) && !carriesFileColumns(d.source));
      if (!raw?.source) continue;
      const text = columnStepsText(model, sink.df);
      if (TIMESTAMP_EXPR.test(text) || TIMESTAMP_COLUMN.test(text)) continue;
      yield {
        span: sink.anchor,
        message: `Bronze write to ${quote(sink.target)} adds no ingestion timestamp to rows read from ${quote(raw.source.target)}: add \`_ingested_at\` with \`current_timestamp()\`.`,
      };
    }
  },
});

import dedent from 'dedent';
import { isComplete, sourcesOf } from '../model/lineage.js';
import { lineageText, optionValue, quote } from '../model/queries.js';
import type { Source } from '../model/types.js';
import type { FileModel } from '../model/index.js';
import { defineRule, type Match } from '../rule.js';

const FILE_LINEAGE = /\b(?:input_file_name|input_file_block_start|_metadata)\b|file_path|file_name/;
/** A quoted name, split into words: `_source_system` -> source, system. */
const QUOTED_NAME = /["']([A-Za-z_][\w.]*)["']/g;

/**
 * A column that records where the data came from: `_source_system`, `sourceSystem`, `origin`,
 * `src_system`. Whole words only: `resource_id` and `src_ip` are data, not lineage.
 */
function namesSourceColumn(text: string): boolean {
  for (const m of text.matchAll(QUOTED_NAME)) {
    const words = m[1]!
      .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
      .toLowerCase()
      .split(/[_.]+/)
      .filter((w) => w !== '');
    if (words.some((w) => w.startsWith('source') || w === 'origin' || w === 'provenance')) return true;
    if (words.includes('src') && words.some((w) => w === 'system' || w === 'sys' || w === 'file' || w === 'name' || w === 'path')) return true;
  }
  return false;
}

/** `binaryFile` rows carry the file's `path` by construction. */
function carriesFileColumns(source: Source): boolean {
  const fmt = source.kind === 'autoloader' ? optionValue(source.options, 'cloudFiles.format') : source.format;
  return fmt?.toLowerCase() === 'binaryfile';
}

/** `from pyspark.sql.functions import input_file_name as source_path`: the names it goes by. */
function fileNameAliases(model: FileModel): string[] {
  return [...model.tree.source.matchAll(/\binput_file_name\s+as\s+([A-Za-z_]\w*)/g)].map((m) => m[1]!);
}

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
      'The source is a table, Kafka or JDBC (no files to trace), or `binaryFile` (its rows carry `path`).',
      'Any step references `_metadata`, `input_file_name()`, a file path/name column, or a column named with the word source/origin (`_source_system`, `data_source`, `_src_system`); `resource_id` or `src_ip` do not count.',
      'The target is not known to be bronze, or the lineage passes through a call we cannot follow.',
    ],
  },
  *detect({ model }): Iterable<Match> {
    for (const sink of model.sinks) {
      if (sink.target.layer !== 'bronze' || !sink.df || sink.kind === 'delete' || sink.kind === 'update') continue;
      if (!isComplete(sink.df)) continue;
      const sources = sourcesOf(sink.df).sort((a, b) => a.node.start - b.node.start);
      const file = sources.find((d) => (d.source?.kind === 'file' || d.source?.kind === 'autoloader') && !carriesFileColumns(d.source));
      if (!file?.source) continue;
      const text = lineageText(model, sink.df);
      if (FILE_LINEAGE.test(text) || namesSourceColumn(text) || fileNameAliases(model).some((alias) => new RegExp(`\\b${alias}\\s*\\(`).test(text))) continue;
      yield {
        span: sink.anchor,
        message: `Bronze write to ${quote(sink.target)} records no source file for rows read from ${quote(file.source.target)}: add \`_source_file\` from \`_metadata.file_path\`.`,
      };
    }
  },
});

import dedent from 'dedent';
import { methodSpan } from '../model/nodes.js';
import { downstreamSinks, dataframeOf, optionValue, quote, sessionConf } from '../model/queries.js';
import type { Source } from '../model/types.js';
import { defineRule, type Match } from '../rule.js';

const CAPTURE_OPTIONS = ['columnnameofcorruptrecord', 'badrecordspath', 'rescueddatacolumn'];
/** Escapes a column name for use in a regular expression. */
function escapeRe(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * A schema in this file declares the corrupt-record column (`StructField("_corrupt_record", ...)`,
 * `.add("_corrupt_record", ...)`, or `_corrupt_record STRING` in a DDL string): a read given such a
 * schema fills it without the option.
 */
function declaresCorruptColumn(source: string, column: string): boolean {
  const c = escapeRe(column);
  // StructField("c", ...), .add("c", ...), or a DDL string (also triple-quoted, backticked) `c STRING`.
  return new RegExp(`(?:StructField|\\.add)\\(\\s*(?:name\\s*=\\s*)?["']${c}["']|["'][^"']*?\\b\`?${c}\`?\\s+string\\b`, 'i').test(source);
}

function textFormat(source: Source): 'json' | 'csv' | undefined {
  const fmt = source.kind === 'autoloader' ? optionValue(source.options, 'cloudFiles.format')?.toLowerCase() : source.format;
  return fmt === 'json' || fmt === 'csv' ? fmt : undefined;
}

export default defineRule({
  id: 'BRZ003',
  name: 'bronze-no-bad-record-capture',
  category: 'bronze',
  severity: 'warning',
  default: true,
  docs: {
    summary: 'A JSON or CSV ingestion read keeps no malformed records (and `DROPMALFORMED` silently deletes them).',
    why: dedent`
      JSON and CSV sources break: truncated lines, wrong delimiters, a changed field type. In the
      default PERMISSIVE mode Spark turns the unparseable fields into nulls and keeps going, so bad
      input becomes plausible-looking null data; \`mode=DROPMALFORMED\` drops those rows without a
      trace. Ingestion should keep the raw text of bad records (\`columnNameOfCorruptRecord\`,
      \`badRecordsPath\`, or \`rescuedDataColumn\`) so they can be inspected and replayed.
      \`FAILFAST\` is also fine: it fails loudly. A JSON read that infers its schema over all the
      input keeps unparseable lines in \`_corrupt_record\` by itself; with a given schema, or for CSV,
      nothing does unless asked. Auto Loader rescues unparsed data by default, unless
      \`cloudFiles.schemaEvolutionMode\` is \`none\` (its default when a schema is provided) with no
      rescued data column.
    `,
    impact: 'Malformed source records become nulls or vanish, and nobody can tell how many or which.',
    fix: 'Read with `mode=PERMISSIVE` and `columnNameOfCorruptRecord="_corrupt_record"` (or set `badRecordsPath`), then quarantine those rows.',
    bad: dedent`
      events = spark.read.option("mode", "DROPMALFORMED").json("/mnt/landing/events/")
      events.write.mode("append").saveAsTable("bronze.events")
    `,
    good: dedent`
      events = (spark.read
          .option("mode", "PERMISSIVE")
          .option("columnNameOfCorruptRecord", "_corrupt_record")
          .json("/mnt/landing/events/"))
      events.write.mode("append").saveAsTable("bronze.events")
    `,
    quiet: [
      'The read is not JSON or CSV, or uses `FAILFAST`, or its mode cannot be resolved.',
      'A JSON read without a schema (and without `samplingRatio` below 1): inference adds `_corrupt_record` for unparseable lines.',
      'The read is given a schema and a schema in this file declares the corrupt-record column (`StructField("_corrupt_record", ...)`, `.add(...)`, or `_corrupt_record STRING` in a DDL string; the name set in `spark.sql.columnNameOfCorruptRecord` if any): Spark fills it without the option.',
      'Auto Loader with `rescuedDataColumn`, or with a schema evolution mode other than `none` (inferred schemas default to `addNewColumns`, which rescues).',
      'Options are passed as `.options(**conf)` or with keys we cannot resolve.',
      'The data is written to silver or gold, not bronze (a lookup file read in a silver job); when nothing is written in the file, the function or file name must say bronze/raw.',
    ],
  },
  *detect({ model }): Iterable<Match> {
    const corruptColumn = sessionConf(model, 'spark.sql.columnNameOfCorruptRecord') || '_corrupt_record';
    let declared: boolean | undefined;
    // Scanning the file for schema declarations is only worth it when a read might need it.
    const corruptColumnDeclared = (): boolean => (declared ??= declaresCorruptColumn(model.tree.source, corruptColumn));
    for (const source of model.sources) {
      if (source.kind !== 'file' && source.kind !== 'autoloader') continue;
      const fmt = textFormat(source);
      if (!fmt || source.optionsOpaque) continue;
      const df = dataframeOf(model, source);
      if (!df) continue;
      const sinks = downstreamSinks(df);
      if (sinks.length > 0 ? !sinks.some((s) => s.target.layer === 'bronze') : !isBronzeContext(model, source)) continue;
      const mode = source.options.get('mode');
      const modeValue = optionValue(source.options, 'mode')?.toLowerCase();
      if (mode && modeValue === undefined) continue;
      const what = `${source.stream ? 'streaming ' : ''}${fmt.toUpperCase()} read of ${quote(source.target)}`;
      if (modeValue === 'dropmalformed') {
        yield {
          span: mode!.node,
          severity: 'critical',
          message: `\`mode=DROPMALFORMED\` on the ${what} silently drops malformed rows: keep them with \`PERMISSIVE\` + \`columnNameOfCorruptRecord\` or \`badRecordsPath\`.`,
        };
        continue;
      }
      if (modeValue === 'failfast') continue;
      // The given schema may be one that declares the corrupt-record column: Spark fills it without the option.
      if (source.schemaGiven && corruptColumnDeclared()) continue;
      if (source.kind === 'autoloader') {
        if (source.options.has('rescueddatacolumn')) continue;
        const given = source.options.has('cloudfiles.schemaevolutionmode');
        const evolution = optionValue(source.options, 'cloudFiles.schemaEvolutionMode')?.toLowerCase();
        if (given && evolution === undefined) continue;
        // Without an explicit mode, Auto Loader uses `none` when a schema is provided.
        if ((evolution ?? (source.schemaGiven ? 'none' : 'addnewcolumns')) !== 'none') continue;
        yield {
          span: methodSpan(source.node),
          message: given
            ? `Auto Loader ${what} with \`cloudFiles.schemaEvolutionMode\` \`none\` and no \`rescuedDataColumn\`: data that does not fit the schema is lost.`
            : `Auto Loader ${what} with a provided schema and no \`rescuedDataColumn\` (schema evolution mode defaults to \`none\`): data that does not fit the schema is lost.`,
        };
        continue;
      }
      if (CAPTURE_OPTIONS.some((o) => source.options.has(o))) continue;
      if (fmt === 'json' && !source.schemaGiven && !sampledInference(source)) continue;
      yield {
        span: methodSpan(source.node),
        message: `The ${what} keeps no malformed records: set \`columnNameOfCorruptRecord\` (PERMISSIVE mode) or \`badRecordsPath\`.`,
      };
    }
  },
});

/** Schema inference over a sample only: malformed lines outside it add no corrupt-record column. */
function sampledInference(source: Source): boolean {
  const ratio = Number(optionValue(source.options, 'samplingRatio'));
  return Number.isFinite(ratio) && ratio < 1;
}

function isBronzeContext(model: Parameters<typeof dataframeOf>[0], source: Source): boolean {
  const names: string[] = [];
  for (let s: Source['ctx']['scope'] | undefined = source.ctx.scope; s; s = s.parent) if (s.kind !== 'module') names.push(s.name);
  return model.layers.infer({ str: undefined, names: [], functionNames: names, path: model.path }).layer === 'bronze';
}

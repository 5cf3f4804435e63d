import dedent from 'dedent';
import { methodSpan } from '../model/nodes.js';
import { downstreamSinks, dataframeOf, optionValue, quote } from '../model/queries.js';
import type { Source } from '../model/types.js';
import { defineRule, type Match } from '../rule.js';

const CAPTURE_OPTIONS = ['columnnameofcorruptrecord', 'badrecordspath', 'rescueddatacolumn'];

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
      \`FAILFAST\` is also fine: it fails loudly. Auto Loader rescues unparsed data by default,
      unless \`cloudFiles.schemaEvolutionMode\` is \`none\` with no rescued data column.
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
      'The read is not JSON or CSV, or uses `FAILFAST`.',
      'Options are passed as `.options(**conf)` or with keys we cannot resolve.',
      'The data is written to silver or gold, not bronze (a lookup file read in a silver job); when nothing is written in the file, the function or file name must say bronze/raw.',
    ],
  },
  *detect({ model }): Iterable<Match> {
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
      if (source.kind === 'autoloader') {
        const evolution = optionValue(source.options, 'cloudFiles.schemaEvolutionMode')?.toLowerCase();
        if (evolution !== 'none' || source.options.has('rescueddatacolumn')) continue;
        yield {
          span: methodSpan(source.node),
          message: `Auto Loader ${what} with \`cloudFiles.schemaEvolutionMode\` \`none\` and no \`rescuedDataColumn\`: data that does not fit the schema is lost.`,
        };
        continue;
      }
      if (CAPTURE_OPTIONS.some((o) => source.options.has(o))) continue;
      yield {
        span: methodSpan(source.node),
        message: `The ${what} keeps no malformed records: set \`columnNameOfCorruptRecord\` (PERMISSIVE mode) or \`badRecordsPath\`.`,
      };
    }
  },
});

function isBronzeContext(model: Parameters<typeof dataframeOf>[0], source: Source): boolean {
  const names: string[] = [];
  for (let s: Source['ctx']['scope'] | undefined = source.ctx.scope; s; s = s.parent) if (s.kind !== 'module') names.push(s.name);
  return model.layers.infer({ str: undefined, names: [], functionNames: names, path: model.path }).layer === 'bronze';
}

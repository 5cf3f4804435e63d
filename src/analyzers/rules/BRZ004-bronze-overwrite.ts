import dedent from 'dedent';
import { methodSpan } from '../model/nodes.js';
import { isExistenceGuarded, isTrue, optionValue, quote, sessionConf } from '../model/queries.js';
import { splitStringLiteral } from '../model/strings.js';
import type { PyNode } from '../syntax.js';
import { defineRule, type Match } from '../rule.js';

const PARTITION_DIRECTORY = /\/[A-Za-z_]\w*=[^/]+\/?$/;

interface Data {
  /** The string literal `"overwrite"` to replace, when the mode is one. */
  readonly literal: PyNode | undefined;
}

export default defineRule<Data>({
  id: 'BRZ004',
  name: 'bronze-overwrite',
  category: 'bronze',
  severity: 'critical',
  default: true,
  docs: {
    summary: 'A bronze table is written with mode `overwrite`.',
    why: dedent`
      Bronze is the system of record: the raw data exactly as it arrived, kept so that silver and
      gold can be rebuilt. Overwriting it replaces every earlier load with the current one; if the
      source has since rotated its files, that history is gone for good.
    `,
    impact: 'Every run destroys the raw history; silver and gold can no longer be rebuilt or audited.',
    fix: 'Append to bronze (`mode("append")`), and deduplicate or correct in silver.',
    bad: dedent`
      raw = spark.read.format("parquet").load("/mnt/landing/customers/")
      raw.write.format("delta").mode("overwrite").save("/mnt/bronze/customers")
    `,
    good: dedent`
      raw = spark.read.format("parquet").load("/mnt/landing/customers/")
      raw.write.format("delta").mode("append").save("/mnt/bronze/customers")
    `,
    quiet: [
      'The overwrite is limited with `replaceWhere` or dynamic partition overwrite (`partitionOverwriteMode=dynamic`), e.g. to re-ingest one day, or targets one partition directory (`.../ingest_date={ds}/`), or is `INSERT OVERWRITE ... PARTITION (ingest_date = ...)` with a static partition.',
      'The write sits in the branch of an `if DeltaTable.isDeltaTable(...)` / `tableExists(...)` test: an initial load.',
      'The target is not known to be bronze.',
    ],
  },
  *detect({ model }): Iterable<Match<Data>> {
    const dynamicSession = sessionConf(model, 'spark.sql.sources.partitionOverwriteMode')?.toLowerCase() === 'dynamic';
    for (const sink of model.sinks) {
      if (sink.target.layer !== 'bronze' || sink.stream) continue;
      const overwriteSchema = isTrue(optionValue(sink.options, 'overwriteSchema'));
      const overwrite = sink.mode === 'overwrite' || sink.mode === 'overwrite-partitions' || (overwriteSchema && sink.mode === undefined);
      if (!overwrite) continue;
      if (sink.options.has('replacewhere')) continue;
      if (optionValue(sink.options, 'partitionOverwriteMode')?.toLowerCase() === 'dynamic' || (dynamicSession && sink.partitionBy)) continue;
      if (sink.mode === 'overwrite-partitions') continue;
      // `INSERT OVERWRITE t PARTITION (d = '...')` replaces one static partition.
      if (sink.kind === 'sql-insert' && /\bpartition\s*\([^)]*=/i.test(sink.sql ?? '')) continue;
      if (isExistenceGuarded(model, sink.ctx)) continue;
      // `.../snapshot_date={ds}/`: one partition directory is replaced, the others stay.
      if (PARTITION_DIRECTORY.test(sink.target.display)) continue;
      const modeNode = sink.modeNode;
      const literal = modeNode?.type === 'call' ? modeNode.kids[1]?.kids[0] : modeNode?.type === 'keyword_argument' ? modeNode.kids[1] : undefined;
      const shown = sink.sql ? (sink.kind === 'sql-ctas' ? '`CREATE OR REPLACE TABLE`' : '`INSERT OVERWRITE`') : modeNode?.type === 'call' ? `\`${model.text(methodSpan(modeNode))}\`` : '`overwrite` mode';
      yield {
        span: modeNode ? (modeNode.type === 'call' ? methodSpan(modeNode) : modeNode) : sink.anchor,
        message: `${shown} on bronze table ${quote(sink.target)} replaces all raw history on every run: append instead.`,
        data: { literal: literal?.type === 'string' && literal.kids.length === 0 ? literal : undefined },
      };
    }
  },
  fix(match, { text }) {
    const literal = match.data?.literal;
    if (!literal) return undefined;
    const written = text(literal);
    const shape = splitStringLiteral(written);
    if (!shape || shape.body.toLowerCase() !== 'overwrite') return undefined;
    const quoteLength = (written.length - shape.prefix.length - shape.body.length) / 2;
    const open = written.slice(0, shape.prefix.length + quoteLength);
    const close = written.slice(written.length - quoteLength);
    return {
      description: 'Append to bronze instead of overwriting it',
      edits: [{ start: literal.start, end: literal.end, text: `${open}append${close}` }],
    };
  },
});

/**
 * Prints what the lineage model understood of a Python file: sources, sinks (with layers),
 * actions, merges and try blocks. For rule authors: `npx tsx scripts/dump-model.ts FILE`.
 */
import { readFileSync } from 'node:fs';
import { buildModel, LayerInference, upstream, isComplete } from '../src/analyzers/model/index.js';
import type { DFNode } from '../src/analyzers/model/index.js';

const path = process.argv[2];
if (!path) {
  console.error('usage: tsx scripts/dump-model.ts FILE.py');
  process.exit(2);
}
const source = readFileSync(path, 'utf8');
const model = buildModel(source, path, new LayerInference());
const line = (offset: number): number => source.slice(0, offset).split('\n').length;
const chain = (df: DFNode | undefined): string =>
  df
    ? [...upstream(df)]
        .reverse()
        .map((d) => (d.kind === 'source' ? `source(${d.source?.kind}:${d.source?.target.display})` : d.kind === 'opaque' ? `opaque(${d.opaque?.reason}:${d.opaque?.names.join('/')})` : d.op))
        .join(' > ') + (isComplete(df) ? '' : '  [opaque]')
    : '-';

console.log(`pipeline: ${model.isPipeline}  syntax errors: ${model.tree.errors.length}`);
for (const s of model.sources) {
  console.log(`L${line(s.node.start)} SOURCE ${s.kind} fmt=${s.format} stream=${s.stream} cdf=${s.cdf} target=${s.target.display} layer=${s.target.layer}(${s.target.evidence ?? '-'}) opts=${[...s.options.keys()].join(',')}${s.optionsOpaque ? '+?' : ''}`);
}
for (const s of model.sinks) {
  console.log(`L${line(s.node.start)} SINK ${s.kind} fmt=${s.format} mode=${s.mode} target=${s.target.display} layer=${s.target.layer}(${s.target.evidence ?? '-'}) scope=${s.ctx.scope.name}\n      lineage: ${chain(s.df)}`);
}
for (const a of model.actions) console.log(`L${line(a.node.start)} ACTION ${a.name} on ${chain(a.df)}`);
for (const m of model.merges) console.log(`L${line(m.mergeCall.start)} MERGE executed=${m.executed} escaped=${m.escaped} target=${m.target.display} source: ${chain(m.source)}`);
for (const t of model.tries) console.log(`L${line(t.node.start)} TRY handlers=${t.handlers.map((h) => h.types.join('|') || 'bare').join(', ')}`);

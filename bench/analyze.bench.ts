/**
 * Analysis throughput, and its cost relative to tree-sitter parsing alone, measured in the same
 * run on the same corpus: the realistic Python under examples/ and test/fixtures/ (not the
 * adversarial review cases in test/fixtures/cases, measured separately below), repeated until
 * the corpus has at least 20,000 lines. `npm run bench`.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { analyze } from '../src/analyzers/analyze.js';
import { LayerInference, modelFromTree } from '../src/analyzers/model/index.js';
import { isTestFile } from '../src/analyzers/model/layers.js';
import { parsePython } from '../src/analyzers/parse.js';
import { buildSyntaxTree } from '../src/analyzers/syntax.js';
import type { SourceFile } from '../src/analyzers/types.js';
import { defaultConfig } from '../src/config/schema.js';

const MIN_LINES = 20_000;
const RUNS = 9;
const root = join(import.meta.dirname, '..');

const ADVERSARIAL = join(root, 'test', 'fixtures', 'cases');

function pythonFiles(dir: string, skip?: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir)) {
    const p = join(dir, entry);
    if (p === skip) continue;
    if (statSync(p).isDirectory()) out.push(...pythonFiles(p, skip));
    else if (p.endsWith('.py')) out.push(p);
  }
  return out;
}

const originals = [...pythonFiles(join(root, 'examples')), ...pythonFiles(join(root, 'test', 'fixtures'), ADVERSARIAL)].map((p) => ({
  // Without the `test/` prefix, which would make every fixture a test file (not reviewed).
  path: p.slice(root.length + 1).replace(/^test\/fixtures\//, ''),
  content: readFileSync(p, 'utf8'),
}))
  // Test files are not analyzed at all: counting them in parse-only time would flatter the ratio.
  .filter((f) => !isTestFile(f.path));
const corpus: { path: string; content: string }[] = [];
let lines = 0;
for (let copy = 0; lines < MIN_LINES; copy++) {
  for (const f of originals) {
    corpus.push({ path: `copy${copy}/${f.path}`, content: f.content });
    lines += f.content.split('\n').length;
  }
}
const files: SourceFile[] = corpus;
const config = defaultConfig();
const layers = new LayerInference();

function time(fn: () => void): number {
  const start = process.hrtime.bigint();
  fn();
  return Number(process.hrtime.bigint() - start) / 1e6;
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

const stages = {
  parse: () => {
    for (const f of corpus) parsePython(f.content);
  },
  'parse + syntax copy': () => {
    for (const f of corpus) buildSyntaxTree(parsePython(f.content), f.content);
  },
  'parse + syntax copy + model': () => {
    for (const f of corpus) modelFromTree(buildSyntaxTree(parsePython(f.content), f.content), f.path, layers);
  },
  'analyze() (everything)': () => {
    analyze(files, config);
  },
};

// Warm up (JIT, tree-sitter's allocator), then interleave the stages so drift hits all alike.
for (const fn of Object.values(stages)) fn();
const samples: Record<string, number[]> = Object.fromEntries(Object.keys(stages).map((k) => [k, []]));
for (let run = 0; run < RUNS; run++) for (const [name, fn] of Object.entries(stages)) samples[name]!.push(time(fn));

const parseMs = median(samples['parse']!);
const findings = analyze(files, config).findings.length;
console.log(`corpus: ${corpus.length} files, ${lines} lines (${originals.length} distinct files from examples/ and test/fixtures/)`);
console.log(`median of ${RUNS} runs, Node ${process.version}\n`);
console.log('stage                          ms      lines/s    x parse-only');
for (const [name, xs] of Object.entries(samples)) {
  const ms = median(xs);
  console.log(`${name.padEnd(28)} ${ms.toFixed(1).padStart(7)} ${Math.round((lines / ms) * 1000).toString().padStart(11)}    ${(ms / parseMs).toFixed(2)}`);
}
const analyzeMs = median(samples['analyze() (everything)']!);
console.log(`\nanalysis throughput: ${Math.round((lines / analyzeMs) * 1000)} lines/s; ${(analyzeMs / parseMs).toFixed(2)}x parse-only time (goal: at most 2x); ${findings} findings`);

// The adversarial cases (stress files with thousands of chained calls, 250 KB of SQL, broken
// encodings): not a throughput figure, but a guard against pathological slowdowns.
const adversarial: SourceFile[] = pythonFiles(ADVERSARIAL).map((p) => ({ path: p.slice(ADVERSARIAL.length + 1), content: new Uint8Array(readFileSync(p)) }));
const adversarialParse: number[] = [];
const adversarialAnalyze: number[] = [];
const decoded = adversarial.map((f) => new TextDecoder().decode(f.content as Uint8Array));
for (let run = 0; run < RUNS; run++) {
  adversarialParse.push(time(() => decoded.forEach((text) => parsePython(text))));
  adversarialAnalyze.push(time(() => analyze(adversarial, config)));
}
const advParseMs = median(adversarialParse);
const advAnalyzeMs = median(adversarialAnalyze);
console.log(`adversarial review cases: ${adversarial.length} files, analyze() ${advAnalyzeMs.toFixed(1)} ms = ${(advAnalyzeMs / advParseMs).toFixed(2)}x their parse-only time (${advParseMs.toFixed(1)} ms)`);

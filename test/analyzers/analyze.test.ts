import dedent from 'dedent';
import { describe, expect, it } from 'vitest';
import { analyze } from '../../src/analyzers/analyze.js';
import { defineRule, type Rule } from '../../src/analyzers/rule.js';
import { RULES } from '../../src/analyzers/rules/index.js';
import { defaultConfig } from '../../src/config/schema.js';

const BRONZE_OVERWRITE = dedent`
  raw = spark.read.parquet("/mnt/landing/customers/")
  raw.write.mode("overwrite").save("/mnt/bronze/customers")
`;

function run(files: { path: string; content: string | Uint8Array }[], rules?: readonly Rule[]) {
  return analyze(files, defaultConfig(), rules ? { rules } : {});
}

describe('analyze()', () => {
  it('returns findings with every documented field', () => {
    const { findings } = run([{ path: 'jobs/a.py', content: BRONZE_OVERWRITE }]);
    const f = findings.find((x) => x.id === 'BRZ004')!;
    expect(f).toMatchObject({
      id: 'BRZ004',
      name: 'bronze-overwrite',
      severity: 'critical',
      category: 'bronze',
      path: 'jobs/a.py',
      line: 2,
      column: 11,
      endLine: 2,
      endColumn: 28,
      docsUrl: 'https://github.com/pipeline-architect/pipeline-architect/blob/main/docs/rules/BRZ004.md',
    });
    expect(f.message).toContain('/mnt/bronze/customers');
    expect(f.fix).toEqual({ description: 'Append to bronze instead of overwriting it', startLine: 2, endLine: 2, replacement: 'raw.write.mode("append").save("/mnt/bronze/customers")' });
  });

  it('ignores Python that is not pipeline code', () => {
    const plain = 'def overwrite(mode):\n    return mode == "overwrite"\n\nprint(eval("1 + 1"))\n';
    expect(run([{ path: 'util.py', content: plain }])).toEqual({ findings: [], skipped: [], partial: [], errors: [] });
  });

  it('analyzes what parses in a file with syntax errors and says so', () => {
    const broken = `${BRONZE_OVERWRITE}\n\ndef broken(:\n    pass\n`;
    const result = run([{ path: 'jobs/broken.py', content: broken }]);
    expect(result.findings.map((f) => f.id)).toContain('BRZ004');
    expect(result.partial).toEqual([{ path: 'jobs/broken.py', line: 4, reason: 'syntax error at line 4; the rest of the file was analyzed' }]);
  });

  it('skips binary, oversized and undecodable files with a reason, and keeps the others', () => {
    const result = run([
      { path: 'a.py', content: new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x00, 0x00]) },
      { path: 'b.py', content: 'x = 1\n'.repeat(400_000) },
      { path: 'c.py', content: new Uint8Array([0x78, 0x20, 0x3d, 0x20, 0xff, 0xfe, 0x0a]) },
      { path: 'd.py', content: Buffer.from('# -*- coding: klingon -*-\nx = 1\n') },
      { path: 'e.py', content: BRONZE_OVERWRITE },
    ]);
    expect(result.skipped).toEqual([
      { path: 'a.py', reason: 'binary file (contains NUL bytes)' },
      { path: 'b.py', reason: expect.stringMatching(/^file is 2\.4 MB; files over 2\.0 MB are not analyzed/) },
      { path: 'c.py', reason: expect.stringMatching(/^not valid UTF-8/) },
      { path: 'd.py', reason: 'unknown encoding "klingon" declared in the coding comment' },
    ]);
    expect(result.findings.map((f) => f.path)).toContain('e.py');
  });

  it('decodes a declared latin-1 file and a UTF-8 BOM', () => {
    const latin1 = Buffer.concat([
      Buffer.from('# -*- coding: latin-1 -*-\n# caf'),
      Buffer.from([0xe9]),
      Buffer.from(`\n${BRONZE_OVERWRITE}\n`),
    ]);
    const bom = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(BRONZE_OVERWRITE)]);
    const result = run([
      { path: 'latin.py', content: latin1 },
      { path: 'bom.py', content: bom },
    ]);
    expect(result.skipped).toEqual([]);
    expect(result.findings.filter((f) => f.id === 'BRZ004').map((f) => `${f.path}:${f.line}:${f.column}`)).toEqual(['bom.py:2:11', 'latin.py:4:11']);
  });

  it('does not review test files (pytest conventions): their tables are throwaway fixtures', () => {
    const paths = ['tests/test_orders.py', 'pkg/tests/helpers.py', 'jobs/test_ingest.py', 'jobs/ingest_test.py', 'conftest.py', 'testing/fixtures.py'];
    const result = run([...paths, 'jobs/ingest.py', 'contest/ingest.py', 'attestation/ingest.py'].map((path) => ({ path, content: BRONZE_OVERWRITE })));
    expect([...new Set(result.findings.map((f) => f.path))].sort()).toEqual(['attestation/ingest.py', 'contest/ingest.py', 'jobs/ingest.py']);
  });

  it('reads CR-only and CRLF line endings as Python does, with the same line numbers', () => {
    const lines = (eol: string) => `# header${eol}${BRONZE_OVERWRITE.split('\n').join(eol)}`;
    const result = run([
      { path: 'cr.py', content: lines('\r') },
      { path: 'crlf.py', content: Buffer.from(lines('\r\n')) },
      { path: 'lf.py', content: lines('\n') },
    ]);
    const anchors = (path: string) => result.findings.filter((f) => f.path === path).map((f) => `${f.id}:${f.line}:${f.column}`);
    expect(anchors('lf.py')).toContain('BRZ004:3:11');
    expect(anchors('cr.py')).toEqual(anchors('lf.py'));
    expect(anchors('crlf.py')).toEqual(anchors('lf.py'));
  });

  it('reports a crashing rule as an internal error without losing other findings', () => {
    const crashing = defineRule({
      ...RULES.find((r) => r.id === 'BRZ004')!,
      id: 'BRZ999',
      detect() {
        throw new Error('boom');
      },
    });
    const result = analyze([{ path: 'jobs/a.py', content: BRONZE_OVERWRITE }], { ...defaultConfig(), select: ['BRZ999'] }, { rules: [crashing, ...RULES] });
    expect(result.errors).toEqual([{ path: 'jobs/a.py', ruleId: 'BRZ999', message: 'boom' }]);
    expect(result.findings.map((f) => f.id)).toContain('BRZ004');
  });

  it('survives deeply nested expressions', () => {
    const deep = `df = spark.read.table("bronze.x")\ny = ${'('.repeat(600)}1${')'.repeat(600)}\nz = ${Array.from({ length: 3000 }, (_, i) => `a${i}`).join(' + ')}\n`;
    const result = run([{ path: 'deep.py', content: deep }]);
    expect(result.errors).toEqual([]);
    expect(result.skipped).toEqual([]);
  });

  it('handles a long method chain and many files', () => {
    const chain = `df = spark.read.table("bronze.x")${'.withColumn("c", F.lit(1))'.repeat(2000)}\ndf.write.mode("overwrite").save("/mnt/bronze/x")\n`;
    const files = Array.from({ length: 50 }, (_, i) => ({ path: `f${i}.py`, content: chain }));
    const result = run(files);
    expect(result.errors).toEqual([]);
    expect(result.findings.filter((f) => f.id === 'BRZ004')).toHaveLength(50);
  });

  it('sorts findings by path, line and column', () => {
    const result = run([
      { path: 'b.py', content: BRONZE_OVERWRITE },
      { path: 'a.py', content: BRONZE_OVERWRITE },
    ]);
    const order = result.findings.map((f) => `${f.path}:${f.line}:${f.column}:${f.id}`);
    expect(order).toEqual([...order].sort((x, y) => x.localeCompare(y, undefined, { numeric: true })));
    expect(result.findings[0]!.path).toBe('a.py');
  });
});

describe('suppression', () => {
  const ids = (content: string) => run([{ path: 'jobs/a.py', content }]).findings.map((f) => `${f.line}:${f.id}`);

  it('honours # noqa with IDs, bare # noqa, and file-level disables', () => {
    const base = 'raw = spark.read.parquet("/mnt/landing/c/")\nraw.write.mode("overwrite").save("/mnt/bronze/c")';
    expect(ids(base)).toContain('2:BRZ004');
    expect(ids(`${base}  # noqa: BRZ004`)).not.toContain('2:BRZ004');
    expect(ids(`${base}  # noqa: BRZ001, BRZ004`)).not.toContain('2:BRZ004');
    expect(ids(`${base}  # noqa: BRZ001`)).toContain('2:BRZ004');
    expect(ids(`${base}  # noqa`)).toEqual([]);
    expect(ids(`# pipeline-architect: disable=BRZ004,BRZ001\n${base}`)).not.toContain('3:BRZ004');
    expect(ids(`# pipeline-architect: disable=ALL\n${base}`)).toEqual([]);
  });

  it('accepts # noqa on the last line of a multi-line call', () => {
    const code = 'raw = spark.read.parquet("/mnt/landing/c/")\n(raw.write\n    .mode("overwrite")  # noqa: BRZ004\n    .save("/mnt/bronze/c"))\n';
    expect(ids(code)).not.toContain('3:BRZ004');
  });

  it('does not take "# noqa" inside a string for a comment', () => {
    const code = 'raw = spark.read.parquet("/mnt/landing/c/")\nraw.write.mode("overwrite").save("/mnt/bronze/c#noqa")\n';
    expect(ids(code)).toContain('2:BRZ004');
  });
});

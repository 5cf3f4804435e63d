import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import AjvDraft04 from 'ajv-draft-04';
import ajvFormats from 'ajv-formats';
import { describe, expect, it } from 'vitest';
import { RULES } from '../../src/analyzers/rules/index.js';
import type { AnalyzeResult, Finding } from '../../src/analyzers/types.js';
import { formatGithubActions } from '../../src/formatters/github-actions.js';
import { formatJson } from '../../src/formatters/json.js';
import { formatSarif } from '../../src/formatters/sarif.js';
import { formatText } from '../../src/formatters/text.js';
import { ruleDocsUrl } from '../../src/meta.js';

const finding = (over: Partial<Finding>): Finding => ({
  id: 'BRZ004',
  name: 'bronze-overwrite',
  severity: 'critical',
  category: 'bronze',
  path: 'jobs/bronze/ingest.py',
  line: 12,
  column: 5,
  endLine: 12,
  endColumn: 22,
  message: '`mode("overwrite")` on bronze table `/mnt/bronze/x` replaces all raw history on every run: append instead.',
  docsUrl: ruleDocsUrl('BRZ004'),
  ...over,
});

const RESULT: AnalyzeResult = {
  findings: [
    finding({ fix: { description: 'Append to bronze instead of overwriting it', startLine: 12, endLine: 12, replacement: '    .mode("append")' } }),
    finding({ id: 'SLV002', name: 'merge-source-not-deduplicated', severity: 'warning', category: 'silver', path: 'jobs/silver/a b,c.py', line: 30, endLine: 34, column: 9, endColumn: 18, message: 'MERGE into `silver.x`: 50% of\nkeys' }),
    finding({ id: 'PERF004', name: 'count-for-emptiness', severity: 'info', category: 'performance', line: 40, column: 8, endColumn: 30, message: '`df.count() == 0` counts every row' }),
  ],
  skipped: [{ path: 'data/blob.py', reason: 'binary file (contains NUL bytes)' }],
  partial: [{ path: 'jobs/broken.py', line: 7, reason: 'syntax error at line 7; the rest of the file was analyzed' }],
  errors: [],
};

describe('text format', () => {
  it('prints ruff-style lines and a per-severity summary, without colour when asked', () => {
    expect(formatText(RESULT, { color: false })).toMatchInlineSnapshot(`
      "jobs/bronze/ingest.py:12:5: BRZ004 [critical] \`mode("overwrite")\` on bronze table \`/mnt/bronze/x\` replaces all raw history on every run: append instead.
      jobs/silver/a b,c.py:30:9: SLV002 [warning] MERGE into \`silver.x\`: 50% of
      keys
      jobs/bronze/ingest.py:40:8: PERF004 [info] \`df.count() == 0\` counts every row
      data/blob.py: skipped: binary file (contains NUL bytes)
      jobs/broken.py:7: partly analyzed: syntax error at line 7; the rest of the file was analyzed

      Found 3 findings: 1 critical, 1 warning, 1 info.
      "
    `);
  });

  it('colours only when told to', () => {
    expect(formatText(RESULT, { color: true })).toContain('\u001b[');
    expect(formatText({ ...RESULT, findings: [] }, { color: false })).toContain('No findings.');
  });
});

describe('JSON format', () => {
  it('has exactly the documented keys', () => {
    const parsed = JSON.parse(formatJson(RESULT)) as { findings: Record<string, unknown>[]; skipped: unknown[] };
    expect(Object.keys(parsed)).toEqual(['findings', 'skipped', 'partial', 'errors']);
    expect(Object.keys(parsed.findings[1]!)).toEqual(['id', 'name', 'severity', 'category', 'path', 'line', 'column', 'endLine', 'endColumn', 'message', 'docsUrl']);
    expect(parsed.findings[0]!['fix']).toEqual(RESULT.findings[0]!.fix);
    expect(parsed.skipped).toEqual([{ path: 'data/blob.py', reason: 'binary file (contains NUL bytes)' }]);
  });
});

describe('GitHub Actions format', () => {
  it('emits escaped workflow commands with the right levels', () => {
    const out = formatGithubActions(RESULT).split('\n');
    expect(out[0]).toBe(
      '::error file=jobs/bronze/ingest.py,line=12,col=5,endLine=12,endColumn=22,title=BRZ004 bronze-overwrite::`mode("overwrite")` on bronze table `/mnt/bronze/x` replaces all raw history on every run: append instead.',
    );
    expect(out[1]).toBe('::warning file=jobs/silver/a b%2Cc.py,line=30,col=9,endLine=34,title=SLV002 merge-source-not-deduplicated::MERGE into `silver.x`: 50%25 of%0Akeys');
    expect(out[2]).toMatch(/^::notice file=/);
  });
});

describe('SARIF format', () => {
  const require = createRequire(import.meta.url);
  const schemaPath = require.resolve('@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json');
  const schema = JSON.parse(readFileSync(schemaPath, 'utf8')) as object;
  // The published schema has a pattern that is only valid without the `u` flag.
  const ajv = new AjvDraft04.default({ allErrors: true, strict: false, unicodeRegExp: false });
  ajvFormats.default(ajv);
  const validate = ajv.compile(schema);
  const log = JSON.parse(formatSarif(RESULT, RULES, ruleDocsUrl)) as {
    version: string;
    runs: { tool: { driver: { rules: { id: string; helpUri: string; help: { text: string } }[] } }; results: { ruleId: string; ruleIndex: number; level: string; locations: { physicalLocation: { artifactLocation: { uri: string } } }[] }[] }[];
  };

  it('is valid SARIF 2.1.0', () => {
    const ok = validate(log);
    expect(validate.errors ?? [], JSON.stringify(validate.errors, null, 2)).toEqual([]);
    expect(ok).toBe(true);
    expect(log.version).toBe('2.1.0');
  });

  it('describes every rule with help text and a documentation URI', () => {
    const rules = log.runs[0]!.tool.driver.rules;
    expect(rules.map((r) => r.id)).toEqual(RULES.map((r) => r.id));
    for (const r of rules) {
      expect(r.helpUri).toBe(ruleDocsUrl(r.id));
      expect(r.help.text.length).toBeGreaterThan(50);
    }
  });

  it('points results at their rule, level and repository-relative file', () => {
    const [first, second, third] = log.runs[0]!.results;
    expect(log.runs[0]!.tool.driver.rules[first!.ruleIndex]!.id).toBe('BRZ004');
    expect([first!.level, second!.level, third!.level]).toEqual(['error', 'warning', 'note']);
    expect(second!.locations[0]!.physicalLocation.artifactLocation.uri).toBe('jobs/silver/a%20b%2Cc.py');
  });
});

import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyze } from '../src/analyzers/analyze.js';
import { defaultConfig } from '../src/config/schema.js';

/**
 * The domain reference's examples (copied into test/fixtures/seed/). Its BAD examples must be
 * flagged by the rules that describe them; its GOOD examples' real flaws (RULES.md names them)
 * are flagged too; nothing critical fires on code that is right.
 */
const DIR = join(import.meta.dirname, 'fixtures', 'seed');
const files = readdirSync(DIR).filter((f) => f.endsWith('.py'));
const result = analyze(
  files.map((f) => ({ path: f, content: readFileSync(join(DIR, f), 'utf8') })),
  defaultConfig(),
);
const ids = (file: string): string[] => [...new Set(result.findings.filter((f) => f.path === file).map((f) => f.id))].sort();
const at = (file: string, line: number): string[] => result.findings.filter((f) => f.path === file && f.line === line).map((f) => f.id);

describe('the domain reference examples', () => {
  it('flags the bronze BAD example: no audit columns, no source lineage', () => {
    expect(ids('bronze_bad.py')).toEqual(expect.arrayContaining(['BRZ001', 'BRZ002']));
  });

  it('flags the silver BAD example: direct transformation without validation, blind append', () => {
    expect(ids('silver_bad.py')).toEqual(['SLV001', 'SLV005']);
  });

  it('flags count("user_id") aliased as unique_users in the gold GOOD example', () => {
    const source = readFileSync(join(DIR, 'gold_good.py'), 'utf8').split('\n');
    const line = source.findIndex((l) => l.includes('count("user_id").alias("unique_users")')) + 1;
    expect(at('gold_good.py', line)).toContain('GLD003');
  });

  it('flags processed_df recomputed by several actions in the incremental GOOD example', () => {
    expect(result.findings.some((f) => f.path === 'incremental_good.py' && f.id === 'PERF003' && f.message.includes('processed_df'))).toBe(true);
  });

  it('flags eval() on built strings in the dead-letter GOOD example', () => {
    expect(result.findings.filter((f) => f.path === 'dlq_good.py' && f.id === 'ERR005')).toHaveLength(2);
  });

  it('flags count() == 0 used as an emptiness test', () => {
    expect(result.findings.some((f) => f.path === 'incremental_good.py' && f.id === 'PERF004' && f.message.includes('new_data.count() == 0'))).toBe(true);
  });

  it('raises nothing critical on the GOOD examples except their real flaws', () => {
    const critical = result.findings.filter((f) => f.path.endsWith('_good.py') && f.severity === 'critical').map((f) => `${f.path}:${f.id}`);
    // eval() on strings built from configuration is the one real critical flaw in them.
    expect(critical).toEqual(['dlq_good.py:ERR005', 'dlq_good.py:ERR005']);
  });

  it('has nothing to say about the circuit breaker (no Spark in it)', () => {
    expect(ids('circuit_breaker_good.py')).toEqual([]);
  });
});

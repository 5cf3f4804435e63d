import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyze } from '../../src/analyzers/analyze.js';
import { RULES } from '../../src/analyzers/rules/index.js';
import { CATEGORIES } from '../../src/analyzers/types.js';
import { configSchema } from '../../src/config/schema.js';

const rulesDir = join(import.meta.dirname, '../../src/analyzers/rules');
const ruleFiles = readdirSync(rulesDir).filter((f) => /^[A-Z]+\d{3}-/.test(f));

function findingsOf(code: string, id: string): string[] {
  const config = configSchema.parse({ select: [id] });
  const rule = RULES.find((r) => r.id === id)!;
  const result = analyze([{ path: 'jobs/example.py', content: code }], config, { rules: [rule] });
  expect(result.errors).toEqual([]);
  return result.findings.map((f) => `${f.line}: ${f.message}`);
}

describe('rule registry', () => {
  it('registers every rule file, sorted by ID, with unique IDs', () => {
    const ids = RULES.map((r) => r.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toEqual([...ids].sort());
    expect(ruleFiles.map((f) => f.split('-')[0]).sort()).toEqual(ids);
  });

  for (const rule of RULES) {
    describe(rule.id, () => {
      it('is named after its file', () => {
        const file = ruleFiles.find((f) => f.startsWith(`${rule.id}-`));
        expect(file).toBe(`${rule.id}-${rule.name}.ts`);
        expect(rule.name).toMatch(/^[a-z0-9]+(?:-[a-z0-9]+)*$/);
        expect(rule.id).toMatch(/^(BRZ|ING|SLV|GLD|INC|CDC|ERR|MON|PERF|STR|LYR|SEC)\d{3}$/);
      });

      it('is fully documented', () => {
        expect(CATEGORIES).toContain(rule.category);
        for (const key of ['summary', 'why', 'impact', 'fix', 'bad', 'good'] as const) {
          expect(rule.docs[key].trim().length, key).toBeGreaterThan(10);
        }
        expect(rule.docs.quiet.length).toBeGreaterThan(0);
      });

      it('flags its docs.bad example', () => {
        expect(findingsOf(rule.docs.bad, rule.id).length).toBeGreaterThan(0);
      });

      it('stays quiet on its docs.good example', () => {
        expect(findingsOf(rule.docs.good, rule.id)).toEqual([]);
      });
    });
  }
});

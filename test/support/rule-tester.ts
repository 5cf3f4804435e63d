import dedent from 'dedent';
import { describe, expect, it } from 'vitest';
import { analyze } from '../../src/analyzers/analyze.js';
import type { Rule } from '../../src/analyzers/rule.js';
import type { Finding } from '../../src/analyzers/types.js';
import { configSchema, type ConfigInput } from '../../src/config/schema.js';

export interface ValidCase {
  /** What makes this case tricky: shown as `noisy: <name>` when the rule fires on it. */
  readonly name: string;
  readonly code: string;
  /** File path (layer inference reads it); default `jobs/pipeline.py`. */
  readonly path?: string;
  readonly config?: ConfigInput;
}

export interface ExpectedFinding {
  readonly line: number;
  readonly column?: number;
  readonly endLine?: number;
  /** Parts of the message that must appear (the table, column or option it names). */
  readonly message?: string | RegExp;
  readonly severity?: Finding['severity'];
  /** The whole new text of the fixed lines, when the rule proposes a fix. */
  readonly fix?: string;
}

export interface InvalidCase extends ValidCase {
  readonly errors: readonly ExpectedFinding[];
}

export function runRule(rule: Rule, c: ValidCase): Finding[] {
  const config = configSchema.parse({ ...c.config, select: [rule.id, ...(c.config?.select ?? [])] });
  const result = analyze([{ path: c.path ?? 'jobs/pipeline.py', content: dedent(c.code) + '\n' }], config, { rules: [rule] });
  if (result.errors.length > 0) throw new Error(`rule crashed: ${result.errors.map((e) => e.message).join('; ')}`);
  return result.findings;
}

function show(findings: readonly Finding[]): string {
  return findings.map((f) => `  ${f.line}:${f.column} ${f.id} ${f.message}`).join('\n') || '  (none)';
}

/**
 * Table-driven rule tests. A valid case that is flagged fails as `noisy: <name>`, an invalid
 * case that is not flagged as `missing: <name>`; positions, messages and fixes are compared too.
 */
export function testRule(rule: Rule, cases: { valid: readonly ValidCase[]; invalid: readonly InvalidCase[] }): void {
  describe(`${rule.id} ${rule.name}`, () => {
    it('has at least 5 valid and 3 invalid cases', () => {
      expect(cases.valid.length).toBeGreaterThanOrEqual(5);
      expect(cases.invalid.length).toBeGreaterThanOrEqual(3);
    });
    for (const c of cases.valid) {
      it(`valid: ${c.name}`, () => {
        const findings = runRule(rule, c);
        expect(findings, `noisy: ${c.name}\n${show(findings)}`).toEqual([]);
      });
    }
    for (const c of cases.invalid) {
      it(`invalid: ${c.name}`, () => {
        const findings = runRule(rule, c);
        expect(findings.length, `missing: ${c.name}\nexpected ${c.errors.length}, got:\n${show(findings)}`).toBe(c.errors.length);
        c.errors.forEach((expected, i) => {
          const actual = findings[i]!;
          expect(actual.line, `line of finding ${i + 1} in ${c.name}\n${show(findings)}`).toBe(expected.line);
          if (expected.column !== undefined) expect(actual.column, `column in ${c.name}`).toBe(expected.column);
          if (expected.endLine !== undefined) expect(actual.endLine, `endLine in ${c.name}`).toBe(expected.endLine);
          if (expected.severity !== undefined) expect(actual.severity).toBe(expected.severity);
          if (typeof expected.message === 'string') expect(actual.message).toContain(expected.message);
          else if (expected.message) expect(actual.message).toMatch(expected.message);
          if (expected.fix !== undefined) expect(actual.fix?.replacement, `fix in ${c.name}`).toBe(expected.fix);
        });
      });
    }
  });
}

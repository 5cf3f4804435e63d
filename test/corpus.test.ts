import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyze } from '../src/analyzers/analyze.js';
import { defaultConfig } from '../src/config/schema.js';

/**
 * The fixture corpus: realistic modules with `# expect: ID[, ID]` at the end of each line where a
 * finding is expected. Every finding must be expected (else `noisy:`) and every expectation found
 * (else `missing:`). The markers record engineering judgment, not the engine's output.
 */
const ROOT = join(import.meta.dirname, 'fixtures', 'python');
const MARKER = /#\s*expect:\s*([A-Z]+\d{3}(?:\s*,\s*[A-Z]+\d{3})*)\s*$/;

function pythonFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((entry) => {
    const p = join(dir, entry);
    return statSync(p).isDirectory() ? pythonFiles(p) : p.endsWith('.py') ? [p] : [];
  });
}

function expectations(source: string): string[] {
  const out: string[] = [];
  source.split('\n').forEach((line, i) => {
    const m = MARKER.exec(line);
    if (m) for (const id of m[1]!.split(',')) out.push(`${i + 1}:${id.trim()}`);
  });
  return out.sort();
}

const files = pythonFiles(ROOT);

describe('fixture corpus', () => {
  it('has a corpus to check', () => {
    expect(files.length).toBeGreaterThanOrEqual(20);
  });

  for (const file of files) {
    const path = relative(ROOT, file);
    it(path, () => {
      const source = readFileSync(file, 'utf8');
      const result = analyze([{ path, content: source }], defaultConfig());
      expect(result.errors).toEqual([]);
      const found = result.findings.map((f) => `${f.line}:${f.id}`).sort();
      const expected = expectations(source);
      const noisy = found.filter((f) => !expected.includes(f)).map((f) => `noisy: ${path}:${f}`);
      const missing = expected.filter((e) => !found.includes(e)).map((e) => `missing: ${path}:${e}`);
      expect([...noisy, ...missing]).toEqual([]);
    });
  }
});

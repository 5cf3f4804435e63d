import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { generatedDocs, ROOT } from '../scripts/generate-docs.js';
import { RULES } from '../src/analyzers/rules/index.js';

describe('generated documentation', () => {
  const docs = generatedDocs();

  it('has a page per rule and the README table', () => {
    for (const rule of RULES) expect(docs.has(join('docs', 'rules', `${rule.id}.md`))).toBe(true);
    expect(docs.has('README.md')).toBe(true);
  });

  for (const [path, expected] of docs) {
    it(`${path} is up to date (run \`npm run docs\`)`, () => {
      expect(readFileSync(join(ROOT, path), 'utf8')).toBe(expected);
    });
  }

  it('puts the two set-up commands at the top of the README', () => {
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    const quickStart = readme.slice(readme.indexOf('## Quick start'), readme.indexOf('## Using the CLI'));
    expect(quickStart).toContain('npm ci && npx pipeline-architect check examples/');
    expect(quickStart).toContain('npm test');
  });
});

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPOSITORY_URL, VERSION } from '../src/meta.js';

describe('product identity', () => {
  it('matches package.json', () => {
    const pkg = JSON.parse(readFileSync(join(import.meta.dirname, '..', 'package.json'), 'utf8')) as {
      version: string;
      repository: { url: string };
      bin: Record<string, string>;
    };
    expect(VERSION).toBe(pkg.version);
    expect(pkg.repository.url).toContain(REPOSITORY_URL.replace('https://', ''));
    expect(pkg.bin['pipeline-architect']).toBe('dist/cli.js');
  });
});

import { createHash } from 'node:crypto';
import type { Finding } from '../analyzers/types.js';

export const FINGERPRINT_MARKER = 'pipeline-architect:fp=';
const MARKER_RE = /<!-- pipeline-architect:fp=([0-9a-f]{16}) -->/;

/**
 * Identity of a finding across pushes: rule, file and the code it is about (whitespace
 * collapsed), not the line number, so that code moving down a file keeps its fingerprint.
 * Identical findings on identical code in one file are told apart by their order.
 */
export function fingerprints(findings: readonly Finding[], sources: ReadonlyMap<string, string>): Map<Finding, string> {
  const out = new Map<Finding, string>();
  const seen = new Map<string, number>();
  const linesOf = new Map<string, string[]>();
  for (const f of findings) {
    let lines = linesOf.get(f.path);
    if (!lines) {
      lines = (sources.get(f.path) ?? '').split('\n');
      linesOf.set(f.path, lines);
    }
    const code = lines
      .slice(f.line - 1, f.endLine)
      .join('\n')
      .replace(/\s+/g, ' ')
      .trim();
    const key = `${f.id}\0${f.path}\0${code}`;
    const occurrence = seen.get(key) ?? 0;
    seen.set(key, occurrence + 1);
    out.set(f, createHash('sha256').update(`${key}\0${occurrence}`).digest('hex').slice(0, 16));
  }
  return out;
}

export function fingerprintComment(fp: string): string {
  return `<!-- ${FINGERPRINT_MARKER}${fp} -->`;
}

export function fingerprintIn(body: string | null | undefined): string | undefined {
  return body ? MARKER_RE.exec(body)?.[1] : undefined;
}

import type { Severity } from '../config/schema.js';

export type { Severity };

export const CATEGORIES = [
  'bronze',
  'silver',
  'gold',
  'ingestion',
  'incremental',
  'cdc',
  'error-handling',
  'monitoring',
  'performance',
  'streaming',
  'layering',
  'security',
] as const;
export type Category = (typeof CATEGORIES)[number];

/** A suggested change: the full new text of lines `startLine..endLine` (GitHub suggestion shape). */
export interface Fix {
  readonly description: string;
  readonly startLine: number;
  readonly endLine: number;
  readonly replacement: string;
}

export interface Finding {
  readonly id: string;
  readonly name: string;
  readonly severity: Severity;
  readonly category: Category;
  readonly path: string;
  /** 1-based. */
  readonly line: number;
  /** 1-based, in UTF-16 code units (as SARIF's default and GitHub's annotations). */
  readonly column: number;
  readonly endLine: number;
  readonly endColumn: number;
  readonly message: string;
  readonly docsUrl: string;
  readonly fix?: Fix;
}

export interface SourceFile {
  readonly path: string;
  /** Text, or raw bytes to be decoded (UTF-8, or the encoding a PEP 263 comment declares). */
  readonly content: string | Uint8Array;
}

export interface SkippedFile {
  readonly path: string;
  readonly reason: string;
}

export interface PartialFile {
  readonly path: string;
  readonly reason: string;
  readonly line: number;
}

export interface InternalError {
  readonly path: string;
  readonly ruleId: string;
  readonly message: string;
}

export interface AnalyzeResult {
  readonly findings: Finding[];
  /** Files not analyzed at all: binary, too large, undecodable. */
  readonly skipped: SkippedFile[];
  /** Files with syntax errors: the parts that parse were analyzed. */
  readonly partial: PartialFile[];
  /** Rules that crashed on a file; the other rules' findings for it are kept. */
  readonly errors: InternalError[];
}

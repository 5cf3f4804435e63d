import type { Config } from '../config/schema.js';
import type { FileModel } from './model/index.js';
import type { LineIndex } from './positions.js';
import type { Category, Severity } from './types.js';

export interface Span {
  readonly start: number;
  readonly end: number;
}

export interface RuleDocs {
  /** One sentence: what the rule finds. */
  readonly summary: string;
  /** Why it matters, in a paragraph. */
  readonly why: string;
  /** One sentence for review comments: what goes wrong in production. */
  readonly impact: string;
  /** One sentence for review comments: how to fix it. */
  readonly fix: string;
  /** Code the rule flags (the registry test checks it does). */
  readonly bad: string;
  /** The same code done right (the registry test checks it stays clean). */
  readonly good: string;
  /** When the rule deliberately stays quiet. */
  readonly quiet: readonly string[];
}

export interface Match<D = unknown> {
  readonly span: Span;
  /** Specific to this code: which table, which column, which option. */
  readonly message: string;
  /** Overrides the rule's severity for this match (e.g. BRZ003 for DROPMALFORMED). */
  readonly severity?: Severity;
  readonly data?: D;
}

/** Replace source text `start..end` (offsets) with `text`. */
export interface Edit {
  readonly start: number;
  readonly end: number;
  readonly text: string;
}

export interface RuleContext {
  readonly model: FileModel;
  readonly path: string;
  readonly lines: LineIndex;
  readonly config: Config;
  text(span: Span): string;
}

export interface RuleDefinition<D = unknown> {
  readonly id: string;
  readonly name: string;
  readonly category: Category;
  readonly severity: Severity;
  readonly default: boolean;
  readonly docs: RuleDocs;
  detect(ctx: RuleContext): Iterable<Match<D>>;
  fix?(match: Match<D>, ctx: RuleContext): { readonly description: string; readonly edits: readonly Edit[] } | undefined;
}

export type Rule = RuleDefinition<unknown>;

/** Identity function that gives rule files their type (and keeps `D` consistent between detect and fix). */
export function defineRule<D = undefined>(rule: RuleDefinition<D>): Rule {
  return rule as unknown as Rule;
}

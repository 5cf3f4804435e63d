import { z } from 'zod';

export const SEVERITIES = ['critical', 'warning', 'info'] as const;
export type Severity = (typeof SEVERITIES)[number];

export const FAIL_ON = ['critical', 'warning', 'info', 'never'] as const;
export type FailOn = (typeof FAIL_ON)[number];

export const REVIEW_FILTERS = ['added', 'diff_context', 'file'] as const;
export type ReviewFilter = (typeof REVIEW_FILTERS)[number];

/** Files the CLI never walks into, whatever `include` says. */
export const DEFAULT_EXCLUDE = [
  '**/.git/**',
  '**/node_modules/**',
  '**/.venv/**',
  '**/venv/**',
  '**/__pycache__/**',
  '**/site-packages/**',
  '**/.tox/**',
  '**/build/**',
  '**/dist/**',
];

const patterns = z.array(z.string().min(1));

export const configSchema = z.strictObject({
  /** Rules to run in addition to the default ones: IDs, family prefixes (`PERF`) or `ALL`. */
  select: patterns.default([]),
  /** Rules not to run: IDs, family prefixes or `ALL`. Wins over `select`. */
  ignore: patterns.default([]),
  /** Severity overrides by rule ID. */
  severity: z.record(z.string(), z.enum(SEVERITIES)).default({}),
  /** Glob -> rules to ignore in matching files. */
  per_file_ignores: z.record(z.string(), patterns).default({}),
  include: patterns.default(['**/*.py']),
  exclude: patterns.default([]),
  /** Repository-specific names of each layer: globs matched against paths, table names, identifiers. */
  layers: z
    .strictObject({
      bronze: patterns.optional(),
      silver: patterns.optional(),
      gold: patterns.optional(),
    })
    .prefault({}),
  review: z
    .strictObject({
      /** Which findings become review comments: on added lines, on any line shown in the diff, or anywhere in a changed file. */
      filter: z.enum(REVIEW_FILTERS).default('added'),
      max_comments: z.number().int().min(0).max(100).default(30),
      /** Review draft pull requests too. */
      drafts: z.boolean().default(false),
    })
    .prefault({}),
  check: z
    .strictObject({
      fail_on: z.enum(FAIL_ON).default('critical'),
    })
    .prefault({}),
});

export type Config = z.infer<typeof configSchema>;
export type ConfigInput = z.input<typeof configSchema>;

export function defaultConfig(): Config {
  return configSchema.parse({});
}

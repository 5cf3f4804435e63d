import { parse as parseToml, TomlError } from 'smol-toml';
import { parseDocument } from 'yaml';
import type { z } from 'zod';
import { configSchema, type Config } from './schema.js';

export const CONFIG_PATHS = ['.github/pipeline-architect.yml', '.github/pipeline-architect.yaml'] as const;
export const PYPROJECT_TABLE = 'tool.pipeline-architect';

/** An invalid configuration: every problem, each naming the key and the file. */
export class ConfigError extends Error {
  constructor(
    readonly source: string,
    readonly problems: readonly string[],
  ) {
    super(`${source}: invalid configuration\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}

export interface ConfigOptions {
  /** Rule IDs the engine knows, to catch typos in select/ignore/severity/per_file_ignores. */
  readonly ruleIds?: readonly string[];
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  return `${typeof value} ${JSON.stringify(value)}`;
}

function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let v = input;
  for (const key of path) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<PropertyKey, unknown>)[key];
  }
  return v;
}

function editDistance(a: string, b: string): number {
  const dp = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let prev = dp[0]!;
    dp[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = dp[j]!;
      dp[j] = Math.min(dp[j]! + 1, dp[j - 1]! + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = tmp;
    }
  }
  return dp[b.length]!;
}

function knownKeysAt(path: readonly PropertyKey[]): string[] {
  let schema: z.ZodType = configSchema;
  for (const key of path) {
    const shape = shapeOf(schema);
    const next = shape?.[String(key)];
    if (!next) return [];
    schema = next;
  }
  return Object.keys(shapeOf(schema) ?? {});
}

function shapeOf(schema: z.ZodType): Record<string, z.ZodType> | undefined {
  let s: unknown = schema;
  // Unwrap defaults / optionals / prefaults to reach the object.
  for (let i = 0; i < 5 && s && typeof s === 'object'; i++) {
    const def = (s as { def?: { shape?: Record<string, z.ZodType>; innerType?: unknown } }).def;
    if (def?.shape) return def.shape;
    s = def?.innerType;
  }
  return undefined;
}

function suggest(key: string, candidates: readonly string[]): string {
  const normalized = key.replace(/-/g, '_').toLowerCase();
  const best = candidates
    .map((c) => [c, editDistance(normalized, c.toLowerCase())] as const)
    .sort((a, b) => a[1] - b[1])[0];
  return best && best[1] <= Math.max(2, Math.floor(key.length / 3)) ? ` (did you mean "${best[0]}"?)` : '';
}

function formatPath(path: readonly PropertyKey[]): string {
  return path.map(String).join('.') || '(top level)';
}

function formatIssues(issues: readonly z.core.$ZodIssue[], input: unknown): string[] {
  const problems: string[] = [];
  for (const issue of issues) {
    const where = formatPath(issue.path);
    switch (issue.code) {
      case 'unrecognized_keys':
        for (const key of issue.keys) {
          const full = [...issue.path, key].map(String).join('.');
          problems.push(`unknown key "${full}"${suggest(key, knownKeysAt(issue.path))}`);
        }
        break;
      case 'invalid_type':
        problems.push(`${where}: expected ${issue.expected === 'int' ? 'a whole number' : issue.expected}, got ${describe(valueAt(input, issue.path))}`);
        break;
      case 'invalid_value':
        problems.push(`${where}: expected one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}, got ${describe(valueAt(input, issue.path))}`);
        break;
      case 'too_small':
      case 'too_big':
        problems.push(`${where}: ${issue.code === 'too_small' ? 'at least' : 'at most'} ${String(issue.code === 'too_small' ? issue.minimum : issue.maximum)}${issue.origin === 'string' ? ' characters' : ''}, got ${describe(valueAt(input, issue.path))}`);
        break;
      default:
        problems.push(`${where}: ${issue.message}`);
    }
  }
  return problems;
}

const SELECTOR = /^(?:ALL|[A-Z]{2,5}\d{0,3})$/;

function checkRuleSelectors(config: Config, ruleIds: readonly string[]): string[] {
  const problems: string[] = [];
  const known = new Set(ruleIds);
  const families = new Set(ruleIds.map((id) => id.replace(/\d+$/, '')));
  const check = (selector: string, where: string): void => {
    if (!SELECTOR.test(selector)) {
      problems.push(`${where}: "${selector}" is not a rule ID, family (e.g. "PERF") or "ALL"`);
    } else if (selector !== 'ALL' && !known.has(selector) && !families.has(selector)) {
      problems.push(`${where}: unknown rule "${selector}"${suggest(selector, [...known])}`);
    }
  };
  config.select.forEach((s, i) => check(s, `select[${i}]`));
  config.ignore.forEach((s, i) => check(s, `ignore[${i}]`));
  for (const id of Object.keys(config.severity)) {
    if (!known.has(id)) problems.push(`severity.${id}: unknown rule "${id}"${suggest(id, [...known])}`);
  }
  for (const [glob, selectors] of Object.entries(config.per_file_ignores)) {
    selectors.forEach((s, i) => check(s, `per_file_ignores["${glob}"][${i}]`));
  }
  return problems;
}

/** Validates a parsed configuration object (from YAML, TOML or JSON). */
export function parseConfigObject(input: unknown, source: string, options: ConfigOptions = {}): Config {
  const raw = input === null || input === undefined ? {} : input;
  if (typeof raw !== 'object' || Array.isArray(raw)) {
    throw new ConfigError(source, [`expected a mapping of settings at the top level, got ${describe(raw)}`]);
  }
  const result = configSchema.safeParse(raw);
  if (!result.success) throw new ConfigError(source, formatIssues(result.error.issues, raw));
  const problems = options.ruleIds ? checkRuleSelectors(result.data, options.ruleIds) : [];
  if (problems.length > 0) throw new ConfigError(source, problems);
  return result.data;
}

export function parseYamlConfig(text: string, source: string, options: ConfigOptions = {}): Config {
  const doc = parseDocument(text, { prettyErrors: true, uniqueKeys: true });
  if (doc.errors.length > 0) {
    throw new ConfigError(
      source,
      doc.errors.map((e) => {
        const pos = e.linePos?.[0];
        return `${pos ? `line ${pos.line}, column ${pos.col}: ` : ''}${e.message.split('\n')[0]}`;
      }),
    );
  }
  return parseConfigObject(doc.toJS(), source, options);
}

/** Reads `[tool.pipeline-architect]`; undefined when the table is absent. */
export function parsePyprojectConfig(text: string, source: string, options: ConfigOptions = {}): Config | undefined {
  let toml: Record<string, unknown>;
  try {
    toml = parseToml(text) as Record<string, unknown>;
  } catch (error) {
    const message = error instanceof TomlError ? `line ${error.line}, column ${error.column}: ${error.message.split('\n')[0]}` : String(error);
    throw new ConfigError(source, [message]);
  }
  const tool = toml['tool'];
  if (!tool || typeof tool !== 'object') return undefined;
  const table = (tool as Record<string, unknown>)['pipeline-architect'];
  if (table === undefined) return undefined;
  return parseConfigObject(table, `${source} [${PYPROJECT_TABLE}]`, options);
}

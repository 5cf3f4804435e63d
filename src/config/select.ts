import picomatch from 'picomatch';
import { DEFAULT_EXCLUDE, type Config, type Severity } from './schema.js';

/** `ALL`, an exact ID, or a family prefix (`PERF` selects PERF001...). */
export function selectorMatches(selector: string, id: string): boolean {
  if (selector === 'ALL' || selector === id) return true;
  if (/^[A-Z]+\d{3}$/.test(selector)) return false;
  return id.startsWith(selector) && /^\d+$/.test(id.slice(selector.length));
}

export interface RuleIdentity {
  readonly id: string;
  readonly default: boolean;
  readonly severity: Severity;
}

const matcherCache = new Map<string, (path: string) => boolean>();

function globMatcher(glob: string): (path: string) => boolean {
  let m = matcherCache.get(glob);
  if (!m) {
    // A pattern without a slash matches at any depth, as in .gitignore.
    const pattern = glob.includes('/') ? glob : `**/${glob}`;
    m = picomatch(pattern, { dot: true });
    matcherCache.set(glob, m);
  }
  return m;
}

export function matchesGlob(glob: string, path: string): boolean {
  return globMatcher(glob)(path.replace(/^\.\//, ''));
}

/** Whether a rule runs on a file: defaults plus `select`, minus `ignore` and `per_file_ignores`. */
export function isRuleEnabled(rule: RuleIdentity, config: Config, path?: string): boolean {
  const selected = rule.default || config.select.some((s) => selectorMatches(s, rule.id));
  if (!selected) return false;
  if (config.ignore.some((s) => selectorMatches(s, rule.id))) return false;
  if (path !== undefined) {
    for (const [glob, selectors] of Object.entries(config.per_file_ignores)) {
      if (matchesGlob(glob, path) && selectors.some((s) => selectorMatches(s, rule.id))) return false;
    }
  }
  return true;
}

export function severityFor(rule: RuleIdentity, config: Config): Severity {
  return config.severity[rule.id] ?? rule.severity;
}

/** Whether a Python file is in scope: matches `include`, not `exclude` (nor the built-in excludes). */
export function isPathIncluded(path: string, config: Config): boolean {
  const p = path.replace(/^\.\//, '');
  if (!config.include.some((g) => matchesGlob(g, p))) return false;
  return ![...DEFAULT_EXCLUDE, ...config.exclude].some((g) => matchesGlob(g, p));
}

import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve, sep } from 'node:path';
import type { SourceFile } from '../analyzers/types.js';
import { isPathIncluded, matchesGlob } from '../config/select.js';
import { DEFAULT_EXCLUDE, type Config } from '../config/schema.js';

export class PathError extends Error {}

/** Repository-relative, forward slashes: how paths appear in findings and in config globs. */
export function toRepoPath(root: string, absolute: string): string {
  const rel = relative(root, absolute);
  return (rel.startsWith('..') ? absolute : rel).split(sep).join('/');
}

/**
 * Python files to analyze. Directories are walked honouring `include`/`exclude` (and the
 * built-in excludes such as `.venv` and `node_modules`); files named explicitly are always
 * analyzed, as in ruff and ESLint.
 */
export function collectPythonFiles(paths: readonly string[], root: string, config: Config): string[] {
  const found = new Set<string>();
  const excluded = (repoPath: string): boolean => [...DEFAULT_EXCLUDE, ...config.exclude].some((g) => matchesGlob(g, repoPath) || matchesGlob(g, `${repoPath}/`));
  const walk = (dir: string): void => {
    let entries;
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries) {
      const absolute = join(dir, entry.name);
      const repoPath = toRepoPath(root, absolute);
      if (entry.isDirectory()) {
        if (!excluded(`${repoPath}/x`)) walk(absolute);
      } else if (entry.isFile() && entry.name.endsWith('.py') && isPathIncluded(repoPath, config)) {
        found.add(absolute);
      }
    }
  };
  for (const p of paths) {
    const absolute = resolve(p);
    let stat;
    try {
      stat = statSync(absolute);
    } catch {
      throw new PathError(`path not found: ${p}`);
    }
    if (stat.isDirectory()) walk(absolute);
    else found.add(absolute);
  }
  return [...found].sort();
}

export function readSourceFiles(absolutePaths: readonly string[], root: string): SourceFile[] {
  return absolutePaths.map((p) => ({ path: toRepoPath(root, p), content: readFileSync(p) }));
}

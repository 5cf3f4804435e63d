import { existsSync, readFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { CONFIG_PATHS, ConfigError, parsePyprojectConfig, parseYamlConfig, type ConfigOptions } from '../config/load.js';
import { defaultConfig, type Config } from '../config/schema.js';

export interface LoadedConfig {
  readonly config: Config;
  /** Where it came from, for messages; undefined for the defaults. */
  readonly source: string | undefined;
  /** The directory paths in the config are relative to: the repository root. */
  readonly root: string;
}

function readText(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    throw new ConfigError(path, [`cannot read the file: ${(error as NodeJS.ErrnoException).code ?? String(error)}`]);
  }
}

/** Loads an explicitly named config file: YAML, or a pyproject.toml with `[tool.pipeline-architect]`. */
export function loadConfigFile(path: string, options: ConfigOptions): LoadedConfig {
  const absolute = resolve(path);
  if (!existsSync(absolute)) throw new ConfigError(path, ['file not found']);
  const text = readText(absolute);
  const isToml = basename(absolute) === 'pyproject.toml' || absolute.endsWith('.toml');
  const config = isToml ? parsePyprojectConfig(text, path, options) : parseYamlConfig(text, path, options);
  if (!config) throw new ConfigError(path, ['no [tool.pipeline-architect] table in this file']);
  const dir = dirname(absolute);
  return { config, source: path, root: basename(dir) === '.github' ? dirname(dir) : dir };
}

/**
 * Finds the configuration the way the App does for a repository: `.github/pipeline-architect.yml`,
 * else `[tool.pipeline-architect]` in `pyproject.toml`, searching from `start` up to the
 * repository root (the first directory holding `.git`).
 */
export function discoverConfig(start: string, options: ConfigOptions): LoadedConfig {
  let dir = resolve(start);
  for (;;) {
    for (const rel of CONFIG_PATHS) {
      const candidate = join(dir, rel);
      if (existsSync(candidate)) {
        return { config: parseYamlConfig(readText(candidate), rel, options), source: candidate, root: dir };
      }
    }
    const pyproject = join(dir, 'pyproject.toml');
    if (existsSync(pyproject)) {
      const config = parsePyprojectConfig(readText(pyproject), pyproject, options);
      if (config) return { config, source: pyproject, root: dir };
    }
    const parent = dirname(dir);
    if (existsSync(join(dir, '.git')) || parent === dir) break;
    dir = parent;
  }
  return { config: defaultConfig(), source: undefined, root: resolve(start) };
}

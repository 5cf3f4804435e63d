#!/usr/bin/env node
import { readFileSync, realpathSync } from 'node:fs';
import { join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Command, CommanderError, Option } from 'commander';
import pc from 'picocolors';
import { analyze } from './analyzers/analyze.js';
import { filterFindings, wholeFileAdded, type PatchLines } from './analyzers/diff.js';
import { RULES, ruleById } from './analyzers/rules/index.js';
import type { AnalyzeResult, Severity, SourceFile } from './analyzers/types.js';
import { ConfigError, parseConfigObject } from './config/load.js';
import { FAIL_ON, type Config, type FailOn } from './config/schema.js';
import { isPathIncluded } from './config/select.js';
import { formatGithubActions } from './formatters/github-actions.js';
import { formatJson } from './formatters/json.js';
import { renderRuleMarkdown, renderRulesText } from './formatters/rule-docs.js';
import { formatSarif } from './formatters/sarif.js';
import { formatText } from './formatters/text.js';
import { ruleDocsUrl, VERSION } from './meta.js';
import { discoverConfig, loadConfigFile, type LoadedConfig } from './workspace/config.js';
import { collectPythonFiles, PathError, readSourceFiles, toRepoPath } from './workspace/files.js';
import { changedFiles, GitError, parseRange, repositoryRoot, showFile } from './workspace/git.js';

const FORMATS = ['text', 'json', 'sarif', 'github'] as const;
type Format = (typeof FORMATS)[number];

const RANK: Record<Severity, number> = { info: 0, warning: 1, critical: 2 };

/** A problem with how the CLI was called: exit code 2 with this message. */
class UsageError extends Error {}

interface CheckOptions {
  readonly diff?: string | true;
  readonly format: Format;
  readonly config?: string;
  readonly select?: string;
  readonly ignore?: string;
  readonly failOn?: FailOn;
}

function splitList(value: string | undefined): string[] {
  return (value ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
}

function loadConfig(options: CheckOptions): LoadedConfig {
  const ruleIds = RULES.map((r) => r.id);
  const loaded = options.config ? loadConfigFile(options.config, { ruleIds }) : discoverConfig(process.cwd(), { ruleIds });
  const select = splitList(options.select);
  const ignore = splitList(options.ignore);
  if (select.length === 0 && ignore.length === 0) return loaded;
  // Command-line selections extend the file's, validated the same way.
  const merged = { ...loaded.config, select: [...loaded.config.select, ...select], ignore: [...loaded.config.ignore, ...ignore] };
  return { ...loaded, config: parseConfigObject(merged, 'command line (--select/--ignore)', { ruleIds }) };
}

function failing(result: AnalyzeResult, failOn: FailOn): boolean {
  if (failOn === 'never') return false;
  return result.findings.some((f) => RANK[f.severity] >= RANK[failOn]);
}

function render(result: AnalyzeResult, format: Format): string {
  switch (format) {
    case 'json':
      return formatJson(result);
    case 'sarif':
      return formatSarif(result, RULES, ruleDocsUrl);
    case 'github':
      return formatGithubActions(result);
    default:
      return formatText(result, { color: pc.isColorSupported });
  }
}

/** Files and their changed lines for `--diff`, read from the working tree or the head revision. */
function diffInputs(
  paths: readonly string[],
  value: string | true,
  config: Config,
  configRoot: string,
): { root: string; files: SourceFile[]; changed: Map<string, PatchLines | undefined> } {
  const root = repositoryRoot(process.cwd());
  const range = parseRange(value);
  const { files: diffs, untracked } = changedFiles(root, range);
  const scopes = paths.map((p) => toRepoPath(root, resolve(p)));
  // include/exclude globs are relative to the config's directory; a file named explicitly is always checked.
  const included = (repoPath: string): boolean => isPathIncluded(relative(configRoot, join(root, repoPath)).split(sep).join('/'), config);
  const inScope = (repoPath: string): boolean =>
    scopes.includes(repoPath) ||
    ((scopes.length === 0 || scopes.some((s) => s === '' || s === '.' || repoPath.startsWith(`${s}/`))) && included(repoPath));
  const files: SourceFile[] = [];
  const changed = new Map<string, PatchLines | undefined>();
  for (const d of diffs) {
    if (d.status === 'removed' || d.binary || !inScope(d.path)) continue;
    const content = range.head ? showFile(root, range.head, d.path) : readFileSync(join(root, d.path));
    files.push({ path: d.path, content });
    changed.set(d.path, d.lines);
  }
  for (const path of untracked) {
    if (!inScope(path)) continue;
    const content = readFileSync(join(root, path));
    files.push({ path, content });
    changed.set(path, wholeFileAdded(content.toString('utf8').split('\n').length));
  }
  return { root, files, changed };
}

function check(paths: string[], options: CheckOptions): number {
  const loaded = loadConfig(options);
  const { config } = loaded;
  const failOn = options.failOn ?? config.check.fail_on;
  let result: AnalyzeResult;
  if (options.diff !== undefined) {
    const { files, changed } = diffInputs(paths, options.diff, config, loaded.root);
    const analyzed = analyze(files, config);
    result = { ...analyzed, findings: filterFindings(analyzed.findings, changed, config.review.filter) };
  } else {
    const absolute = collectPythonFiles(paths.length > 0 ? paths : ['.'], loaded.root, config);
    result = analyze(readSourceFiles(absolute, loaded.root), config);
    if (absolute.length === 0 && options.format === 'text') process.stderr.write('No Python files to check.\n');
  }
  process.stdout.write(render(result, options.format));
  return failing(result, failOn) ? 1 : 0;
}

export function buildProgram(): Command {
  const program = new Command();
  program
    .name('pipeline-architect')
    .description('Reviews PySpark / Delta Lake pipeline code: medallion layering, incremental processing, CDC, error handling, streaming, performance.')
    .version(VERSION)
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride();

  program
    .command('check')
    .description('Analyze Python files and directories (default: the current directory)')
    .argument('[paths...]', 'files or directories')
    .option('--diff [range]', 'only report findings on lines changed in `git diff` (vs HEAD; or BASE, BASE..HEAD, BASE...HEAD)')
    .addOption(new Option('--format <format>', 'output format').choices(FORMATS).default('text'))
    .option('--config <file>', 'configuration file (YAML, or a pyproject.toml with [tool.pipeline-architect])')
    .option('--select <ids>', 'also run these rules (comma-separated IDs, families like PERF, or ALL)')
    .option('--ignore <ids>', 'do not run these rules (comma-separated)')
    .addOption(new Option('--fail-on <severity>', 'exit 1 when a finding is at or above this severity (default: the config\'s check.fail_on, else critical)').choices(FAIL_ON))
    .action((paths: string[], options: CheckOptions) => {
      process.exitCode = check(paths, options);
    });

  program
    .command('rules')
    .description('List the rule catalog')
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'json']).default('text'))
    .action((options: { format: 'text' | 'json' }) => {
      if (options.format === 'json') {
        const catalog = RULES.map((r) => ({ id: r.id, name: r.name, category: r.category, severity: r.severity, default: r.default, summary: r.docs.summary, docsUrl: ruleDocsUrl(r.id) }));
        process.stdout.write(JSON.stringify(catalog, null, 2) + '\n');
      } else {
        process.stdout.write(renderRulesText(RULES));
      }
    });

  program
    .command('explain')
    .description("Print a rule's documentation")
    .argument('<id>', 'rule ID, e.g. BRZ001, or its name')
    .action((id: string) => {
      const rule = ruleById(id.toUpperCase()) ?? RULES.find((r) => r.name === id);
      if (!rule) throw new UsageError(`unknown rule "${id}"; run \`pipeline-architect rules\` for the list`);
      process.stdout.write(renderRuleMarkdown(rule));
    });
  return program;
}

export function main(argv: readonly string[]): number {
  try {
    buildProgram().parse(argv as string[], { from: 'user' });
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (error) {
    if (error instanceof CommanderError) {
      return error.code === 'commander.helpDisplayed' || error.code === 'commander.version' || error.code === 'commander.help' ? 0 : 2;
    }
    if (error instanceof ConfigError || error instanceof UsageError || error instanceof PathError || error instanceof GitError) {
      process.stderr.write(`pipeline-architect: ${error.message}\n`);
      return 2;
    }
    throw error;
  }
}

function invokedDirectly(): boolean {
  const script = process.argv[1];
  if (!script) return false;
  try {
    // npm's bin links are symlinks to this file.
    return realpathSync(script) === fileURLToPath(import.meta.url);
  } catch {
    return false;
  }
}

if (invokedDirectly()) process.exitCode = main(process.argv.slice(2));

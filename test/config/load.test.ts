import { describe, expect, it } from 'vitest';
import { ConfigError, parseConfigObject, parsePyprojectConfig, parseYamlConfig } from '../../src/config/load.js';
import { defaultConfig } from '../../src/config/schema.js';
import { isPathIncluded, isRuleEnabled, selectorMatches, severityFor } from '../../src/config/select.js';

const ruleIds = ['BRZ001', 'BRZ004', 'PERF003', 'PERF004', 'SLV001'];

function problems(fn: () => unknown): readonly string[] {
  try {
    fn();
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('configuration', () => {
  it('has sane defaults', () => {
    const c = defaultConfig();
    expect(c.review).toEqual({ filter: 'added', max_comments: 30, drafts: false });
    expect(c.check.fail_on).toBe('critical');
    expect(c.include).toEqual(['**/*.py']);
  });

  it('reads YAML, filling in defaults', () => {
    const c = parseYamlConfig('select: [PERF]\nreview:\n  filter: file\nlayers:\n  gold: ["reporting.*"]\n', 'cfg.yml', { ruleIds });
    expect(c.select).toEqual(['PERF']);
    expect(c.review.filter).toBe('file');
    expect(c.review.max_comments).toBe(30);
    expect(c.layers.gold).toEqual(['reporting.*']);
  });

  it('treats an empty file as the defaults', () => {
    expect(parseYamlConfig('', 'cfg.yml')).toEqual(defaultConfig());
    expect(parseYamlConfig('# only a comment\n', 'cfg.yml')).toEqual(defaultConfig());
  });

  it('names unknown keys, with a suggestion for typos', () => {
    expect(problems(() => parseYamlConfig('review:\n  filtr: added\n', 'cfg.yml'))).toEqual(['unknown key "review.filtr" (did you mean "filter"?)']);
    expect(problems(() => parseYamlConfig('per-file-ignores: {}\n', 'cfg.yml'))).toEqual([
      'unknown key "per-file-ignores" (did you mean "per_file_ignores"?)',
    ]);
    expect(problems(() => parseYamlConfig('colour: red\n', 'cfg.yml'))).toEqual(['unknown key "colour"']);
  });

  it('names the key and the value on wrong types and values', () => {
    expect(problems(() => parseYamlConfig('review:\n  max_comments: thirty\n', 'cfg.yml'))).toEqual([
      'review.max_comments: expected number, got string "thirty"',
    ]);
    expect(problems(() => parseYamlConfig('check:\n  fail_on: error\n', 'cfg.yml'))).toEqual([
      'check.fail_on: expected one of "critical", "warning", "info", "never", got string "error"',
    ]);
    expect(problems(() => parseYamlConfig('review:\n  max_comments: 500\n', 'cfg.yml'))).toEqual(['review.max_comments: at most 100, got number 500']);
    expect(problems(() => parseYamlConfig('select: PERF\n', 'cfg.yml'))).toEqual(['select: expected array, got string "PERF"']);
    expect(problems(() => parseYamlConfig('- a\n- b\n', 'cfg.yml'))).toEqual(['expected a mapping of settings at the top level, got a list']);
  });

  it('reports every problem at once', () => {
    expect(problems(() => parseYamlConfig('review:\n  filter: all\n  max_comments: -1\nbogus: 1\n', 'cfg.yml'))).toHaveLength(3);
  });

  it('rejects unknown rule IDs in select, ignore, severity and per_file_ignores', () => {
    expect(
      problems(() =>
        parseConfigObject({ select: ['BRZ01'], ignore: ['XYZ999'], severity: { PERF009: 'info' }, per_file_ignores: { 'tests/**': ['ALL', 'perf003'] } }, 'cfg', { ruleIds }),
      ),
    ).toEqual([
      'select[0]: unknown rule "BRZ01" (did you mean "BRZ001"?)',
      'ignore[0]: unknown rule "XYZ999"',
      'severity.PERF009: unknown rule "PERF009" (did you mean "PERF003"?)',
      'per_file_ignores["tests/**"][1]: "perf003" is not a rule ID, family (e.g. "PERF") or "ALL"',
    ]);
  });

  it('reports YAML syntax errors with their position', () => {
    const [problem] = problems(() => parseYamlConfig('review:\n  filter: [added\n', 'cfg.yml'));
    expect(problem).toMatch(/^line \d+, column \d+: /);
  });

  it('reads [tool.pipeline-architect] from pyproject.toml, and nothing when it is absent', () => {
    const text = '[project]\nname = "x"\n\n[tool.pipeline-architect]\nignore = ["PERF004"]\n\n[tool.pipeline-architect.check]\nfail_on = "warning"\n';
    const c = parsePyprojectConfig(text, 'pyproject.toml', { ruleIds });
    expect(c?.ignore).toEqual(['PERF004']);
    expect(c?.check.fail_on).toBe('warning');
    expect(parsePyprojectConfig('[project]\nname = "x"\n', 'pyproject.toml')).toBeUndefined();
    expect(problems(() => parsePyprojectConfig('[tool.pipeline-architect]\nreview = 3\n', 'pyproject.toml'))).toEqual([
      'review: expected object, got number 3',
    ]);
    expect(problems(() => parsePyprojectConfig('[tool\nx=1', 'pyproject.toml'))[0]).toMatch(/^line \d+, column \d+/);
  });
});

describe('rule selection', () => {
  const rule = (id: string, isDefault = true) => ({ id, default: isDefault, severity: 'warning' as const });

  it('matches IDs, families and ALL', () => {
    expect(selectorMatches('PERF', 'PERF003')).toBe(true);
    expect(selectorMatches('PERF00', 'PERF003')).toBe(true);
    expect(selectorMatches('PER', 'PERF003')).toBe(false);
    expect(selectorMatches('ALL', 'BRZ001')).toBe(true);
    expect(selectorMatches('BRZ001', 'BRZ0011')).toBe(false);
  });

  it('runs defaults, adds selected opt-in rules, and lets ignore win', () => {
    const base = defaultConfig();
    expect(isRuleEnabled(rule('BRZ001'), base)).toBe(true);
    expect(isRuleEnabled(rule('BRZ006', false), base)).toBe(false);
    expect(isRuleEnabled(rule('BRZ006', false), { ...base, select: ['BRZ'] })).toBe(true);
    expect(isRuleEnabled(rule('BRZ006', false), { ...base, select: ['ALL'], ignore: ['BRZ006'] })).toBe(false);
    expect(isRuleEnabled(rule('BRZ001'), { ...base, ignore: ['BRZ'] })).toBe(false);
  });

  it('applies per_file_ignores by glob', () => {
    const c = { ...defaultConfig(), per_file_ignores: { 'tests/**': ['ALL'], '*_scratch.py': ['PERF'] } };
    expect(isRuleEnabled(rule('BRZ001'), c, 'tests/unit/test_x.py')).toBe(false);
    expect(isRuleEnabled(rule('PERF003'), c, 'jobs/a_scratch.py')).toBe(false);
    expect(isRuleEnabled(rule('BRZ001'), c, 'jobs/a_scratch.py')).toBe(true);
    expect(isRuleEnabled(rule('BRZ001'), c, 'jobs/ingest.py')).toBe(true);
  });

  it('overrides severities', () => {
    expect(severityFor(rule('SLV001'), { ...defaultConfig(), severity: { SLV001: 'info' } })).toBe('info');
    expect(severityFor(rule('SLV001'), defaultConfig())).toBe('warning');
  });

  it('includes Python files and honours exclude and the built-in excludes', () => {
    const c = { ...defaultConfig(), exclude: ['scratch/**'] };
    expect(isPathIncluded('jobs/bronze/ingest.py', c)).toBe(true);
    expect(isPathIncluded('ingest.py', c)).toBe(true);
    expect(isPathIncluded('scratch/try.py', c)).toBe(false);
    expect(isPathIncluded('.venv/lib/site.py', c)).toBe(false);
    expect(isPathIncluded('src/node_modules/x.py', c)).toBe(false);
    expect(isPathIncluded('jobs/readme.md', c)).toBe(false);
  });
});

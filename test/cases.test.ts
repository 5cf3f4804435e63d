import { readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyze } from '../src/analyzers/analyze.js';
import { defaultConfig } from '../src/config/schema.js';

/**
 * Realistic projects in the styles of public pipeline code (Databricks notebooks, Glue, DLT, Airflow
 * jobs, frameworks, SQL notebooks), mostly correct, analyzed with their project paths since paths
 * are layer evidence. Same `# want:` / `# not:` headers.
 */
const REALISTIC = join(import.meta.dirname, 'fixtures', 'realistic');

/**
 * Small adversarial cases written during robustness and precision reviews, one directory per theme.
 * Each file states its expectations in its header: `# want: IDS` (must be reported somewhere in the
 * file) and `# not: IDS` (must not be). Files are analyzed under their own name, as a user would
 * run `pipeline-architect check <file>`.
 */
const ROOT = join(import.meta.dirname, 'fixtures', 'cases');

/**
 * Cases we know we still miss, with the rule IDs missed. They stay in the suite so that precision
 * (`not:`) is still checked on them, and so that fixing one fails here until this list is updated.
 */
const KNOWN_MISSES: Record<string, readonly string[]> = {
  'brz12b/b02_class.py': ['BRZ001', 'BRZ002'], // ingestion inside a class method reached only via self
  'brz12b/b05_fn_return_df.py': ['BRZ001', 'BRZ002'], // reader returned from a helper function
  'err005/b05_class_method_body.py': ['ERR005'],
  'err005/b06_exec_compile.py': ['ERR005'],
  'err005/b09_local_var_named_eval_in_other_function.py': ['ERR005'],
  'err005/b10_builtins_alias.py': ['ERR005'],
  'gld003/b04_withColumnRenamed.py': ['GLD003'], // indirect aliases
  'gld003/b06_selectexpr.py': ['GLD003'],
  'gld003/b08_alias_const.py': ['GLD003'],
  'gld003/b09_dict_aggs.py': ['GLD003'],
  'gld003/b14_sql_lower_cte.py': ['GLD003'],
  'inc002/b10_datetime_now.py': ['INC002'],
  'inc002/b11_current_date_sql.py': ['INC002'],
  'lyr001/b14_sql_args.py': ['LYR001'],
  'paths/p01_dataclass_neutral.py': ['BRZ004'], // paths held in dataclasses, class attributes, self
  'paths/p02_class_attr_level.py': ['BRZ004'],
  'paths/p06_percent_dict.py': ['BRZ004'],
  'paths/p08_self_neutral.py': ['BRZ004'],
  'paths/p15_widget.py': ['BRZ004'],
  'paths/p21_namedtuple.py': ['BRZ004'],
  'perf003/b12_unpersist_before.py': ['PERF003'],
  'perf005/b13_augmented_via_tmp.py': ['PERF005'],
  'slv002/b05_class.py': ['SLV002'],
  'slv003/b03_self_target.py': ['SLV003'],
  'slv003/b05_execute_attr_misspelled.py': ['SLV003'],
  'slv005/b13_reduce_union.py': ['SLV005'], // sources combined with reduce() or a loop of unions
  'slv005/b14_loop_union.py': ['SLV005'],
  'stress/s03_longline.py': ['SLV005'], // expression chains deeper than the interpreter follows
  'stress/s09_concat2000.py': ['BRZ004'],
  'stress/s10_union1000.py': ['SLV005'],
  'weird/w11_unclosed_paren_middle.py': ['SLV005'], // the statement with the syntax error is lost
};

function pythonFilesUnder(dir: string, prefix = ''): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? pythonFilesUnder(join(dir, entry.name), `${prefix}${entry.name}/`) : entry.name.endsWith('.py') ? [`${prefix}${entry.name}`] : [],
  );
}

function headerIds(source: string, key: 'want' | 'not'): string[] {
  const pattern = new RegExp(`#\\s*${key}:\\s*([A-Z0-9, ]+)`, 'g');
  return [...source.matchAll(pattern)].flatMap((m) =>
    m[1]!
      .split(',')
      .map((id) => id.trim())
      .filter(Boolean),
  );
}

const cases = readdirSync(ROOT, { withFileTypes: true })
  .filter((entry) => entry.isDirectory())
  .flatMap((dir) =>
    readdirSync(join(ROOT, dir.name))
      .filter((name) => name.endsWith('.py'))
      .map((name) => `${dir.name}/${name}`),
  )
  .sort();

describe('review cases', () => {
  it('has cases to check', () => {
    expect(cases.length).toBeGreaterThan(500);
  });

  it('lists only known misses that exist', () => {
    expect(Object.keys(KNOWN_MISSES).filter((path) => !cases.includes(path))).toEqual([]);
  });

  for (const path of cases) {
    it(path, () => {
      const bytes = readFileSync(join(ROOT, path));
      const source = bytes.toString('latin1'); // headers are ASCII; read them whatever the encoding
      const result = analyze([{ path: basename(path), content: new Uint8Array(bytes) }], defaultConfig());
      expect(result.errors).toEqual([]);
      const found = new Set(result.findings.map((f) => f.id));
      const missing = headerIds(source, 'want').filter((id) => !found.has(id));
      const noisy = headerIds(source, 'not').filter((id) => found.has(id));
      expect({ missing, noisy }).toEqual({ missing: KNOWN_MISSES[path] ?? [], noisy: [] });
    });
  }
});

describe('realistic projects', () => {
  const paths = pythonFilesUnder(REALISTIC).sort();
  const result = analyze(
    paths.map((path) => ({ path, content: readFileSync(join(REALISTIC, path)) })),
    defaultConfig(),
  );

  it('has projects to check, analyzed without errors', () => {
    expect(paths.length).toBeGreaterThanOrEqual(90);
    expect(result.errors).toEqual([]);
    expect(result.skipped).toEqual([]);
  });

  for (const path of paths) {
    it(path, () => {
      const source = readFileSync(join(REALISTIC, path), 'utf8');
      const found = new Set(result.findings.filter((f) => f.path === path).map((f) => f.id));
      const missing = headerIds(source, 'want').filter((id) => !found.has(id));
      const noisy = headerIds(source, 'not').filter((id) => found.has(id));
      expect({ missing, noisy }).toEqual({ missing: [], noisy: [] });
    });
  }
});

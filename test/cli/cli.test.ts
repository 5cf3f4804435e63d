import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..', '..');
const CLI = join(ROOT, 'src', 'cli.ts');
const TSX = join(ROOT, 'node_modules', 'tsx', 'dist', 'cli.mjs');

function run(args: string[], cwd: string, env: Record<string, string> = {}) {
  const r = spawnSync(process.execPath, [TSX, CLI, ...args], { cwd, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1', ...env } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const BRONZE_OVERWRITE = 'raw = spark.read.parquet("/mnt/landing/c/")\nraw.write.mode("overwrite").save("/mnt/bronze/c")\n';
const SILVER_COUNT = 'df = spark.read.table("silver.orders")\nif df.count() == 0:\n    print("empty")\n';

function git(cwd: string, ...args: string[]): void {
  execFileSync('git', args, { cwd, stdio: 'ignore', env: { ...process.env, GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@t', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@t' } });
}

describe('pipeline-architect CLI', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'pa-cli-'));
    mkdirSync(join(dir, 'jobs'));
    mkdirSync(join(dir, '.venv', 'lib'), { recursive: true });
    writeFileSync(join(dir, 'jobs', 'bronze.py'), BRONZE_OVERWRITE);
    writeFileSync(join(dir, 'jobs', 'silver.py'), SILVER_COUNT);
    writeFileSync(join(dir, 'jobs', 'notes.txt'), BRONZE_OVERWRITE);
    writeFileSync(join(dir, '.venv', 'lib', 'vendored.py'), BRONZE_OVERWRITE);
  });

  it('prints ruff-style findings and exits 1 on a critical finding', () => {
    const r = run(['check'], dir);
    expect(r.stdout).toContain('jobs/bronze.py:2:11: BRZ004 [critical]');
    expect(r.stdout).toContain('jobs/silver.py:2:4: PERF004 [info]');
    expect(r.stdout).not.toContain('.venv');
    expect(r.stdout).toMatch(/Found \d+ findings: 1 critical, \d+ warning, 1 info\./);
    expect(r.code).toBe(1);
  });

  it('exits 0 when nothing reaches --fail-on, and 1 when it does', () => {
    expect(run(['check', 'jobs/silver.py'], dir).code).toBe(0);
    expect(run(['check', 'jobs/silver.py', '--fail-on', 'info'], dir).code).toBe(1);
    expect(run(['check', '--fail-on', 'never'], dir).code).toBe(0);
  });

  it('writes the documented JSON', () => {
    const r = run(['check', '--format', 'json', 'jobs'], dir);
    const out = JSON.parse(r.stdout) as { findings: { id: string; path: string; docsUrl: string }[]; skipped: unknown[] };
    expect(out.findings.find((f) => f.id === 'BRZ004')).toMatchObject({ path: 'jobs/bronze.py', docsUrl: expect.stringContaining('docs/rules/BRZ004.md') });
    expect(out.skipped).toEqual([]);
  });

  it('writes SARIF and GitHub annotations', () => {
    const sarif = JSON.parse(run(['check', '--format', 'sarif'], dir).stdout) as { version: string; runs: { results: unknown[] }[] };
    expect(sarif.version).toBe('2.1.0');
    expect(sarif.runs[0]!.results.length).toBeGreaterThan(0);
    expect(run(['check', '--format', 'github'], dir).stdout).toContain('::error file=jobs/bronze.py,line=2,col=11');
  });

  it('honours --select and --ignore', () => {
    expect(run(['check', '--ignore', 'BRZ004,BRZ001,BRZ002'], dir).stdout).not.toContain('BRZ004');
    expect(run(['check', '--ignore', 'BRZ'], dir).code).toBe(0);
  });

  it('exits 2 with a clear message on usage and config errors', () => {
    const badOption = run(['check', '--format', 'xml'], dir);
    expect(badOption.code).toBe(2);
    expect(badOption.stderr).toContain("argument 'xml' is invalid");
    const badRule = run(['check', '--select', 'BRZ01'], dir);
    expect(badRule.code).toBe(2);
    expect(badRule.stderr).toContain('unknown rule "BRZ01" (did you mean "BRZ001"?)');
    const missing = run(['check', 'nope/'], dir);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('path not found: nope/');
    const cfgDir = mkdtempSync(join(tmpdir(), 'pa-cfg-'));
    mkdirSync(join(cfgDir, '.github'));
    writeFileSync(join(cfgDir, '.github', 'pipeline-architect.yml'), 'review:\n  max_comments: many\n');
    const badConfig = run(['check'], cfgDir);
    expect(badConfig.code).toBe(2);
    expect(badConfig.stderr).toContain('review.max_comments: expected number, got string "many"');
  });

  it('reads .github/pipeline-architect.yml and pyproject.toml', () => {
    const yml = mkdtempSync(join(tmpdir(), 'pa-yml-'));
    mkdirSync(join(yml, '.github'));
    writeFileSync(join(yml, '.github', 'pipeline-architect.yml'), 'ignore: [BRZ004]\n');
    writeFileSync(join(yml, 'job.py'), BRONZE_OVERWRITE);
    expect(run(['check'], yml).stdout).not.toContain('BRZ004');
    const toml = mkdtempSync(join(tmpdir(), 'pa-toml-'));
    writeFileSync(join(toml, 'pyproject.toml'), '[tool.pipeline-architect]\nignore = ["BRZ004"]\n[tool.pipeline-architect.check]\nfail_on = "warning"\n');
    writeFileSync(join(toml, 'job.py'), BRONZE_OVERWRITE);
    const r = run(['check'], toml);
    expect(r.stdout).not.toContain('BRZ004');
    expect(r.code).toBe(1); // BRZ001/BRZ002 warnings now fail the run
    expect(run(['check', '--config', join(yml, '.github', 'pipeline-architect.yml')], toml).stdout).not.toContain('BRZ004');
  });

  it('lists rules and explains one', () => {
    const rules = run(['rules'], dir);
    expect(rules.stdout).toMatch(/^BRZ001\s+bronze-missing-ingestion-timestamp\s+warning\s+on/m);
    const json = JSON.parse(run(['rules', '--format', 'json'], dir).stdout) as { id: string }[];
    expect(json.map((r) => r.id)).toContain('STR001');
    const explain = run(['explain', 'stream-missing-checkpoint'], dir);
    expect(explain.stdout).toContain('# STR001: stream-missing-checkpoint');
    expect(run(['explain', 'NOPE'], dir).code).toBe(2);
    expect(run(['--version'], dir).stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
  });

  it('reports only findings on changed lines with --diff', () => {
    const repo = mkdtempSync(join(tmpdir(), 'pa-git-'));
    git(repo, 'init', '-q', '-b', 'main');
    writeFileSync(join(repo, 'old.py'), BRONZE_OVERWRITE);
    git(repo, 'add', '.');
    git(repo, 'commit', '-qm', 'base');
    // Unchanged file: its finding is not in the diff. New untracked file: all lines count.
    writeFileSync(join(repo, 'new.py'), BRONZE_OVERWRITE);
    let r = run(['check', '--diff'], repo);
    expect(r.stdout).toContain('new.py:2:11: BRZ004');
    expect(r.stdout).not.toContain('old.py');
    // A commit range: only what changed between the two revisions.
    git(repo, 'add', '.');
    git(repo, 'commit', '-qm', 'add new');
    writeFileSync(join(repo, 'old.py'), `${BRONZE_OVERWRITE}x = 1\n`);
    git(repo, 'commit', '-qam', 'touch old');
    r = run(['check', '--diff', 'HEAD~2..HEAD~1'], repo);
    expect(r.stdout).toContain('new.py:2:11: BRZ004');
    expect(r.stdout).not.toContain('old.py');
    r = run(['check', '--diff', 'HEAD~1...HEAD'], repo);
    expect(r.stdout).not.toContain('BRZ004'); // only `x = 1` was added to old.py
    expect(r.code).toBe(0);
    // include/exclude and the built-in excludes apply to changed files too, unless a file is named.
    mkdirSync(join(repo, '.github'));
    writeFileSync(join(repo, '.github', 'pipeline-architect.yml'), 'exclude: ["scratch/**"]\n');
    for (const dir of ['scratch', 'build', 'jobs']) {
      mkdirSync(join(repo, dir));
      writeFileSync(join(repo, dir, 'job.py'), BRONZE_OVERWRITE);
    }
    r = run(['check', '--diff'], repo);
    expect(r.stdout).toContain('jobs/job.py:2:11: BRZ004');
    expect(r.stdout).not.toContain('scratch/');
    expect(r.stdout).not.toContain('build/');
    expect(run(['check', '--diff', 'HEAD', 'scratch/job.py'], repo).stdout).toContain('scratch/job.py:2:11: BRZ004');
    const notRepo = run(['check', '--diff'], mkdtempSync(join(tmpdir(), 'pa-nogit-')));
    expect(notRepo.code).toBe(2);
    expect(notRepo.stderr).toContain('git');
  });
});

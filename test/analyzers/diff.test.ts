import { describe, expect, it } from 'vitest';
import { filterFindings, isInChange, parsePatch, parseUnifiedDiff, wholeFileAdded } from '../../src/analyzers/diff.js';

// A GitHub `patch` field: hunks only, no file headers.
const PATCH = [
  '@@ -1,4 +1,5 @@',
  ' import dlt',
  '-x = 1',
  '+x = 2',
  '+y = 3',
  ' ',
  ' def f():',
  '@@ -20,3 +21,4 @@ def g():',
  '     a = 1',
  '+    b = 2',
  '     c = 3',
  '\\ No newline at end of file',
].join('\n');

describe('parsePatch', () => {
  it('maps added and visible new-side lines, and hunks', () => {
    const lines = parsePatch(PATCH);
    expect([...lines.added]).toEqual([2, 3, 22]);
    expect([...lines.visible].sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 21, 22, 23]);
    expect(lines.hunks).toEqual([
      { start: 1, end: 5 },
      { start: 21, end: 23 },
    ]);
  });

  it('treats a whole new file as added', () => {
    const lines = parsePatch('@@ -0,0 +1,2 @@\n+a\n+b');
    expect([...lines.added]).toEqual([1, 2]);
    expect([...wholeFileAdded(2).added]).toEqual([1, 2]);
  });

  it('has no lines for an empty patch', () => {
    expect(parsePatch('').visible.size).toBe(0);
  });
});

describe('parseUnifiedDiff', () => {
  const diff = [
    'diff --git a/jobs/a.py b/jobs/a.py',
    'index 111..222 100644',
    '--- a/jobs/a.py',
    '+++ b/jobs/a.py',
    '@@ -1 +1,2 @@',
    ' x = 1',
    '+y = 2',
    'diff --git a/old.py b/new.py',
    'similarity index 90%',
    'rename from old.py',
    'rename to new.py',
    '--- a/old.py',
    '+++ b/new.py',
    '@@ -3 +3 @@',
    '-a',
    '+b',
    'diff --git a/gone.py b/gone.py',
    'deleted file mode 100644',
    '--- a/gone.py',
    '+++ /dev/null',
    '@@ -1 +0,0 @@',
    '-bye',
    'diff --git a/fresh.py b/fresh.py',
    'new file mode 100644',
    '--- /dev/null',
    '+++ b/fresh.py',
    '@@ -0,0 +1 @@',
    '+hello',
    'diff --git "a/caf\\303\\251.py" "b/caf\\303\\251.py"',
    '--- "a/caf\\303\\251.py"',
    '+++ "b/caf\\303\\251.py"',
    '@@ -1 +1 @@',
    '-a',
    '+b',
    'diff --git a/data.py b/data.py',
    'Binary files a/data.py and b/data.py differ',
    '',
  ].join('\n');

  it('reads paths, statuses and lines of every file', () => {
    const files = parseUnifiedDiff(diff);
    expect(files.map((f) => [f.path, f.status, f.oldPath, f.binary, [...f.lines.added]])).toEqual([
      ['jobs/a.py', 'modified', undefined, false, [2]],
      ['new.py', 'renamed', 'old.py', false, [3]],
      ['gone.py', 'removed', undefined, false, []],
      ['fresh.py', 'added', undefined, false, [1]],
      ['café.py', 'modified', undefined, false, [1]],
      ['data.py', 'modified', undefined, true, []],
    ]);
  });
});

describe('filtering findings to the change', () => {
  const lines = parsePatch(PATCH);
  const finding = (line: number, endLine = line) => ({ path: 'a.py', line, endLine });

  it('keeps findings touching added lines by default', () => {
    expect(isInChange(finding(3), lines, 'added')).toBe(true);
    expect(isInChange(finding(4), lines, 'added')).toBe(false);
    expect(isInChange(finding(20, 22), lines, 'added')).toBe(true);
  });

  it('keeps context lines with diff_context, anything with file', () => {
    expect(isInChange(finding(4), lines, 'diff_context')).toBe(true);
    expect(isInChange(finding(10), lines, 'diff_context')).toBe(false);
    expect(isInChange(finding(10), lines, 'file')).toBe(true);
  });

  it('drops findings in unchanged files, and keeps only file mode when a patch is missing', () => {
    const changed = new Map([
      ['a.py', lines],
      ['huge.py', undefined],
    ]);
    const all = [finding(3), { path: 'b.py', line: 3, endLine: 3 }, { path: 'huge.py', line: 1, endLine: 1 }];
    expect(filterFindings(all, changed, 'added').map((f) => f.path)).toEqual(['a.py']);
    expect(filterFindings(all, changed, 'file').map((f) => f.path)).toEqual(['a.py', 'huge.py']);
  });
});

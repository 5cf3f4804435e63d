import { execFileSync } from 'node:child_process';
import { parseUnifiedDiff, type DiffFile } from '../analyzers/diff.js';

export class GitError extends Error {}

function git(cwd: string, args: readonly string[]): Buffer {
  try {
    return execFileSync('git', args, { cwd, maxBuffer: 512 * 1024 * 1024, stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (error) {
    const e = error as { stderr?: Buffer; message: string; code?: string };
    if (e.code === 'ENOENT') throw new GitError('git is not installed or not on PATH');
    const detail = e.stderr?.toString().trim().split('\n')[0] ?? e.message;
    throw new GitError(`git ${args.join(' ')}: ${detail}`);
  }
}

export function repositoryRoot(cwd: string): string {
  return git(cwd, ['rev-parse', '--show-toplevel']).toString().trim();
}

export interface DiffRange {
  /** The revision compared against. */
  readonly base: string;
  /** The revision reviewed; undefined means the working tree. */
  readonly head: string | undefined;
}

/**
 * `--diff` (no value): uncommitted changes against HEAD. `--diff BASE`: the working tree against
 * BASE. `--diff BASE..HEAD`: two revisions. `--diff BASE...HEAD`: HEAD against the merge base,
 * which is what a pull request shows.
 */
export function parseRange(value: string | true): DiffRange & { readonly mergeBase: boolean } {
  if (value === true || value === '') return { base: 'HEAD', head: undefined, mergeBase: false };
  const three = value.split('...');
  if (three.length === 2) return { base: three[0] || 'HEAD', head: three[1] || 'HEAD', mergeBase: true };
  const two = value.split('..');
  if (two.length === 2) return { base: two[0] || 'HEAD', head: two[1] || 'HEAD', mergeBase: false };
  return { base: value, head: undefined, mergeBase: false };
}

export interface ChangedFiles {
  readonly files: DiffFile[];
  /** New files nobody has `git add`ed yet (working-tree diffs only): every line is added. */
  readonly untracked: string[];
}

export function changedFiles(root: string, range: DiffRange & { readonly mergeBase: boolean }): ChangedFiles {
  let base = range.base;
  if (range.mergeBase) base = git(root, ['merge-base', range.base, range.head ?? 'HEAD']).toString().trim();
  const args = ['diff', '--no-color', '--no-ext-diff', '--unified=3', '--find-renames', base];
  if (range.head) args.push(range.head);
  args.push('--', '*.py');
  const files = parseUnifiedDiff(git(root, args).toString('utf8'));
  const untracked = range.head
    ? []
    : git(root, ['ls-files', '--others', '--exclude-standard', '--', '*.py']).toString('utf8').split('\n').filter(Boolean);
  return { files, untracked };
}

/** File content at a revision (`git show REV:path`). */
export function showFile(root: string, rev: string, path: string): Buffer {
  return git(root, ['show', `${rev}:${path}`]);
}

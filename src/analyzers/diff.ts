import type { ReviewFilter } from '../config/schema.js';
import type { Finding } from './types.js';

/**
 * Which lines of a file a unified diff shows. The App (GitHub's per-file `patch`) and the CLI's
 * `--diff` (`git diff` output) both reduce to this, and both filter findings with it.
 */
export interface PatchLines {
  /** New-side lines the change adds. */
  readonly added: ReadonlySet<number>;
  /** New-side lines visible in the diff: added lines and context lines (GitHub's RIGHT side). */
  readonly visible: ReadonlySet<number>;
  /** Hunks as new-side line ranges, for multi-line review comments that must stay in one hunk. */
  readonly hunks: readonly { readonly start: number; readonly end: number }[];
}

const HUNK_HEADER = /^@@ -\d+(?:,\d+)? \+(\d+)(?:,(\d+))? @@/;

/** Parses the hunks of one file's patch (GitHub's `patch` field, or a `git diff` file section). */
export function parsePatch(patch: string): PatchLines {
  const added = new Set<number>();
  const visible = new Set<number>();
  const hunks: { start: number; end: number }[] = [];
  let line = 0;
  let inHunk = false;
  let hunkStart = 0;
  const closeHunk = (): void => {
    if (inHunk && line > hunkStart) hunks.push({ start: hunkStart, end: line - 1 });
  };
  for (const raw of patch.split('\n')) {
    const header = HUNK_HEADER.exec(raw);
    if (header) {
      closeHunk();
      line = Number(header[1]);
      hunkStart = line;
      inHunk = true;
      continue;
    }
    if (!inHunk) continue;
    const marker = raw[0];
    if (marker === '+') {
      added.add(line);
      visible.add(line);
      line++;
    } else if (marker === ' ' || (marker === undefined && raw === '')) {
      // An empty line inside a hunk is a context line whose single space was stripped.
      visible.add(line);
      line++;
    } else if (marker === '-' || marker === '\\') {
      // Deleted lines and "\ No newline at end of file" do not advance the new side.
    } else {
      closeHunk();
      inHunk = false;
    }
  }
  closeHunk();
  return { added, visible, hunks };
}

/** A file that is new in full (untracked, or added without a patch): every line is added. */
export function wholeFileAdded(lineCount: number): PatchLines {
  const all = new Set<number>();
  for (let l = 1; l <= lineCount; l++) all.add(l);
  return { added: all, visible: all, hunks: lineCount > 0 ? [{ start: 1, end: lineCount }] : [] };
}

export type FileStatus = 'added' | 'modified' | 'renamed' | 'removed' | 'copied' | 'changed' | 'unchanged';

export interface DiffFile {
  readonly path: string;
  readonly oldPath: string | undefined;
  readonly status: FileStatus;
  readonly binary: boolean;
  readonly lines: PatchLines;
}

function unquoteGitPath(p: string): string {
  if (!p.startsWith('"')) return p;
  // git quotes paths with unusual characters C-style; octal escapes are UTF-8 bytes.
  const bytes: number[] = [];
  const body = p.slice(1, -1);
  for (let i = 0; i < body.length; i++) {
    const ch = body[i]!;
    if (ch !== '\\') {
      bytes.push(...Buffer.from(ch, 'utf8'));
      continue;
    }
    const next = body[++i]!;
    if (/[0-7]/.test(next)) {
      bytes.push(Number.parseInt(body.slice(i, i + 3), 8));
      i += 2;
    } else {
      bytes.push(({ n: 10, t: 9, '"': 34, '\\': 92 } as Record<string, number>)[next] ?? next.charCodeAt(0));
    }
  }
  return Buffer.from(bytes).toString('utf8');
}

function stripPrefix(p: string): string {
  const unquoted = unquoteGitPath(p.trim());
  return unquoted.replace(/^[ab]\//, '');
}

/** Parses full `git diff` output (with `diff --git` headers) into files. */
export function parseUnifiedDiff(diff: string): DiffFile[] {
  const files: DiffFile[] = [];
  const sections = diff.split(/^(?=diff --git )/m).filter((s) => s.startsWith('diff --git '));
  for (const section of sections) {
    const headerEnd = section.search(/^@@ /m);
    const header = headerEnd === -1 ? section : section.slice(0, headerEnd);
    let oldPath: string | undefined;
    let newPath: string | undefined;
    let status: FileStatus = 'modified';
    for (const line of header.split('\n')) {
      if (line.startsWith('--- ')) {
        const p = line.slice(4);
        if (p !== '/dev/null') oldPath = stripPrefix(p);
      } else if (line.startsWith('+++ ')) {
        const p = line.slice(4);
        if (p === '/dev/null') status = 'removed';
        else newPath = stripPrefix(p);
      } else if (line.startsWith('rename from ')) {
        oldPath = unquoteGitPath(line.slice('rename from '.length));
        status = 'renamed';
      } else if (line.startsWith('rename to ')) {
        newPath = unquoteGitPath(line.slice('rename to '.length));
      } else if (line.startsWith('new file mode')) {
        status = 'added';
      } else if (line.startsWith('deleted file mode')) {
        status = 'removed';
      }
    }
    if (!newPath || !oldPath) {
      // No ---/+++ lines (binary, pure rename, mode change): take the paths from `diff --git a/x b/y`.
      const m = /^diff --git (?:"?a\/)(.+?)"? (?:"?b\/)(.+?)"?$/m.exec(header);
      if (m) {
        oldPath ??= m[1];
        newPath ??= status === 'removed' ? undefined : m[2];
      }
    }
    const path = newPath ?? oldPath;
    if (!path) continue;
    files.push({
      path,
      oldPath: status === 'renamed' ? oldPath : undefined,
      status,
      binary: /^Binary files /m.test(header),
      lines: parsePatch(headerEnd === -1 ? '' : section.slice(headerEnd)),
    });
  }
  return files;
}

/**
 * Whether a finding belongs in a review of this change. `added`: it touches an added line;
 * `diff_context`: it touches a line shown in the diff; `file`: it is anywhere in a changed file.
 * `lines` undefined means the diff of the file is not available (GitHub omits very large
 * patches): only `file` mode keeps its findings.
 */
export function isInChange(finding: Pick<Finding, 'line' | 'endLine'>, lines: PatchLines | undefined, mode: ReviewFilter): boolean {
  if (mode === 'file') return true;
  if (!lines) return false;
  const set = mode === 'added' ? lines.added : lines.visible;
  for (let l = finding.line; l <= finding.endLine; l++) if (set.has(l)) return true;
  return false;
}

export function filterFindings<T extends Pick<Finding, 'path' | 'line' | 'endLine'>>(
  findings: readonly T[],
  changed: ReadonlyMap<string, PatchLines | undefined>,
  mode: ReviewFilter,
): T[] {
  return findings.filter((f) => changed.has(f.path) && isInChange(f, changed.get(f.path), mode));
}

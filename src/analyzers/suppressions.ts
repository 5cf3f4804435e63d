import type { LineIndex } from './positions.js';
import type { Comment } from './syntax.js';

/**
 * `# noqa` (all rules on the line), `# noqa: BRZ001, SLV002` (those rules), and anywhere in the
 * file `# pipeline-architect: disable=BRZ001,MON001` (those rules in the whole file).
 * Only real comments count: the syntax tree tells them apart from `#` inside strings.
 */
export interface Suppressions {
  /** Rules disabled for the whole file; `ALL` possible. */
  readonly fileDisabled: ReadonlySet<string>;
  isSuppressed(ruleId: string, line: number, endLine: number): boolean;
}

const NOQA = /#\s*noqa(?::\s*([A-Z]+[0-9]+(?:\s*,\s*[A-Z]+[0-9]+)*))?(?![:\w])/i;
const FILE_DISABLE = /#\s*pipeline-architect:\s*disable\s*=\s*([A-Za-z0-9_,\s]+)/;

export function parseSuppressions(comments: readonly Comment[], lines: LineIndex): Suppressions {
  const byLine = new Map<number, Set<string> | 'all'>();
  const fileDisabled = new Set<string>();
  for (const comment of comments) {
    const disable = FILE_DISABLE.exec(comment.text);
    if (disable) {
      for (const id of disable[1]!.split(',')) if (id.trim()) fileDisabled.add(id.trim().toUpperCase());
      continue;
    }
    const noqa = NOQA.exec(comment.text);
    if (!noqa) continue;
    const line = lines.line(comment.start);
    if (!noqa[1]) {
      byLine.set(line, 'all');
      continue;
    }
    const existing = byLine.get(line);
    if (existing === 'all') continue;
    const ids = existing ?? new Set<string>();
    for (const id of noqa[1].split(',')) ids.add(id.trim().toUpperCase());
    byLine.set(line, ids);
  }
  const suppressedOn = (ruleId: string, line: number): boolean => {
    const entry = byLine.get(line);
    return entry === 'all' || (entry !== undefined && entry.has(ruleId));
  };
  return {
    fileDisabled,
    // A finding spanning lines can be silenced on its first or its last line (where a
    // multi-line call ends).
    isSuppressed: (ruleId, line, endLine) =>
      fileDisabled.has('ALL') || fileDisabled.has(ruleId) || suppressedOn(ruleId, line) || suppressedOn(ruleId, endLine),
  };
}

import type { PatchLines } from '../analyzers/diff.js';
import type { Finding, Severity } from '../analyzers/types.js';
import { fingerprintComment } from './fingerprint.js';
import { codeBlock, codeSpan, messageMarkdown } from './markdown.js';
import { SEVERITY_ORDER, countBySeverity } from './summary.js';

/** What review comments need to know of a rule. */
export interface RuleText {
  readonly id: string;
  readonly name: string;
  readonly docs: { readonly impact: string; readonly fix: string };
}

/** A line-anchored review comment, in the shape `POST /pulls/{n}/reviews` takes. */
export interface ReviewComment {
  readonly path: string;
  readonly line: number;
  readonly side: 'RIGHT';
  readonly start_line?: number;
  readonly start_side?: 'RIGHT';
  readonly body: string;
}

export interface PlannedComment {
  readonly finding: Finding;
  readonly fingerprint: string;
  readonly comment: ReviewComment;
}

export interface ReviewPlan {
  /** New comments to post, at most `maxComments`. */
  readonly comments: PlannedComment[];
  /** Findings whose lines are not in the diff: annotations only. */
  readonly outsideDiff: Finding[];
  /** Findings beyond `maxComments`: annotations and the check run summary. */
  readonly overLimit: Finding[];
  /** Findings an earlier run already commented on. */
  readonly alreadyCommented: Finding[];
}

const RANK: Record<Severity, number> = { critical: 0, warning: 1, info: 2 };

export function byImportance(a: Finding, b: Finding): number {
  return RANK[a.severity] - RANK[b.severity] || a.path.localeCompare(b.path) || a.line - b.line || a.id.localeCompare(b.id);
}

function hunkOf(lines: PatchLines, line: number): { start: number; end: number } | undefined {
  return lines.hunks.find((h) => h.start <= line && line <= h.end);
}

/**
 * Where a comment can go. GitHub rejects the whole review if one comment's line (or its
 * start_line) is outside a diff hunk on that side, so every anchor is checked here. A fix becomes
 * a suggestion only when all the lines it replaces are shown in one hunk.
 */
export function anchorFor(finding: Finding, lines: PatchLines | undefined): { line: number; startLine?: number; suggestion?: string } | undefined {
  if (!lines) return undefined;
  const fix = finding.fix;
  if (fix) {
    const hunk = hunkOf(lines, fix.startLine);
    let allVisible = hunk !== undefined && fix.endLine <= hunk.end;
    for (let l = fix.startLine; allVisible && l <= fix.endLine; l++) allVisible = lines.visible.has(l);
    if (allVisible) {
      return fix.startLine < fix.endLine
        ? { line: fix.endLine, startLine: fix.startLine, suggestion: fix.replacement }
        : { line: fix.endLine, suggestion: fix.replacement };
    }
  }
  for (const set of [lines.added, lines.visible]) {
    for (let l = finding.line; l <= finding.endLine; l++) if (set.has(l)) return { line: l };
  }
  return undefined;
}

export function commentBody(finding: Finding, rule: RuleText | undefined, fingerprint: string, suggestion: string | undefined): string {
  const parts = [
    `**${finding.id} · ${finding.name}** · ${finding.severity}`,
    '',
    `**Issue:** ${messageMarkdown(finding.message)}`,
  ];
  if (rule) parts.push(`**Impact:** ${rule.docs.impact}`, `**Fix:** ${rule.docs.fix}`);
  if (suggestion !== undefined) parts.push('', codeBlock('suggestion', suggestion));
  parts.push('', `[${finding.id} documentation](${finding.docsUrl}) · silence this line with ${codeSpan(`# noqa: ${finding.id}`)}`, '', fingerprintComment(fingerprint));
  return parts.join('\n');
}

/**
 * Chooses the comments of one review: findings on the change, most severe first, that can be
 * anchored in the diff and were not commented on by an earlier run, up to `maxComments`.
 */
export function planReview(
  findings: readonly Finding[],
  patches: ReadonlyMap<string, PatchLines | undefined>,
  fingerprintOf: ReadonlyMap<Finding, string>,
  alreadyPosted: ReadonlySet<string>,
  maxComments: number,
  ruleText: (id: string) => RuleText | undefined,
): ReviewPlan {
  const plan: ReviewPlan = { comments: [], outsideDiff: [], overLimit: [], alreadyCommented: [] };
  for (const finding of [...findings].sort(byImportance)) {
    const fingerprint = fingerprintOf.get(finding)!;
    if (alreadyPosted.has(fingerprint)) {
      plan.alreadyCommented.push(finding);
      continue;
    }
    const anchor = anchorFor(finding, patches.get(finding.path));
    if (!anchor) {
      plan.outsideDiff.push(finding);
      continue;
    }
    if (plan.comments.length >= maxComments) {
      plan.overLimit.push(finding);
      continue;
    }
    const comment: ReviewComment = {
      path: finding.path,
      line: anchor.line,
      side: 'RIGHT',
      ...(anchor.startLine !== undefined ? { start_line: anchor.startLine, start_side: 'RIGHT' as const } : {}),
      body: commentBody(finding, ruleText(finding.id), fingerprint, anchor.suggestion),
    };
    plan.comments.push({ finding, fingerprint, comment });
  }
  return plan;
}

/** The review's own body: counts, and what did not become an inline comment. */
export function reviewBody(plan: ReviewPlan, leftOut: readonly { readonly finding: Finding; readonly reason: string }[]): string {
  const posted = plan.comments.length - leftOut.length;
  const counts = countBySeverity(plan.comments.map((c) => c.finding));
  const breakdown = SEVERITY_ORDER.filter((s) => counts[s] > 0)
    .map((s) => `${counts[s]} ${s}`)
    .join(', ');
  const lines = [`**Pipeline Architect** found ${posted} new issue${posted === 1 ? '' : 's'} in this change${breakdown ? ` (${breakdown})` : ''}. The check run lists every finding.`];
  if (plan.overLimit.length > 0) lines.push('', `${plan.overLimit.length} more finding${plan.overLimit.length === 1 ? ' is' : 's are'} over the comment limit (\`review.max_comments\`) and listed in the check run only.`);
  if (leftOut.length > 0) {
    lines.push('', 'GitHub did not accept these comments; they are in the check run instead:');
    for (const { finding, reason } of leftOut) lines.push(`- ${finding.path}:${finding.line} ${finding.id}: ${messageMarkdown(reason)}`);
  }
  return lines.join('\n');
}

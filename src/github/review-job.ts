import type { Logger } from 'probot';
import PQueue from 'p-queue';
import { filterFindings, parsePatch, type PatchLines } from '../analyzers/diff.js';
import type { AnalyzeResult, Finding, Severity, SourceFile } from '../analyzers/types.js';
import { CONFIG_PATHS, ConfigError, parseYamlConfig } from '../config/load.js';
import { defaultConfig, type Config } from '../config/schema.js';
import { isPathIncluded } from '../config/select.js';
import { annotations, checkRunOutput, type CheckOutput, type Conclusion } from '../formatters/check-run.js';
import { fingerprints } from '../formatters/fingerprint.js';
import { planReview, reviewBody, type PlannedComment, type RuleText } from '../formatters/review.js';
import type { Analyzer } from '../queue/analyzer.js';
import type { Ticket } from '../queue/review-queue.js';
import {
  completeCheckRun,
  createReview,
  createReviewComment,
  getBlob,
  getTextFile,
  listOwnReviewComments,
  listPullFiles,
  resolveThreadsExcept,
  statusOf,
  type Octokit,
  type Repo,
} from './api.js';

export interface ReviewRequest {
  readonly repo: Repo;
  readonly pullNumber: number;
  readonly headSha: string;
  readonly baseRef: string;
  readonly draft: boolean;
  /** `https://github.com/owner/repo` (or the Enterprise Server equivalent), for links. */
  readonly htmlUrl: string;
}

export interface ReviewDependencies {
  readonly analyzer: Analyzer;
  readonly ruleIds: readonly string[];
  readonly ruleText: (id: string) => RuleText | undefined;
}

const REVIEWED_STATUSES = new Set(['added', 'modified', 'renamed', 'copied', 'changed']);
const RANK: Record<Severity, number> = { info: 0, warning: 1, critical: 2 };
const BLOB_CONCURRENCY = 8;

type ConfigOutcome = { readonly ok: true; readonly config: Config; readonly source: string | undefined } | { readonly ok: false; readonly error: ConfigError };

/** The configuration on the base branch: a pull request cannot switch off the checks that gate it. */
async function loadConfig(octokit: Octokit, req: ReviewRequest, deps: ReviewDependencies): Promise<ConfigOutcome> {
  for (const path of CONFIG_PATHS) {
    const text = await getTextFile(octokit, req.repo, path, req.baseRef);
    if (text === undefined) continue;
    try {
      return { ok: true, config: parseYamlConfig(text, path, { ruleIds: deps.ruleIds }), source: path };
    } catch (error) {
      if (error instanceof ConfigError) return { ok: false, error };
      throw error;
    }
  }
  return { ok: true, config: defaultConfig(), source: undefined };
}

function short(sha: string): string {
  return sha.slice(0, 7);
}

class Superseded extends Error {}

/**
 * One review of one head commit: read the config and the changed Python files, analyze, post
 * the new comments in one review, resolve threads whose finding is gone, and complete the check
 * run. Stops without publishing when a newer head of the pull request has been queued, and
 * never leaves the check run in progress.
 */
export async function runReview(
  octokit: Octokit,
  log: Logger,
  req: ReviewRequest,
  checkRunId: number,
  ticket: Ticket,
  deps: ReviewDependencies,
): Promise<void> {
  const started = Date.now();
  const complete = (conclusion: Conclusion, output: CheckOutput, notes: readonly Finding[] = []): Promise<void> =>
    completeCheckRun(octokit, req.repo, checkRunId, conclusion, output, annotations(notes));
  const stopIfSuperseded = (): void => {
    if (!ticket.isCurrent()) throw new Superseded();
  };
  try {
    stopIfSuperseded();
    const loaded = await loadConfig(octokit, req, deps);
    if (!loaded.ok) {
      log.info({ durationMs: Date.now() - started, problems: loaded.error.problems, conclusion: 'failure' }, 'review skipped: invalid configuration');
      await complete('failure', {
        title: `Invalid configuration in ${loaded.error.source}`,
        summary: [
          `The configuration on the base branch (\`${req.baseRef}\`) has errors, so this commit was not reviewed:`,
          '',
          ...loaded.error.problems.map((p) => `- \`${loaded.error.source}\`: ${p.replace(/`/g, "'")}`),
          '',
          'Fix the file on the base branch, then push again or comment `/recheck`.',
        ].join('\n'),
      });
      return;
    }
    const { config } = loaded;
    if (req.draft && !config.review.drafts) {
      log.info({ durationMs: Date.now() - started, conclusion: 'neutral' }, 'review skipped: draft');
      await complete('neutral', {
        title: 'Draft pull request: not reviewed',
        summary: 'Draft pull requests are not reviewed. Mark it ready for review, comment `/recheck`, or set `review.drafts: true` in `.github/pipeline-architect.yml` on the base branch.',
      });
      return;
    }

    const pullFiles = await listPullFiles(octokit, req.repo, req.pullNumber);
    const python = pullFiles.filter((f) => f.filename.endsWith('.py') && REVIEWED_STATUSES.has(f.status) && isPathIncluded(f.filename, config));
    if (python.length === 0) {
      log.info({ durationMs: Date.now() - started, files: 0, changedFiles: pullFiles.length, conclusion: 'success' }, 'review skipped: no Python files in scope');
      await complete('success', {
        title: 'No Python files to review',
        summary: `This pull request changes ${pullFiles.length} file${pullFiles.length === 1 ? '' : 's'}, none of them Python files in scope (\`include\`/\`exclude\`).`,
      });
      return;
    }

    stopIfSuperseded();
    const blobs = new PQueue({ concurrency: BLOB_CONCURRENCY });
    const files: SourceFile[] = await Promise.all(
      python.map((f) => blobs.add(async () => ({ path: f.filename, content: await getBlob(octokit, req.repo, f.sha) }))),
    );
    const changed = new Map<string, PatchLines | undefined>(python.map((f) => [f.filename, f.patch === undefined ? undefined : parsePatch(f.patch)]));

    stopIfSuperseded();
    const result: AnalyzeResult = await deps.analyzer.analyze(files, config);
    const inChange = filterFindings(result.findings, changed, config.review.filter);

    const sources = new Map(files.map((f) => [f.path, typeof f.content === 'string' ? f.content : Buffer.from(f.content).toString('utf8')]));
    const fingerprintOf = fingerprints(result.findings, sources);
    const existing = await listOwnReviewComments(octokit, req.repo, req.pullNumber);
    const posted = new Set(existing.map((c) => c.fingerprint));
    const plan = planReview(inChange, changed, fingerprintOf, posted, config.review.max_comments, deps.ruleText);

    stopIfSuperseded();
    let leftOut: { finding: Finding; reason: string }[] = [];
    if (plan.comments.length > 0) leftOut = await publishReview(octokit, req, plan.comments, (refused) => reviewBody(plan, refused));

    const current = new Set(fingerprintOf.values());
    const resolved = existing.some((c) => !current.has(c.fingerprint)) ? await resolveThreadsExcept(octokit, req.repo, req.pullNumber, current) : 0;

    const failOn = config.check.fail_on;
    const blocking = failOn !== 'never' && inChange.some((f) => RANK[f.severity] >= RANK[failOn]);
    const conclusion: Conclusion = blocking ? 'failure' : result.errors.length > 0 ? 'neutral' : 'success';
    const notes: string[] = [];
    if (result.errors.length > 0) notes.push(`Internal error: ${result.errors.length} rule run${result.errors.length === 1 ? '' : 's'} crashed (listed below); the other rules' findings are reported. Please report it.`);
    const noPatch = python.filter((f) => f.patch === undefined).map((f) => f.filename);
    if (noPatch.length > 0 && config.review.filter !== 'file') notes.push(`GitHub sent no diff for ${noPatch.length} file${noPatch.length === 1 ? '' : 's'} (too large), so their findings are annotations only: ${noPatch.slice(0, 5).join(', ')}${noPatch.length > 5 ? ', …' : ''}.`);
    if (pullFiles.length >= 3000) notes.push('GitHub lists only the first 3000 files of a pull request; files after those were not reviewed.');
    const output = checkRunOutput({
      inChange,
      result,
      filesAnalyzed: files.length,
      failOn,
      conclusion,
      leftOut,
      notes,
      ruleText: deps.ruleText,
      linkTo: (path, line) => `${req.htmlUrl}/blob/${req.headSha}/${path.split('/').map(encodeURIComponent).join('/')}#L${line}`,
    });
    stopIfSuperseded();
    await complete(conclusion, output, result.findings);
    log.info(
      {
        durationMs: Date.now() - started,
        files: files.length,
        findings: result.findings.length,
        onChangedLines: inChange.length,
        commented: plan.comments.length - leftOut.length,
        alreadyCommented: plan.alreadyCommented.length,
        refused: leftOut.length,
        resolvedThreads: resolved,
        skipped: result.skipped.length,
        internalErrors: result.errors.length,
        conclusion,
      },
      'review completed',
    );
  } catch (error) {
    if (error instanceof Superseded) {
      const newer = ticket.supersededBy();
      log.info({ supersededBy: newer }, 'review superseded');
      await complete('cancelled', {
        title: 'Superseded by a newer review',
        summary: newer && newer !== req.headSha ? `A newer commit (${short(newer)}) is being reviewed instead.` : 'A newer review of this commit was requested.',
      });
      return;
    }
    log.error({ err: error }, 'review failed');
    // Never leave a required check in progress: an internal error completes it neutral.
    await complete('neutral', {
      title: 'Pipeline Architect could not complete the review',
      summary: `An internal error stopped the review of ${short(req.headSha)}: ${String((error as Error).message ?? error).slice(0, 500)}\n\nPush again or comment \`/recheck\` to retry.`,
    }).catch((e: unknown) => log.error({ err: e }, 'could not complete the check run'));
  }
}

/**
 * Posts one review. GitHub rejects the whole review (422) when one comment does not fit the
 * diff: then the comments are posted one by one and the refused ones are returned. After a
 * server error the review may have been stored anyway, so it is only re-posted for comments
 * that are still missing.
 */
async function publishReview(
  octokit: Octokit,
  req: ReviewRequest,
  comments: readonly PlannedComment[],
  body: (refused: { finding: Finding; reason: string }[]) => string,
): Promise<{ finding: Finding; reason: string }[]> {
  try {
    await createReview(octokit, req.repo, req.pullNumber, req.headSha, body([]), comments.map((c) => c.comment));
    return [];
  } catch (error) {
    const status = statusOf(error);
    if (status !== undefined && status >= 500) {
      const now = new Set((await listOwnReviewComments(octokit, req.repo, req.pullNumber)).map((c) => c.fingerprint));
      const missing = comments.filter((c) => !now.has(c.fingerprint));
      if (missing.length > 0) await createReview(octokit, req.repo, req.pullNumber, req.headSha, body([]), missing.map((c) => c.comment));
      return [];
    }
    if (status !== 422) throw error;
  }
  const refused: { finding: Finding; reason: string }[] = [];
  for (const c of comments) {
    try {
      await createReviewComment(octokit, req.repo, req.pullNumber, req.headSha, c.comment);
    } catch (error) {
      if (statusOf(error) !== 422) throw error;
      refused.push({ finding: c.finding, reason: (error as Error).message.split('\n')[0] ?? 'refused' });
    }
  }
  return refused;
}

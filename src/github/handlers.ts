import type { Context, Logger, Probot } from 'probot';
import type { ReviewQueue } from '../queue/review-queue.js';
import {
  canWrite,
  createCheckRun,
  getPullRequest,
  pullRequestsForCommit,
  reactWithEyes,
  type Octokit,
  type Repo,
} from './api.js';
import { runReview, type ReviewDependencies, type ReviewRequest } from './review-job.js';

export interface HandlerDependencies extends ReviewDependencies {
  readonly queue: ReviewQueue;
}

const RECHECK = /^\/recheck(?:\s|$)/;

/**
 * Webhook handlers only decide and enqueue: Probot answers GitHub after 9 s, and GitHub gives up
 * on a delivery after 10 s. The check run is created here, so the pull request shows the review
 * as in progress even while the queue is busy.
 */
export function registerHandlers(app: Probot, deps: HandlerDependencies): void {
  const start = async (octokit: Octokit, log: Logger, deliveryId: string, req: ReviewRequest, trigger: string): Promise<void> => {
    const key = `${req.repo.owner}/${req.repo.repo}#${req.pullNumber}`;
    const jobLog = log.child({ deliveryId, repo: `${req.repo.owner}/${req.repo.repo}`, pr: req.pullNumber, sha: req.headSha, trigger });
    const checkRunId = await createCheckRun(octokit, req.repo, req.headSha, `${req.pullNumber}:${req.headSha}`);
    jobLog.info({ checkRunId, queued: deps.queue.size, running: deps.queue.pending }, 'review queued');
    deps.queue.enqueue(key, req.headSha, (ticket) => runReview(octokit, jobLog, req, checkRunId, ticket, deps));
  };

  const fromPull = async (context: Context, repo: Repo, number: number, headSha?: string): Promise<ReviewRequest | undefined> => {
    const pr = await getPullRequest(context.octokit, repo, number);
    if (!pr.open) return undefined;
    // A re-run of an older commit's check would review code that is no longer the head.
    if (headSha && pr.headSha !== headSha) return undefined;
    return { repo, pullNumber: number, headSha: pr.headSha, baseRef: pr.baseRef, draft: pr.draft, htmlUrl: htmlUrlOf(context) };
  };

  app.on(['pull_request.opened', 'pull_request.synchronize', 'pull_request.reopened', 'pull_request.ready_for_review'], async (context) => {
    const pr = context.payload.pull_request;
    if (pr.state !== 'open') return;
    const req: ReviewRequest = {
      repo: context.repo(),
      pullNumber: pr.number,
      headSha: pr.head.sha,
      baseRef: pr.base.ref,
      draft: pr.draft ?? false,
      htmlUrl: htmlUrlOf(context),
    };
    await start(context.octokit, context.log, context.id, req, `pull_request.${context.payload.action}`);
  });

  app.on('issue_comment.created', async (context) => {
    const { comment, issue } = context.payload;
    if (!issue.pull_request || !RECHECK.test(comment.body.trim())) return;
    if (comment.user?.type === 'Bot' || context.isBot) return;
    const repo = context.repo();
    const login = comment.user?.login ?? '';
    const allowed = login !== '' && (login === issue.user?.login || (await canWrite(context.octokit, repo, login)));
    if (!allowed) {
      context.log.info({ user: login, pr: issue.number }, '/recheck ignored: no write permission');
      return;
    }
    await reactWithEyes(context.octokit, repo, comment.id);
    const req = await fromPull(context, repo, issue.number);
    if (req) await start(context.octokit, context.log, context.id, { ...req, draft: false }, '/recheck');
  });

  app.on('check_run.rerequested', async (context) => {
    const run = context.payload.check_run;
    await rerun(context, run.head_sha, run.pull_requests.map((p) => p.number), 'check_run.rerequested');
  });

  app.on('check_suite.rerequested', async (context) => {
    const suite = context.payload.check_suite;
    await rerun(context, suite.head_sha, suite.pull_requests.map((p) => p.number), 'check_suite.rerequested');
  });

  const rerun = async (context: Context, sha: string, numbers: number[], trigger: string): Promise<void> => {
    const repo = context.repo();
    // Pull requests from forks are not listed in check payloads: ask which ones have this head.
    const prs = numbers.length > 0 ? numbers : await pullRequestsForCommit(context.octokit, repo, sha);
    for (const number of prs) {
      const req = await fromPull(context, repo, number, sha);
      if (req) await start(context.octokit, context.log, context.id, req, trigger);
    }
  };
}

function htmlUrlOf(context: Context): string {
  const repository = (context.payload as { repository?: { html_url?: string } }).repository;
  return repository?.html_url ?? `https://github.com/${context.repo().owner}/${context.repo().repo}`;
}

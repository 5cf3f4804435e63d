import type { ProbotOctokit } from 'probot';
import type { ReviewComment } from '../formatters/review.js';
import type { Annotation, CheckOutput, Conclusion } from '../formatters/check-run.js';
import { ANNOTATIONS_PER_REQUEST } from '../formatters/check-run.js';
import { fingerprintIn } from '../formatters/fingerprint.js';

/** The only code that calls GitHub. Everything here is a thin, typed wrapper over one endpoint. */
export type Octokit = ProbotOctokit;

export const CHECK_NAME = 'Pipeline Architect';
/** GitHub lists at most this many files of a pull request. */
export const MAX_PR_FILES = 3000;

export interface Repo {
  readonly owner: string;
  readonly repo: string;
}

export interface PullFile {
  readonly filename: string;
  readonly status: string;
  readonly sha: string;
  readonly patch: string | undefined;
}

export function isNotFound(error: unknown): boolean {
  return (error as { status?: number }).status === 404;
}

export function statusOf(error: unknown): number | undefined {
  return (error as { status?: number }).status;
}

export async function createCheckRun(octokit: Octokit, repo: Repo, headSha: string, externalId: string): Promise<number> {
  const { data } = await octokit.rest.checks.create({
    ...repo,
    name: CHECK_NAME,
    head_sha: headSha,
    status: 'in_progress',
    started_at: new Date().toISOString(),
    external_id: externalId,
    output: { title: 'Reviewing the changed Python files…', summary: 'Pipeline Architect is analyzing this commit.' },
  });
  return data.id;
}

/**
 * Completes a check run. GitHub takes at most 50 annotations per request: the rest follow in
 * further updates, each repeating the output's title and summary.
 */
export async function completeCheckRun(
  octokit: Octokit,
  repo: Repo,
  checkRunId: number,
  conclusion: Conclusion,
  output: CheckOutput,
  annotations: readonly Annotation[] = [],
): Promise<void> {
  const batches: Annotation[][] = [];
  for (let i = 0; i < annotations.length; i += ANNOTATIONS_PER_REQUEST) batches.push(annotations.slice(i, i + ANNOTATIONS_PER_REQUEST));
  await octokit.rest.checks.update({
    ...repo,
    check_run_id: checkRunId,
    status: 'completed',
    conclusion,
    completed_at: new Date().toISOString(),
    output: { ...output, annotations: batches[0] ?? [] },
  });
  for (const batch of batches.slice(1)) {
    await octokit.rest.checks.update({ ...repo, check_run_id: checkRunId, output: { title: output.title, summary: output.summary, annotations: batch } });
  }
}

export async function listPullFiles(octokit: Octokit, repo: Repo, pullNumber: number): Promise<PullFile[]> {
  const files: PullFile[] = [];
  for await (const page of octokit.paginate.iterator(octokit.rest.pulls.listFiles, { ...repo, pull_number: pullNumber, per_page: 100 })) {
    for (const f of page.data) files.push({ filename: f.filename, status: f.status, sha: f.sha ?? '', patch: f.patch });
    if (files.length >= MAX_PR_FILES) break;
  }
  return files;
}

/** File bytes by blob SHA: works for pull requests from forks, whose branches are not ours. */
export async function getBlob(octokit: Octokit, repo: Repo, sha: string): Promise<Buffer> {
  const { data } = await octokit.rest.git.getBlob({ ...repo, file_sha: sha });
  return Buffer.from(data.content, data.encoding === 'base64' ? 'base64' : 'utf8');
}

/** A text file at a ref, or undefined when it does not exist. */
export async function getTextFile(octokit: Octokit, repo: Repo, path: string, ref: string): Promise<string | undefined> {
  try {
    const { data } = await octokit.rest.repos.getContent({ ...repo, path, ref });
    if (Array.isArray(data) || data.type !== 'file' || !('content' in data)) return undefined;
    return Buffer.from(data.content, 'base64').toString('utf8');
  } catch (error) {
    if (isNotFound(error)) return undefined;
    throw error;
  }
}

export interface ExistingComment {
  readonly id: number;
  readonly fingerprint: string;
}

/** Fingerprints of the comments this App (a bot) left on the pull request earlier. */
export async function listOwnReviewComments(octokit: Octokit, repo: Repo, pullNumber: number): Promise<ExistingComment[]> {
  const out: ExistingComment[] = [];
  for await (const page of octokit.paginate.iterator(octokit.rest.pulls.listReviewComments, { ...repo, pull_number: pullNumber, per_page: 100 })) {
    for (const c of page.data) {
      const fingerprint = fingerprintIn(c.body);
      if (fingerprint && c.user?.type === 'Bot') out.push({ id: c.id, fingerprint });
    }
  }
  return out;
}

export async function createReview(octokit: Octokit, repo: Repo, pullNumber: number, headSha: string, body: string, comments: readonly ReviewComment[]): Promise<void> {
  await octokit.rest.pulls.createReview({
    ...repo,
    pull_number: pullNumber,
    commit_id: headSha,
    event: 'COMMENT',
    body,
    comments: comments.map((c) => ({ ...c })),
    // A retried POST after a 5xx may post the review twice; the caller re-checks instead.
    request: { retries: 0 },
  });
}

export async function createReviewComment(octokit: Octokit, repo: Repo, pullNumber: number, headSha: string, comment: ReviewComment): Promise<void> {
  await octokit.rest.pulls.createReviewComment({ ...repo, pull_number: pullNumber, commit_id: headSha, ...comment, request: { retries: 0 } });
}

interface ThreadsPage {
  repository: {
    pullRequest: {
      reviewThreads: {
        pageInfo: { hasNextPage: boolean; endCursor: string | null };
        nodes: { id: string; isResolved: boolean; comments: { nodes: { body: string; author: { __typename: string } | null }[] } }[];
      };
    } | null;
  };
}

const THREADS_QUERY = `
  query($owner: String!, $repo: String!, $number: Int!, $after: String) {
    repository(owner: $owner, name: $repo) {
      pullRequest(number: $number) {
        reviewThreads(first: 100, after: $after) {
          pageInfo { hasNextPage endCursor }
          nodes { id isResolved comments(first: 1) { nodes { body author { __typename } } } }
        }
      }
    }
  }`;

const RESOLVE_MUTATION = `mutation($threadId: ID!) { resolveReviewThread(input: { threadId: $threadId }) { thread { id isResolved } } }`;

/** Resolves the App's open review threads whose finding is gone. Returns how many. */
export async function resolveThreadsExcept(octokit: Octokit, repo: Repo, pullNumber: number, current: ReadonlySet<string>): Promise<number> {
  let after: string | null = null;
  let resolved = 0;
  for (;;) {
    const page: ThreadsPage = await octokit.graphql<ThreadsPage>(THREADS_QUERY, { owner: repo.owner, repo: repo.repo, number: pullNumber, after });
    const threads = page.repository.pullRequest?.reviewThreads;
    if (!threads) return resolved;
    for (const thread of threads.nodes) {
      const first = thread.comments.nodes[0];
      const fingerprint = fingerprintIn(first?.body);
      if (thread.isResolved || !fingerprint || first?.author?.__typename !== 'Bot' || current.has(fingerprint)) continue;
      await octokit.graphql(RESOLVE_MUTATION, { threadId: thread.id });
      resolved++;
    }
    if (!threads.pageInfo.hasNextPage) return resolved;
    after = threads.pageInfo.endCursor;
  }
}

const WRITERS = new Set(['admin', 'maintain', 'write']);

/** Whether a user may ask for a re-run: write, maintain or admin on the repository. */
export async function canWrite(octokit: Octokit, repo: Repo, username: string): Promise<boolean> {
  try {
    const { data } = await octokit.rest.repos.getCollaboratorPermissionLevel({ ...repo, username });
    return WRITERS.has(data.permission) || WRITERS.has(data.role_name);
  } catch (error) {
    if (isNotFound(error)) return false;
    throw error;
  }
}

export async function reactWithEyes(octokit: Octokit, repo: Repo, commentId: number): Promise<void> {
  await octokit.rest.reactions.createForIssueComment({ ...repo, comment_id: commentId, content: 'eyes' });
}

export interface PullRequestState {
  readonly number: number;
  readonly headSha: string;
  readonly baseRef: string;
  readonly draft: boolean;
  readonly open: boolean;
  readonly author: string | undefined;
}

export async function getPullRequest(octokit: Octokit, repo: Repo, pullNumber: number): Promise<PullRequestState> {
  const { data } = await octokit.rest.pulls.get({ ...repo, pull_number: pullNumber });
  return { number: data.number, headSha: data.head.sha, baseRef: data.base.ref, draft: data.draft ?? false, open: data.state === 'open', author: data.user?.login };
}

/** Open pull requests whose head is this commit (for re-runs requested from a check). */
export async function pullRequestsForCommit(octokit: Octokit, repo: Repo, sha: string): Promise<number[]> {
  const { data } = await octokit.rest.repos.listPullRequestsAssociatedWithCommit({ ...repo, commit_sha: sha });
  return data.filter((pr) => pr.state === 'open' && pr.head.sha === sha).map((pr) => pr.number);
}

import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import nock from 'nock';
import { pino } from 'pino';
import { Probot, createNodeMiddleware } from 'probot';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { analyze } from '../../src/analyzers/analyze.js';
import { defineRule } from '../../src/analyzers/rule.js';
import { RULES } from '../../src/analyzers/rules/index.js';
import { fingerprintComment, fingerprints } from '../../src/formatters/fingerprint.js';
import { defaultConfig } from '../../src/config/schema.js';
import { createApp } from '../../src/app.js';
import { pipelineOctokit } from '../../src/github/octokit.js';
import { InlineAnalyzer } from '../../src/queue/analyzer.js';
import { ReviewQueue } from '../../src/queue/review-queue.js';
import {
  API,
  BASE_REF,
  HEAD,
  NEWER_HEAD,
  OWNER,
  PR,
  REPO,
  REPO_PATH,
  TEST_PRIVATE_KEY,
  addedPatch,
  blob,
  checkRunRerequested,
  checkSuiteRerequested,
  commentEvent,
  diffRule,
  fileEntry,
  mockToken,
  pullRequestEvent,
  setupApp,
  validBody,
} from './support.js';

const BRONZE = 'raw = spark.read.parquet("/mnt/landing/customers/")\nraw.write.mode("overwrite").save("/mnt/bronze/customers")\n';
const CLEAN = 'orders = spark.read.table("silver.orders")\nprint("nothing to see")\n';
const CHECK_ID = 555;

interface Captured {
  checkCreates: Record<string, unknown>[];
  checkUpdates: Record<string, any>[]; // eslint-disable-line @typescript-eslint/no-explicit-any
  reviews: Record<string, any>[]; // eslint-disable-line @typescript-eslint/no-explicit-any
}

interface Flow {
  files: ReturnType<typeof fileEntry>[];
  blobs?: Record<string, string>;
  config?: string;
  existing?: { id: number; body: string; user: { login: string; type: string } }[];
  /** Reply to the review: the GitHub diff rule double by default. */
  review?: 'diff-rule' | 'none';
}

function mockFlow(scope: nock.Scope, flow: Flow, captured: Captured, head = HEAD): nock.Scope {
  mockToken(scope);
  scope.post(`${REPO_PATH}/check-runs`, (body) => validBody('checks/create')(body) && !!captured.checkCreates.push(body)).reply(201, { id: CHECK_ID });
  if (flow.config === undefined) {
    scope.get(`${REPO_PATH}/contents/.github%2Fpipeline-architect.yml`).query({ ref: BASE_REF }).reply(404, { message: 'Not Found' });
    scope.get(`${REPO_PATH}/contents/.github%2Fpipeline-architect.yaml`).query({ ref: BASE_REF }).reply(404, { message: 'Not Found' });
  } else {
    scope
      .get(`${REPO_PATH}/contents/.github%2Fpipeline-architect.yml`)
      .query({ ref: BASE_REF })
      .reply(200, { type: 'file', encoding: 'base64', content: Buffer.from(flow.config).toString('base64'), name: 'pipeline-architect.yml', path: '.github/pipeline-architect.yml', sha: 'c' });
  }
  scope.get(`${REPO_PATH}/pulls/${PR}/files`).query({ per_page: 100 }).reply(200, flow.files);
  for (const [sha, content] of Object.entries(flow.blobs ?? {})) scope.get(`${REPO_PATH}/git/blobs/${sha}`).reply(200, blob(content));
  if (Object.keys(flow.blobs ?? {}).length > 0) scope.get(`${REPO_PATH}/pulls/${PR}/comments`).query({ per_page: 100 }).reply(200, flow.existing ?? []);
  if (flow.review !== 'none' && Object.keys(flow.blobs ?? {}).length > 0) {
    const rule = diffRule(Object.fromEntries(flow.files.map((f) => [f.filename, (f as { patch?: string }).patch])));
    scope
      .post(`${REPO_PATH}/pulls/${PR}/reviews`, (body) => validBody('pulls/create-review')(body) && !!captured.reviews.push(body))
      .reply((_uri, body) => rule(body as never) ?? [200, { id: 1, commit_id: head }]);
  }
  scope
    .patch(`${REPO_PATH}/check-runs/${CHECK_ID}`, (body) => validBody('checks/update')(body) && !!captured.checkUpdates.push(body))
    .reply(200, { id: CHECK_ID });
  return scope;
}

function newCaptured(): Captured {
  return { checkCreates: [], checkUpdates: [], reviews: [] };
}

beforeEach(() => {
  nock.disableNetConnect();
});

afterEach(() => {
  const pending = nock.pendingMocks();
  nock.cleanAll();
  expect(pending).toEqual([]);
});

describe('pull request reviews', () => {
  it('reviews a small pull request: check in progress, one review with anchored comments, failing check', async () => {
    const captured = newCaptured();
    const files = [fileEntry('jobs/bronze/customers.py', 'added', 'sha1', addedPatch(BRONZE)), fileEntry('README.md', 'modified', 'sha2', '@@ -1 +1 @@\n-a\n+b')];
    mockFlow(nock(API), { files, blobs: { sha1: BRONZE } }, captured);
    await setupApp().receive('pull_request', pullRequestEvent('opened'));

    expect(captured.checkCreates).toEqual([expect.objectContaining({ name: 'Pipeline Architect', head_sha: HEAD, status: 'in_progress' })]);
    expect(captured.reviews).toHaveLength(1);
    const review = captured.reviews[0]!;
    expect(review).toMatchObject({ commit_id: HEAD, event: 'COMMENT' });
    expect(review['comments'].map((c: { path: string; line: number }) => `${c.path}:${c.line}`)).toEqual(['jobs/bronze/customers.py:2', 'jobs/bronze/customers.py:2', 'jobs/bronze/customers.py:2']);
    const brz004 = review['comments'].find((c: { body: string }) => c.body.includes('BRZ004'));
    expect(brz004.body).toContain('**Issue:**');
    expect(brz004.body).toContain('**Impact:**');
    expect(brz004.body).toContain('**Fix:**');
    expect(brz004.body).toContain('```suggestion\nraw.write.mode("append").save("/mnt/bronze/customers")\n```');
    expect(brz004.body).toContain('docs/rules/BRZ004.md');
    expect(brz004.body).toMatch(/<!-- pipeline-architect:fp=[0-9a-f]{16} -->/);

    const done = captured.checkUpdates[0]!;
    expect(done).toMatchObject({ status: 'completed', conclusion: 'failure' });
    expect(done['output'].title).toBe('1 critical, 2 warning findings on the changed lines');
    expect(done['output'].summary).toContain('### Critical');
    expect(done['output'].summary).toContain('[jobs/bronze/customers.py:2](https://github.com/acme/lakehouse/blob/');
    expect(done['output'].summary).toContain('| Architecture | ❌ 1 finding |');
    expect(done['output'].annotations.map((a: { annotation_level: string }) => a.annotation_level).sort()).toEqual(['failure', 'warning', 'warning']);
  });

  it('works against GitHub Enterprise Server (API under /api/v3, links to the server)', async () => {
    const captured = newCaptured();
    const files = [fileEntry('jobs/bronze/customers.py', 'added', 'sha1', addedPatch(BRONZE))];
    mockFlow(nock('https://ghe.acme.internal/api/v3'), { files, blobs: { sha1: BRONZE } }, captured);
    const event = pullRequestEvent('opened');
    event['repository'].html_url = `https://ghe.acme.internal/${OWNER}/${REPO}`;
    await setupApp({ baseUrl: 'https://ghe.acme.internal/api/v3' }).receive('pull_request', event);

    expect(captured.reviews).toHaveLength(1);
    expect(captured.checkUpdates[0]).toMatchObject({ status: 'completed', conclusion: 'failure' });
    expect(captured.checkUpdates[0]!['output'].summary).toContain(`](https://ghe.acme.internal/${OWNER}/${REPO}/blob/${HEAD}/jobs/bronze/customers.py#L2)`);
  });

  it('logs each review as one structured line: delivery, repo, PR, SHA, timing and counts', async () => {
    const lines: Record<string, unknown>[] = [];
    const log = pino({ level: 'info' }, { write: (line: string) => void lines.push(JSON.parse(line) as Record<string, unknown>) });
    mockFlow(nock(API), { files: [fileEntry('jobs/bronze/customers.py', 'added', 'sha1', addedPatch(BRONZE))], blobs: { sha1: BRONZE } }, newCaptured());
    await setupApp({ log }).receive('pull_request', pullRequestEvent('opened'));

    const completed = lines.filter((l) => l['msg'] === 'review completed');
    expect(completed).toEqual([
      expect.objectContaining({
        deliveryId: 'delivery-pull_request',
        repo: `${OWNER}/${REPO}`,
        pr: PR,
        sha: HEAD,
        trigger: 'pull_request.opened',
        durationMs: expect.any(Number),
        files: 1,
        commented: 3,
        conclusion: 'failure',
      }),
    ]);
  });

  it('completes successfully, without a review, when no Python file changed', async () => {
    const captured = newCaptured();
    mockFlow(nock(API), { files: [fileEntry('docs/index.md', 'modified', 'sha1', '@@ -1 +1 @@\n-a\n+b')] }, captured);
    await setupApp().receive('pull_request', pullRequestEvent('synchronize'));
    expect(captured.reviews).toEqual([]);
    expect(captured.checkUpdates[0]).toMatchObject({ conclusion: 'success', output: { title: 'No Python files to review' } });
  });

  it('reads every page of a pull request with more than 100 files, and skips removed files', async () => {
    const captured = newCaptured();
    const scope = nock(API);
    mockToken(scope);
    scope.post(`${REPO_PATH}/check-runs`).reply(201, { id: CHECK_ID });
    scope.get(`${REPO_PATH}/contents/.github%2Fpipeline-architect.yml`).query(true).reply(404);
    scope.get(`${REPO_PATH}/contents/.github%2Fpipeline-architect.yaml`).query(true).reply(404);
    const page1 = Array.from({ length: 100 }, (_, i) => fileEntry(`docs/page${i}.md`, 'added', `d${i}`, '@@ -0,0 +1 @@\n+x'));
    const page2 = [
      fileEntry('jobs/bronze/customers.py', 'renamed', 'sha1', addedPatch(BRONZE)),
      fileEntry('jobs/old.py', 'removed', 'sha0', '@@ -1 +0,0 @@\n-x'),
    ];
    scope
      .get(`${REPO_PATH}/pulls/${PR}/files`)
      .query({ per_page: 100 })
      .reply(200, page1, { link: `<${API}${REPO_PATH}/pulls/${PR}/files?per_page=100&page=2>; rel="next", <${API}${REPO_PATH}/pulls/${PR}/files?per_page=100&page=2>; rel="last"` });
    scope.get(`${REPO_PATH}/pulls/${PR}/files`).query({ per_page: 100, page: 2 }).reply(200, page2);
    scope.get(`${REPO_PATH}/git/blobs/sha1`).reply(200, blob(BRONZE));
    scope.get(`${REPO_PATH}/pulls/${PR}/comments`).query(true).reply(200, []);
    scope.post(`${REPO_PATH}/pulls/${PR}/reviews`, (b) => !!captured.reviews.push(b)).reply(200, {});
    scope.patch(`${REPO_PATH}/check-runs/${CHECK_ID}`, (b) => !!captured.checkUpdates.push(b)).reply(200, {});
    await setupApp().receive('pull_request', pullRequestEvent('opened'));
    expect(captured.reviews[0]!['comments']).toHaveLength(3);
    expect(captured.checkUpdates[0]!['output'].summary).toContain('1 Python file analyzed');
  });

  it('reports findings of a file GitHub sent no patch for as annotations only', async () => {
    const captured = newCaptured();
    const files = [fileEntry('jobs/bronze/huge.py', 'modified', 'sha1', undefined)];
    mockFlow(nock(API), { files, blobs: { sha1: BRONZE }, review: 'none' }, captured);
    await setupApp().receive('pull_request', pullRequestEvent('opened'));
    expect(captured.reviews).toEqual([]);
    const done = captured.checkUpdates[0]!;
    // Under the default `added` filter nothing is known to be changed: the check passes.
    expect(done['conclusion']).toBe('success');
    expect(done['output'].summary).toContain('GitHub sent no diff for 1 file');
    expect(done['output'].annotations).toHaveLength(3);
  });

  it('posts nothing new on a re-run with no change', async () => {
    const config = defaultConfig();
    const fps = fingerprints(analyze([{ path: 'jobs/bronze/customers.py', content: BRONZE }], config).findings, new Map([['jobs/bronze/customers.py', BRONZE]]));
    const existing = [...fps.values()].map((fp, i) => ({ id: 100 + i, body: `old\n${fingerprintComment(fp)}`, user: { login: 'pipeline-architect[bot]', type: 'Bot' } }));
    const captured = newCaptured();
    mockFlow(nock(API), { files: [fileEntry('jobs/bronze/customers.py', 'added', 'sha1', addedPatch(BRONZE))], blobs: { sha1: BRONZE }, existing, review: 'none' }, captured);
    await setupApp().receive('pull_request', pullRequestEvent('synchronize'));
    expect(captured.reviews).toEqual([]);
    expect(captured.checkUpdates[0]).toMatchObject({ conclusion: 'failure' });
  });

  it('resolves the thread of a finding that was fixed, and posts no review when nothing is new', async () => {
    const fixed = BRONZE.replace('"overwrite"', '"append"');
    const oldFp = fingerprints(analyze([{ path: 'jobs/bronze/customers.py', content: BRONZE }], defaultConfig()).findings, new Map([['jobs/bronze/customers.py', BRONZE]]));
    const newFp = fingerprints(analyze([{ path: 'jobs/bronze/customers.py', content: fixed }], defaultConfig()).findings, new Map([['jobs/bronze/customers.py', fixed]]));
    const gone = [...oldFp.values()].find((fp) => ![...newFp.values()].includes(fp))!;
    const kept = [...newFp.values()];
    const bot = { login: 'pipeline-architect[bot]', type: 'Bot' };
    const existing = [gone, ...kept].map((fp, i) => ({ id: 200 + i, body: `x\n${fingerprintComment(fp)}`, user: bot }));
    const captured = newCaptured();
    const scope = mockFlow(nock(API), { files: [fileEntry('jobs/bronze/customers.py', 'modified', 'sha1', addedPatch(fixed))], blobs: { sha1: fixed }, existing, review: 'none' }, captured);
    const mutations: unknown[] = [];
    scope
      .post('/graphql', (b) => typeof b.query === 'string' && b.query.includes('reviewThreads'))
      .reply(200, {
        data: {
          repository: {
            pullRequest: {
              reviewThreads: {
                pageInfo: { hasNextPage: false, endCursor: null },
                nodes: [
                  { id: 'T_gone', isResolved: false, comments: { nodes: [{ body: `x\n${fingerprintComment(gone)}`, author: { __typename: 'Bot' } }] } },
                  { id: 'T_kept', isResolved: false, comments: { nodes: [{ body: `x\n${fingerprintComment(kept[0]!)}`, author: { __typename: 'Bot' } }] } },
                  { id: 'T_human', isResolved: false, comments: { nodes: [{ body: 'why?', author: { __typename: 'User' } }] } },
                ],
              },
            },
          },
        },
      });
    scope.post('/graphql', (b) => typeof b.query === 'string' && b.query.includes('resolveReviewThread') && !!mutations.push(b.variables)).reply(200, { data: { resolveReviewThread: { thread: { id: 'T_gone', isResolved: true } } } });
    await setupApp().receive('pull_request', pullRequestEvent('synchronize'));
    expect(mutations).toEqual([{ threadId: 'T_gone' }]);
    expect(captured.reviews).toEqual([]);
    expect(captured.checkUpdates[0]).toMatchObject({ conclusion: 'success' });
  });

  it('skips draft pull requests with a neutral check, unless the config says to review them', async () => {
    const captured = newCaptured();
    mockFlow(nock(API), { files: [] }, captured);
    nock.cleanAll();
    const scope = nock(API);
    mockToken(scope);
    scope.post(`${REPO_PATH}/check-runs`).reply(201, { id: CHECK_ID });
    scope.get(`${REPO_PATH}/contents/.github%2Fpipeline-architect.yml`).query(true).reply(404);
    scope.get(`${REPO_PATH}/contents/.github%2Fpipeline-architect.yaml`).query(true).reply(404);
    scope.patch(`${REPO_PATH}/check-runs/${CHECK_ID}`, (b) => !!captured.checkUpdates.push(b)).reply(200, {});
    await setupApp().receive('pull_request', pullRequestEvent('opened', { draft: true }));
    expect(captured.checkUpdates[0]).toMatchObject({ conclusion: 'neutral', output: { title: 'Draft pull request: not reviewed' } });

    const again = newCaptured();
    mockFlow(nock(API), { files: [fileEntry('jobs/bronze/customers.py', 'added', 'sha1', addedPatch(BRONZE))], blobs: { sha1: BRONZE }, config: 'review:\n  drafts: true\n' }, again);
    await setupApp().receive('pull_request', pullRequestEvent('opened', { draft: true }));
    expect(again.checkUpdates[0]).toMatchObject({ conclusion: 'failure' });
  });

  it('fails the check with the validation messages when the config on the base branch is invalid', async () => {
    const captured = newCaptured();
    const scope = nock(API);
    mockToken(scope);
    scope.post(`${REPO_PATH}/check-runs`).reply(201, { id: CHECK_ID });
    scope
      .get(`${REPO_PATH}/contents/.github%2Fpipeline-architect.yml`)
      .query({ ref: BASE_REF })
      .reply(200, { type: 'file', encoding: 'base64', content: Buffer.from('review:\n  filtr: added\ncheck:\n  fail_on: sometimes\n').toString('base64'), name: 'x', path: 'x', sha: 'x' });
    scope.patch(`${REPO_PATH}/check-runs/${CHECK_ID}`, (b) => validBody('checks/update')(b) && !!captured.checkUpdates.push(b)).reply(200, {});
    await setupApp().receive('pull_request', pullRequestEvent('opened'));
    const done = captured.checkUpdates[0]!;
    expect(done['conclusion']).toBe('failure');
    expect(done['output'].title).toBe('Invalid configuration in .github/pipeline-architect.yml');
    expect(done['output'].summary).toContain('unknown key "review.filtr" (did you mean "filter"?)');
    expect(done['output'].summary).toContain('check.fail_on: expected one of');
  });

  it('completes the check neutral when a rule crashes, keeping the other findings', async () => {
    const crashing = defineRule({ ...RULES[0]!, id: 'BRZ999', detect: () => { throw new Error('boom'); } });
    const analyzer = {
      analyze: async (files: Parameters<typeof analyze>[0], config: Parameters<typeof analyze>[1]) => analyze(files, { ...config, select: ['BRZ999'] }, { rules: [crashing, ...RULES.filter((r) => r.id !== 'BRZ004')] }),
      close: async () => {},
    };
    const captured = newCaptured();
    const content = 'df = spark.read.table("silver.orders")\nif df.count() == 0:\n    print("empty")\n';
    mockFlow(nock(API), { files: [fileEntry('jobs/orders.py', 'added', 'sha1', addedPatch(content))], blobs: { sha1: content } }, captured);
    await setupApp({ analyzer }).receive('pull_request', pullRequestEvent('opened'));
    const done = captured.checkUpdates[0]!;
    expect(done['conclusion']).toBe('neutral');
    expect(done['output'].summary).toContain('internal error in BRZ999 (boom)');
    expect(captured.reviews[0]!['comments'].map((c: { body: string }) => c.body.slice(0, 9))).toEqual(['**PERF004']);
  });

  it('falls back to comment-by-comment when GitHub refuses the review, and reports what was left out', async () => {
    const captured = newCaptured();
    const scope = mockFlow(nock(API), { files: [fileEntry('jobs/bronze/customers.py', 'added', 'sha1', addedPatch(BRONZE))], blobs: { sha1: BRONZE }, review: 'none' }, captured);
    scope.post(`${REPO_PATH}/pulls/${PR}/reviews`).reply(422, { message: 'Unprocessable Entity', errors: ['Pull request review thread line must be part of the diff'] });
    const single: { path: string; body: string }[] = [];
    scope
      .post(`${REPO_PATH}/pulls/${PR}/comments`, (b) => validBody('pulls/create-review-comment')(b) && !!single.push(b))
      .times(2)
      .reply(201, { id: 1 });
    scope.post(`${REPO_PATH}/pulls/${PR}/comments`).reply(422, { message: 'Validation Failed: line must be part of the diff' });
    await setupApp().receive('pull_request', pullRequestEvent('opened'));
    // Two accepted one by one, the third refused.
    expect(single).toHaveLength(2);
    const summary: string = captured.checkUpdates[0]!['output'].summary;
    expect(summary).toContain('### Not posted as comments');
    expect(summary).toContain('Validation Failed: line must be part of the diff');
  });

  it('never anchors a comment outside the diff: such findings stay in the check run', async () => {
    const content = `${BRONZE}x = 1\n`;
    // Only the last line changed: the BRZ004 line is unchanged context at best.
    const patch = '@@ -1,2 +1,3 @@\n raw = spark.read.parquet("/mnt/landing/customers/")\n raw.write.mode("overwrite").save("/mnt/bronze/customers")\n+x = 1';
    const captured = newCaptured();
    mockFlow(nock(API), { files: [fileEntry('jobs/bronze/customers.py', 'modified', 'sha1', patch)], blobs: { sha1: content }, config: 'review:\n  filter: diff_context\n' }, captured);
    await setupApp().receive('pull_request', pullRequestEvent('synchronize'));
    // diff_context keeps findings on visible context lines; they are commentable, in the hunk.
    expect(captured.reviews[0]!['comments'].every((c: { line: number }) => c.line === 2)).toBe(true);
  });

  it('ignores closed pull requests', async () => {
    const scope = nock(API);
    await setupApp().receive('pull_request', pullRequestEvent('closed'));
    expect(scope.isDone()).toBe(true);
  });

  it('stops a review superseded by a newer push before publishing, cancelling its check', async () => {
    const captured = newCaptured();
    const scope = nock(API);
    // One installation token: the app caches it across deliveries.
    mockToken(scope);
    scope.post(`${REPO_PATH}/check-runs`).reply(201, { id: 1 });
    scope.post(`${REPO_PATH}/check-runs`).reply(201, { id: 2 });
    scope.patch(`${REPO_PATH}/check-runs/1`, (b) => !!captured.checkUpdates.push({ ...b, id: 1 })).reply(200, {});
    // The newer head is reviewed in full.
    scope.get(`${REPO_PATH}/contents/.github%2Fpipeline-architect.yml`).query(true).reply(404);
    scope.get(`${REPO_PATH}/contents/.github%2Fpipeline-architect.yaml`).query(true).reply(404);
    scope.get(`${REPO_PATH}/pulls/${PR}/files`).query(true).reply(200, [fileEntry('jobs/c.py', 'added', 'sha1', addedPatch(CLEAN))]);
    scope.get(`${REPO_PATH}/git/blobs/sha1`).reply(200, blob(CLEAN));
    scope.get(`${REPO_PATH}/pulls/${PR}/comments`).query(true).reply(200, []);
    scope.patch(`${REPO_PATH}/check-runs/2`, (b) => !!captured.checkUpdates.push({ ...b, id: 2 })).reply(200, {});
    const app = setupApp({ autoStart: false });
    await app.probot.receive({ id: 'd1', name: 'pull_request', payload: pullRequestEvent('synchronize') } as never);
    await app.probot.receive({ id: 'd2', name: 'pull_request', payload: pullRequestEvent('synchronize', { head: NEWER_HEAD }) } as never);
    app.queue.start();
    await app.queue.onIdle();
    expect(captured.checkUpdates.find((u) => u['id'] === 1)).toMatchObject({ conclusion: 'cancelled', output: { summary: expect.stringContaining(NEWER_HEAD.slice(0, 7)) } });
    expect(captured.checkUpdates.find((u) => u['id'] === 2)).toMatchObject({ conclusion: 'success' });
  });

  it('completes the check neutral when GitHub fails mid-review', async () => {
    const captured = newCaptured();
    const scope = nock(API);
    mockToken(scope);
    scope.post(`${REPO_PATH}/check-runs`).reply(201, { id: CHECK_ID });
    scope.get(`${REPO_PATH}/contents/.github%2Fpipeline-architect.yml`).query(true).reply(404);
    scope.get(`${REPO_PATH}/contents/.github%2Fpipeline-architect.yaml`).query(true).reply(404);
    scope.get(`${REPO_PATH}/pulls/${PR}/files`).query(true).reply(502, { message: 'Bad Gateway' });
    scope.patch(`${REPO_PATH}/check-runs/${CHECK_ID}`, (b) => !!captured.checkUpdates.push(b)).reply(200, {});
    await setupApp().receive('pull_request', pullRequestEvent('opened'));
    expect(captured.checkUpdates[0]).toMatchObject({ status: 'completed', conclusion: 'neutral', output: { title: 'Pipeline Architect could not complete the review' } });
  });
});

describe('/recheck and re-run requests', () => {
  function mockPull(scope: nock.Scope, state = 'open'): void {
    scope.get(`${REPO_PATH}/pulls/${PR}`).reply(200, { number: PR, state, draft: false, head: { sha: HEAD }, base: { ref: BASE_REF }, user: { login: 'octo-author' } });
  }

  it('re-runs for a user with write permission and acknowledges with eyes', async () => {
    const captured = newCaptured();
    const scope = mockFlow(nock(API), { files: [fileEntry('jobs/c.py', 'added', 'sha1', addedPatch(CLEAN))], blobs: { sha1: CLEAN }, review: 'none' }, captured);
    scope.get(`${REPO_PATH}/collaborators/maintainer/permission`).reply(200, { permission: 'write', role_name: 'maintain', user: { login: 'maintainer' } });
    const reactions: unknown[] = [];
    scope.post(`${REPO_PATH}/issues/comments/9001/reactions`, (b) => validBody('reactions/create-for-issue-comment')(b) && !!reactions.push(b)).reply(201, { id: 1, content: 'eyes' });
    mockPull(scope);
    await setupApp().receive('issue_comment', commentEvent('/recheck', { login: 'maintainer' }));
    expect(reactions).toEqual([{ content: 'eyes' }]);
    expect(captured.checkUpdates[0]).toMatchObject({ conclusion: 'success' });
  });

  it('re-runs for the pull request author without asking for permissions', async () => {
    const captured = newCaptured();
    const scope = mockFlow(nock(API), { files: [fileEntry('jobs/c.py', 'added', 'sha1', addedPatch(CLEAN))], blobs: { sha1: CLEAN }, review: 'none' }, captured);
    scope.post(`${REPO_PATH}/issues/comments/9001/reactions`).reply(201, { id: 1 });
    mockPull(scope);
    await setupApp().receive('issue_comment', commentEvent('/recheck please', { login: 'octo-author' }));
    expect(captured.checkCreates).toHaveLength(1);
  });

  it('does nothing for a reader, a bot, or a comment that is not a command', async () => {
    const scope = nock(API);
    mockToken(scope);
    scope.get(`${REPO_PATH}/collaborators/visitor/permission`).reply(200, { permission: 'read', role_name: 'read', user: { login: 'visitor' } });
    const app = setupApp();
    await app.receive('issue_comment', commentEvent('/recheck', { login: 'visitor' }));
    await app.receive('issue_comment', commentEvent('/recheck', { login: 'renovate[bot]', type: 'Bot' }));
    await app.receive('issue_comment', commentEvent('please /recheck this', { login: 'octo-author' }));
    await app.receive('issue_comment', commentEvent('/rechecked', { login: 'octo-author' }));
  });

  it('re-runs when the check run or the check suite is re-requested', async () => {
    for (const event of [checkRunRerequested(), checkSuiteRerequested()] as const) {
      const captured = newCaptured();
      const scope = mockFlow(nock(API), { files: [fileEntry('jobs/c.py', 'added', 'sha1', addedPatch(CLEAN))], blobs: { sha1: CLEAN }, review: 'none' }, captured);
      mockPull(scope);
      await setupApp().receive('check_run' in event ? 'check_run' : 'check_suite', event);
      expect(captured.checkCreates[0]).toMatchObject({ head_sha: HEAD });
      expect(captured.checkUpdates[0]).toMatchObject({ conclusion: 'success' });
      expect(nock.pendingMocks()).toEqual([]);
    }
  });

  it('finds the pull request of a re-run from a fork, whose payload lists none', async () => {
    const captured = newCaptured();
    const scope = mockFlow(nock(API), { files: [fileEntry('jobs/c.py', 'added', 'sha1', addedPatch(CLEAN))], blobs: { sha1: CLEAN }, review: 'none' }, captured);
    scope.get(`${REPO_PATH}/commits/${HEAD}/pulls`).reply(200, [{ number: PR, state: 'open', head: { sha: HEAD } }]);
    mockPull(scope);
    await setupApp().receive('check_run', checkRunRerequested([]));
    expect(captured.checkUpdates[0]).toMatchObject({ conclusion: 'success' });
  });
});

describe('robustness', () => {
  it('retries a secondary rate limit with the production client (Probot alone would give up)', async () => {
    const captured = newCaptured();
    const scope = nock(API);
    mockToken(scope);
    scope.post(`${REPO_PATH}/check-runs`).reply(403, { message: 'You have exceeded a secondary rate limit.' }, { 'retry-after': '1' });
    scope.post(`${REPO_PATH}/check-runs`, (b) => !!captured.checkCreates.push(b)).reply(201, { id: CHECK_ID });
    scope.get(`${REPO_PATH}/contents/.github%2Fpipeline-architect.yml`).query(true).reply(404);
    scope.get(`${REPO_PATH}/contents/.github%2Fpipeline-architect.yaml`).query(true).reply(404);
    scope.get(`${REPO_PATH}/pulls/${PR}/files`).query(true).reply(200, []);
    scope.patch(`${REPO_PATH}/check-runs/${CHECK_ID}`, (b) => !!captured.checkUpdates.push(b)).reply(200, {});
    await setupApp({ octokit: pipelineOctokit({ retry: false }) }).receive('pull_request', pullRequestEvent('opened'));
    expect(captured.checkCreates).toHaveLength(1);
    expect(captured.checkUpdates[0]).toMatchObject({ conclusion: 'success' });
  });

  it('rejects malformed or unsigned webhook deliveries without reviewing anything', async () => {
    const probot = new Probot({ appId: 1, privateKey: TEST_PRIVATE_KEY, secret: 'webhook-secret', logLevel: 'fatal' });
    const queue = new ReviewQueue(1);
    const middleware = await createNodeMiddleware(createApp({ analyzer: new InlineAnalyzer(), queue }), { probot, webhooksPath: '/api/github/webhooks' });
    const server = createServer((req, res) => {
      void middleware(req, res, () => {
        res.writeHead(404);
        res.end();
      });
    });
    nock.enableNetConnect('127.0.0.1');
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    const post = (body: string, headers: Record<string, string>) =>
      fetch(`http://127.0.0.1:${port}/api/github/webhooks`, { method: 'POST', body, headers: { 'content-type': 'application/json', ...headers } });
    try {
      const unsigned = await post(JSON.stringify(pullRequestEvent('opened')), { 'x-github-event': 'pull_request', 'x-github-delivery': 'd1' });
      const badSignature = await post(JSON.stringify(pullRequestEvent('opened')), { 'x-github-event': 'pull_request', 'x-github-delivery': 'd2', 'x-hub-signature-256': 'sha256=00' });
      const notJson = await post('{not json', { 'x-github-event': 'pull_request', 'x-github-delivery': 'd3', 'x-hub-signature-256': 'sha256=00' });
      expect([unsigned.status, badSignature.status, notJson.status].every((s) => s >= 400 && s < 500)).toBe(true);
      await queue.onIdle();
      expect(queue.size + queue.pending).toBe(0);
    } finally {
      server.close();
      nock.disableNetConnect();
    }
  });
});

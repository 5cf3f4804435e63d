import { generateKeyPairSync } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import examples from '@octokit/webhooks-examples';
import AjvDraft04 from 'ajv-draft-04';
import ajvFormats from 'ajv-formats';
import type nock from 'nock';
import { Probot } from 'probot';
import { expect } from 'vitest';
import type { Logger, ProbotOctokit } from 'probot';
import { createApp } from '../../src/app.js';
import { pipelineOctokit } from '../../src/github/octokit.js';
import type { Analyzer } from '../../src/queue/analyzer.js';
import { InlineAnalyzer } from '../../src/queue/analyzer.js';
import { ReviewQueue } from '../../src/queue/review-queue.js';

export const OWNER = 'acme';
export const REPO = 'lakehouse';
export const INSTALLATION = 42;
export const PR = 7;
export const HEAD = 'a1b2c3d4e5f60718293a4b5c6d7e8f9012345678';
export const NEWER_HEAD = 'ffffeeee0000111122223333444455556666aaaa';
export const BASE_REF = 'main';
export const API = 'https://api.github.com';
export const REPO_PATH = `/repos/${OWNER}/${REPO}`;

export const { privateKey: TEST_PRIVATE_KEY } = generateKeyPairSync('rsa', {
  modulusLength: 2048,
  privateKeyEncoding: { type: 'pkcs1', format: 'pem' },
  publicKeyEncoding: { type: 'spki', format: 'pem' },
});

// ---------------------------------------------------------------- payloads

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

function example(name: string, action: string): Json {
  const event = (examples as unknown as { name: string; examples: Json[] }[]).find((e) => e.name === name);
  const found = event?.examples.find((e) => e['action'] === action);
  if (!found) throw new Error(`no ${name}.${action} example`);
  return structuredClone(found);
}

function placeInRepo(payload: Json): Json {
  payload['installation'] = { id: INSTALLATION, node_id: 'MDIzOkludGVncmF0aW9uSW5zdGFsbGF0aW9uNDI=' };
  payload['repository'] = {
    ...payload['repository'],
    name: REPO,
    full_name: `${OWNER}/${REPO}`,
    html_url: `https://github.com/${OWNER}/${REPO}`,
    owner: { ...payload['repository']['owner'], login: OWNER },
  };
  return payload;
}

/** A real `pull_request` payload (from @octokit/webhooks-examples) moved to our repository and PR. */
export function pullRequestEvent(action: 'opened' | 'synchronize' | 'reopened' | 'ready_for_review' | 'closed', over: { head?: string; draft?: boolean } = {}): Json {
  const payload = placeInRepo(example('pull_request', action));
  const pr = payload['pull_request'];
  payload['number'] = PR;
  pr.number = PR;
  pr.head.sha = over.head ?? HEAD;
  pr.base.ref = BASE_REF;
  pr.draft = over.draft ?? false;
  if (action !== 'closed') pr.state = 'open';
  return payload;
}

/** A real `issue_comment.created` payload turned into a comment on our pull request. */
export function commentEvent(body: string, user: { login: string; type?: 'User' | 'Bot' }, prAuthor = 'octo-author'): Json {
  const payload = placeInRepo(example('issue_comment', 'created'));
  payload['issue'].number = PR;
  payload['issue'].user = { ...payload['issue'].user, login: prAuthor };
  payload['issue'].pull_request = { url: `${API}${REPO_PATH}/pulls/${PR}`, html_url: `https://github.com/${OWNER}/${REPO}/pull/${PR}` };
  payload['comment'].id = 9001;
  payload['comment'].body = body;
  payload['comment'].user = { ...payload['comment'].user, login: user.login, type: user.type ?? 'User' };
  payload['sender'] = { ...payload['sender'], login: user.login, type: user.type ?? 'User' };
  return payload;
}

export function checkRunRerequested(prNumbers: number[] = [PR]): Json {
  const payload = placeInRepo(example('check_run', 'rerequested'));
  payload['check_run'].head_sha = HEAD;
  payload['check_run'].pull_requests = prNumbers.map((n) => ({ number: n, head: { sha: HEAD, ref: 'feature', repo: {} }, base: { sha: 'b'.repeat(40), ref: BASE_REF, repo: {} } }));
  return payload;
}

export function checkSuiteRerequested(prNumbers: number[] = [PR]): Json {
  const payload = placeInRepo(example('check_suite', 'rerequested'));
  payload['check_suite'].head_sha = HEAD;
  payload['check_suite'].pull_requests = prNumbers.map((n) => ({ number: n, head: { sha: HEAD, ref: 'feature', repo: {} }, base: { sha: 'b'.repeat(40), ref: BASE_REF, repo: {} } }));
  return payload;
}

// ------------------------------------------------------------ the app

export interface TestApp {
  readonly probot: Probot;
  readonly queue: ReviewQueue;
  receive(name: string, payload: Json): Promise<void>;
}

export function setupApp(options: { analyzer?: Analyzer; autoStart?: boolean; octokit?: typeof ProbotOctokit; baseUrl?: string; log?: Logger } = {}): TestApp {
  const queue = new ReviewQueue(1, { autoStart: options.autoStart ?? true });
  const probot = new Probot({
    appId: 1,
    privateKey: TEST_PRIVATE_KEY,
    ...(options.baseUrl ? { baseUrl: options.baseUrl } : {}),
    ...(options.log ? { log: options.log } : {}),
    logLevel: (process.env['TEST_LOG_LEVEL'] as 'fatal') ?? 'fatal',
    // Retries and throttling (one second between writes) would hide request counts and slow tests down.
    Octokit: options.octokit ?? pipelineOctokit({ throttle: false, retry: false }),
  });
  void probot.load(createApp({ analyzer: options.analyzer ?? new InlineAnalyzer(), queue }));
  return {
    probot,
    queue,
    async receive(name, payload) {
      await probot.receive({ id: `delivery-${name}`, name, payload } as never);
      await queue.onIdle();
    },
  };
}

// ---------------------------------------------------- GitHub doubles

const operations = JSON.parse(readFileSync(join(import.meta.dirname, '..', 'fixtures', 'github', 'rest-operations.json'), 'utf8')) as Record<string, { requestBody?: object }>;
const ajv = new AjvDraft04.default({ allErrors: true, strict: false });
ajvFormats.default(ajv);

/** Checks a request body against GitHub's own schema for the operation; returns true for nock. */
export function validBody(operationId: string): (body: unknown) => boolean {
  const schema = operations[operationId]?.requestBody;
  if (!schema) throw new Error(`no schema for ${operationId}`);
  const validate = ajv.compile(schema);
  return (body) => {
    const ok = validate(body);
    expect(validate.errors ?? [], `${operationId} request body`).toEqual([]);
    return ok as boolean;
  };
}

/** New-side line numbers a unified patch shows, hunk by hunk (written independently of src/). */
function rightSideHunks(patch: string): number[][] {
  const hunks: number[][] = [];
  let current: number[] | undefined;
  let line = 0;
  for (const raw of patch.split('\n')) {
    const m = /^@@ -\d+(?:,\d+)? \+(\d+)(?:,\d+)? @@/.exec(raw);
    if (m) {
      current = [];
      hunks.push(current);
      line = Number(m[1]);
    } else if (current && (raw.startsWith('+') || raw.startsWith(' '))) {
      current.push(line++);
    }
  }
  return hunks;
}

/**
 * GitHub's rule for review comments: `line` (and `start_line`, before it, in the same hunk) must
 * be a RIGHT-side line of a hunk of that file's diff, or the whole review is rejected with 422.
 */
export function diffRule(patches: Record<string, string | undefined>) {
  return (body: { comments?: { path: string; line: number; side?: string; start_line?: number }[] }): [number, object] | undefined => {
    for (const c of body.comments ?? []) {
      const patch = patches[c.path];
      const hunk = patch ? rightSideHunks(patch).find((h) => h.includes(c.line)) : undefined;
      const startOk = c.start_line === undefined || (c.start_line < c.line && hunk?.includes(c.start_line));
      if (c.side !== 'RIGHT' || !hunk || !startOk) {
        return [422, { message: 'Unprocessable Entity', errors: ['Pull request review thread line must be part of the diff'], documentation_url: 'https://docs.github.com/rest/pulls/reviews#create-a-review-for-a-pull-request' }];
      }
    }
    return undefined;
  };
}

export function mockToken(scope: nock.Scope): nock.Scope {
  return scope.post(`/app/installations/${INSTALLATION}/access_tokens`).reply(200, { token: 'ghs_test', permissions: { checks: 'write', contents: 'read', pull_requests: 'write', metadata: 'read' } });
}

export function blob(content: string): { content: string; encoding: 'base64'; size: number; sha: string; url: string; node_id: string } {
  return { content: Buffer.from(content).toString('base64'), encoding: 'base64', size: Buffer.byteLength(content), sha: 'x', url: 'x', node_id: 'x' };
}

export function fileEntry(filename: string, status: string, sha: string, patch: string | undefined) {
  return { sha, filename, status, additions: 1, deletions: 0, changes: 1, blob_url: 'x', raw_url: 'x', contents_url: 'x', ...(patch !== undefined ? { patch } : {}) };
}

/** A whole new file as GitHub shows it: every line added. */
export function addedPatch(content: string): string {
  const lines = content.replace(/\n$/, '').split('\n');
  return [`@@ -0,0 +1,${lines.length} @@`, ...lines.map((l) => `+${l}`)].join('\n');
}

import type { ApplicationFunction, ApplicationFunctionOptions, Probot } from 'probot';
import { RULES, ruleById } from './analyzers/rules/index.js';
import { registerHandlers } from './github/handlers.js';
import { WorkerPoolAnalyzer, type Analyzer } from './queue/analyzer.js';
import { ReviewQueue } from './queue/review-queue.js';
import { VERSION } from './meta.js';

export interface AppOptions {
  readonly analyzer?: Analyzer;
  readonly queue?: ReviewQueue;
}

/** `REVIEW_CONCURRENCY`: reviews analyzed at once (default 4). */
export function reviewConcurrency(env: NodeJS.ProcessEnv = process.env): number {
  const value = Number(env['REVIEW_CONCURRENCY'] ?? 4);
  return Number.isInteger(value) && value > 0 ? value : 4;
}

/**
 * The Probot application: registers the webhook handlers and a health endpoint, nothing else.
 * `createApp()` takes the analyzer and queue so that tests can run reviews in-process.
 */
export function createApp(options: AppOptions = {}): ApplicationFunction {
  return (app: Probot, probotOptions?: ApplicationFunctionOptions) => {
    const queue = options.queue ?? new ReviewQueue(reviewConcurrency());
    const analyzer = options.analyzer ?? new WorkerPoolAnalyzer();
    registerHandlers(app, {
      queue,
      analyzer,
      ruleIds: RULES.map((r) => r.id),
      ruleText: (id) => ruleById(id),
    });
    // For load balancers and container orchestrators: GET /healthz. Only under Probot's server
    // (`npm start`); `probot.load()` without one (tests, custom middleware) has no HTTP handlers.
    try {
      probotOptions?.addHandler((req, res) => {
        if (req.method !== 'GET' || (req.url !== '/healthz' && req.url !== '/health')) return false;
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ status: 'ok', version: VERSION, queued: queue.size, running: queue.pending }));
        return true;
      });
    } catch {
      // No server instance.
    }
  };
}

export default createApp();

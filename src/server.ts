#!/usr/bin/env node
import { run } from 'probot';
import { createApp, reviewConcurrency } from './app.js';
import { pipelineOctokit } from './github/octokit.js';
import { ReviewQueue } from './queue/review-queue.js';

/** How long a stopping server waits for queued and running reviews to publish. */
const DRAIN_TIMEOUT_MS = 25_000;

/**
 * `npm start`: runs the App with Probot's standard environment (APP_ID, PRIVATE_KEY or
 * PRIVATE_KEY_PATH, WEBHOOK_SECRET, WEBHOOK_PATH, PORT, HOST, LOG_LEVEL, LOG_FORMAT, GHE_HOST,
 * GHE_PROTOCOL, WEBHOOK_PROXY_URL). Without credentials outside production, Probot serves the
 * setup page that registers the App from app.yml.
 */
const queue = new ReviewQueue(reviewConcurrency());
const app = createApp({ queue });
const server = await run(
  (probot, options) => {
    // Probot falls back to the secret "development": in production that would accept forged deliveries.
    if (process.env['NODE_ENV'] === 'production' && !process.env['WEBHOOK_SECRET']) {
      throw new Error('WEBHOOK_SECRET is not set: refusing to accept unsigned webhook deliveries in production.');
    }
    return app(probot, options);
  },
  { Octokit: pipelineOctokit() },
);

// Orchestrators stop containers with SIGTERM: let the reviews in flight publish and complete
// their check runs (a check left in progress would block a required status) before exiting.
process.once('SIGTERM', () => {
  console.info(`SIGTERM: finishing ${queue.pending} running and ${queue.size} queued reviews, then stopping`);
  const deadline = new Promise((done) => setTimeout(done, DRAIN_TIMEOUT_MS).unref());
  void Promise.race([queue.onIdle(), deadline])
    .then(() => server.stop())
    .finally(() => process.exit(0));
});

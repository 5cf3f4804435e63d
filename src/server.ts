#!/usr/bin/env node
import { ProbotOctokit, run } from 'probot';
import app from './app.js';

/** Attempts after a rate limit before giving up on a request (Probot's default retries forever). */
const RATE_LIMIT_RETRIES = 3;

/**
 * `npm start`: runs the App with Probot's standard environment (APP_ID, PRIVATE_KEY or
 * PRIVATE_KEY_PATH, WEBHOOK_SECRET, WEBHOOK_PATH, PORT, HOST, LOG_LEVEL, GHE_HOST, GHE_PROTOCOL,
 * WEBHOOK_PROXY_URL). Without credentials outside production, Probot serves the setup page that
 * registers the App from app.yml.
 */
const Octokit = ProbotOctokit.defaults({
  throttle: {
    onRateLimit: (retryAfter: number, options: { method: string; url: string }, octokit: { log: { warn(msg: string): void } }, retryCount: number) => {
      octokit.log.warn(`Rate limit hit on ${options.method} ${options.url} (attempt ${retryCount + 1}); ${retryCount < RATE_LIMIT_RETRIES ? `retrying in ${retryAfter}s` : 'giving up'}`);
      return retryCount < RATE_LIMIT_RETRIES;
    },
    onSecondaryRateLimit: (retryAfter: number, options: { method: string; url: string }, octokit: { log: { warn(msg: string): void } }, retryCount: number) => {
      octokit.log.warn(`Secondary rate limit hit on ${options.method} ${options.url} (attempt ${retryCount + 1}); ${retryCount < RATE_LIMIT_RETRIES ? `retrying in ${retryAfter}s` : 'giving up'}`);
      return retryCount < RATE_LIMIT_RETRIES;
    },
  },
});

await run(app, { Octokit });

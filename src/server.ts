#!/usr/bin/env node
import { run } from 'probot';
import app from './app.js';
import { pipelineOctokit } from './github/octokit.js';

/**
 * `npm start`: runs the App with Probot's standard environment (APP_ID, PRIVATE_KEY or
 * PRIVATE_KEY_PATH, WEBHOOK_SECRET, WEBHOOK_PATH, PORT, HOST, LOG_LEVEL, LOG_FORMAT, GHE_HOST,
 * GHE_PROTOCOL, WEBHOOK_PROXY_URL). Without credentials outside production, Probot serves the
 * setup page that registers the App from app.yml.
 */
await run(app, { Octokit: pipelineOctokit() });

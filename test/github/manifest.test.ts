import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Probot } from 'probot';
import { describe, expect, it, vi } from 'vitest';
import { parse } from 'yaml';
import { createApp } from '../../src/app.js';
import { InlineAnalyzer } from '../../src/queue/analyzer.js';
import { ReviewQueue } from '../../src/queue/review-queue.js';
import { TEST_PRIVATE_KEY } from './support.js';

const manifest = parse(readFileSync(join(import.meta.dirname, '..', '..', 'app.yml'), 'utf8')) as {
  default_events: string[];
  default_permissions: Record<string, string>;
};

/**
 * The permission GitHub requires before an App may subscribe to each event (GitHub refuses a
 * manifest or settings form that subscribes without it).
 */
const EVENT_PERMISSION: Record<string, string> = {
  pull_request: 'pull_requests',
  issue_comment: 'issues',
  check_run: 'checks',
  check_suite: 'checks',
};

async function registeredEvents(): Promise<string[]> {
  const probot = new Probot({ appId: 1, privateKey: TEST_PRIVATE_KEY, logLevel: 'fatal' });
  const on = vi.spyOn(probot, 'on');
  await probot.load(createApp({ analyzer: new InlineAnalyzer(), queue: new ReviewQueue(1) }));
  const names = on.mock.calls.flatMap(([events]) => (Array.isArray(events) ? events : [events]) as string[]);
  return [...new Set(names.map((n) => n.split('.')[0]!))].sort();
}

describe('app.yml', () => {
  it('subscribes to exactly the events the App handles', async () => {
    expect([...manifest.default_events].sort()).toEqual(await registeredEvents());
  });

  it('asks for the permission each subscribed event requires', () => {
    for (const event of manifest.default_events) {
      const permission = EVENT_PERMISSION[event];
      expect(permission, `no known permission for ${event}`).toBeDefined();
      expect(manifest.default_permissions[permission!], `${event} needs ${permission}`).toMatch(/^(?:read|write)$/);
    }
  });

  it('asks for nothing beyond what the review needs', () => {
    expect(manifest.default_permissions).toEqual({ checks: 'write', contents: 'read', issues: 'read', pull_requests: 'write', metadata: 'read' });
  });
});

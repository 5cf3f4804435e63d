import { ProbotOctokit } from 'probot';

/** Attempts after a rate limit before giving up on a request. */
export const RATE_LIMIT_RETRIES = 3;

interface ThrottledRequest {
  readonly method: string;
  readonly url: string;
}

interface LogTarget {
  readonly log: { warn(message: string): void };
}

/**
 * The Octokit class the App runs with. Probot passes its own throttle options (which only log a
 * secondary rate limit and do not retry) as *instance* options, so static defaults would be
 * replaced: this function-style default runs after Probot's and puts bounded retries back, on
 * the App's client and on every installation client derived from it (`enabled: true` is what
 * Probot copies to installation clients).
 */
export function pipelineOctokit(options: { throttle?: boolean; retry?: boolean } = {}): typeof ProbotOctokit {
  const retryOnLimit = (kind: string) => (retryAfter: number, request: ThrottledRequest, octokit: LogTarget, retryCount: number): boolean => {
    const retry = retryCount < RATE_LIMIT_RETRIES;
    octokit.log.warn(`${kind} hit on ${request.method} ${request.url} (attempt ${retryCount + 1}); ${retry ? `retrying in ${retryAfter}s` : 'giving up'}`);
    return retry;
  };
  return ProbotOctokit.defaults((instanceOptions: Record<string, unknown>) => ({
    ...instanceOptions,
    throttle:
      options.throttle === false
        ? { enabled: false }
        : {
            ...(instanceOptions['throttle'] as object | undefined),
            enabled: true,
            onRateLimit: retryOnLimit('Rate limit'),
            onSecondaryRateLimit: retryOnLimit('Secondary rate limit'),
          },
    ...(options.retry === false ? { retry: { enabled: false } } : {}),
  })) as typeof ProbotOctokit;
}

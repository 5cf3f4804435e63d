import PQueue from 'p-queue';

/** A queued review: knows whether a newer head of the same pull request has arrived since. */
export interface Ticket {
  readonly key: string;
  readonly headSha: string;
  /** False once a newer job for the same pull request was enqueued. */
  isCurrent(): boolean;
  /** The head SHA that superseded this job, if any. */
  supersededBy(): string | undefined;
}

/**
 * Review jobs run through a bounded queue. Per pull request the newest job wins: an older job
 * (an earlier head, or the same head re-requested) sees `isCurrent()` turn false and stops
 * before publishing anything.
 */
export class ReviewQueue {
  private readonly queue: PQueue;
  private readonly latest = new Map<string, { generation: number; headSha: string }>();
  private generation = 0;

  /** `autoStart: false` holds jobs until `start()` (tests use it to queue several first). */
  constructor(concurrency: number, options: { autoStart?: boolean } = {}) {
    this.queue = new PQueue({ concurrency, autoStart: options.autoStart ?? true });
  }

  start(): void {
    this.queue.start();
  }

  enqueue(key: string, headSha: string, run: (ticket: Ticket) => Promise<void>): Ticket {
    const generation = ++this.generation;
    this.latest.set(key, { generation, headSha });
    const ticket: Ticket = {
      key,
      headSha,
      isCurrent: () => this.latest.get(key)?.generation === generation,
      supersededBy: () => {
        const latest = this.latest.get(key);
        return latest && latest.generation !== generation ? latest.headSha : undefined;
      },
    };
    void this.queue
      .add(async () => {
        try {
          await run(ticket);
        } finally {
          // Forget finished pull requests so the map does not grow forever.
          if (this.latest.get(key)?.generation === generation) this.latest.delete(key);
        }
      })
      .catch(() => {
        // run() reports its own failures; the queue must keep going.
      });
    return ticket;
  }

  get size(): number {
    return this.queue.size;
  }

  get pending(): number {
    return this.queue.pending;
  }

  onIdle(): Promise<void> {
    return this.queue.onIdle();
  }
}

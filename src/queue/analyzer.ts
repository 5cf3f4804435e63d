import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { analyze } from '../analyzers/analyze.js';
import type { AnalyzeResult, SourceFile } from '../analyzers/types.js';
import type { Config } from '../config/schema.js';

/** Runs `analyze()`, in this thread or in a pool of worker threads. */
export interface Analyzer {
  analyze(files: readonly SourceFile[], config: Config): Promise<AnalyzeResult>;
  close(): Promise<void>;
}

/** In-process analysis: for tests and tiny deployments. */
export class InlineAnalyzer implements Analyzer {
  async analyze(files: readonly SourceFile[], config: Config): Promise<AnalyzeResult> {
    return analyze(files, config);
  }

  async close(): Promise<void> {}
}

interface Task {
  readonly id: number;
  readonly files: readonly SourceFile[];
  readonly config: Config;
  readonly resolve: (result: AnalyzeResult) => void;
  readonly reject: (error: Error) => void;
}

interface Slot {
  worker: Worker;
  task: Task | undefined;
}

export type WorkerReply = { readonly id: number; readonly result: AnalyzeResult } | { readonly id: number; readonly error: string };

/**
 * A fixed set of worker threads, each with its own tree-sitter parser, so that parsing one
 * large pull request does not block webhooks or other reviews. A worker that dies fails only
 * its task and is replaced.
 */
export class WorkerPoolAnalyzer implements Analyzer {
  private readonly slots: Slot[] = [];
  private readonly waiting: Task[] = [];
  private nextId = 0;
  private closed = false;

  constructor(readonly size = Math.max(1, availableParallelism() - 1)) {
    for (let i = 0; i < size; i++) this.slots.push(this.spawn());
  }

  private spawn(): Slot {
    // From source (tests, `tsx`) the worker is TypeScript and needs the same loader.
    const fromSource = import.meta.url.endsWith('.ts');
    const worker = new Worker(new URL(`./worker.${fromSource ? 'ts' : 'js'}`, import.meta.url), fromSource ? { execArgv: ['--import', 'tsx'] } : {});
    const slot: Slot = { worker, task: undefined };
    worker.on('message', (reply: WorkerReply) => {
      const task = slot.task;
      slot.task = undefined;
      if (task && task.id === reply.id) {
        if ('error' in reply) task.reject(new Error(reply.error));
        else task.resolve(reply.result);
      }
      this.dispatch();
    });
    const fail = (error: Error): void => {
      const task = slot.task;
      slot.task = undefined;
      task?.reject(error);
      if (this.closed) return;
      const index = this.slots.indexOf(slot);
      if (index !== -1) this.slots[index] = this.spawn();
      this.dispatch();
    };
    worker.on('error', fail);
    worker.on('exit', (code) => {
      if (!this.closed) fail(new Error(`analysis worker exited with code ${code}`));
    });
    worker.unref();
    return slot;
  }

  private dispatch(): void {
    for (const slot of this.slots) {
      if (slot.task || this.waiting.length === 0) continue;
      const task = this.waiting.shift()!;
      slot.task = task;
      slot.worker.ref();
      slot.worker.postMessage({ id: task.id, files: task.files, config: task.config });
    }
    for (const slot of this.slots) if (!slot.task) slot.worker.unref();
  }

  analyze(files: readonly SourceFile[], config: Config): Promise<AnalyzeResult> {
    if (this.closed) return Promise.reject(new Error('analyzer pool is closed'));
    return new Promise((resolve, reject) => {
      this.waiting.push({ id: this.nextId++, files, config, resolve, reject });
      this.dispatch();
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const task of this.waiting.splice(0)) task.reject(new Error('analyzer pool is closed'));
    await Promise.all(this.slots.map((s) => s.worker.terminate()));
  }
}

import { parentPort } from 'node:worker_threads';
import { analyze } from '../analyzers/analyze.js';
import type { SourceFile } from '../analyzers/types.js';
import type { Config } from '../config/schema.js';
import type { WorkerReply } from './analyzer.js';

/** Analysis worker: one tree-sitter parser per thread, one task at a time. */
parentPort?.on('message', (task: { id: number; files: SourceFile[]; config: Config }) => {
  let reply: WorkerReply;
  try {
    reply = { id: task.id, result: analyze(task.files, task.config) };
  } catch (error) {
    reply = { id: task.id, error: error instanceof Error ? error.message : String(error) };
  }
  parentPort?.postMessage(reply);
});

import type { Rule } from '../rule.js';
import brz001 from './BRZ001-bronze-missing-ingestion-timestamp.js';
import brz002 from './BRZ002-bronze-missing-source-lineage.js';
import brz003 from './BRZ003-bronze-no-bad-record-capture.js';
import brz004 from './BRZ004-bronze-overwrite.js';
import cdc001 from './CDC001-change-type-ignored.js';
import err001 from './ERR001-swallowed-pipeline-failure.js';
import err005 from './ERR005-eval-or-exec.js';
import gld001 from './GLD001-gold-append-aggregates.js';
import gld003 from './GLD003-count-named-as-distinct.js';
import inc002 from './INC002-incremental-overwrite-drops-data.js';
import lyr001 from './LYR001-layer-dependency-violation.js';
import perf003 from './PERF003-reused-without-cache.js';
import perf004 from './PERF004-count-for-emptiness.js';
import perf005 from './PERF005-withcolumn-in-loop.js';
import slv001 from './SLV001-silver-blind-append.js';
import slv002 from './SLV002-merge-source-not-deduplicated.js';
import slv003 from './SLV003-merge-missing-execute.js';
import slv005 from './SLV005-silver-without-validation.js';
import str001 from './STR001-stream-missing-checkpoint.js';

/** The registry: every rule, sorted by ID. test/analyzers/registry.test.ts checks it is complete. */
export const RULES: readonly Rule[] = [
  brz001,
  brz002,
  brz003,
  brz004,
  cdc001,
  err001,
  err005,
  gld001,
  gld003,
  inc002,
  lyr001,
  perf003,
  perf004,
  perf005,
  slv001,
  slv002,
  slv003,
  slv005,
  str001,
];

export function ruleById(id: string): Rule | undefined {
  return RULES.find((r) => r.id === id);
}

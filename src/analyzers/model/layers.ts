import picomatch from 'picomatch';
import { strKnownText, strValue, type Str } from './strings.js';
import type { Layer, LayerEvidence, LayerOrUnknown } from './types.js';

export type LayerPatterns = Partial<Record<Layer, readonly string[]>>;

/** The medallion names themselves: they mean the layer wherever they appear in a name. */
const MEDALLION: ReadonlyMap<string, Layer> = new Map<string, Layer>([
  ['bronze', 'bronze'],
  ['silver', 'silver'],
  ['gold', 'gold'],
]);

/**
 * Zone names that are also ordinary business words (`raw_materials`, `landing_page_views`,
 * `serving_sizes`, `reporting_calendar`). They count only as a name of their own (`raw.events`,
 * `/mnt/landing/`), at the end of one (`sales_mart`, `events_raw`), followed by generic words
 * (`raw_zone`, `curated_df`), or after `to`/`into` (`load_to_raw`).
 */
const ZONE_WORDS: ReadonlyMap<string, Layer> = new Map<string, Layer>([
  ['raw', 'bronze'],
  ['landing', 'bronze'],
  ['cleansed', 'silver'],
  ['clean', 'silver'],
  ['refined', 'silver'],
  ['conformed', 'silver'],
  ['enriched', 'silver'],
  ['curated', 'gold'],
  ['mart', 'gold'],
  ['marts', 'gold'],
  ['serving', 'gold'],
  ['aggregate', 'gold'],
  ['aggregates', 'gold'],
  ['report', 'gold'],
  ['reports', 'gold'],
  ['reporting', 'gold'],
]);

const DATA_VERBS = new Set(['from', 'read', 'reads', 'load', 'loads', 'ingest', 'ingests', 'write', 'writes', 'land', 'lands', 'extract', 'fetch', 'get', 'stage', 'publish', 'refresh']);

/** Words that say "a place for data" without naming what data. */
const GENERIC_WORDS = new Set([
  'zone', 'zones', 'layer', 'layers', 'tier', 'db', 'database', 'schema', 'data', 'lake', 'lakehouse', 'area', 'container',
  'bucket', 'dir', 'directory', 'folder', 'path', 'paths', 'root', 'prefix', 'location', 'loc', 'uri', 'url', 'table', 'tables',
  'tbl', 'df', 'sdf', 'dataframe', 'name', 'dataset', 'datasets', 'storage', 'store', 'files', 'delta', 'catalog', 'dev', 'prod',
  'qa', 'uat', 'test', 'v', 'tmp', 'layer', 's3', 'adls', 'gcs', 'abfss', 'dbfs', 'mnt', 'volume', 'volumes',
]);

export const LAYER_KEYWORDS: Readonly<Record<Layer, readonly string[]>> = {
  bronze: ['bronze', ...[...ZONE_WORDS].filter(([, l]) => l === 'bronze').map(([k]) => k)],
  silver: ['silver', ...[...ZONE_WORDS].filter(([, l]) => l === 'silver').map(([k]) => k)],
  gold: ['gold', ...[...ZONE_WORDS].filter(([, l]) => l === 'gold').map(([k]) => k)],
};

/** Words of one name: `ingestToBronze`, `ingest_to_bronze`, `ingest-to-bronze` -> ingest, to, bronze. */
function words(segment: string): string[] {
  return segment
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^a-z0-9]+|(?<=[a-z])(?=[0-9])|(?<=[0-9])(?=[a-z])/)
    .filter((w) => w !== '');
}

/**
 * The layer one segment of a name points to. `bronze_to_silver` names what is produced: the
 * layer after `to`/`into` wins; any other mix of layers is ambiguous.
 */
function layerOfSegment(segment: string, medallionOnly = false): Layer | 'ambiguous' | undefined {
  const ws = words(segment);
  const found = new Set<Layer>();
  let afterTo: Layer | undefined;
  for (let i = 0; i < ws.length; i++) {
    const word = ws[i]!;
    const prev = ws[i - 1];
    const afterToWord = prev === 'to' || prev === 'into';
    // `read_raw_orders`, `load_landing_files`: a data verb says the next word is a zone.
    const afterVerb = prev !== undefined && DATA_VERBS.has(prev);
    let layer = MEDALLION.get(word);
    if (!layer && !medallionOnly) {
      const zone = ZONE_WORDS.get(word);
      if (zone && (afterToWord || afterVerb || ws.slice(i + 1).every((w) => GENERIC_WORDS.has(w) || /^\d+$/.test(w)))) layer = zone;
    }
    if (!layer) continue;
    found.add(layer);
    if (afterToWord) afterTo = layer;
  }
  if (found.size === 0) return undefined;
  if (found.size === 1) return [...found][0];
  return afterTo ?? 'ambiguous';
}

/**
 * The layer a path, table name or identifier points to. Segments (split on `/`, `.`, `:`) are
 * read from the outside in: in `main.silver.events_raw` the schema decides, in
 * `/mnt/raw/silver_candidates` the zone directory does.
 */
export function layerOfText(text: string, medallionOnly = false): Layer | undefined {
  const key = medallionOnly ? `\u0001${text}` : text;
  if (layerCache.has(key)) return layerCache.get(key);
  const layer = computeLayerOfText(text, medallionOnly);
  if (layerCache.size > 50_000) layerCache.clear();
  layerCache.set(key, layer);
  return layer;
}

/** Names repeat across a codebase (`bronze_path`, `spark`): each is split into words once. */
const layerCache = new Map<string, Layer | undefined>();

function computeLayerOfText(text: string, medallionOnly: boolean): Layer | undefined {
  const segments = text.split(/[/.:\\]+/).filter((s) => s !== '');
  // A segment that is just a medallion name (`gold`, `silver_zone`) beats a zone word further
  // out: a bucket or catalog named after a zone (`acme-raw-zone`, `raw_catalog`) holds layers.
  for (const segment of segments) {
    const ws = words(segment);
    const pure = ws.filter((w) => !GENERIC_WORDS.has(w) && !/^\d+$/.test(w));
    if (pure.length === 1 && MEDALLION.has(pure[0]!)) return MEDALLION.get(pure[0]!);
  }
  for (const segment of segments) {
    const layer = layerOfSegment(segment, medallionOnly);
    if (layer === 'ambiguous') return undefined;
    if (layer) return layer;
  }
  return undefined;
}

export interface LayerEvidenceInput {
  readonly str: Str | undefined;
  readonly names: readonly string[];
  /** Enclosing function, method and class names, innermost first. Only for sinks. */
  readonly functionNames: readonly string[];
  /** The file path. Only for sinks. */
  readonly path: string | undefined;
}

export interface LayerVerdict {
  readonly layer: LayerOrUnknown;
  readonly evidence: LayerEvidence | undefined;
}

/** Operational tables: run logs, metrics, watermarks, quarantine. */
const OPERATIONAL =
  /(?:^|[^a-z])(?:ops|audit|logs?|metrics?|monitoring|telemetry|job_?runs?|runs?|control|meta|metadata|watermarks?|checkpoints?|state|dq|data_?quality|quarantine|dlq|dead_?letter|errors?|rejects?|rejected|bad_?records|lineage|stats|tmp|temp|scratch)(?:[^a-z]|$)/i;

/** Run logs, metrics, watermarks, quarantine: tables about the pipeline rather than its data. */
export function isOperationalName(name: string): boolean {
  return OPERATIONAL.test(name);
}

/** Test code writes to temporary tables whatever the test is named after. */
const TEST_FILE = /(?:^|\/)(?:tests?|testing)\/|(?:^|\/)test_[^/]*\.py$|_test\.py$|(?:^|\/)conftest\.py$/;

/** pytest's conventions: `tests/`, `test_*.py`, `*_test.py`, `conftest.py`. */
export function isTestFile(path: string): boolean {
  return TEST_FILE.test(path.replace(/\\/g, '/'));
}

const UNKNOWN: LayerVerdict = { layer: 'unknown', evidence: undefined };

export class LayerInference {
  private readonly matchers: readonly (readonly [Layer, (text: string) => boolean])[];

  constructor(patterns: LayerPatterns = {}) {
    const matchers: [Layer, (text: string) => boolean][] = [];
    for (const layer of ['bronze', 'silver', 'gold'] as const) {
      for (const pattern of patterns[layer] ?? []) {
        matchers.push([layer, picomatch(pattern, { nocase: true, dot: true })]);
      }
    }
    this.matchers = matchers;
  }

  private configLayer(text: string): Layer | undefined {
    if (this.matchers.length === 0) return undefined;
    for (const [layer, matches] of this.matchers) if (matches(text)) return layer;
    return undefined;
  }

  /**
   * Strongest evidence first: the table's own name (config patterns, then the resolved string,
   * then identifiers), then the enclosing function's name, then the file path. Config patterns
   * win over keywords within each tier, but a pattern on the file path does not override what
   * the table name itself says.
   */
  infer(input: LayerEvidenceInput): LayerVerdict {
    const resolved = strValue(input.str);
    const own = [...(resolved !== undefined ? [resolved] : []), ...input.names];
    for (const text of own) {
      const layer = this.configLayer(text);
      if (layer) return { layer, evidence: 'config' };
    }
    // An operational table (`ops.ingestion_report`) is placed only by bronze/silver/gold in its name.
    const operationalName = resolved !== undefined && OPERATIONAL.test(resolved);
    if (input.str) {
      const text = strKnownText(input.str, '\u0000');
      const layer = layerOfText(text, operationalName);
      if (layer) return this.unlessJobDisagrees(layer, text, input, 'string');
    }
    for (const name of input.names) {
      const layer = layerOfText(name, operationalName);
      if (layer) return this.unlessJobDisagrees(layer, name, input, 'identifier');
    }
    // A table whose full name is known but says nothing about a layer gets one from the function
    // or file writing it only through `bronze`/`silver`/`gold` there, and never when the name is
    // operational (`ops.job_runs`, `audit.metrics`): jobs write run logs next to their tables.
    const medallionOnly = resolved !== undefined;
    const operational = operationalName;
    const weak: [LayerEvidence, readonly string[]][] = [
      ['function', input.functionNames.filter((n) => !/^test/i.test(n))],
      ['path', input.path && !TEST_FILE.test(input.path) ? [input.path] : []],
    ];
    for (const [evidence, texts] of weak) {
      for (const text of texts) {
        const layer = this.configLayer(text);
        if (layer) return { layer, evidence: 'config' };
      }
      if (operational) continue;
      for (const text of texts) {
        const layer = layerOfText(text, medallionOnly);
        if (layer) return { layer, evidence };
      }
    }
    return UNKNOWN;
  }

  /**
   * A name placed only by a business-sounding zone word (`risk.credit_reports`, `sales_mart`)
   * written by a job that says bronze/silver/gold otherwise (`pipelines/bronze/...`,
   * `def ingest_to_bronze`) is ambiguous: neither is trusted.
   */
  private unlessJobDisagrees(layer: Layer, text: string, input: LayerEvidenceInput, evidence: LayerEvidence): LayerVerdict {
    if (layerOfText(text, true) === layer) return { layer, evidence };
    const jobTexts = [...input.functionNames.filter((n) => !/^test/i.test(n)), ...(input.path && !TEST_FILE.test(input.path) ? [input.path] : [])];
    for (const jobText of jobTexts) {
      const jobLayer = layerOfText(jobText, true);
      if (jobLayer) return jobLayer === layer ? { layer, evidence } : UNKNOWN;
    }
    return { layer, evidence };
  }
}

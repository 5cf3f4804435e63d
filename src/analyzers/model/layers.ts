import picomatch from 'picomatch';
import { strKnownText, strValue, type Str } from './strings.js';
import type { Layer, LayerEvidence, LayerOrUnknown } from './types.js';

export type LayerPatterns = Partial<Record<Layer, readonly string[]>>;

const KEYWORDS: ReadonlyMap<string, Layer> = new Map<string, Layer>([
  ['bronze', 'bronze'],
  ['raw', 'bronze'],
  ['landing', 'bronze'],
  ['silver', 'silver'],
  ['cleansed', 'silver'],
  ['clean', 'silver'],
  ['refined', 'silver'],
  ['conformed', 'silver'],
  ['enriched', 'silver'],
  ['gold', 'gold'],
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

export const LAYER_KEYWORDS: Readonly<Record<Layer, readonly string[]>> = {
  bronze: [...KEYWORDS].filter(([, l]) => l === 'bronze').map(([k]) => k),
  silver: [...KEYWORDS].filter(([, l]) => l === 'silver').map(([k]) => k),
  gold: [...KEYWORDS].filter(([, l]) => l === 'gold').map(([k]) => k),
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
function layerOfSegment(segment: string): Layer | 'ambiguous' | undefined {
  const ws = words(segment);
  const found = new Set<Layer>();
  let afterTo: Layer | undefined;
  for (let i = 0; i < ws.length; i++) {
    const layer = KEYWORDS.get(ws[i]!);
    if (!layer) continue;
    found.add(layer);
    const prev = ws[i - 1];
    if (prev === 'to' || prev === 'into') afterTo = layer;
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
export function layerOfText(text: string): Layer | undefined {
  if (layerCache.has(text)) return layerCache.get(text);
  const layer = computeLayerOfText(text);
  if (layerCache.size > 50_000) layerCache.clear();
  layerCache.set(text, layer);
  return layer;
}

/** Names repeat across a codebase (`bronze_path`, `spark`): each is split into words once. */
const layerCache = new Map<string, Layer | undefined>();

function computeLayerOfText(text: string): Layer | undefined {
  for (const segment of text.split(/[/.:\\]+/)) {
    if (segment === '') continue;
    const layer = layerOfSegment(segment);
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
    if (input.str) {
      const layer = layerOfText(strKnownText(input.str, '\u0000'));
      if (layer) return { layer, evidence: 'string' };
    }
    for (const name of input.names) {
      const layer = layerOfText(name);
      if (layer) return { layer, evidence: 'identifier' };
    }
    const weak: [LayerEvidence, readonly string[]][] = [
      ['function', input.functionNames],
      ['path', input.path ? [input.path] : []],
    ];
    for (const [evidence, texts] of weak) {
      for (const text of texts) {
        const layer = this.configLayer(text);
        if (layer) return { layer, evidence: 'config' };
      }
      for (const text of texts) {
        const layer = layerOfText(text);
        if (layer) return { layer, evidence };
      }
    }
    return UNKNOWN;
  }
}

import { describe, expect, it } from 'vitest';
import { LAYER_KEYWORDS, LayerInference, layerOfText, type LayerEvidenceInput } from '../../../src/analyzers/model/layers.js';
import { concatStr, holeStr, literalStr, type Str } from '../../../src/analyzers/model/strings.js';

describe('layerOfText', () => {
  describe('default keywords', () => {
    it.each([
      ...LAYER_KEYWORDS.bronze.map((k) => [k, 'bronze'] as const),
      ...LAYER_KEYWORDS.silver.map((k) => [k, 'silver'] as const),
      ...LAYER_KEYWORDS.gold.map((k) => [k, 'gold'] as const),
    ])('%s -> %s', (keyword, layer) => {
      expect(layerOfText(keyword)).toBe(layer);
      expect(layerOfText(keyword.toUpperCase())).toBe(layer);
    });

    it('has the catalog keywords', () => {
      expect(LAYER_KEYWORDS.bronze).toEqual(expect.arrayContaining(['bronze', 'raw', 'landing']));
      expect(LAYER_KEYWORDS.silver).toEqual(expect.arrayContaining(['silver', 'cleansed', 'clean', 'refined', 'conformed', 'enriched']));
      expect(LAYER_KEYWORDS.gold).toEqual(expect.arrayContaining(['gold', 'curated', 'mart', 'serving', 'aggregate', 'aggregates', 'report', 'reporting']));
    });
  });

  it.each([
    ['/mnt/bronze/events', 'bronze'],
    ['dbfs:/mnt/landing/orders/', 'bronze'],
    ['s3://bucket/gold/kpis', 'gold'],
    ['abfss://silver@account.dfs.core.windows.net/orders', 'silver'],
    ['C:\\data\\gold\\kpis', 'gold'],
    ['main.gold.kpis', 'gold'],
    ['events_raw', 'bronze'],
    ['raw_zone', 'bronze'],
    ['orders_enriched', 'silver'],
    ['daily_aggregates', 'gold'],
    ['self.silver_path', 'silver'],
    ['bronze_table', 'bronze'],
    ['pipelines/bronze/ingest.py', 'bronze'],
    ['silver_orders.py', 'silver'],
    ['create_gold_metrics', 'gold'],
  ])('paths, tables and identifiers: %s -> %s', (text, layer) => {
    expect(layerOfText(text)).toBe(layer);
  });

  it.each([
    ['ingest_to_bronze', 'bronze'],
    ['ingestToBronze', 'bronze'],
    ['IngestToBronze', 'bronze'],
    ['ingest-to-bronze', 'bronze'],
    ['transformToSilver', 'silver'],
    ['SilverOrders', 'silver'],
    ['eventsRaw', 'bronze'],
    ['raw2', 'bronze'],
    ['silver_v2', 'silver'],
  ])('word splitting (snake, camel, kebab, digits): %s -> %s', (text, layer) => {
    expect(layerOfText(text)).toBe(layer);
  });

  it.each([
    ['bronze_to_silver', 'silver'],
    ['silver_to_gold', 'gold'],
    ['raw_to_bronze', 'bronze'],
    ['load_into_gold', 'gold'],
    ['to_silver_from_bronze', 'silver'],
    ['bronzeToSilver', 'silver'],
  ])('the layer after to/into names what is produced: %s -> %s', (text, layer) => {
    expect(layerOfText(text)).toBe(layer);
  });

  it.each(['bronze_silver', 'silver_and_gold', 'main.bronze_silver.gold_x'])('ambiguous segment gives no layer: %s', (text) => {
    expect(layerOfText(text)).toBeUndefined();
  });

  it.each([
    ['main.silver.events_raw', 'silver'],
    ['/mnt/raw/silver_candidates', 'bronze'],
    ['prod.bronze.gold_candidates', 'bronze'],
    ['main.analytics.silver_orders', 'silver'],
    ['gold.kpis_from_raw', 'gold'],
  ])('outer segments decide (schema before table, zone before file): %s -> %s', (text, layer) => {
    expect(layerOfText(text)).toBe(layer);
  });

  it.each(['events', 'analytics.orders', 'drawings', 'rawdata', 'cleanup', 'marketing', 'goldman_sachs', 'bronzed', '', '...', '/'])(
    'no keyword as a whole word: %j',
    (text) => {
      expect(layerOfText(text)).toBeUndefined();
    },
  );

  it('a hole marker separates words: keywords cannot be formed across it', () => {
    expect(layerOfText('/mnt/sil\u0000ver/x')).toBeUndefined();
    expect(layerOfText('/mnt/\u0000/gold/x')).toBe('gold');
    expect(layerOfText('gold\u0000_raw')).toBeUndefined();
  });
});

describe('LayerInference.infer', () => {
  const input = (over: Partial<LayerEvidenceInput>): LayerEvidenceInput => ({
    str: undefined,
    names: [],
    functionNames: [],
    path: undefined,
    ...over,
  });
  const lit = (s: string): Str => literalStr(s);
  const plain = new LayerInference();
  const configured = new LayerInference({
    bronze: ['lake.l1_*', '**/landing_zone/**'],
    silver: ['lake.l2_*'],
    gold: ['lake.l3_*', 'publish_*'],
  });

  it('nothing to go on: unknown', () => {
    expect(plain.infer(input({}))).toEqual({ layer: 'unknown', evidence: undefined });
    expect(plain.infer(input({ str: lit('analytics.orders'), names: ['target'], functionNames: ['run'], path: 'jobs/pipeline.py' }))).toEqual({
      layer: 'unknown',
      evidence: undefined,
    });
  });

  it('a resolved string', () => {
    expect(plain.infer(input({ str: lit('/mnt/silver/orders') }))).toEqual({ layer: 'silver', evidence: 'string' });
  });

  it('the string outranks identifiers, function and path', () => {
    const verdict = plain.infer(
      input({ str: lit('main.silver.orders'), names: ['gold_table'], functionNames: ['build_gold'], path: 'pipelines/bronze/x.py' }),
    );
    expect(verdict).toEqual({ layer: 'silver', evidence: 'string' });
  });

  it('the known parts of a string with holes: f"{base}/gold/kpis"', () => {
    const s = concatStr(holeStr('base'), literalStr('/gold/kpis'));
    expect(plain.infer(input({ str: s, names: ['base'] }))).toEqual({ layer: 'gold', evidence: 'string' });
  });

  it('a keyword is not formed across a hole: f"/mnt/sil{x}ver"', () => {
    const s = concatStr(literalStr('/mnt/sil'), holeStr('x'), literalStr('ver/kpis'));
    expect(plain.infer(input({ str: s }))).toEqual({ layer: 'unknown', evidence: undefined });
  });

  it('a string without a keyword falls back to the identifier: f"/mnt/{layer}/kpis" named silver_path', () => {
    const s = concatStr(literalStr('/mnt/'), holeStr('zone'), literalStr('/kpis'));
    expect(plain.infer(input({ str: s, names: ['silver_path', 'zone'] }))).toEqual({ layer: 'silver', evidence: 'identifier' });
  });

  it('identifiers, in order: the first with a layer wins', () => {
    expect(plain.infer(input({ names: ['target', 'self.silver_path', 'gold_path'] }))).toEqual({ layer: 'silver', evidence: 'identifier' });
    expect(plain.infer(input({ names: ['bronze_to_silver_path'] }))).toEqual({ layer: 'silver', evidence: 'identifier' });
  });

  it('a zone word in the name that the job contradicts places nothing; bronze/silver/gold in the name still win', () => {
    expect(plain.infer(input({ str: lit('risk.credit_reports'), path: 'pipelines/bronze/bureau.py' }))).toEqual({ layer: 'unknown', evidence: undefined });
    expect(plain.infer(input({ str: lit('risk.credit_reports'), functionNames: ['ingest_to_bronze'] }))).toEqual({ layer: 'unknown', evidence: undefined });
    expect(plain.infer(input({ str: lit('risk.credit_reports'), path: 'pipelines/gold/bureau.py' }))).toEqual({ layer: 'gold', evidence: 'string' });
    expect(plain.infer(input({ str: lit('risk.credit_reports') }))).toEqual({ layer: 'gold', evidence: 'string' });
    expect(plain.infer(input({ str: lit('main.gold.orders'), path: 'pipelines/bronze/x.py' }))).toEqual({ layer: 'gold', evidence: 'string' });
  });

  it('operational tables are placed only by bronze/silver/gold in their name', () => {
    expect(plain.infer(input({ str: lit('ops.ingestion_report') }))).toEqual({ layer: 'unknown', evidence: undefined });
    expect(plain.infer(input({ str: lit('audit.raw_file_counts') }))).toEqual({ layer: 'unknown', evidence: undefined });
    expect(plain.infer(input({ str: lit('gold.sales_metrics') }))).toEqual({ layer: 'gold', evidence: 'string' });
  });

  it('identifiers outrank the function name and the file path', () => {
    const verdict = plain.infer(input({ str: lit('analytics.orders'), names: ['silver_table'], functionNames: ['build_gold'], path: 'pipelines/bronze/x.py' }));
    expect(verdict).toEqual({ layer: 'silver', evidence: 'identifier' });
  });

  it('the enclosing function, innermost first, then the class', () => {
    expect(plain.infer(input({ names: ['target'], functionNames: ['create_gold_metrics'], path: 'pipelines/bronze/x.py' }))).toEqual({
      layer: 'gold',
      evidence: 'function',
    });
    expect(plain.infer(input({ functionNames: ['run', 'SilverOrdersJob'] }))).toEqual({ layer: 'silver', evidence: 'function' });
    expect(plain.infer(input({ functionNames: ['bronze_to_silver', 'GoldJob'] }))).toEqual({ layer: 'silver', evidence: 'function' });
  });

  it('the file path last', () => {
    expect(plain.infer(input({ functionNames: ['run'], path: 'pipelines/bronze/ingest.py' }))).toEqual({ layer: 'bronze', evidence: 'path' });
    expect(plain.infer(input({ path: 'jobs/silver_orders.py' }))).toEqual({ layer: 'silver', evidence: 'path' });
  });

  it('an ambiguous string falls through to weaker evidence', () => {
    expect(plain.infer(input({ str: lit('main.bronze_silver.x'), names: ['gold_t'] }))).toEqual({ layer: 'gold', evidence: 'identifier' });
  });

  describe('config patterns', () => {
    it('match repository-specific names that have no keyword', () => {
      expect(configured.infer(input({ str: lit('lake.l1_orders') }))).toEqual({ layer: 'bronze', evidence: 'config' });
      expect(configured.infer(input({ str: lit('lake.l2_orders') }))).toEqual({ layer: 'silver', evidence: 'config' });
      expect(plain.infer(input({ str: lit('lake.l1_orders') }))).toEqual({ layer: 'unknown', evidence: undefined });
    });

    it('come before the default keywords', () => {
      expect(configured.infer(input({ str: lit('lake.l1_gold_orders') }))).toEqual({ layer: 'bronze', evidence: 'config' });
      expect(plain.infer(input({ str: lit('lake.l1_gold_orders') }))).toEqual({ layer: 'gold', evidence: 'string' });
    });

    it('are case-insensitive globs over paths', () => {
      expect(configured.infer(input({ str: lit('LAKE.L3_KPIS') }))).toEqual({ layer: 'gold', evidence: 'config' });
      expect(configured.infer(input({ str: lit('/data/landing_zone/orders') }))).toEqual({ layer: 'bronze', evidence: 'config' });
    });

    it('are tried on identifiers and function names too', () => {
      expect(configured.infer(input({ names: ['lake.l2_customers'] }))).toEqual({ layer: 'silver', evidence: 'config' });
      expect(configured.infer(input({ names: ['target'], functionNames: ['publish_kpis'], path: 'jobs/x.py' }))).toEqual({
        layer: 'gold',
        evidence: 'config',
      });
    });

    it('are not tried on a string that still has holes, but its keywords are', () => {
      const s = concatStr(literalStr('lake.l1_'), holeStr('name'));
      expect(configured.infer(input({ str: s }))).toEqual({ layer: 'unknown', evidence: undefined });
      const g = concatStr(holeStr('base'), literalStr('/gold/kpis'));
      expect(configured.infer(input({ str: g }))).toEqual({ layer: 'gold', evidence: 'string' });
    });

    it('fall back to keywords when no pattern matches', () => {
      expect(configured.infer(input({ str: lit('main.silver.orders') }))).toEqual({ layer: 'silver', evidence: 'string' });
    });
  });
});

describe('word splitting of capital runs', () => {
  it('splits capital runs: HTMLRaw ends in raw, RAWEvents does not', async () => {
    const { layerOfText } = await import('../../../src/analyzers/model/layers.js');
    expect(layerOfText('HTMLRaw')).toBe('bronze');
    expect(layerOfText('EventsRAW')).toBe('bronze');
    expect(layerOfText('RAWEvents')).toBeUndefined();
  });

  it.each(['raw_materials', 'erp.raw_materials', 'web.landing_page_views', 'nutrition.serving_sizes', 'ref.reporting_calendar', 'raw_events', 'clean_up', 'report_failures'])(
    'reads business words as no layer: %s',
    async (text) => {
      const { layerOfText } = await import('../../../src/analyzers/model/layers.js');
      expect(layerOfText(text)).toBeUndefined();
    },
  );

  it('places a resolved table from its job only through bronze/silver/gold, and never an operational one', async () => {
    const { LayerInference } = await import('../../../src/analyzers/model/layers.js');
    const { literalStr } = await import('../../../src/analyzers/model/strings.js');
    const inference = new LayerInference();
    const infer = (table: string, path: string, fn: string[] = []) => inference.infer({ str: literalStr(table), names: [], functionNames: fn, path }).layer;
    expect(infer('lake.orders', 'pipelines/bronze/orders.py')).toBe('bronze');
    expect(infer('ops.job_runs', 'pipelines/silver/orders.py')).toBe('unknown');
    expect(infer('lake.orders', 'reports/orders.py')).toBe('unknown');
    expect(infer('lake.orders', 'tests/test_silver.py')).toBe('unknown');
    expect(infer('lake.orders', 'jobs/x.py', ['test_silver_roundtrip'])).toBe('unknown');
    expect(inference.infer({ str: undefined, names: ['target'], functionNames: [], path: 'reports/orders.py' }).layer).toBe('gold');
  });

  it('does not let a file-path pattern override what the table name says', async () => {
    const { LayerInference } = await import('../../../src/analyzers/model/layers.js');
    const { literalStr } = await import('../../../src/analyzers/model/strings.js');
    const inference = new LayerInference({ silver: ['etl/l2/**'] });
    expect(inference.infer({ str: literalStr('main.gold.kpis'), names: [], functionNames: [], path: 'etl/l2/job.py' }).layer).toBe('gold');
    expect(inference.infer({ str: literalStr('main.kpis'), names: [], functionNames: [], path: 'etl/l2/job.py' })).toEqual({ layer: 'silver', evidence: 'config' });
    expect(inference.infer({ str: literalStr('ops.job_runs'), names: [], functionNames: [], path: 'etl/l2/job.py' })).toEqual({ layer: 'silver', evidence: 'config' });
  });
});

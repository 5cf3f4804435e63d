import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyze } from '../src/analyzers/analyze.js';
import { defaultConfig } from '../src/config/schema.js';

const ROOT = join(import.meta.dirname, '..', 'examples');

function pythonFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((entry) => {
    const p = join(dir, entry);
    return statSync(p).isDirectory() ? pythonFiles(p) : p.endsWith('.py') ? [p] : [];
  });
}

/** What examples/README.md promises each file shows. */
const EXPECTED: Record<string, string[]> = {
  'medallion/bronze/orders_autoloader.py': [],
  'medallion/bronze/crm_customers_batch.py': ['BRZ001', 'BRZ002', 'BRZ003', 'BRZ004'],
  'medallion/silver/orders.py': [],
  'medallion/silver/customers.py': ['ERR005', 'PERF005', 'SLV002', 'SLV005'],
  'medallion/silver/payments_jdbc.py': ['ERR001', 'INC002', 'PERF003', 'PERF004'],
  'medallion/gold/daily_store_sales.py': ['GLD001', 'GLD003', 'PERF003'],
  'medallion/gold/customer_lifetime_value.py': [],
  'medallion/gold/campaign_attribution.py': ['LYR001'],
  'medallion/streaming/clickstream_kafka.py': ['STR001'],
  'medallion/streaming/orders_to_silver_foreach_batch.py': [],
  'medallion/cdc/customer_history_cdf.py': ['CDC001'],
  'medallion/cdc/address_corrections.py': ['SLV001', 'SLV003'],
  'medallion/cdc/dlt_customers_pipeline.py': [],
};

describe('the bundled examples', () => {
  const files = pythonFiles(ROOT).map((p) => ({ path: relative(ROOT, p), content: readFileSync(p, 'utf8') }));
  const result = analyze(files, defaultConfig());

  it('are all described', () => {
    expect(files.map((f) => f.path).sort()).toEqual(Object.keys(EXPECTED).sort());
    expect(result.skipped).toEqual([]);
    expect(result.errors).toEqual([]);
  });

  for (const [path, ids] of Object.entries(EXPECTED)) {
    it(`${path} shows ${ids.length === 0 ? 'no finding' : ids.join(', ')}`, () => {
      const found = [...new Set(result.findings.filter((f) => f.path === path).map((f) => f.id))].sort();
      expect(found).toEqual(ids);
    });
  }
});

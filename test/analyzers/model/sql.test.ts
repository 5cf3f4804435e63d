import { describe, expect, it } from 'vitest';
import { analyzeSql, sqlWithPlaceholders, type SqlInfo } from '../../../src/analyzers/model/sql.js';
import { concatStr, holeStr, literalStr, strDisplay, type Str } from '../../../src/analyzers/model/strings.js';

const show = (s: Str | undefined): string | undefined => (s ? strDisplay(s) : undefined);
const reads = (info: SqlInfo): string[] => info.reads.map((r) => strDisplay(r));

describe('analyzeSql: statement kind, target, overwrite', () => {
  it.each([
    ['SELECT * FROM silver.orders', 'select', undefined, false],
    ['  \n  select * from silver.orders', 'select', undefined, false],
    ['(SELECT * FROM silver.orders)', 'select', undefined, false],
    ['FROM silver.orders SELECT *', 'select', undefined, false],
    ['WITH t AS (SELECT 1) SELECT * FROM t', 'select', undefined, false],
    ['VALUES (1), (2)', 'select', undefined, false],
    ['INSERT INTO gold.x SELECT * FROM bronze.y', 'insert', 'gold.x', false],
    ['insert into table gold.x (a, b) select a, b from silver.y', 'insert', 'gold.x', false],
    ["INSERT OVERWRITE TABLE gold.x PARTITION (d = '2024-01-01') SELECT * FROM silver.y", 'insert', 'gold.x', true],
    ['insert overwrite silver.x select * from bronze.y', 'insert', 'silver.x', true],
    ["INSERT INTO gold.x REPLACE WHERE d = '1' SELECT * FROM silver.y", 'insert', 'gold.x', false],
    ['INSERT INTO gold.x VALUES (1, 2)', 'insert', 'gold.x', false],
    ['MERGE INTO silver.t AS t USING silver.u AS s ON t.id = s.id WHEN MATCHED THEN UPDATE SET *', 'merge', 'silver.t', false],
    ['CREATE TABLE gold.x AS SELECT * FROM silver.y', 'ctas', 'gold.x', false],
    ['CREATE OR REPLACE TABLE gold.x AS SELECT * FROM silver.y', 'ctas', 'gold.x', true],
    ['create or replace table gold.x as with c as (select 1) select * from c', 'ctas', 'gold.x', true],
    ['CREATE VIEW gold.v AS SELECT * FROM silver.x', 'ctas', 'gold.v', false],
    ['CREATE OR REPLACE TEMP VIEW v AS SELECT * FROM silver.y', 'ctas', 'v', true],
    ['CREATE OR REPLACE GLOBAL TEMPORARY VIEW v AS SELECT 1', 'ctas', 'v', true],
    ['REPLACE TABLE gold.x AS SELECT 1', 'ctas', 'gold.x', true],
    ['CREATE OR REPLACE TABLE gold.x (id INT) USING delta', 'create', 'gold.x', true],
    ['CREATE TABLE IF NOT EXISTS gold.x (id INT) USING delta CLUSTER BY (id)', 'create', 'gold.x', false],
    ['OPTIMIZE gold.kpis ZORDER BY (customer_id)', 'optimize', 'gold.kpis', false],
    ['DROP TABLE IF EXISTS gold.x', 'drop', 'gold.x', false],
    ['DROP TABLE silver.orders', 'drop', 'silver.orders', false],
    ['DROP VIEW v', 'drop', 'v', false],
    ['DELETE FROM silver.x WHERE id = 1', 'delete', 'silver.x', false],
    ['UPDATE silver.x SET a = 1 WHERE id = 2', 'update', 'silver.x', false],
    ['ALTER TABLE silver.x ADD COLUMNS (a INT)', 'alter', 'silver.x', false],
    ['VACUUM gold.x RETAIN 168 HOURS', 'other', undefined, false],
  ])('%s', (sql, kind, target, overwrite) => {
    const info = analyzeSql(sql);
    expect(info.kind).toBe(kind);
    expect(show(info.target)).toBe(target);
    expect(info.overwrite).toBe(overwrite);
  });
});

describe('analyzeSql: tables read', () => {
  it.each([
    ['SELECT * FROM silver.orders o JOIN gold.dim_date d ON o.d = d.d', ['silver.orders', 'gold.dim_date']],
    ['SELECT * FROM silver.orders LEFT OUTER JOIN silver.customers USING (customer_id)', ['silver.orders', 'silver.customers']],
    ['SELECT * FROM (SELECT * FROM silver.x) t', ['silver.x']],
    ['SELECT * FROM silver.x WHERE a IN (SELECT a FROM gold.y)', ['silver.x', 'gold.y']],
    ['INSERT INTO gold.t SELECT * FROM silver.x UNION ALL SELECT * FROM bronze.y', ['silver.x', 'bronze.y']],
    ['SELECT * FROM `main`.`silver`.`orders`', ['main.silver.orders']],
    ['SELECT * FROM silver . orders', ['silver.orders']],
    ['SELECT * FROM delta.`/mnt/silver/orders`', ['delta./mnt/silver/orders']],
    ['SELECT * FROM silver.x LATERAL VIEW explode(items) t AS item', ['silver.x']],
    ['SELECT substring(a FROM 2) FROM silver.x', ['silver.x']],
    ['SELECT 1', []],
    ['INSERT INTO gold.x VALUES (1, 2)', []],
  ])('%s', (sql, expected) => {
    expect(reads(analyzeSql(sql))).toEqual(expected);
  });

  it('the target of DROP and OPTIMIZE is not a read', () => {
    expect(analyzeSql('DROP TABLE gold.x').reads).toEqual([]);
    expect(analyzeSql('OPTIMIZE gold.x ZORDER BY (id)').reads).toEqual([]);
  });
});

describe('analyzeSql: CTE names are not tables', () => {
  it('a single CTE', () => {
    const info = analyzeSql('WITH latest AS (SELECT * FROM silver.orders WHERE ts > current_date()) SELECT * FROM latest');
    expect(reads(info)).toEqual(['silver.orders']);
  });

  it('several CTEs, one reading another, and a join with USING', () => {
    const info = analyzeSql('WITH a AS (SELECT * FROM silver.x), b AS (SELECT * FROM a) SELECT * FROM b JOIN gold.y USING (id)');
    expect(reads(info)).toEqual(['silver.x', 'gold.y']);
  });

  it('a CTE inside INSERT INTO ... SELECT', () => {
    const info = analyzeSql('INSERT INTO gold.daily WITH raw_orders AS (SELECT * FROM silver.orders) SELECT * FROM raw_orders');
    expect(info.kind).toBe('insert');
    expect(show(info.target)).toBe('gold.daily');
    expect(reads(info)).toEqual(['silver.orders']);
  });

  it('CTE names are matched case-insensitively', () => {
    expect(reads(analyzeSql('WITH Latest AS (SELECT * FROM silver.o) SELECT * FROM LATEST'))).toEqual(['silver.o']);
  });

  it('a qualified table with the same last name as a CTE is still a table', () => {
    expect(reads(analyzeSql('WITH orders AS (SELECT * FROM bronze.orders) SELECT * FROM orders JOIN silver.orders USING (id)'))).toEqual([
      'bronze.orders',
      'silver.orders',
    ]);
  });
});

describe('analyzeSql: MERGE', () => {
  it('USING (subquery): the subquery text and its tables', () => {
    const info = analyzeSql(`
      MERGE INTO silver.customers AS t
      USING (SELECT * FROM bronze.customers WHERE id IN (SELECT id FROM bronze.changed)) AS s
      ON t.id = s.id
      WHEN MATCHED THEN UPDATE SET *
      WHEN NOT MATCHED THEN INSERT *
    `);
    expect(info.kind).toBe('merge');
    expect(show(info.target)).toBe('silver.customers');
    expect(info.mergeSourceQuery).toBe('SELECT * FROM bronze.customers WHERE id IN (SELECT id FROM bronze.changed)');
    expect(info.mergeSourceName).toBeUndefined();
    expect(reads(info)).toEqual(['bronze.customers', 'bronze.changed']);
  });

  it('a parenthesis inside a string literal does not end the subquery', () => {
    const info = analyzeSql("MERGE INTO silver.t USING (SELECT ')' AS p, * FROM bronze.u) s ON s.id = t.id WHEN MATCHED THEN DELETE");
    expect(info.mergeSourceQuery).toBe("SELECT '' AS p, * FROM bronze.u");
    expect(reads(info)).toEqual(['bronze.u']);
  });

  it('USING a view name', () => {
    const info = analyzeSql('MERGE INTO silver.t t USING updates s ON t.id = s.id WHEN MATCHED THEN UPDATE SET *');
    expect(info.mergeSourceName).toBe('updates');
    expect(info.mergeSourceQuery).toBeUndefined();
    expect(reads(info)).toEqual(['updates']);
  });

  it('USING a quoted qualified table: backquotes removed', () => {
    const info = analyzeSql('MERGE INTO `main`.`silver`.`t` t USING `main`.`silver`.`updates` s ON t.id = s.id');
    expect(show(info.target)).toBe('main.silver.t');
    expect(info.mergeSourceName).toBe('main.silver.updates');
  });

  it('MERGE counts as a merge, not an overwrite', () => {
    expect(analyzeSql('MERGE INTO gold.t USING silver.s ON t.id = s.id').overwrite).toBe(false);
  });
});

describe('analyzeSql: change data feed', () => {
  it.each([
    ["SELECT * FROM table_changes('silver.orders', 2)", 'silver.orders'],
    ['SELECT * FROM table_changes("silver.orders", 2, 5)', 'silver.orders'],
  ])('%s', (sql, table) => {
    const info = analyzeSql(sql);
    expect(info.cdf).toBe(true);
    expect(reads(info)).toContain(table);
  });

  it('ordinary reads are not a change feed', () => {
    expect(analyzeSql('SELECT * FROM silver.orders_changes').cdf).toBe(false);
  });
});

describe('analyzeSql: comments and string literals are not SQL', () => {
  it('line and block comments hide tables', () => {
    const info = analyzeSql('SELECT x -- FROM bronze.comment\nFROM silver.y /* JOIN gold.z ON 1 = 1 */');
    expect(reads(info)).toEqual(['silver.y']);
    expect(info.text).toBe('SELECT x FROM silver.y');
  });

  it('keywords inside single- and double-quoted literals are blanked', () => {
    const info = analyzeSql(`SELECT 'FROM bronze.secret' AS s, "INSERT INTO gold.x" AS t FROM silver.y WHERE note = 'it\\'s FROM gold.q'`);
    expect(reads(info)).toEqual(['silver.y']);
    expect(info.kind).toBe('select');
    expect(info.text).not.toMatch(/bronze|gold/);
  });

  it('a doubled quote inside a literal', () => {
    expect(reads(analyzeSql("SELECT * FROM silver.x WHERE s = 'it''s FROM bronze.y'"))).toEqual(['silver.x']);
  });

  it('a block-comment opener inside a literal does not swallow the query', () => {
    expect(reads(analyzeSql("SELECT '/*' AS a FROM silver.x JOIN gold.y ON 1 = 1"))).toEqual(['silver.x', 'gold.y']);
  });

  it('keywords in a literal do not decide the kind', () => {
    expect(analyzeSql("SELECT 'DISTINCT GROUP BY' AS s FROM x").deduplicates).toBe(false);
    expect(analyzeSql("SELECT 'where' AS s FROM x").hasWhere).toBe(false);
  });
});

describe('analyzeSql: properties', () => {
  it.each([
    ['SELECT DISTINCT a FROM x', true],
    ['SELECT a, count(*) FROM x GROUP BY a', true],
    ['SELECT a, row_number() OVER (PARTITION BY a ORDER BY b) AS rn FROM x', true],
    ['SELECT * FROM x QUALIFY rank() OVER (PARTITION BY a ORDER BY b) = 1', true],
    ['SELECT a FROM x', false],
  ])('deduplicates: %s', (sql, expected) => {
    expect(analyzeSql(sql).deduplicates).toBe(expected);
  });

  it.each([
    ['SELECT day, sum(amount) FROM x GROUP BY day', true],
    ['SELECT count(*) FROM x', true],
    ['SELECT max (ts) FROM x', true],
    ['SELECT a FROM x', false],
  ])('aggregates: %s', (sql, expected) => {
    expect(analyzeSql(sql).aggregates).toBe(expected);
  });

  it('hasWhere', () => {
    expect(analyzeSql('SELECT * FROM x WHERE a > 1').hasWhere).toBe(true);
    expect(analyzeSql('SELECT * FROM x').hasWhere).toBe(false);
  });

  it('normalized text collapses whitespace', () => {
    expect(analyzeSql('  SELECT *\n\t FROM   x  ').text).toBe('SELECT * FROM x');
  });
});

describe('analyzeSql: __holeN__ placeholders', () => {
  it('a whole target and a schema are holes', () => {
    const info = analyzeSql('INSERT INTO __hole0__ SELECT * FROM __hole1__.orders', ['target_table', 'schema']);
    expect(info.kind).toBe('insert');
    expect(info.target?.parts).toEqual([{ hole: 'target_table' }]);
    expect(info.reads.map((r) => r.parts)).toEqual([[{ hole: 'schema' }, '.orders']]);
  });

  it('a hole inside a name keeps the literal parts around it', () => {
    const info = analyzeSql('INSERT INTO gold.__hole0___daily SELECT * FROM silver.x', ['name']);
    expect(info.target?.parts).toEqual(['gold.', { hole: 'name' }, '_daily']);
  });

  it('a hole with no recorded source text shows as ?', () => {
    expect(show(analyzeSql('SELECT * FROM __hole3__').reads[0])).toBe('{?}');
  });

  it('sqlWithPlaceholders numbers the holes in order', () => {
    const s = concatStr(literalStr('MERGE INTO '), holeStr('target'), literalStr(' USING '), holeStr('source'), literalStr(' ON 1 = 1'));
    const { sql, holes } = sqlWithPlaceholders(s.parts);
    expect(sql).toBe('MERGE INTO __hole0__ USING __hole1__ ON 1 = 1');
    expect(holes).toEqual(['target', 'source']);
    const info = analyzeSql(sql, holes);
    expect(show(info.target)).toBe('{target}');
  });
});

describe('analyzeSql: harder statements', () => {
  it.each([
    ['WITH a AS (SELECT * FROM silver.x) INSERT INTO gold.y SELECT * FROM a', 'insert', 'gold.y', ['silver.x']],
    ["SELECT '--' AS a FROM silver.x", 'select', undefined, ['silver.x']],
    ['SELECT * FROM silver.x a, gold.y b WHERE a.id = b.id', 'select', undefined, ['silver.x', 'gold.y']],
    ["SELECT * FROM table_changes('silver.orders', 2)", 'select', undefined, ['silver.orders']],
    ['CREATE TABLE gold.x USING delta AS SELECT * FROM silver.y', 'ctas', 'gold.x', ['silver.y']],
    ['SELECT EXTRACT(YEAR FROM ts), TRIM(BOTH FROM a) FROM silver.x', 'select', undefined, ['silver.x']],
    ['WITH a (c1) AS (SELECT 1) SELECT * FROM a', 'select', undefined, []],
    ['TABLE silver.x', 'select', undefined, ['silver.x']],
    ['CREATE OR REFRESH STREAMING TABLE silver.s AS SELECT * FROM STREAM(bronze.e)', 'ctas', 'silver.s', ['bronze.e']],
    ["COPY INTO bronze.x FROM '/mnt/landing' FILEFORMAT = JSON", 'copy', 'bronze.x', []],
  ])('%s', (sql, kind, target, tables) => {
    const info = analyzeSql(sql);
    expect(info.kind).toBe(kind);
    expect(show(info.target)).toBe(target);
    expect(reads(info)).toEqual(tables);
  });

  it('keeps f-string holes inside quoted literals, for rules that read them', () => {
    const { sql, holes } = sqlWithPlaceholders(['INSERT OVERWRITE TABLE silver.s SELECT * FROM bronze.s WHERE updated_at > \'', { hole: 'last_watermark' }, "'"]);
    expect(analyzeSql(sql, holes).display).toBe("INSERT OVERWRITE TABLE silver.s SELECT * FROM bronze.s WHERE updated_at > '{last_watermark}'");
  });
});

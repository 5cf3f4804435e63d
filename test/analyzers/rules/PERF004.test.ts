import rule from '../../../src/analyzers/rules/PERF004-count-for-emptiness.js';
import { testRule } from '../../support/rule-tester.js';

testRule(rule, {
  valid: [
    {
      name: 'count stored in a variable and logged',
      code: `
        import logging

        logger = logging.getLogger(__name__)
        df = spark.read.table("bronze.events").filter("event_date = current_date()")
        n = df.count()
        logger.info("rows today: %d", n)
        if n == 0:
            logger.warning("no rows")
      `,
    },
    {
      name: 'threshold comparison that is not about emptiness',
      code: `
        df = spark.read.table("bronze.events")
        if df.count() > 100:
            df.write.mode("append").saveAsTable("silver.events")
      `,
    },
    {
      name: 'comparison with an expected count',
      code: `
        def check(spark, expected):
            df = spark.read.table("silver.orders")
            if df.count() == expected:
                print("reconciled")
      `,
    },
    {
      name: 'groupBy().count() is an aggregation',
      code: `
        counts = spark.read.table("silver.orders").groupBy("status").count()
        counts.write.mode("overwrite").saveAsTable("gold.orders_by_status")
      `,
    },
    {
      name: 'list.count(x) and str.count(x) take an argument',
      code: `
        df = spark.read.table("silver.orders")
        cols = df.columns
        if cols.count("id") == 0:
            raise ValueError("no id column")
        if "a,b".count(",") > 0:
            pass
      `,
    },
    {
      name: 'pandas DataFrame from toPandas() has its own count()',
      code: `
        pdf = spark.read.table("gold.kpis").toPandas()
        if (pdf.count() == 0).all():
            print("no values")
      `,
    },
    {
      name: 'a query object of another library',
      code: `
        class Loader:
            def run(self, spark):
                df = spark.read.table("silver.orders")
                if self.session.query(Order).count() == 0:
                    df.write.jdbc(self.url, "orders")
      `,
    },
    {
      name: 'already isEmpty()',
      code: `
        new_rows = spark.read.table("bronze.events").filter("event_date = current_date()")
        if new_rows.isEmpty():
            print("nothing to do")
      `,
    },
    {
      name: 'a range check, not emptiness',
      code: `
        df = spark.read.table("bronze.events")
        if 0 < df.count() < 1000000:
            df.write.mode("append").saveAsTable("silver.events")
      `,
    },
  ],
  invalid: [
    {
      name: 'count() == 0 in an if',
      code: `
        new_rows = spark.read.table("bronze.events").filter("event_date = current_date()")
        if new_rows.count() == 0:
            print("nothing to do")
      `,
      errors: [
        {
          line: 2,
          column: 4,
          severity: 'info',
          message: '`new_rows.count() == 0` counts every row just to test for emptiness: `new_rows.isEmpty()`',
          fix: 'if new_rows.isEmpty():',
        },
      ],
    },
    {
      name: 'count() as a truth value in a function',
      code: `
        def publish(spark):
            df = spark.read.table("silver.orders").where("amount > 0")
            if df.count():
                df.write.mode("overwrite").saveAsTable("gold.orders")
      `,
      errors: [{ line: 3, column: 8, message: '`not df.isEmpty()`', fix: '    if not df.isEmpty():' }],
    },
    {
      name: 'not df.count()',
      code: `
        df = spark.read.table("silver.orders")
        if not df.count():
            raise RuntimeError("silver.orders is empty")
      `,
      errors: [{ line: 2, column: 4, message: '`not df.count()`', fix: 'if df.isEmpty():' }],
    },
    {
      name: 'count() >= 1 on a self attribute',
      code: `
        class Job:
            def __init__(self, spark):
                self.source_df = spark.read.table("bronze.orders").filter("amount > 0")

            def run(self):
                if self.source_df.count() >= 1:
                    self.source_df.write.mode("append").saveAsTable("silver.orders")
      `,
      errors: [{ line: 6, column: 12, message: '`self.source_df.count() >= 1`', fix: '        if not self.source_df.isEmpty():' }],
    },
    {
      name: 'literal first, in a parenthesized multi-line chain condition',
      code: `
        deletes = (spark.read.table("silver.cdc")
            .filter("_change_type = 'delete'"))
        if 0 == deletes.count():
            print("no deletes")
      `,
      errors: [{ line: 3, message: '`0 == deletes.count()`', fix: 'if deletes.isEmpty():' }],
    },
    {
      name: 'two counts in one boolean condition',
      code: `
        def merge_ready(spark):
            inserts = spark.read.table("silver.inserts")
            updates = spark.read.table("silver.updates")
            if inserts.count() > 0 and updates.count() != 0:
                return True
      `,
      errors: [
        { line: 4, column: 8, message: '`inserts.count() > 0`', fix: '    if not inserts.isEmpty() and updates.count() != 0:' },
        { line: 4, column: 32, message: '`updates.count() != 0`', fix: '    if inserts.count() > 0 and not updates.isEmpty():' },
      ],
    },
    {
      name: 'count() of a DataFrame parameter, inside assert and bool()',
      code: `
        from pyspark.sql import DataFrame

        def validate(df: DataFrame) -> bool:
            assert df.count() > 0, "empty input"
            has_rows = bool(df.count())
            return has_rows
      `,
      errors: [
        { line: 4, column: 12, message: '`df.count() > 0`', fix: '    assert not df.isEmpty(), "empty input"' },
        { line: 5, column: 16, message: '`bool(df.count())`', fix: '    has_rows = not df.isEmpty()' },
      ],
    },
    {
      name: 'numbered DataFrame parameters compared in a reconciliation helper',
      code: `
        from pyspark.sql import DataFrame

        def reconcile(df1: DataFrame, df2: DataFrame) -> None:
            if df1.count() == 0 or df2.count() == 0:
                raise ValueError("nothing to reconcile")
      `,
      errors: [
        { line: 4, column: 8, message: '`df1.count() == 0`', fix: '    if df1.isEmpty() or df2.count() == 0:' },
        { line: 4, column: 28, message: '`df2.count() == 0`', fix: '    if df1.count() == 0 or df2.isEmpty():' },
      ],
    },
    {
      name: 'count() inside larger expressions (conditional expression, arithmetic)',
      code: `
        df = spark.read.table("silver.orders")
        label = "empty" if df.count() < 1 else "ok"
        n_empty = 1 + (df.count() == 0)
        summary = {"has_rows": df.count() > 0}
      `,
      errors: [
        { line: 2, column: 20, message: '`df.count() < 1`', fix: 'label = "empty" if df.isEmpty() else "ok"' },
        { line: 3, column: 16, message: '`df.count() == 0`', fix: 'n_empty = 1 + (df.isEmpty())' },
        { line: 4, column: 24, message: '`df.count() > 0`', fix: 'summary = {"has_rows": (not df.isEmpty())}' },
      ],
    },
  ],
});

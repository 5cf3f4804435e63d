import rule from '../../../src/analyzers/rules/PERF005-withcolumn-in-loop.js';
import { testRule } from '../../support/rule-tester.js';

testRule(rule, {
  valid: [
    {
      name: 'withColumns with a dict comprehension',
      code: `
        from pyspark.sql import functions as F

        df = spark.read.table("bronze.customers")
        names = ["first_name", "last_name", "email", "city"]
        df = df.withColumns({name: F.trim(F.col(name)) for name in names})
      `,
    },
    {
      name: 'a loop building a different DataFrame per table',
      code: `
        from pyspark.sql import functions as F

        TABLES = ["orders", "customers", "payments"]
        for t in TABLES:
            out = spark.read.table(f"bronze.{t}").withColumn("_ingested_at", F.current_timestamp())
            out.write.mode("append").saveAsTable(f"silver.{t}")
      `,
    },
    {
      name: 'same name reassigned from a fresh read at the top of each iteration',
      code: `
        from pyspark.sql import functions as F

        for t in ["orders", "customers"]:
            df = spark.read.table(f"bronze.{t}")
            df = df.withColumn("_ingested_at", F.current_timestamp())
            df.write.mode("append").saveAsTable(f"silver.{t}")
      `,
    },
    {
      name: 'dict of DataFrames keyed by the loop variable',
      code: `
        from pyspark.sql import functions as F

        dfs = {t: spark.read.table(f"bronze.{t}") for t in ["a", "b"]}
        for t in dfs:
            dfs[t] = dfs[t].withColumn("_source", F.lit(t))
      `,
    },
    {
      name: 'the loop variable is the DataFrame',
      code: `
        from pyspark.sql import functions as F

        for d in [spark.read.table("bronze.a"), spark.read.table("bronze.b")]:
            d = d.withColumn("_ingested_at", F.current_timestamp())
            d.write.mode("append").saveAsTable("silver.ab")
      `,
    },
    {
      name: 'attribute of the loop variable (one job object per iteration)',
      code: `
        from pyspark.sql import functions as F

        def stamp(spark, jobs):
            for job in jobs:
                job.df = job.df.withColumn("_run_id", F.lit(job.run_id))
      `,
    },
    {
      name: 'withColumn chain outside any loop',
      code: `
        from pyspark.sql import functions as F

        df = spark.read.table("bronze.customers") \\
            .withColumn("email", F.lower("email")) \\
            .withColumn("country", F.upper("country")) \\
            .withColumnRenamed("cust_id", "customer_id")
      `,
    },
    {
      name: 'a per-iteration temporary DataFrame that is only shown',
      code: `
        from pyspark.sql import functions as F

        df = spark.read.table("silver.orders")
        for c in ["amount", "tax"]:
            probe = df.withColumn(c, F.round(c, 2))
            probe.show(5)
      `,
    },
  ],
  invalid: [
    {
      name: 'df = df.withColumn in a for loop',
      code: `
        from pyspark.sql import functions as F

        df = spark.read.table("bronze.customers")
        for name in ["first_name", "last_name", "email", "city"]:
            df = df.withColumn(name, F.trim(F.col(name)))
      `,
      errors: [{ line: 5, column: 13, severity: 'warning', message: '`df = df.withColumn(...)` in a `for` loop adds one projection per iteration' }],
    },
    {
      name: 'functools.reduce over columns',
      code: `
        import functools
        from pyspark.sql import functions as F

        cols = ["a", "b", "c"]
        df = spark.read.table("bronze.events")
        df = functools.reduce(lambda acc, c: acc.withColumn(c, F.upper(F.col(c))), cols, df)
      `,
      errors: [{ line: 6, column: 38, message: '`withColumn` folded over a list with `reduce`' }],
    },
    {
      name: 'reduce with withColumnRenamed',
      code: `
        from functools import reduce

        RENAMES = {"cust_id": "customer_id", "amt": "amount"}
        df = spark.read.table("bronze.orders")
        df = reduce(lambda acc, kv: acc.withColumnRenamed(kv[0], kv[1]), RENAMES.items(), df)
      `,
      errors: [{ line: 5, column: 29, message: 'call `withColumnsRenamed({...})` once' }],
    },
    {
      name: 'self.df = self.df.withColumn in a loop',
      code: `
        from pyspark.sql import functions as F

        class Cleaner:
            def __init__(self, spark):
                self.df = spark.read.table("bronze.customers")

            def clean(self, cols):
                for c in cols:
                    self.df = self.df.withColumn(c, F.trim(F.col(c)))
      `,
      errors: [{ line: 9, column: 31, message: '`self.df = self.df.withColumn(...)` in a `for` loop' }],
    },
    {
      name: 'withColumnRenamed in a while loop',
      code: `
        from pyspark.sql import DataFrame

        def rename(df: DataFrame, n: int) -> DataFrame:
            i = 0
            while i < n:
                df = df.withColumnRenamed(f"_c{i}", f"col_{i}")
                i += 1
            return df
      `,
      errors: [{ line: 6, column: 17, message: '`df = df.withColumnRenamed(...)` in a `while` loop' }],
    },
    {
      name: 'parenthesized multi-line chain over df.columns, one finding per loop',
      code: `
        from pyspark.sql import functions as F

        df = spark.read.table("bronze.customers")
        for c in df.columns:
            df = (df
                  .withColumn(c, F.trim(F.col(c)))
                  .withColumnRenamed(c, c.lower()))
      `,
      errors: [{ line: 6, column: 12, message: '`df = df.withColumn(...)`' }],
    },
    {
      name: 'inner column loop inside a per-table loop',
      code: `
        from pyspark.sql import functions as F

        for t in ["orders", "customers"]:
            df = spark.read.table(f"bronze.{t}")
            for c in df.columns:
                df = df.withColumn(c, F.trim(F.col(c)))
            df.write.mode("append").saveAsTable(f"silver.{t}")
      `,
      errors: [{ line: 6, column: 17, message: '`df = df.withColumn(...)` in a `for` loop' }],
    },
  ],
});

import rule from '../../../src/analyzers/rules/SLV003-merge-missing-execute.js';
import { testRule } from '../../support/rule-tester.js';

testRule(rule, {
  valid: [
    {
      name: 'chain ends with execute()',
      code: `
        from delta.tables import DeltaTable

        updates = spark.read.table("bronze.customers").dropDuplicates(["customer_id"])
        (DeltaTable.forName(spark, "silver.customers").alias("t")
            .merge(updates.alias("s"), "t.customer_id = s.customer_id")
            .whenMatchedUpdateAll()
            .whenNotMatchedInsertAll()
            .execute())
      `,
    },
    {
      name: 'builder kept in a variable and executed later',
      code: `
        from delta.tables import DeltaTable

        def upsert(spark):
            updates = spark.read.table("bronze.customers").dropDuplicates(["customer_id"])
            builder = (DeltaTable.forName(spark, "silver.customers").alias("t")
                .merge(updates.alias("s"), "t.customer_id = s.customer_id")
                .whenMatchedUpdateAll()
                .whenNotMatchedInsertAll())
            builder.execute()
      `,
    },
    {
      name: 'clauses added conditionally, executed after the if',
      code: `
        from delta.tables import DeltaTable

        def upsert(spark, updates, propagate_deletes):
            builder = DeltaTable.forName(spark, "silver.customers").alias("t") \\
                .merge(updates.alias("s"), "t.customer_id = s.customer_id") \\
                .whenMatchedUpdateAll()
            if propagate_deletes:
                builder = builder.whenNotMatchedBySourceDelete()
            builder.whenNotMatchedInsertAll().execute()
      `,
    },
    {
      name: 'builder returned from a function (executed by the caller)',
      code: `
        from delta.tables import DeltaTable

        def build_upsert(spark, updates):
            return (DeltaTable.forName(spark, "silver.customers").alias("t")
                .merge(updates.alias("s"), "t.customer_id = s.customer_id")
                .whenMatchedUpdateAll()
                .whenNotMatchedInsertAll())
      `,
    },
    {
      name: 'builder passed to a helper that runs it',
      code: `
        from delta.tables import DeltaTable
        from common.delta_utils import run_with_retry

        updates = spark.read.table("bronze.customers").dropDuplicates(["customer_id"])
        builder = (DeltaTable.forName(spark, "silver.customers").alias("t")
            .merge(updates.alias("s"), "t.customer_id = s.customer_id")
            .whenMatchedUpdateAll())
        run_with_retry(builder)
      `,
    },
    {
      name: 'builder stored on the object for another method',
      code: `
        from delta.tables import DeltaTable

        class CustomerUpsert:
            def prepare(self, spark, updates):
                self.builder = (DeltaTable.forName(spark, "silver.customers").alias("t")
                    .merge(updates.alias("s"), "t.customer_id = s.customer_id")
                    .whenMatchedUpdateAll())

            def run(self):
                self.builder.execute()
      `,
    },
    {
      name: 'merge() with no when clause yet',
      code: `
        from delta.tables import DeltaTable

        def start_merge(spark, updates):
            pending = DeltaTable.forName(spark, "silver.customers").alias("t").merge(updates.alias("s"), "t.id = s.id")
            return pending
      `,
    },
    {
      name: 'schema evolution step between the clauses and execute()',
      code: `
        from delta.tables import DeltaTable

        updates = spark.read.table("bronze.customers").dropDuplicates(["customer_id"])
        (DeltaTable.forName(spark, "silver.customers").alias("t")
            .merge(updates.alias("s"), "t.customer_id = s.customer_id")
            .withSchemaEvolution()
            .whenMatchedUpdateAll()
            .whenNotMatchedInsertAll()
            .execute())
      `,
    },
    {
      name: 'builders collected in a list and executed in a loop',
      code: `
        from delta.tables import DeltaTable

        def upsert_all(spark, customers, orders):
            builders = [
                DeltaTable.forName(spark, "silver.customers").alias("t")
                    .merge(customers.alias("s"), "t.customer_id = s.customer_id")
                    .whenMatchedUpdateAll(),
                DeltaTable.forName(spark, "silver.orders").alias("t")
                    .merge(orders.alias("s"), "t.order_id = s.order_id")
                    .whenMatchedUpdateAll(),
            ]
            for builder in builders:
                builder.execute()
      `,
    },
    {
      name: 'clause chosen by a conditional expression, then executed',
      code: `
        from delta.tables import DeltaTable

        def upsert(spark, updates, full):
            builder = DeltaTable.forName(spark, "silver.customers").alias("t").merge(updates.alias("s"), "t.id = s.id")
            builder = builder.whenMatchedUpdateAll() if full else builder.whenMatchedUpdate(set={"email": "s.email"})
            builder.execute()
      `,
    },
    {
      name: 'execute handed to an executor as a bound method',
      code: `
        from concurrent.futures import ThreadPoolExecutor
        from delta.tables import DeltaTable

        def upsert(spark, updates, pool: ThreadPoolExecutor):
            builder = (DeltaTable.forName(spark, "silver.customers").alias("t")
                .merge(updates.alias("s"), "t.id = s.id")
                .whenMatchedUpdateAll())
            return pool.submit(builder.execute)
      `,
    },
    {
      name: 'executed by a nested retry function',
      code: `
        from delta.tables import DeltaTable

        def upsert(spark, updates):
            builder = (DeltaTable.forName(spark, "silver.customers").alias("t")
                .merge(updates.alias("s"), "t.id = s.id")
                .whenMatchedUpdateAll())

            def attempt():
                builder.execute()

            retry(attempt, attempts=3)
      `,
    },
    {
      name: 'builder yielded by a generator',
      code: `
        from delta.tables import DeltaTable

        def merges(spark, tables):
            for name, df in tables:
                builder = DeltaTable.forName(spark, f"silver.{name}").alias("t").merge(df.alias("s"), "t.id = s.id").whenMatchedUpdateAll()
                yield builder
      `,
    },
  ],
  invalid: [
    {
      name: 'parenthesized chain that stops at the last clause',
      code: `
        from delta.tables import DeltaTable

        updates = spark.read.table("bronze.customers").dropDuplicates(["customer_id"])
        (DeltaTable.forName(spark, "silver.customers").alias("t")
            .merge(updates.alias("s"), "t.customer_id = s.customer_id")
            .whenMatchedUpdateAll()
            .whenNotMatchedInsertAll())
      `,
      errors: [
        {
          line: 7,
          column: 6,
          severity: 'critical',
          message: 'MERGE into `silver.customers` builds `whenMatchedUpdateAll()`, `whenNotMatchedInsertAll()` but never calls `.execute()`',
          fix: '    .whenNotMatchedInsertAll().execute())',
        },
      ],
    },
    {
      name: 'backslash chain in a function, path target from a parameter default',
      code: `
        from delta.tables import DeltaTable

        def upsert(spark, updates, silver_path="/mnt/silver/orders"):
            DeltaTable.forPath(spark, silver_path).alias("t") \\
                .merge(updates.alias("s"), "t.order_id = s.order_id") \\
                .whenMatchedUpdate(set={"status": "s.status"}) \\
                .whenNotMatchedInsertAll()
      `,
      errors: [{ line: 7, column: 10, message: 'builds `whenMatchedUpdate()`, `whenNotMatchedInsertAll()`', fix: '        .whenNotMatchedInsertAll().execute()' }],
    },
    {
      name: 'builder assigned to a variable and never executed (no safe automatic fix)',
      code: `
        from delta.tables import DeltaTable

        def upsert(spark):
            updates = spark.read.table("bronze.customers").dropDuplicates(["customer_id"])
            merge_builder = (
                DeltaTable.forName(spark, "silver.customers").alias("t")
                .merge(updates.alias("s"), "t.customer_id = s.customer_id")
                .whenMatchedUpdateAll()
            )
            print("merge done")
      `,
      errors: [{ line: 8, column: 10, message: 'MERGE into `silver.customers` builds `whenMatchedUpdateAll()`' }],
    },
    {
      name: 'single-line chain in a class method with a self attribute target',
      code: `
        from delta.tables import DeltaTable

        class Loader:
            def __init__(self, spark):
                self.spark = spark
                self.silver_table = "silver.accounts"

            def upsert(self, df):
                DeltaTable.forName(self.spark, self.silver_table).alias("t").merge(df.alias("s"), "t.id = s.id").whenMatchedDelete(condition="s.deleted").whenNotMatchedInsertAll()
      `,
      errors: [
        {
          line: 9,
          message: 'builds `whenMatchedDelete()`, `whenNotMatchedInsertAll()`',
          fix: '        DeltaTable.forName(self.spark, self.silver_table).alias("t").merge(df.alias("s"), "t.id = s.id").whenMatchedDelete(condition="s.deleted").whenNotMatchedInsertAll().execute()',
        },
      ],
    },
    {
      name: 'chain inside a foreachBatch function, never executed',
      code: `
        from delta.tables import DeltaTable

        def upsert_batch(batch_df, batch_id):
            (DeltaTable.forName(spark, "silver.events").alias("t")
                .merge(batch_df.alias("s"), "t.event_id = s.event_id")
                .whenNotMatchedInsertAll())

        (spark.readStream.table("bronze.events").writeStream
            .foreachBatch(upsert_batch)
            .option("checkpointLocation", "/chk/events")
            .start())
      `,
      errors: [{ line: 6, column: 10, message: 'MERGE into `silver.events` builds `whenNotMatchedInsertAll()`', fix: '        .whenNotMatchedInsertAll().execute())' }],
    },
  ],
});

import rule from '../../../src/analyzers/rules/SLV001-silver-blind-append.js';
import { testRule } from '../../support/rule-tester.js';

testRule(rule, {
  valid: [
    {
      name: 'append made idempotent per run with txnAppId/txnVersion',
      code: `
        def load_orders(spark, batch_id):
            orders = spark.read.table("bronze.orders").filter("order_id IS NOT NULL")
            (orders.write.format("delta")
                .mode("append")
                .option("txnAppId", "orders_silver_loader")
                .option("txnVersion", batch_id)
                .saveAsTable("silver.orders"))
      `,
    },
    {
      name: 'append limited to the slice the run owns with replaceWhere',
      code: `
        def load_day(spark, day):
            orders = spark.read.table("bronze.orders").where(f"order_date = '{day}'")
            orders.write.format("delta").mode("append") \\
                .option("replaceWhere", f"order_date = '{day}'") \\
                .save("/mnt/silver/orders")
      `,
    },
    {
      name: 'append of rows left-anti-joined against the target (insert only new keys)',
      code: `
        incoming = spark.read.table("bronze.orders").dropDuplicates(["order_id"])
        existing = spark.read.table("silver.orders").select("order_id")
        new_rows = incoming.join(existing, on="order_id", how="left_anti")
        new_rows.write.format("delta").mode("append").saveAsTable("silver.orders")
      `,
    },
    {
      name: 'SQL INSERT INTO guarded by NOT EXISTS against the target',
      code: `
        spark.sql("""
            INSERT INTO silver.customers
            SELECT * FROM bronze.customers b
            WHERE NOT EXISTS (SELECT 1 FROM silver.customers s WHERE s.customer_id = b.customer_id)
        """)
      `,
    },
    {
      name: 'initial load in the not-exists branch, MERGE in steady state',
      code: `
        from delta.tables import DeltaTable

        SILVER_PATH = "/mnt/silver/customers"

        def upsert(spark):
            updates = spark.read.table("bronze.customers").dropDuplicates(["customer_id"])
            if not DeltaTable.isDeltaTable(spark, SILVER_PATH):
                updates.write.format("delta").mode("append").save(SILVER_PATH)
            else:
                (DeltaTable.forPath(spark, SILVER_PATH).alias("t")
                    .merge(updates.alias("s"), "t.customer_id = s.customer_id")
                    .whenMatchedUpdateAll()
                    .whenNotMatchedInsertAll()
                    .execute())
      `,
    },
    {
      name: 'streaming append (the checkpoint makes the Delta sink exactly-once)',
      code: `
        events = spark.readStream.table("bronze.events").filter("event_id IS NOT NULL")
        (events.writeStream
            .format("delta")
            .outputMode("append")
            .option("checkpointLocation", "/mnt/checkpoints/silver_events")
            .toTable("silver.events"))
      `,
    },
    {
      name: 'append inside a foreachBatch function (STR004 territory)',
      code: `
        def write_batch(batch_df, batch_id):
            batch_df.write.format("delta").mode("append").saveAsTable("silver.events")

        (spark.readStream.table("bronze.events")
            .writeStream
            .foreachBatch(write_batch)
            .option("checkpointLocation", "/chk/silver_events")
            .start())
      `,
    },
    {
      name: 'aggregate appended into gold (GLD001 covers it)',
      code: `
        from pyspark.sql import functions as F
        daily = spark.read.table("silver.orders").groupBy("order_date").agg(F.sum("amount").alias("revenue"))
        daily.write.mode("append").saveAsTable("gold.daily_revenue")
      `,
    },
    {
      name: 'append into a table whose layer is unknown',
      code: `
        df = spark.read.table("staging.orders")
        df.write.mode("append").saveAsTable("analytics.orders")
      `,
    },
    {
      name: 'append into bronze is the normal ingestion pattern',
      code: `
        raw = spark.read.json("/mnt/landing/orders/")
        raw.write.format("delta").mode("append").save("/mnt/bronze/orders")
      `,
    },
    {
      name: 'overwrite of a silver table is not an append',
      code: `
        df = spark.read.table("bronze.orders").filter("order_id IS NOT NULL")
        df.write.mode("overwrite").saveAsTable("silver.orders")
      `,
    },
    {
      name: 'mode we cannot resolve',
      code: `
        def write(df, write_mode):
            df.write.mode(write_mode).saveAsTable("silver.orders")
      `,
    },
    {
      name: 'insertInto with overwrite=True',
      code: `
        df = spark.read.table("bronze.orders").filter("order_id IS NOT NULL")
        df.write.insertInto("silver.orders", overwrite=True)
      `,
    },
    {
      name: 'append of rows that are not yet in the target, via subtract',
      code: `
        incoming = spark.read.table("bronze.orders").select("order_id", "amount")
        current = spark.read.table("silver.orders").select("order_id", "amount")
        incoming.subtract(current).write.mode("append").saveAsTable("silver.orders")
      `,
    },
    {
      name: 'MERGE when the table exists, initial append in the else branch',
      code: `
        from delta.tables import DeltaTable

        def upsert(spark, target_path="/mnt/silver/customers"):
            updates = spark.read.table("bronze.customers").dropDuplicates(["customer_id"])
            if DeltaTable.isDeltaTable(spark, target_path):
                (DeltaTable.forPath(spark, target_path).alias("t")
                    .merge(updates.alias("s"), "t.customer_id = s.customer_id")
                    .whenMatchedUpdateAll()
                    .whenNotMatchedInsertAll()
                    .execute())
            else:
                updates.write.format("delta").mode("append").save(target_path)
      `,
    },
    {
      name: 'existence test mixed with another condition (cannot tell which branch is the initial load)',
      code: `
        def load(spark, full_refresh):
            df = spark.read.table("bronze.orders").filter("order_id IS NOT NULL")
            if spark.catalog.tableExists("silver.orders") and not full_refresh:
                df.write.mode("append").saveAsTable("silver.orders")
            else:
                df.write.mode("overwrite").saveAsTable("silver.orders")
      `,
    },
    {
      name: 'SCD2: MERGE closes current rows, the new versions are appended next to it',
      code: `
        from delta.tables import DeltaTable

        def scd2(spark):
            changes = spark.read.table("bronze.customers").dropDuplicates(["customer_id"])
            dim = DeltaTable.forName(spark, "silver.dim_customer")
            (dim.alias("t")
                .merge(changes.alias("s"), "t.customer_id = s.customer_id AND t.is_current = true")
                .whenMatchedUpdate(set={"is_current": "false"})
                .execute())
            changes.withColumn("is_current", F.lit(True)).write.mode("append").saveAsTable("silver.dim_customer")
      `,
    },
    {
      name: 'rejected rows appended to a quarantine table (what SLV007 asks for)',
      code: `
        from pyspark.sql import functions as F

        orders = spark.read.table("bronze.orders")
        is_valid = F.col("order_id").isNotNull() & (F.col("amount") >= 0)
        orders.filter(is_valid).write.mode("overwrite").option("replaceWhere", "order_date >= '2024-01-01'").saveAsTable("silver.orders")
        orders.filter(~is_valid).write.mode("append").saveAsTable("silver.orders_quarantine")
      `,
    },
    {
      name: 'noop sink in a silver job (a benchmark, nothing is stored)',
      code: `
        def build_silver_orders(spark):
            df = spark.read.table("bronze.orders").filter("order_id IS NOT NULL")
            df.write.format("noop").mode("append").save()
      `,
    },
    {
      name: 'writer options we cannot see (may carry txnAppId)',
      code: `
        from jobs.config import WRITE_OPTIONS

        df = spark.read.table("bronze.orders").filter("order_id IS NOT NULL")
        df.write.format("delta").mode("append").options(**WRITE_OPTIONS).saveAsTable("silver.orders")
      `,
    },
    {
      name: 'txnAppId/txnVersion set for the session',
      code: `
        def load(spark, run_id):
            spark.conf.set("spark.databricks.delta.write.txnAppId", "silver_orders_loader")
            spark.conf.set("spark.databricks.delta.write.txnVersion", run_id)
            df = spark.read.table("bronze.orders").filter("order_id IS NOT NULL")
            df.write.format("delta").mode("append").saveAsTable("silver.orders")
      `,
    },
    {
      name: 'append only when the run date is not loaded yet',
      code: `
        from pyspark.sql import functions as F

        TARGET = "silver.daily_orders"

        def load(spark, run_date):
            df = spark.read.table("bronze.orders").where(F.col("order_date") == run_date)
            if spark.read.table(TARGET).where(F.col("order_date") == run_date).isEmpty():
                df.write.mode("append").saveAsTable(TARGET)
      `,
    },
  ],
  invalid: [
    {
      name: 'plain batch append into a silver table',
      code: `
        from pyspark.sql import functions as F

        orders = spark.read.table("bronze.orders").filter(F.col("order_id").isNotNull())
        orders.write.format("delta").mode("append").saveAsTable("silver.orders")
      `,
      errors: [{ line: 4, column: 30, message: 'Blind append into silver table `silver.orders`', severity: 'critical' }],
    },
    {
      name: 'insertInto appends by default',
      code: `
        orders = spark.read.table("bronze.orders").filter("order_id IS NOT NULL")
        orders.write.insertInto("silver.orders")
      `,
      errors: [{ line: 2, message: 'silver table `silver.orders`' }],
    },
    {
      name: 'SQL INSERT INTO a silver table',
      code: `
        spark.sql("INSERT INTO silver.orders SELECT * FROM bronze.orders WHERE order_id IS NOT NULL")
      `,
      errors: [{ line: 1, column: 1, message: 'silver table `silver.orders`' }],
    },
    {
      name: 'backslash chain to a silver path built from a module constant',
      code: `
        BASE = "/mnt/silver"

        def load(spark):
            df = spark.read.format("delta").load("/mnt/bronze/payments")
            df.filter("payment_id IS NOT NULL") \\
                .write \\
                .format("delta") \\
                .mode("append") \\
                .save(f"{BASE}/payments")
      `,
      errors: [{ line: 8, column: 10, message: 'silver table `/mnt/silver/payments`' }],
    },
    {
      name: 'self.silver_table attribute in a class',
      code: `
        class OrdersJob:
            def __init__(self, spark, silver_table):
                self.spark = spark
                self.silver_table = silver_table

            def run(self):
                df = self.spark.read.table("bronze.orders").where("order_id IS NOT NULL")
                df.write.saveAsTable(self.silver_table, format="delta", mode="append")
      `,
      errors: [{ line: 8, message: 'silver table `self.silver_table`' }],
    },
    {
      name: 'non-aggregated rows appended into gold',
      code: `
        enriched = spark.read.table("silver.orders").join(spark.read.table("silver.customers"), "customer_id")
        enriched.write.mode("append").saveAsTable("gold.order_facts")
      `,
      errors: [{ line: 2, message: 'gold table `gold.order_facts`' }],
    },
    {
      name: 'append in the branch where the table already exists (steady state)',
      code: `
        updates = spark.read.table("bronze.orders").filter("order_id IS NOT NULL")
        if spark.catalog.tableExists("silver.orders"):
            updates.write.format("delta").mode("append").saveAsTable("silver.orders")
        else:
            updates.write.format("delta").mode("overwrite").saveAsTable("silver.orders")
      `,
      errors: [{ line: 3, message: 'silver table `silver.orders`' }],
    },
    {
      name: 'append in the else branch of a not-exists test',
      code: `
        updates = spark.read.table("bronze.orders").filter("order_id IS NOT NULL")
        if not spark.catalog.tableExists("silver.orders"):
            updates.write.format("delta").mode("overwrite").saveAsTable("silver.orders")
        else:
            updates.write.format("delta").mode("append").saveAsTable("silver.orders")
      `,
      errors: [{ line: 5, column: 35, message: 'silver table `silver.orders`' }],
    },
    {
      name: 'DataFrameWriterV2 append in a parenthesized chain',
      code: `
        cleaned = (
            spark.read.table("main.bronze.orders")
            .filter("order_id IS NOT NULL")
            .withColumnRenamed("ts", "order_ts")
        )
        (cleaned
            .writeTo("main.silver.orders")
            .append())
      `,
      errors: [{ line: 8, column: 6, message: 'silver table `main.silver.orders`' }],
    },
  ],
});

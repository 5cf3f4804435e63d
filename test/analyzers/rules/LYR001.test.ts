import rule from '../../../src/analyzers/rules/LYR001-layer-dependency-violation.js';
import { testRule } from '../../support/rule-tester.js';

testRule(rule, {
  valid: [
    {
      name: 'raw zone to curated zone through a null filter and a dedup on the key (two-zone lake)',
      code: `
        from pyspark.sql import functions as F

        sales = (spark.read.parquet("s3://acme-raw/sales/")
            .where(F.col("transaction_id").isNotNull())
            .dropDuplicates(["transaction_id"]))
        sales.write.mode("overwrite").partitionBy("sale_date").parquet("s3://acme-curated/sales/")
      `,
    },
    {
      name: 'a business word in the table name contradicted by the job: bronze ingest of "credit reports", ops report table',
      path: 'pipelines/bronze/credit_bureau_ingest.py',
      code: `
        from pyspark.sql import functions as F

        raw = spark.read.json("/mnt/landing/bureau/").withColumn("_ingested_at", F.current_timestamp())
        raw.write.mode("append").saveAsTable("risk.credit_reports")
        counts = spark.read.table("lake.bronze.app_events").groupBy("_source_file").count()
        counts.write.mode("append").saveAsTable("ops.ingestion_report")
      `,
    },
    {
      name: 'gold built from silver',
      code: `
        orders = spark.read.table("silver.orders")
        orders.groupBy("order_date").count().write.mode("overwrite").saveAsTable("gold.orders_per_day")
      `,
    },
    {
      name: 'silver built from bronze in a bronze_to_silver function (paths from f-strings)',
      code: `
        def bronze_to_silver(spark, base):
            raw = spark.read.format("delta").load(f"{base}/bronze/events")
            clean = raw.where("event_id IS NOT NULL").dropDuplicates(["event_id"])
            clean.write.format("delta").mode("overwrite").save(f"{base}/silver/events")
      `,
    },
    {
      name: 'same-layer reads: gold joins gold and silver, silver merges with itself',
      code: `
        from delta.tables import DeltaTable
        targets = spark.read.table("gold.sales_targets")
        sales = spark.read.table("silver.sales")
        (sales.join(targets, "region")
            .groupBy("region").sum("amount")
            .write.mode("overwrite").saveAsTable("gold.sales_vs_target"))
        current = DeltaTable.forName(spark, "silver.customers").toDF()
        updates = spark.read.table("bronze.customers").join(current, "id", "left_anti")
        updates.write.mode("append").saveAsTable("silver.customers")
      `,
    },
    {
      name: 'source layer unknown',
      code: `
        crm = spark.read.table("crm.accounts")
        crm.groupBy("segment").count().write.mode("overwrite").saveAsTable("gold.accounts_by_segment")
      `,
    },
    {
      name: 'sink layer unknown (export of a gold table)',
      code: `
        kpis = spark.read.table("gold.daily_kpis")
        kpis.write.mode("overwrite").option("header", True).csv("/exports/finance/kpis")
      `,
    },
    {
      name: 'lineage through a helper we cannot follow',
      code: `
        def build_gold(spark, source_table):
            df = load_and_clean(spark, source_table)
            df.groupBy("day").count().write.mode("overwrite").saveAsTable("gold.daily_counts")
      `,
    },
    {
      name: 'parameter with no layer in its name',
      code: `
        def write_kpis(df):
            df.groupBy("day").count().write.mode("overwrite").saveAsTable("gold.daily_counts")
      `,
    },
    {
      name: 'SQL insert into gold from silver, through a CTE named like a raw table',
      code: `
        spark.sql("""
            INSERT INTO gold.orders_daily
            WITH raw_orders AS (SELECT * FROM silver.orders WHERE status <> 'cancelled')
            SELECT order_date, count(*) AS orders FROM raw_orders GROUP BY order_date
        """)
      `,
    },
    {
      name: 'temp view name is not read as a layer: the view is registered from silver data',
      code: `
        orders = spark.read.table("silver.orders")
        orders.createOrReplaceTempView("raw_orders_v")
        spark.sql("INSERT INTO gold.orders_daily SELECT order_date, count(*) FROM raw_orders_v GROUP BY order_date")
      `,
    },
    {
      name: 'configured layer names: l2 into l3',
      config: { layers: { bronze: ['lake.l1_*'], silver: ['lake.l2_*'], gold: ['lake.l3_*'] } },
      code: `
        orders = spark.read.table("lake.l2_orders")
        orders.groupBy("day").count().write.mode("overwrite").saveAsTable("lake.l3_orders_daily")
      `,
    },
    {
      name: 'table name beats the file path: silver written from bronze in a gold folder',
      path: 'pipelines/gold/prepare_orders.py',
      code: `
        raw = spark.read.table("bronze.orders")
        raw.where("order_id IS NOT NULL").write.mode("overwrite").saveAsTable("silver.orders_prepared")
      `,
    },
    {
      name: 'class with self.*_path attributes reading the previous layer',
      code: `
        class OrdersJob:
            def __init__(self, spark, base):
                self.spark = spark
                self.bronze_path = f"{base}/bronze/orders"
                self.silver_path = f"{base}/silver/orders"

            def run(self):
                df = self.spark.read.format("delta").load(self.bronze_path)
                df.dropDuplicates(["order_id"]).write.format("delta").mode("overwrite").save(self.silver_path)
      `,
    },
  ],
  invalid: [
    {
      name: 'gold from bronze that only validates (no dedup), and one that only aggregates',
      code: `
        from pyspark.sql import functions as F

        raw = spark.read.table("bronze.sales").where(F.col("transaction_id").isNotNull())
        raw.write.mode("overwrite").saveAsTable("gold.sales")
        spark.read.table("bronze.sales").groupBy("sale_date").count().write.mode("overwrite").saveAsTable("gold.sales_per_day")
      `,
      errors: [
        { line: 4, message: 'Gold table `gold.sales` is built directly from bronze `bronze.sales`' },
        { line: 5, message: 'Gold table `gold.sales_per_day` is built directly from bronze `bronze.sales`' },
      ],
    },
    {
      name: 'silver built from gold (join of silver and gold)',
      code: `
        kpis = spark.read.table("gold.daily_kpis")
        orders = spark.read.table("silver.orders")
        enriched = orders.join(kpis, "order_date")
        enriched.write.mode("overwrite").saveAsTable("silver.orders_enriched")
      `,
      errors: [{ line: 4, column: 34, message: 'Silver table `silver.orders_enriched` is built from gold `gold.daily_kpis`', severity: 'warning' }],
    },
    {
      name: 'bronze built from silver',
      code: `
        customers = spark.read.table("silver.customers")
        customers.write.format("delta").mode("append").save("/mnt/bronze/customers_copy")
      `,
      errors: [{ line: 2, message: 'Bronze table `/mnt/bronze/customers_copy` is built from silver `silver.customers`' }],
    },
    {
      name: 'gold built directly from bronze (multi-line chain)',
      code: `
        raw = spark.read.table("bronze.orders")
        (raw.groupBy("order_date")
            .count()
            .write.mode("overwrite")
            .saveAsTable("gold.orders_per_day"))
      `,
      errors: [{ line: 5, column: 6, message: 'Gold table `gold.orders_per_day` is built directly from bronze `bronze.orders`' }],
    },
    {
      name: 'gold from a join of silver and bronze',
      code: `
        from pyspark.sql import functions as F
        orders = spark.read.table("silver.orders")
        customers = spark.read.table("bronze.customers")
        revenue = orders.join(customers, "customer_id")
        revenue = revenue.groupBy("country").agg(F.sum("amount").alias("revenue"))
        revenue.write.mode("overwrite").saveAsTable("gold.revenue_by_country")
      `,
      errors: [{ line: 6, message: 'built directly from bronze `bronze.customers`' }],
    },
    {
      name: 'SQL INSERT INTO gold SELECT FROM bronze',
      code: `
        spark.sql("INSERT INTO gold.x SELECT * FROM bronze.y")
      `,
      errors: [{ line: 1, column: 1, message: 'Gold table `gold.x` is built directly from bronze `bronze.y`' }],
    },
    {
      name: 'SQL MERGE INTO silver USING a subquery over gold',
      code: `
        spark.sql("""
            MERGE INTO silver.orders t
            USING (SELECT * FROM gold.order_totals) s
            ON t.order_id = s.order_id
            WHEN MATCHED THEN UPDATE SET *
        """)
      `,
      errors: [{ line: 1, message: 'Silver table `silver.orders` is built from gold `gold.order_totals`' }],
    },
    {
      name: 'DeltaTable merge into silver from gold data',
      code: `
        from delta.tables import DeltaTable
        def refresh(spark):
            kpis = spark.read.table("gold.customer_kpis")
            (DeltaTable.forName(spark, "silver.customers").alias("t")
                .merge(kpis.alias("s"), "t.id = s.id")
                .whenMatchedUpdateAll()
                .execute())
      `,
      errors: [{ line: 5, column: 10, message: 'Silver table `silver.customers` is built from gold `gold.customer_kpis`' }],
    },
    {
      name: 'self.silver_path written from self.gold_path in a class',
      code: `
        class Job:
            def __init__(self, spark, base):
                self.spark = spark
                self.silver_path = f"{base}/silver/orders"
                self.gold_path = f"{base}/gold/kpis"

            def run(self):
                df = self.spark.read.format("delta").load(self.gold_path)
                df.write.format("delta").mode("overwrite").save(self.silver_path)
      `,
      errors: [{ line: 9, message: 'Silver table `self.silver_path` is built from gold `self.gold_path`' }],
    },
    {
      name: 'f-string paths with holes: gold from bronze',
      code: `
        def build_kpis(spark, base):
            raw = spark.read.format("delta").load(f"{base}/bronze/events")
            raw.groupBy("day").count().write.format("delta").mode("overwrite").save(f"{base}/gold/kpis")
      `,
      errors: [{ line: 3, message: 'Gold table `{base}/gold/kpis` is built directly from bronze `{base}/bronze/events`' }],
    },
    {
      name: 'configured layer names: l1 into l3',
      config: { layers: { bronze: ['lake.l1_*'], silver: ['lake.l2_*'], gold: ['lake.l3_*'] } },
      code: `
        orders = spark.read.table("lake.l1_orders")
        orders.groupBy("day").count().write.mode("overwrite").saveAsTable("lake.l3_orders_daily")
      `,
      errors: [{ line: 2, message: 'Gold table `lake.l3_orders_daily` is built directly from bronze `lake.l1_orders`' }],
    },
    {
      name: 'SQL joining a temp view with a bronze table into gold',
      code: `
        updates = spark.read.table("silver.orders")
        updates.createOrReplaceTempView("updates")
        spark.sql("INSERT INTO gold.orders_enriched SELECT u.*, c.name FROM updates u JOIN bronze.customers c ON u.cid = c.id")
      `,
      errors: [{ line: 3, message: 'built directly from bronze `bronze.customers`' }],
    },
    {
      name: 'gold sink known from the file path, bronze source from a parameter name',
      path: 'pipelines/gold/orders_daily.py',
      code: `
        def build(spark, bronze_orders_df, target):
            bronze_orders_df.groupBy("day").count().write.mode("overwrite").saveAsTable(target)
      `,
      errors: [{ line: 2, column: 69, message: 'Gold table `target` is built directly from bronze `bronze_orders_df`' }],
    },
    {
      name: 'DLT gold table reading a bronze dataset',
      code: `
        import dlt

        @dlt.table
        def gold_daily_orders():
            return dlt.read("bronze_orders").groupBy("day").count()
      `,
      errors: [{ line: 5, message: 'Gold table `gold_daily_orders` is built directly from bronze `bronze_orders`' }],
    },
  ],
});

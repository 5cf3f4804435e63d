import rule from '../../../src/analyzers/rules/GLD001-gold-append-aggregates.js';
import { testRule } from '../../support/rule-tester.js';

testRule(rule, {
  valid: [
    {
      name: 'streaming windowed aggregation appended with a watermark',
      code: `
        from pyspark.sql import functions as F

        views = (spark.readStream.table("silver.page_events")
            .withWatermark("event_time", "10 minutes")
            .groupBy(F.window("event_time", "5 minutes"), "page")
            .agg(F.count("*").alias("views")))
        (views.writeStream
            .outputMode("append")
            .option("checkpointLocation", "/chk/gold/page_views")
            .toTable("gold.page_views"))
      `,
    },
    {
      name: 'aggregates overwritten with replaceWhere on the slice',
      code: `
        from pyspark.sql import functions as F

        def build_daily(spark, run_date):
            daily = (spark.read.table("silver.orders")
                .where(F.col("order_date") == run_date)
                .groupBy("order_date", "region")
                .agg(F.sum("amount").alias("revenue")))
            daily.write \\
                .mode("overwrite") \\
                .option("replaceWhere", f"order_date = '{run_date}'") \\
                .saveAsTable("gold.daily_revenue")
      `,
    },
    {
      name: 'append made idempotent with txnAppId/txnVersion',
      code: `
        from pyspark.sql import functions as F

        def publish(spark, batch_id):
            kpis = spark.read.table("silver.sessions").groupBy("day").agg(F.avg("duration").alias("avg_duration"))
            (kpis.write.format("delta")
                .option("txnAppId", "gold_kpis")
                .option("txnVersion", batch_id)
                .mode("append")
                .save("/mnt/gold/kpis"))
      `,
    },
    {
      name: 'append inside a foreachBatch function',
      code: `
        from pyspark.sql import functions as F

        def upsert_batch(batch_df, batch_id):
            agg = batch_df.groupBy("store_id").agg(F.sum("qty").alias("units"))
            agg.write.mode("append").saveAsTable("gold.store_units")

        (spark.readStream.table("silver.sales").writeStream
            .foreachBatch(upsert_batch)
            .option("checkpointLocation", "/chk/store_units")
            .start())
      `,
    },
    {
      name: 'initial load in the "table does not exist" branch, MERGE otherwise',
      code: `
        from delta.tables import DeltaTable
        from pyspark.sql import functions as F

        GOLD = "main.gold.customer_ltv"
        ltv = spark.table("main.silver.orders").groupBy("customer_id").agg(F.sum("amount").alias("ltv"))
        if not spark.catalog.tableExists(GOLD):
            ltv.write.mode("append").saveAsTable(GOLD)
        else:
            (DeltaTable.forName(spark, GOLD).alias("t")
                .merge(ltv.alias("s"), "t.customer_id = s.customer_id")
                .whenMatchedUpdateAll()
                .whenNotMatchedInsertAll()
                .execute())
      `,
    },
    {
      name: 'aggregation hidden in a helper function (opaque lineage)',
      code: `
        from mylib.metrics import compute_daily_metrics

        silver = spark.read.table("silver.events")
        metrics = compute_daily_metrics(silver)
        metrics.write.mode("append").saveAsTable("gold.daily_metrics")
      `,
    },
    {
      name: 'row-level gold fact table appended (no aggregation)',
      code: `
        from pyspark.sql import functions as F

        facts = (spark.read.table("silver.orders")
            .join(spark.read.table("silver.customers"), "customer_id")
            .withColumn("order_month", F.date_trunc("month", "order_ts")))
        facts.write.mode("append").saveAsTable("gold.fact_orders")
      `,
    },
    {
      name: 'aggregates appended to a table whose layer is unknown',
      code: `
        from pyspark.sql import functions as F

        daily = spark.read.table("silver.orders").groupBy("order_date").agg(F.sum("amount").alias("revenue"))
        daily.write.mode("append").saveAsTable("analytics.daily_revenue")
      `,
    },
    {
      name: 'aggregates overwritten in full (re-runs replace, not add)',
      code: `
        from pyspark.sql import functions as F

        class GoldBuilder:
            def __init__(self, gold_path):
                self.gold_path = gold_path

            def run(self):
                df = spark.read.format("delta").load("/mnt/silver/events")
                out = df.groupBy("event_date").agg(F.countDistinct("user_id").alias("dau"))
                out.write.format("delta").mode("overwrite").save(self.gold_path)
      `,
    },
    {
      name: 'first run appends, later runs MERGE into the same gold table (flag, not an existence test)',
      code: `
        from delta.tables import DeltaTable
        from pyspark.sql import functions as F

        def refresh(spark, first_run):
            totals = spark.table("silver.payments").groupBy("account_id").agg(F.sum("amount").alias("total"))
            if first_run:
                totals.write.mode("append").saveAsTable("gold.account_totals")
            else:
                (DeltaTable.forName(spark, "gold.account_totals").alias("t")
                    .merge(totals.alias("s"), "t.account_id = s.account_id")
                    .whenMatchedUpdateAll()
                    .whenNotMatchedInsertAll()
                    .execute())
      `,
    },
    {
      name: 'SQL INSERT INTO ... REPLACE WHERE of an aggregate',
      code: `
        spark.sql("""
            INSERT INTO gold.daily_revenue REPLACE WHERE order_date = '2024-05-01'
            SELECT order_date, SUM(amount) AS revenue FROM silver.orders
            WHERE order_date = '2024-05-01' GROUP BY order_date
        """)
      `,
    },
  ],
  invalid: [
    {
      name: 'groupBy().agg appended into a gold table',
      code: `
        from pyspark.sql import functions as F

        daily = (spark.read.table("silver.orders")
            .groupBy("order_date")
            .agg(F.sum("amount").alias("revenue")))
        daily.write.mode("append").saveAsTable("gold.daily_revenue")
      `,
      errors: [
        {
          line: 6,
          column: 13,
          severity: 'critical',
          message: 'Aggregates (`groupBy(...).agg(...)`) are appended into gold table `gold.daily_revenue`',
        },
      ],
    },
    {
      name: 'groupBy().count() appended to a gold path named by a variable, backslash chain',
      code: `
        def create_gold_counts(spark, gold_path):
            counts = spark.read.format("delta").load("/mnt/silver/clicks") \\
                .groupBy("campaign_id") \\
                .count()
            counts.write \\
                .format("delta") \\
                .mode("append") \\
                .save(gold_path)
      `,
      errors: [{ line: 7, column: 10, message: '(`groupBy(...).count(...)`) are appended into gold table `gold_path`' }],
    },
    {
      name: 'SQL INSERT INTO gold with GROUP BY',
      code: `
        spark.sql("""
            INSERT INTO main.gold.region_sales
            SELECT region, SUM(amount) AS sales FROM main.silver.orders GROUP BY region
        """)
      `,
      errors: [{ line: 1, message: 'an aggregating query' }],
    },
    {
      name: 'aggregating spark.sql query appended through the DataFrame writer',
      code: `
        rev = spark.sql("SELECT region, sum(amount) AS revenue FROM silver.orders GROUP BY region")
        rev.write.saveAsTable("gold.region_revenue", mode="append")
      `,
      errors: [{ line: 2, message: 'gold table `gold.region_revenue`' }],
    },
    {
      name: 'global agg split over several assignments, then joined, written with writeTo().append()',
      code: `
        from pyspark.sql import functions as F

        TARGET = "lake.mart.store_totals"
        sales = spark.table("silver.sales")
        totals = sales.groupBy("store_id").agg(F.sum("amount").alias("total"))
        enriched = totals.join(spark.table("silver.stores"), "store_id")
        enriched.writeTo(TARGET).append()
      `,
      errors: [{ line: 7, message: 'gold table `lake.mart.store_totals`' }],
    },
    {
      name: 'gold layer known only from the function name; the MERGE in it targets a different table',
      code: `
        from delta.tables import DeltaTable
        from pyspark.sql import functions as F

        def create_gold_metrics(spark, target):
            m = spark.table("silver.events").agg(F.count("*").alias("events"))
            m.write.mode("append").saveAsTable(target)
            (DeltaTable.forName(spark, "ops.run_log").alias("t")
                .merge(m.alias("s"), "t.run = s.run")
                .whenNotMatchedInsertAll()
                .execute())
      `,
      errors: [{ line: 6, column: 13, message: '(`agg(...)`) are appended into gold table `target`' }],
    },
  ],
});

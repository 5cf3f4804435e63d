import rule from '../../../src/analyzers/rules/INC002-incremental-overwrite-drops-data.js';
import { testRule } from '../../support/rule-tester.js';

testRule(rule, {
  valid: [
    {
      name: 'history up to a date (an upper bound only) rebuilt as of that date',
      code: `
        from pyspark.sql import functions as F

        def rebuild(spark, as_of_date):
            history = spark.read.table("bronze.orders").filter(F.col("order_date") <= as_of_date)
            history.write.mode("overwrite").saveAsTable("silver.orders")
      `,
    },
    {
      name: 'a bound taken as max() of another table, and a full change feed rebuilt into staging',
      code: `
        from pyspark.sql import functions as F

        cutoff_price = spark.read.table("silver.price_list").agg(F.max("price")).collect()[0][0]
        spark.read.table("bronze.orders").filter(F.col("amount") > cutoff_price).write.mode("overwrite").saveAsTable("gold.large_orders")

        changes = spark.read.option("readChangeFeed", "true").option("startingVersion", 0).table("bronze.orders")
        changes.write.mode("overwrite").saveAsTable("staging.order_changes")
      `,
    },
    {
      name: 'rolling window rebuilt into a table nothing else in the file touches',
      code: `
        from pyspark.sql.functions import col, current_date, date_sub

        recent = spark.read.format("delta").load("/mnt/bronze/clicks") \\
            .where(col("click_date") >= date_sub(current_date(), 1)) \\
            .select("click_id", "user_id", "click_date")
        recent.write.format("delta").mode("overwrite").save("/mnt/silver/clicks_recent_window")
      `,
    },
    {
      name: 'current state defined by a date filter (active subscriptions)',
      code: `
        from pyspark.sql import functions as F

        active = spark.read.table("silver.subscriptions").filter(F.col("end_date") >= F.current_date())
        active.write.mode("overwrite").saveAsTable("gold.active_subscriptions")
      `,
    },
    {
      name: 'latest full snapshot selected by its max date',
      code: `
        from pyspark.sql import functions as F

        max_d = spark.read.table("bronze.customer_snapshots").agg(F.max("snapshot_date")).first()[0]
        current = spark.read.table("bronze.customer_snapshots").filter(F.col("snapshot_date") == max_d).filter("customer_id IS NOT NULL")
        current.write.mode("overwrite").saveAsTable("silver.customers")
      `,
    },
    {
      name: 'increment overwritten into a stg table',
      code: `
        from pyspark.sql import functions as F

        last_wm = spark.read.table("ops.wm").first()[0]
        inc = spark.read.table("bronze.orders").filter(F.col("updated_at") > last_wm)
        inc.write.mode("overwrite").saveAsTable("stg.orders")
      `,
    },
    {
      name: 'rolling 90-day export to a dashboard database over JDBC',
      code: `
        from datetime import date, timedelta
        from pyspark.sql import functions as F

        cutoff = (date.today() - timedelta(days=90)).isoformat()
        kpis = spark.read.table("gold.daily_kpis").filter(F.col("kpi_date") >= cutoff)
        (kpis.write.format("jdbc").option("url", URL).option("dbtable", "public.kpi_dashboard")
            .option("truncate", "true").mode("overwrite").save())
      `,
    },
    {
      name: 'overwrite after a validation filter with literals only',
      code: `
        from pyspark.sql import functions as F

        orders = (spark.read.table("bronze.orders")
            .filter(F.col("amount") > 0)
            .where("order_ts >= '2020-01-01'")
            .filter(F.col("max_qty") <= 1000))
        orders.write.mode("overwrite").saveAsTable("silver.orders")
      `,
    },
    {
      name: 'overwrite with dynamic partitionOverwriteMode on the writer',
      code: `
        from pyspark.sql import functions as F

        def load_day(spark, run_date):
            day = spark.read.table("bronze.events").filter(F.col("event_date") == run_date)
            (day.write
                .mode("overwrite")
                .option("partitionOverwriteMode", "dynamic")
                .partitionBy("event_date")
                .saveAsTable("silver.events"))
      `,
    },
    {
      name: 'overwrite with dynamic partition overwrite set on the session',
      code: `
        from pyspark.sql import functions as F

        spark.conf.set("spark.sql.sources.partitionOverwriteMode", "dynamic")

        def load(spark, last_watermark):
            new = spark.read.table("bronze.events").filter(F.col("ingested_at") > last_watermark)
            new.write.mode("overwrite").partitionBy("ingest_date").parquet("/mnt/silver/events")
      `,
    },
    {
      name: 'overwrite limited by replaceWhere',
      code: `
        from pyspark.sql import functions as F

        def load_orders(spark, run_date):
            day = spark.read.table("bronze.orders").filter(F.col("order_date") == run_date)
            day.write \\
                .mode("overwrite") \\
                .option("replaceWhere", f"order_date = '{run_date}'") \\
                .saveAsTable("silver.orders")
      `,
    },
    {
      name: 'watermark filter written to a checkpoint/state table',
      code: `
        from pyspark.sql import functions as F

        def advance(spark, last_watermark, checkpoint_table):
            latest = (spark.read.table("bronze.events")
                .filter(F.col("event_ts") > last_watermark)
                .agg(F.max("event_ts").alias("watermark_value")))
            latest.write.format("delta").mode("overwrite").save(checkpoint_table)
      `,
    },
    {
      name: 'the seed pattern: MERGE when the table exists, overwrite only as the initial load',
      code: `
        from delta.tables import DeltaTable
        from pyspark.sql.functions import col, current_timestamp

        def incremental_process(source_table, target_table, watermark_col, last_watermark):
            new_data = spark.read.format("delta").load(source_table).filter(col(watermark_col) > last_watermark)
            processed_df = new_data.withColumn("processed_at", current_timestamp())
            if DeltaTable.isDeltaTable(spark, target_table):
                (DeltaTable.forPath(spark, target_table).alias("target")
                    .merge(processed_df.alias("source"), "target.id = source.id")
                    .whenMatchedUpdateAll()
                    .whenNotMatchedInsertAll()
                    .execute())
            else:
                processed_df.write.format("delta").mode("overwrite").save(target_table)
      `,
    },
    {
      name: 'incremental filter appended, not overwritten',
      code: `
        from pyspark.sql import functions as F

        def load(spark, last_watermark):
            new = spark.read.table("bronze.events").filter(F.col("updated_at") > last_watermark)
            new.write.mode("append").saveAsTable("silver.events")
      `,
    },
    {
      name: 'DataFrameWriterV2 overwrite(condition) replaces only the slice',
      code: `
        from pyspark.sql import functions as F

        def load_day(spark, run_date):
            day = spark.read.table("bronze.events").where(F.col("event_date") == run_date)
            day.writeTo("silver.events").overwrite(F.col("event_date") == run_date)
      `,
    },
    {
      name: 'one partition directory per run: the target path is the slice',
      code: `
        from pyspark.sql import functions as F

        def export_day(spark, run_date):
            day = spark.read.table("silver.events").filter(F.col("event_date") == run_date)
            day.write.mode("overwrite").parquet(f"/mnt/gold/exports/event_date={run_date}")
      `,
    },
    {
      name: 'rolling window table meant to hold only the last 30 days',
      code: `
        from pyspark.sql import functions as F

        recent = (spark.read.table("silver.orders")
            .filter(F.col("order_date") >= F.date_sub(F.current_date(), 30)))
        recent.write.mode("overwrite").saveAsTable("gold.orders_last_30d")
      `,
    },
    {
      name: 'new rows unioned with the existing table before the overwrite',
      code: `
        from pyspark.sql import functions as F

        def rebuild(spark, since):
            existing = spark.read.table("silver.customers")
            changed = spark.read.table("bronze.customers").filter(F.col("updated_at") > since)
            existing.unionByName(changed).write.mode("overwrite").saveAsTable("silver.customers")
      `,
    },
    {
      name: 'static partition in INSERT OVERWRITE',
      code: `
        from pyspark.sql import functions as F

        def load_day(spark, run_date):
            spark.read.table("bronze.events").filter(F.col("event_date") == run_date).createOrReplaceTempView("day")
            spark.sql(f"INSERT OVERWRITE TABLE silver.events PARTITION (event_date = '{run_date}') SELECT * FROM day")
      `,
    },
    {
      name: 'fixed module-level start date is a literal bound',
      code: `
        from pyspark.sql import functions as F

        START_DATE = "2023-01-01"
        hist = spark.read.table("bronze.events").filter(F.col("event_date") >= START_DATE)
        hist.write.mode("overwrite").saveAsTable("silver.events_history")
      `,
    },
    {
      name: 'column reached through the DataFrame (df.max_price) is not an increment variable',
      code: `
        def clean_products(spark):
            df = spark.read.table("bronze.products")
            ok = df.filter(df.max_price < 10000).where(df["min_qty"] >= 1)
            ok.write.mode("overwrite").saveAsTable("silver.products")
      `,
    },
    {
      name: 'streaming write',
      code: `
        from pyspark.sql import functions as F

        s = spark.readStream.table("bronze.events").filter(F.col("event_ts") > F.current_timestamp() - F.expr("INTERVAL 1 DAY"))
        s.writeStream.outputMode("complete").option("checkpointLocation", "/chk/x").toTable("silver.events")
      `,
    },
    {
      name: 'SQL: a day selected in spark.sql, the overwrite limited by replaceWhere',
      code: `
        run_date = dbutils.widgets.get("run_date")
        day = spark.sql(f"SELECT * FROM retail.bronze.orders WHERE ingest_date = '{run_date}' AND order_id IS NOT NULL")
        (day.write.format("delta")
            .mode("overwrite")
            .option("replaceWhere", f"ingest_date = '{run_date}'")
            .saveAsTable("retail.silver.orders"))
      `,
    },
    {
      name: 'SQL: INSERT OVERWRITE with a static partition value and the same slice in WHERE',
      code: `
        def load_day(spark, run_date):
            spark.sql(f"""
                INSERT OVERWRITE retail.silver.returns PARTITION (ingest_date = '{run_date}')
                SELECT return_id, order_id, amount FROM retail.bronze.returns
                WHERE ingest_date = '{run_date}' AND amount > 0
            """)
      `,
    },
    {
      name: 'SQL: INSERT OVERWRITE of a slice with dynamic partition overwrite on the session',
      code: `
        spark.conf.set("spark.sql.sources.partitionOverwriteMode", "dynamic")
        run_date = dbutils.widgets.get("run_date")
        spark.sql(f"INSERT OVERWRITE TABLE silver.events SELECT * FROM bronze.events WHERE event_date = '{run_date}'")
      `,
    },
    {
      name: 'SQL: literal validation filter and a bound only from above (history up to a date)',
      code: `
        def rebuild(spark, as_of_date):
            spark.sql("INSERT OVERWRITE silver.products SELECT * FROM bronze.products WHERE list_price > 0 AND sku IS NOT NULL")
            spark.sql(f"INSERT OVERWRITE gold.revenue_history SELECT * FROM silver.sales WHERE sale_date <= '{as_of_date}'")
            spark.sql(f"INSERT OVERWRITE gold.orders SELECT * FROM silver.orders WHERE order_date BETWEEN '2020-01-01' AND '{as_of_date}'")
      `,
    },
    {
      name: 'SQL: the day only filters a NOT IN subquery: every other customer is rewritten',
      code: `
        def purge(spark, run_date):
            spark.sql(f"""
                INSERT OVERWRITE silver.customers
                SELECT c.* FROM bronze.customers c
                WHERE c.customer_id NOT IN (SELECT customer_id FROM bronze.gdpr_deletes WHERE request_date = '{run_date}')
            """)
      `,
    },
    {
      name: 'SQL: the day unioned with every other day already in the target',
      code: `
        run_date = dbutils.widgets.get("run_date")
        query = f"""
        INSERT OVERWRITE silver.orders
        SELECT * FROM bronze.orders WHERE order_date = '{run_date}'
        UNION ALL
        SELECT * FROM silver.orders WHERE order_date <> '{run_date}'
        """
        spark.sql(query)
      `,
    },
    {
      name: 'one snapshot of a snapshot table is the full state (SQL and DataFrame)',
      code: `
        from pyspark.sql import functions as F

        def load(spark, run_date):
            spark.sql(f"SELECT * FROM bronze.customer_snapshots WHERE snapshot_date = '{run_date}'") \\
                .write.mode("overwrite").saveAsTable("silver.customers")
            accounts = spark.read.table("bronze.account_snapshots").filter(F.col("snapshot_date") == run_date)
            accounts.write.mode("overwrite").saveAsTable("silver.accounts")
      `,
    },
    {
      name: 'SQL: one export directory per day, named by the run date',
      code: `
        class Export:
            def run(self, run_date):
                day = self.spark.sql(f"SELECT * FROM silver.shipments WHERE ship_date = '{run_date}'")
                day.write.mode("overwrite").parquet(f"/mnt/exports/shipments/ship_date={run_date}")
      `,
    },
    {
      name: 'SQL: parameter compared on a non-date column, rolling windows and a today table',
      code: `
        def load(spark, country, run_date):
            spark.sql(f"INSERT OVERWRITE silver.orders_by_country SELECT * FROM bronze.orders WHERE country = '{country}'")
            spark.sql("INSERT OVERWRITE gold.kpis SELECT * FROM silver.orders WHERE order_date >= current_date - INTERVAL 30 DAYS")
            spark.sql(f"INSERT OVERWRITE gold.orders_today SELECT * FROM silver.orders WHERE order_date = '{run_date}'")
      `,
    },
    {
      name: 'SQL: watermark subquery over another table, and a hole that is the whole predicate',
      code: `
        def load(spark, where_clause):
            spark.sql("INSERT OVERWRITE silver.orders SELECT * FROM bronze.orders WHERE updated_at > (SELECT max(updated_at) FROM ops.audit)")
            spark.sql(f"INSERT OVERWRITE silver.clicks SELECT * FROM bronze.clicks WHERE {where_clause}")
      `,
    },
  ],
  invalid: [
    {
      name: 'watermark on the left of the comparison is still a lower bound',
      code: `
        from pyspark.sql import functions as F

        def load(spark, last_watermark):
            fresh = spark.read.table("bronze.orders").filter(F.lit(last_watermark) < F.col("updated_at"))
            fresh.write.mode("overwrite").saveAsTable("silver.orders")
      `,
      errors: [{ line: 5, message: '`overwrite` of `silver.orders` with only rows newer than `last_watermark` (filter at line 4)' }],
    },
    {
      name: 'batch change feed from a version, overwritten into the table',
      code: `
        def load(spark, version):
            changes = spark.read.option("readChangeFeed", "true").option("startingVersion", version).table("bronze.orders")
            changes.filter("_change_type = 'insert'").write.mode("overwrite").saveAsTable("silver.orders")
      `,
      errors: [{ line: 3, message: '`overwrite` of `silver.orders` with only the changes since `startingVersion` (filter at line 2)' }],
    },
    {
      name: 'watermark taken as max() of the target, then the newer rows overwrite it',
      code: `
        from pyspark.sql import functions as F

        last = spark.read.table("silver.orders").agg(F.max("updated_at")).collect()[0][0]
        new_orders = spark.read.table("bronze.orders").filter(F.col("updated_at") > last)
        new_orders.write.mode("overwrite").saveAsTable("silver.orders")
      `,
      errors: [{ line: 5, message: '`overwrite` of `silver.orders` with only rows newer than the latest in `silver.orders` (filter at line 4)' }],
    },
    {
      name: 'rows newer than the last watermark overwrite the whole table',
      code: `
        from pyspark.sql import functions as F

        def load_orders(spark, last_watermark):
            new_orders = spark.read.table("bronze.orders").filter(F.col("updated_at") > last_watermark)
            new_orders.write.mode("overwrite").saveAsTable("silver.orders")
      `,
      errors: [
        {
          line: 5,
          column: 22,
          severity: 'critical',
          message: '`overwrite` of `silver.orders` with only rows newer than `last_watermark` (filter at line 4)',
        },
      ],
    },
    {
      name: 'recent window overwritten into the table the same file appends to (its history)',
      code: `
        from pyspark.sql.functions import col, current_date, date_sub

        def append_day(day_df):
            day_df.write.format("delta").mode("append").save("/mnt/silver/clicks")

        recent = spark.read.format("delta").load("/mnt/bronze/clicks") \\
            .where(col("click_date") >= date_sub(current_date(), 1)) \\
            .select("click_id", "user_id", "click_date")
        recent.write \\
            .format("delta") \\
            .mode("overwrite") \\
            .save("/mnt/silver/clicks")
      `,
      errors: [{ line: 11, column: 6, message: 'only the rows of a recent date range (filter at line 7)' }],
    },
    {
      name: 'one day selected by a parameter (no partitionBy on the writer), in a class',
      code: `
        from pyspark.sql import functions as F

        class DailyJob:
            def __init__(self, silver_table):
                self.silver_table = silver_table

            def run(self, run_date):
                day = self.spark.read.table("bronze.events").filter(F.col("event_date") == run_date)
                enriched = day.withColumn("processed_at", F.current_timestamp())
                enriched.write.mode("overwrite").saveAsTable(self.silver_table)
      `,
      errors: [{ line: 10, message: 'one slice (selected by `run_date`)' }],
    },
    {
      name: 'partition equality on a partitioned write',
      code: `
        from pyspark.sql import functions as F

        def load(spark, batch_date):
            b = spark.read.parquet("/mnt/landing/sales/").filter(F.col("sale_day") == batch_date)
            b.write.mode("overwrite").partitionBy("sale_day").saveAsTable("silver.sales")
      `,
      errors: [{ line: 5, message: 'one partition (`sale_day`)' }],
    },
    {
      name: 'SQL-string filter with an f-string watermark, mode as a keyword',
      code: `
        def refresh(spark, hwm):
            inc = spark.table("bronze.payments").filter(f"modified_ts > '{hwm}'")
            inc.write.saveAsTable("silver.payments", format="delta", mode="overwrite")
      `,
      errors: [{ line: 3, message: 'rows newer than `hwm`' }],
    },
    {
      name: 'column through the DataFrame compared with a watermark read from the state table',
      code: `
        from pyspark.sql import functions as F

        wm_row = spark.read.table("ops.state.orders_watermark").agg(F.max("wm")).first()
        last_wm = wm_row[0]
        df = spark.read.table("bronze.orders")
        new = df.filter(df.updated_at > last_wm)
        new.write.mode("overwrite").saveAsTable("silver.orders")
      `,
      errors: [{ line: 7, column: 11, message: 'rows newer than `last_wm` (filter at line 6)' }],
    },
    {
      name: 'increment registered as a view and written with INSERT OVERWRITE',
      code: `
        from pyspark.sql import functions as F

        def load(spark, since):
            spark.read.table("bronze.events").filter(F.col("ingested_at") > since).createOrReplaceTempView("inc")
            spark.sql("INSERT OVERWRITE TABLE silver.events SELECT * FROM inc")
      `,
      errors: [{ line: 5, message: '`overwrite` of `silver.events`' }],
    },
    {
      name: 'static partition overwrite without a partition value (whole table replaced)',
      code: `
        from pyspark.sql import functions as F

        def load(spark, last_load_ts):
            spark.read.table("bronze.events").filter(F.col("load_ts") > last_load_ts).createOrReplaceTempView("inc")
            spark.sql("INSERT OVERWRITE TABLE silver.events PARTITION (event_date) SELECT * FROM inc")
      `,
      errors: [{ line: 5, message: 'rows newer than `last_load_ts`' }],
    },
    {
      name: 'SQL: one ingest_date selected in spark.sql, the whole silver table overwritten',
      code: `
        run_date = dbutils.widgets.get("run_date")
        day = spark.sql(f"SELECT * FROM retail.bronze.orders WHERE ingest_date = '{run_date}' AND order_id IS NOT NULL")
        day.write.mode("overwrite").saveAsTable("retail.silver.orders")
      `,
      errors: [{ line: 3, column: 11, message: '`overwrite` of `retail.silver.orders` with only one slice (selected by `run_date`) (filter at line 2)' }],
    },
    {
      name: 'SQL: INSERT OVERWRITE ... SELECT ... WHERE ingest_date = run_date without a PARTITION clause',
      code: `
        run_date = dbutils.widgets.get("run_date")
        spark.sql(f"INSERT OVERWRITE retail.silver.returns SELECT * FROM retail.bronze.returns WHERE ingest_date = '{run_date}' AND return_id IS NOT NULL")
      `,
      errors: [{ line: 2, column: 1, message: '`overwrite` of `retail.silver.returns` with only one slice (selected by `run_date`)' }],
    },
    {
      name: 'SQL: a parameter compared on a date column, triple-quoted query in a class method',
      code: `
        class ReturnsJob:
            def load(self, day):
                query = f"""
                    INSERT OVERWRITE silver.returns
                    SELECT r.*, o.channel
                    FROM bronze.returns r JOIN silver.orders o ON r.order_id = o.order_id
                    WHERE r.return_date = '{day}'
                      AND r.return_id IS NOT NULL
                """
                self.spark.sql(query)
      `,
      errors: [{ line: 10, column: 9, message: 'one slice (selected by `day`)' }],
    },
    {
      name: 'SQL: BETWEEN two parameters, and a reversed comparison with a watermark',
      code: `
        def load(spark, start_date, end_date, last_wm):
            spark.sql(f"INSERT OVERWRITE gold.orders SELECT * FROM silver.orders WHERE order_date BETWEEN '{start_date}' AND '{end_date}' AND amount > 0")
            spark.sql(f"INSERT OVERWRITE silver.events SELECT * FROM bronze.events WHERE '{last_wm}' < updated_at")
      `,
      errors: [
        { line: 2, message: '`overwrite` of `gold.orders` with only rows newer than `start_date`' },
        { line: 3, message: '`overwrite` of `silver.events` with only rows newer than `last_wm`' },
      ],
    },
    {
      name: 'SQL: the watermark is a subquery over the target itself',
      code: `
        spark.sql("""
            INSERT OVERWRITE silver.orders
            SELECT * FROM bronze.orders
            WHERE updated_at > (SELECT COALESCE(MAX(updated_at), '1900-01-01') FROM silver.orders)
        """)
      `,
      errors: [{ line: 1, message: 'rows newer than the latest in `silver.orders`' }],
    },
    {
      name: 'SQL: a recent window overwritten into the table the same file appends to',
      code: `
        def append_clicks(df):
            df.write.mode("append").saveAsTable("silver.clicks")

        spark.sql("INSERT OVERWRITE silver.clicks SELECT * FROM bronze.clicks WHERE click_date >= date_sub(current_date(), 1)")
      `,
      errors: [{ line: 4, message: 'only the rows of a recent date range' }],
    },
    {
      name: 'SQL: a batch selected in spark.sql, written partitioned by its column',
      code: `
        def load(spark, batch_id):
            b = spark.sql(f"SELECT * FROM bronze.sales WHERE load_batch = {batch_id}")
            b.write.mode("overwrite").partitionBy("load_batch").saveAsTable("silver.sales")
      `,
      errors: [{ line: 3, column: 13, message: 'one partition (`load_batch`)' }],
    },
    {
      name: 'one snapshot overwritten into the table that keeps every snapshot',
      code: `
        run_date = dbutils.widgets.get("run_date")
        snap = spark.sql(f"SELECT * FROM bronze.customer_snapshots WHERE snapshot_date = '{run_date}'")
        snap.write.mode("overwrite").saveAsTable("silver.customer_snapshots")
      `,
      errors: [{ line: 3, message: '`overwrite` of `silver.customer_snapshots` with only one slice (selected by `run_date`)' }],
    },
  ],
});

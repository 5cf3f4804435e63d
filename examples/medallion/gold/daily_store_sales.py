# Databricks notebook source
# MAGIC %md
# MAGIC ## Gold: daily store sales
# MAGIC One row per store and day for the sales dashboard. Scheduled daily at 04:00 after silver.

# COMMAND ----------

from pyspark.sql import functions as F

dbutils.widgets.text("run_date", "")
run_date = dbutils.widgets.get("run_date")

catalog = "retail"
silver_orders_table = f"{catalog}.silver.orders"
silver_stores_table = f"{catalog}.silver.stores"
gold_daily_sales_table = f"{catalog}.gold.daily_store_sales"

# COMMAND ----------

orders = spark.table(silver_orders_table).where(F.col("order_date") == run_date)
stores = spark.table(silver_stores_table).select("store_id", "region", "store_format")

daily_sales = (
    orders.join(stores, "store_id", "left")
    .groupBy("order_date", "store_id", "region", "store_format")
    .agg(
        F.sum("amount").alias("revenue"),
        F.countDistinct("order_id").alias("orders"),
        # Mistake: count() counts rows with a non-null customer_id, so a customer who ordered
        # three times counts three times. The name promises distinct customers:
        # use F.countDistinct("customer_id").
        F.count("customer_id").alias("unique_customers"),
        F.avg("amount").alias("avg_basket"),
    )
    .withColumn("_computed_at", F.current_timestamp())
)

# COMMAND ----------

# Mistake: appending aggregates. If the job is retried, or re-run for the same run_date after a
# late correction, a second row per store and day is added and the dashboard doubles revenue.
# Overwrite only this day with .option("replaceWhere", f"order_date = '{run_date}'").
daily_sales.write.format("delta").mode("append").saveAsTable(gold_daily_sales_table)

# COMMAND ----------

# Mistake: count() runs the join and aggregation again from scratch; nothing was cached.
# Persist daily_sales before the write, or read the row count from the Delta commit metrics.
print(f"{daily_sales.count()} store-days written for {run_date}")

"""Gold: customer lifetime value, refreshed for one month at a time.

This is the "good" counterpart of daily_store_sales.py: it reads silver only, counts distinct
values with countDistinct, and overwrites exactly the month it recomputes, so re-runs are safe.
"""
import sys

from pyspark.sql import SparkSession
from pyspark.sql import functions as F

CONFIG = {
    "orders_table": "retail.silver.orders",
    "customers_table": "retail.silver.customers",
    "target_table": "retail.gold.customer_monthly_value",
    "zorder_by": ["customer_id"],
}


def build_monthly_value(spark: SparkSession, month: str) -> None:
    orders = (
        spark.read.table(CONFIG["orders_table"])
        .where(F.date_format("order_ts", "yyyy-MM") == month)
    )
    customers = spark.read.table(CONFIG["customers_table"]).select("customer_id", "segment", "country_code")

    monthly = (
        orders.groupBy("customer_id")
        .agg(
            F.sum("amount").alias("revenue"),
            F.countDistinct("order_id").alias("order_count"),
            F.countDistinct(F.to_date("order_ts")).alias("distinct_order_days"),
            F.max("order_ts").alias("last_order_ts"),
        )
        .join(customers, "customer_id", "left")
        .withColumn("month", F.lit(month))
    )

    (
        monthly.write.format("delta")
        .mode("overwrite")
        .option("replaceWhere", f"month = '{month}'")
        .partitionBy("month")
        .saveAsTable(CONFIG["target_table"])
    )

    zorder_cols = ", ".join(CONFIG["zorder_by"])
    spark.sql(f"OPTIMIZE {CONFIG['target_table']} WHERE month = '{month}' ZORDER BY ({zorder_cols})")


if __name__ == "__main__":
    build_monthly_value(SparkSession.builder.getOrCreate(), sys.argv[1])

"""Gold: last-touch campaign attribution for the marketing mart.

Joins web sessions to orders and credits each order to the last campaign the customer clicked
in the 7 days before buying.
"""
from pyspark.sql import SparkSession, Window
from pyspark.sql import functions as F

SESSIONS_TABLE = "lakehouse.bronze.web_sessions"
ORDERS_TABLE = "lakehouse.silver.orders"
ATTRIBUTION_TABLE = "lakehouse.marts.campaign_attribution"


def build_attribution(spark: SparkSession) -> None:
    # Mistake: the mart reads bronze sessions directly. Bronze is unvalidated and not
    # deduplicated (the tracker re-sends sessions on reconnect), so the mart credits campaigns
    # twice. Build it from a silver sessions table that cleans and deduplicates them.
    sessions = (
        spark.read.table(SESSIONS_TABLE)
        .where(F.col("utm_campaign").isNotNull())
        .select("customer_id", "utm_campaign", F.col("session_start").alias("touch_ts"))
    )
    orders = spark.read.table(ORDERS_TABLE).select("order_id", "customer_id", "order_ts", "amount")

    last_touch = Window.partitionBy("order_id").orderBy(F.col("touch_ts").desc())
    attributed = (
        orders.join(sessions, "customer_id")
        .where(
            (F.col("touch_ts") <= F.col("order_ts"))
            & (F.col("touch_ts") >= F.col("order_ts") - F.expr("INTERVAL 7 DAYS"))
        )
        .withColumn("rank", F.row_number().over(last_touch))
        .where("rank = 1")
        .groupBy("utm_campaign", F.to_date("order_ts").alias("order_date"))
        .agg(
            F.countDistinct("order_id").alias("attributed_orders"),
            F.sum("amount").alias("attributed_revenue"),
        )
    )

    attributed.write.format("delta").mode("overwrite").saveAsTable(ATTRIBUTION_TABLE)


if __name__ == "__main__":
    build_attribution(SparkSession.builder.appName("campaign_attribution").getOrCreate())

"""Silver orders: validated, typed and deduplicated copy of bronze orders.

Written as a small class so the paths can be injected by the job wrapper and by tests.
"""
import logging

from delta.tables import DeltaTable
from pyspark.sql import DataFrame, SparkSession
from pyspark.sql import functions as F
from pyspark.sql.types import DecimalType
from pyspark.sql.window import Window

log = logging.getLogger(__name__)


class SilverOrdersJob:
    def __init__(self, spark: SparkSession, storage_root: str = "/mnt/lake"):
        self.spark = spark
        self.bronze_path = f"{storage_root}/bronze/orders"
        self.silver_path = f"{storage_root}/silver/orders"
        self.quarantine_path = f"{storage_root}/silver/orders_quarantine"

    def run(self, process_date: str) -> None:
        bronze_orders = (
            self.spark.read.format("delta")
            .load(self.bronze_path)
            .where(F.col("_ingested_at").cast("date") == F.lit(process_date))
        )

        # Both the quarantine write and the merge read these rows: compute them once.
        checked = bronze_orders.withColumn(
            "_is_valid",
            F.col("order_id").isNotNull()
            & F.col("customer_id").isNotNull()
            & (F.col("amount") >= 0)
            & F.col("_rescued_data").isNull(),
        ).persist()

        # Rows that fail the checks are kept, with the reason, instead of disappearing.
        (
            checked.filter(~F.col("_is_valid"))
            .withColumn("_quarantined_at", F.current_timestamp())
            .write.format("delta")
            .mode("append")
            .option("txnAppId", "silver_orders_quarantine")
            .option("txnVersion", int(process_date.replace("-", "")))
            .save(self.quarantine_path)
        )

        latest_first = Window.partitionBy("order_id").orderBy(F.col("_ingested_at").desc())
        orders = (
            checked.filter(F.col("_is_valid"))
            .select(
                "order_id",
                "customer_id",
                F.to_timestamp("order_ts").alias("order_ts"),
                F.col("amount").cast(DecimalType(18, 2)).alias("amount"),
                F.upper(F.trim("currency")).alias("currency"),
                "status",
                "_ingested_at",
            )
            .withColumn("_rn", F.row_number().over(latest_first))
            .filter("_rn = 1")
            .drop("_rn")
        )

        if not DeltaTable.isDeltaTable(self.spark, self.silver_path):
            # First run: the table does not exist yet, so there is nothing to merge into.
            orders.write.format("delta").partitionBy("currency").save(self.silver_path)
            checked.unpersist()
            return

        (
            DeltaTable.forPath(self.spark, self.silver_path).alias("t")
            .merge(orders.alias("s"), "t.order_id = s.order_id")
            .whenMatchedUpdateAll(condition="s._ingested_at > t._ingested_at")
            .whenNotMatchedInsertAll()
            .execute()
        )
        checked.unpersist()
        log.info("merged orders for %s into %s", process_date, self.silver_path)


if __name__ == "__main__":
    import sys

    SilverOrdersJob(SparkSession.builder.getOrCreate()).run(sys.argv[1])

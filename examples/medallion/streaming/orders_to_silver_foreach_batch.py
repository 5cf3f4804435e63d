"""Continuously upsert bronze orders into silver with foreachBatch + MERGE.

The streaming twin of silver/orders.py: the checkpoint tracks which bronze versions were
processed, and each micro-batch is reduced to the latest row per order before it is merged,
so replays after a failure are harmless.
"""
from delta.tables import DeltaTable
from pyspark.sql import DataFrame, SparkSession, Window
from pyspark.sql import functions as F

BRONZE_ORDERS = "main.bronze.orders"
SILVER_ORDERS = "main.silver.orders"
CHECKPOINT = "/Volumes/main/ops/checkpoints/silver_orders_upsert"


def upsert_batch(batch_df: DataFrame, batch_id: int) -> None:
    spark = batch_df.sparkSession
    latest = Window.partitionBy("order_id").orderBy(F.col("_ingested_at").desc())
    updates = (
        batch_df.filter(F.col("order_id").isNotNull())
        .withColumn("_rn", F.row_number().over(latest))
        .filter("_rn = 1")
        .drop("_rn")
    )
    (
        DeltaTable.forName(spark, SILVER_ORDERS).alias("t")
        .merge(updates.alias("s"), "t.order_id = s.order_id")
        .whenMatchedUpdateAll(condition="s._ingested_at >= t._ingested_at")
        .whenNotMatchedInsertAll()
        .execute()
    )


def start(spark: SparkSession):
    bronze_stream = (
        spark.readStream
        .option("skipChangeCommits", "true")
        .table(BRONZE_ORDERS)
    )
    return (
        bronze_stream.writeStream
        .foreachBatch(upsert_batch)
        .option("checkpointLocation", CHECKPOINT)
        .trigger(availableNow=True)
        .queryName("silver_orders_upsert")
        .start()
    )


if __name__ == "__main__":
    start(SparkSession.builder.getOrCreate()).awaitTermination()

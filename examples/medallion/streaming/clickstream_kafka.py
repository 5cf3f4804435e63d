"""Clickstream events from Kafka into bronze, plus a console stream for local debugging."""
import os

from pyspark.sql import SparkSession
from pyspark.sql import functions as F

KAFKA_BOOTSTRAP = os.environ.get("KAFKA_BOOTSTRAP", "broker-1:9092,broker-2:9092")
CLICK_TOPIC = "web.clickstream.v2"

BRONZE_CLICKS_TABLE = "lakehouse.bronze.clickstream"


def run(spark: SparkSession) -> None:
    raw_clicks = (
        spark.readStream.format("kafka")
        .option("kafka.bootstrap.servers", KAFKA_BOOTSTRAP)
        .option("subscribe", CLICK_TOPIC)
        .option("startingOffsets", "earliest")
        .option("maxOffsetsPerTrigger", 200000)
        .load()
    )
    clicks = raw_clicks.select(
        F.col("key").cast("string").alias("session_key"),
        F.col("value").cast("string").alias("payload"),
        "topic",
        "partition",
        "offset",
        F.col("timestamp").alias("kafka_timestamp"),
        F.current_timestamp().alias("_ingested_at"),
    )

    # Mistake: no checkpointLocation. Kafka offsets are only remembered in the checkpoint; this
    # query either refuses to start or, with a temporary location, re-reads the topic from
    # "earliest" after every restart and appends every event again.
    (
        clicks.writeStream
        .format("delta")
        .outputMode("append")
        .trigger(processingTime="1 minute")
        .toTable(BRONZE_CLICKS_TABLE)
    )

    # Fine: a console sink is a debugging output; Spark gives it a throwaway checkpoint.
    (
        clicks.select("session_key", "kafka_timestamp")
        .writeStream
        .format("console")
        .option("truncate", "false")
        .start()
    )

    spark.streams.awaitAnyTermination()


if __name__ == "__main__":
    run(SparkSession.builder.appName("bronze-clickstream").getOrCreate())

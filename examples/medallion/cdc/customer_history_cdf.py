"""Gold: customer history (SCD-style audit trail) fed by the change data feed of silver.customers."""
from pyspark.sql import SparkSession
from pyspark.sql import functions as F

SILVER_CUSTOMERS = "main.silver.customers"
GOLD_CUSTOMER_HISTORY = "main.gold.customer_history"
CHECKPOINT_ROOT = "/Volumes/main/ops/checkpoints"


def main() -> None:
    spark = SparkSession.builder.appName("gold_customer_history").getOrCreate()

    # Mistake: the change data feed is written on as if it were plain rows. Every update arrives
    # twice (update_preimage with the old values and update_postimage with the new ones) and
    # deletes arrive as rows too, so the history shows deleted customers as live and doubles every
    # change. Filter on _change_type (keep insert/update_postimage, handle delete separately).
    changes = (
        spark.readStream.format("delta")
        .option("readChangeFeed", "true")
        .table(SILVER_CUSTOMERS)
    )

    history = changes.select(
        "customer_id",
        "segment",
        "country_code",
        F.col("_commit_version").alias("version"),
        F.col("_commit_timestamp").alias("valid_from"),
    )

    (
        history.writeStream
        .format("delta")
        .option("checkpointLocation", f"{CHECKPOINT_ROOT}/gold_customer_history")
        .trigger(availableNow=True)
        .toTable(GOLD_CUSTOMER_HISTORY)
        .awaitTermination()
    )


if __name__ == "__main__":
    main()

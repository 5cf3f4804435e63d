"""Apply the postal service's weekly address corrections to silver.customers.

The corrections arrive as a parquet snapshot: one row per customer whose address changed,
or with `is_deleted = true` when the customer asked to be forgotten.
"""
import logging

from delta.tables import DeltaTable
from pyspark.sql import SparkSession
from pyspark.sql import functions as F

logger = logging.getLogger(__name__)

CORRECTIONS_PATH = "s3://acme-lake/landing/postal/address_corrections/"
SILVER_CUSTOMERS_PATH = "s3://acme-lake/silver/customers"
ADDRESS_HISTORY_PATH = "s3://acme-lake/silver/customer_address_history"


def apply_corrections(spark: SparkSession, week: str) -> None:
    corrections = (
        spark.read.parquet(f"{CORRECTIONS_PATH}week={week}/")
        .filter(F.col("customer_id").isNotNull())
        .dropDuplicates(["customer_id"])
    )

    target = DeltaTable.forPath(spark, SILVER_CUSTOMERS_PATH)

    # Mistake: the builder is never executed. Without .execute() at the end nothing is read or
    # written; the job finishes successfully and silver never receives a single correction.
    (
        target.alias("t")
        .merge(corrections.alias("c"), "t.customer_id = c.customer_id")
        .whenMatchedDelete(condition="c.is_deleted = true")
        .whenMatchedUpdate(
            set={
                "street": "c.street",
                "postal_code": "c.postal_code",
                "city": "c.city",
                "_updated_at": "current_timestamp()",
            }
        )
    )

    # Mistake: a plain batch append into silver. When the job is retried, or re-run for the same
    # week, every correction is appended again and the history shows each move twice. Add
    # .option("txnAppId", "address_history").option("txnVersion", <week number>), or MERGE on
    # (customer_id, week).
    (
        corrections.withColumn("week", F.lit(week))
        .withColumn("_recorded_at", F.current_timestamp())
        .write.format("delta")
        .mode("append")
        .save(ADDRESS_HISTORY_PATH)
    )
    logger.info("address corrections for week %s applied", week)


if __name__ == "__main__":
    import sys

    apply_corrections(SparkSession.builder.getOrCreate(), sys.argv[1])

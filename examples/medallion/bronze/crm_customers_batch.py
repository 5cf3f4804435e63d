"""Nightly load of the CRM customer extract into bronze.

The CRM team drops one semicolon-separated file per day under
/mnt/landing/crm/customers/<yyyy-MM-dd>/. This job copies that day's file into bronze.

Usage: spark-submit crm_customers_batch.py --run-date 2024-05-01
"""
import argparse
import logging

from pyspark.sql import SparkSession

logger = logging.getLogger("bronze.crm_customers")

LANDING_ROOT = "/mnt/landing/crm/customers"
BRONZE_CUSTOMERS = "/mnt/bronze/crm/customers"


def parse_args():
    parser = argparse.ArgumentParser()
    parser.add_argument("--run-date", required=True)
    return parser.parse_args()


def load_customers(spark, run_date):
    source_path = f"{LANDING_ROOT}/{run_date}/"
    logger.info("reading %s", source_path)

    # Mistake: DROPMALFORMED throws away every line that does not parse (a stray semicolon in an
    # address is enough) and nobody learns how many rows were lost. Keep them instead with
    # mode=PERMISSIVE + columnNameOfCorruptRecord, or with badRecordsPath.
    customers = (
        spark.read
        .option("header", "true")
        .option("delimiter", ";")
        .option("mode", "DROPMALFORMED")
        .csv(source_path)
    )

    # Mistake: no audit columns. Nothing records when a row arrived (`_ingested_at`) or which
    # daily file it came from (`_metadata.file_path`), so a bad delivery cannot be traced later.
    #
    # Mistake: "overwrite" on a bronze table replaces yesterday's load with today's. Bronze is the
    # raw history that silver is rebuilt from; it should only ever be appended to.
    (
        customers.write
        .format("delta")
        .mode("overwrite")
        .save(BRONZE_CUSTOMERS)
    )


def main():
    args = parse_args()
    spark = SparkSession.builder.appName("bronze_crm_customers").getOrCreate()
    load_customers(spark, args.run_date)


if __name__ == "__main__":
    main()

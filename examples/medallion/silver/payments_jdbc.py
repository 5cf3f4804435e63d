# Databricks notebook source
# MAGIC %md
# MAGIC ## Silver: payments from the billing database (JDBC, incremental)
# MAGIC Pulls payments changed since the last run from Postgres and refreshes `finance.silver.payments`.

# COMMAND ----------

import logging

from pyspark.sql import functions as F

logger = logging.getLogger("silver.payments")

JDBC_URL = "jdbc:postgresql://billing-replica.internal:5432/billing"
SILVER_PAYMENTS = "finance.silver.payments"

jdbc_conf = {
    "url": JDBC_URL,
    "user": dbutils.secrets.get("billing", "jdbc-user"),
    "password": dbutils.secrets.get("billing", "jdbc-password"),
    "driver": "org.postgresql.Driver",
    "fetchsize": "10000",
}

# COMMAND ----------

last_watermark = (
    spark.table(SILVER_PAYMENTS)
    .agg(F.max("updated_at").alias("hwm"))
    .first()["hwm"]
)
logger.info("loading payments updated after %s", last_watermark)

# COMMAND ----------

payments = (
    spark.read.format("jdbc")
    .options(**jdbc_conf)
    .option("dbtable", "public.payments")
    .load()
)

new_payments = (
    payments
    .filter(F.col("updated_at") > F.lit(last_watermark))
    .filter(F.col("payment_id").isNotNull())
    .withColumn("amount", F.col("amount").cast("decimal(18,2)"))
    .withColumn("_loaded_at", F.current_timestamp())
)

# COMMAND ----------

# Mistake: count() scans the whole JDBC result only to learn whether it is empty;
# new_payments.isEmpty() stops at the first row.
if new_payments.count() == 0:
    dbutils.notebook.exit("no new payments")

# COMMAND ----------

try:
    # Mistake: the DataFrame holds only the payments changed since the watermark, but it is
    # written with mode("overwrite"): every older payment is deleted from silver on each run.
    # MERGE on payment_id (or use replaceWhere for a well-defined slice) instead.
    #
    # Mistake: this write recomputes new_payments (and re-queries Postgres) after the count()
    # above; nothing caches it in between.
    new_payments.write.format("delta").mode("overwrite").saveAsTable(SILVER_PAYMENTS)
except Exception as e:
    # Mistake: the failure is logged and swallowed. The notebook ends green, the orchestrator
    # starts the gold jobs on stale data, and nobody is alerted. Log, then `raise`.
    logger.error("payments load failed: %s", e)

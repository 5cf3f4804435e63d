# Databricks notebook source
# MAGIC %md
# MAGIC ## DLT: customers from the CRM change stream
# MAGIC Bronze keeps the raw change events; silver applies them with `apply_changes`, deletes included.

# COMMAND ----------

import dlt
from pyspark.sql import functions as F

CHANGES_PATH = spark.conf.get("pipeline.crm_changes_path")

# COMMAND ----------


@dlt.table(
    name="crm_customer_changes_raw",
    comment="CRM change events as received, with file lineage.",
    table_properties={"quality": "bronze"},
)
def crm_customer_changes_raw():
    return (
        spark.readStream.format("cloudFiles")
        .option("cloudFiles.format", "json")
        .option("cloudFiles.inferColumnTypes", "true")
        .load(CHANGES_PATH)
        .withColumn("_ingested_at", F.current_timestamp())
        .withColumn("_source_file", F.col("_metadata.file_path"))
    )


# COMMAND ----------


@dlt.view(comment="Change events that can be applied.")
@dlt.expect_or_fail("has_operation", "operation IN ('INSERT', 'UPDATE', 'DELETE')")
@dlt.expect_or_drop("has_key", "customer_id IS NOT NULL")
def crm_customer_changes_clean():
    return (
        dlt.read_stream("crm_customer_changes_raw")
        .withColumn("changed_at", F.to_timestamp("changed_at"))
        .select("customer_id", "operation", "changed_at", "first_name", "last_name", "email", "segment")
    )


# COMMAND ----------

dlt.create_streaming_table(
    name="customers_silver",
    comment="Current state of every CRM customer.",
)

dlt.apply_changes(
    target="customers_silver",
    source="crm_customer_changes_clean",
    keys=["customer_id"],
    sequence_by=F.col("changed_at"),
    apply_as_deletes=F.expr("operation = 'DELETE'"),
    except_column_list=["operation"],
    stored_as_scd_type=1,
)

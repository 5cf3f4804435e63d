# Databricks notebook source
# MAGIC %md
# MAGIC ## Bronze: orders (Auto Loader)
# MAGIC Picks up the JSON files the order service drops into the landing container and appends
# MAGIC them, unchanged, to `main.bronze.orders`. Runs as an `availableNow` job every 15 minutes.

# COMMAND ----------

from pyspark.sql import functions as F

dbutils.widgets.text("env", "dev")
env = dbutils.widgets.get("env")

LANDING_PATH = f"abfss://landing@lake{env}.dfs.core.windows.net/orders/"
SCHEMA_PATH = f"abfss://meta@lake{env}.dfs.core.windows.net/schemas/bronze_orders"
CHECKPOINT_PATH = f"abfss://meta@lake{env}.dfs.core.windows.net/checkpoints/bronze_orders"
TARGET_TABLE = "main.bronze.orders"

# COMMAND ----------

# Auto Loader keeps its inferred schema in SCHEMA_PATH and puts anything that does not fit
# into the `_rescued_data` column, so malformed input is kept rather than lost.
raw_orders = (
    spark.readStream.format("cloudFiles")
    .option("cloudFiles.format", "json")
    .option("cloudFiles.schemaLocation", SCHEMA_PATH)
    .option("cloudFiles.inferColumnTypes", "true")
    .option("cloudFiles.schemaEvolutionMode", "addNewColumns")
    .load(LANDING_PATH)
)

# COMMAND ----------

# Audit columns only: bronze keeps the payload as received.
bronze_orders = (
    raw_orders
    .withColumn("_ingested_at", F.current_timestamp())
    .withColumn("_source_file", F.col("_metadata.file_path"))
    .withColumn("_file_modified_at", F.col("_metadata.file_modification_time"))
)

# COMMAND ----------

query = (
    bronze_orders.writeStream
    .format("delta")
    .outputMode("append")
    .option("checkpointLocation", CHECKPOINT_PATH)
    .option("mergeSchema", "true")
    .trigger(availableNow=True)
    .toTable(TARGET_TABLE)
)
query.awaitTermination()

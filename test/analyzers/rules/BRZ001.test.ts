import rule from '../../../src/analyzers/rules/BRZ001-bronze-missing-ingestion-timestamp.js';
import { testRule } from '../../support/rule-tester.js';

testRule(rule, {
  valid: [
    {
      name: 'Data Vault load timestamp columns: LOAD_DTS, load_dt',
      code: `
        from pyspark.sql import functions as F

        vbak = spark.read.parquet("/mnt/landing/sap/vbak/")
        (vbak.withColumn("LOAD_DTS", F.lit(load_dts).cast("timestamp"))
            .withColumn("RECORD_SOURCE", F.lit("SAP.ECC.VBAK"))
            .write.mode("append").saveAsTable("bronze.stg_sap_vbak"))
        vbap = spark.read.parquet("/mnt/landing/sap/vbap/").withColumn("_load_dt", F.lit(run_ts))
        vbap.write.mode("append").saveAsTable("bronze.sap_vbap")
      `,
    },
    {
      name: 'current_timestamp() added in a parenthesized multi-line chain',
      code: `
        from pyspark.sql import functions as F

        raw = spark.read.json("/mnt/landing/events/")
        (raw.withColumn("_ingested_at", F.current_timestamp())
            .withColumn("_source_file", F.col("_metadata.file_path"))
            .write.format("delta").mode("append").save("/mnt/bronze/events"))
      `,
    },
    {
      name: 'audit columns added by an imported helper (opaque lineage)',
      code: `
        from pyspark.sql import functions as F
        from common.audit import add_audit_columns

        raw = spark.read.parquet("/mnt/landing/orders/")
        add_audit_columns(raw, source_system="erp").write.mode("append").saveAsTable("bronze.orders")
      `,
    },
    {
      name: 'audit columns added by a helper assigned to a new name',
      code: `
        from common.audit import add_audit_columns

        raw = spark.read.parquet("/mnt/landing/orders/")
        audited = add_audit_columns(raw)
        audited.write.mode("append").saveAsTable("bronze.orders")
      `,
    },
    {
      name: 'DataFrame.transform with a helper (opaque lineage)',
      code: `
        from common.audit import with_audit

        raw = spark.read.parquet("/mnt/landing/orders/")
        raw.transform(with_audit).write.mode("append").saveAsTable("bronze.orders")
      `,
    },
    {
      name: 'timestamp in a withColumns dict bound to a variable',
      code: `
        from pyspark.sql import functions as F

        def ingest(spark):
            audit_cols = {
                "_ingested_at": F.current_timestamp(),
                "_source_file": F.col("_metadata.file_path"),
            }
            raw = spark.read.option("badRecordsPath", "/mnt/bad/events").json("/mnt/landing/events/")
            raw.withColumns(audit_cols).write.mode("append").saveAsTable("bronze.events")
      `,
    },
    {
      name: 'timestamp in a module-level withColumns dict used inside a function',
      code: `
        from pyspark.sql import functions as F

        AUDIT = {"_ingested_at": F.current_timestamp()}

        def load_orders(spark):
            raw = spark.read.parquet("/mnt/landing/orders/")
            raw.withColumns(AUDIT).write.mode("append").saveAsTable("bronze.orders")
      `,
    },
    {
      name: 'timestamp column expression bound to a variable',
      code: `
        from pyspark.sql import functions as F

        ingest_ts = F.current_timestamp()
        raw = spark.read.parquet("/mnt/landing/orders/")
        raw.withColumn("_ingested_at", ingest_ts).write.mode("append").saveAsTable("bronze.orders")
      `,
    },
    {
      name: 'the whole _metadata column is kept (includes file_modification_time)',
      code: `
        raw = spark.read.parquet("/mnt/landing/orders/")
        raw.select("*", "_metadata").write.mode("append").saveAsTable("bronze.orders")
      `,
    },
    {
      name: 'Auto Loader stream keeps _metadata.file_modification_time',
      code: `
        from pyspark.sql import functions as F

        stream = (spark.readStream.format("cloudFiles")
            .option("cloudFiles.format", "json")
            .option("cloudFiles.schemaLocation", "/mnt/chk/events/schema")
            .load("/mnt/landing/events/"))
        (stream.select("*", F.col("_metadata.file_modification_time").alias("_file_ts"))
            .writeStream.option("checkpointLocation", "/mnt/chk/events")
            .toTable("bronze.events"))
      `,
    },
    {
      name: 'run timestamp passed in, column named as a load time',
      code: `
        from pyspark.sql import functions as F

        def ingest(spark, run_ts):
            raw = spark.read.parquet("/mnt/landing/orders/")
            raw.withColumn("_load_ts", F.lit(run_ts)).write.mode("append").saveAsTable("bronze.orders")
      `,
    },
    {
      name: 'selectExpr with current_timestamp()',
      code: `
        raw = spark.read.parquet("/mnt/landing/orders/")
        (raw.selectExpr("*", "current_timestamp() AS _ingested_at")
            .write.mode("append").saveAsTable("bronze.orders"))
      `,
    },
    {
      name: 'SQL INSERT from a temp view adds the timestamp',
      code: `
        raw = spark.read.parquet("/mnt/landing/orders/")
        raw.createOrReplaceTempView("orders_v")
        spark.sql("INSERT INTO bronze.orders SELECT *, current_timestamp() AS _ingested_at FROM orders_v")
      `,
    },
    {
      name: 'binaryFile rows carry the file modificationTime',
      code: `
        raw = spark.read.format("binaryFile").load("/mnt/landing/scans/")
        raw.write.mode("append").saveAsTable("bronze.scans")
      `,
    },
    {
      name: 'write inside a foreachBatch function (DataFrame is a parameter)',
      code: `
        def write_batch(batch_df, batch_id):
            batch_df.write.mode("append").saveAsTable("bronze.events")

        stream = spark.readStream.format("kafka").option("subscribe", "events").load()
        stream.writeStream.foreachBatch(write_batch).option("checkpointLocation", "/chk/events").start()
      `,
    },
    {
      name: 'DataFrame handed in as a parameter (the caller may have stamped it)',
      code: `
        def write_to_bronze(df):
            df.write.mode("append").saveAsTable("bronze.orders")

        raw = spark.read.parquet("/mnt/landing/orders/")
        write_to_bronze(raw)
      `,
    },
    {
      name: 'raw files written to silver are not this rule',
      code: `
        raw = spark.read.parquet("/mnt/landing/orders/")
        raw.dropDuplicates(["order_id"]).write.mode("overwrite").saveAsTable("silver.orders")
      `,
    },
    {
      name: 'target layer unknown',
      code: `
        raw = spark.read.parquet("/data/in/orders/")
        raw.write.mode("append").saveAsTable("analytics.orders")
      `,
    },
    {
      name: 'a table landed by an ingestion tool is not a raw source',
      code: `
        crm = spark.read.table("raw.fivetran_crm_orders")
        crm.write.format("delta").mode("append").saveAsTable("bronze.crm_orders")
      `,
    },
    {
      name: 'class method adds the timestamp across split assignments',
      code: `
        from pyspark.sql.functions import current_timestamp

        class OrdersIngestion:
            def __init__(self, spark, source_path, bronze_path):
                self.spark = spark
                self.source_path = source_path
                self.bronze_path = bronze_path

            def run(self):
                raw = self.spark.read.parquet(self.source_path)
                stamped = raw.withColumn("_bronze_ingestion_timestamp", current_timestamp())
                stamped.write.format("delta").mode("append").save(self.bronze_path)
      `,
    },
  ],
  invalid: [
    {
      name: 'current_timestamp() only in a filter condition adds no column',
      code: `
        from pyspark.sql import functions as F

        raw = spark.read.json("/mnt/landing/events/")
        raw = raw.filter(F.col("event_ts") <= F.current_timestamp())
        raw.write.format("delta").mode("append").save("/mnt/bronze/events")
      `,
      errors: [{ line: 5, message: 'Bronze write to `/mnt/bronze/events` adds no ingestion timestamp' }],
    },
    {
      name: 'JSON files appended to a bronze path with no timestamp',
      code: `
        raw = spark.read.json("/mnt/landing/events/")
        raw.write.format("delta").mode("append").save("/mnt/bronze/events")
      `,
      errors: [
        {
          line: 2,
          column: 42,
          message: 'Bronze write to `/mnt/bronze/events` adds no ingestion timestamp to rows read from `/mnt/landing/events/`',
        },
      ],
    },
    {
      name: 'only _metadata.file_path is added (a path, not a time)',
      code: `
        from pyspark.sql import functions as F

        raw = spark.read.option("badRecordsPath", "/mnt/bad/events").json("/mnt/landing/events/")
        (raw.withColumn("_source_file", F.col("_metadata.file_path"))
            .write.mode("append")
            .saveAsTable("bronze.events"))
      `,
      errors: [{ line: 6, column: 6, message: 'Bronze write to `bronze.events`' }],
    },
    {
      name: 'backslash chain split over several assignments, only a source-system column',
      code: `
        from pyspark.sql.functions import lit

        raw = spark.read \\
            .format("csv") \\
            .option("header", "true") \\
            .option("badRecordsPath", "/mnt/bad/orders") \\
            .load("/mnt/landing/orders/")
        staged = raw.withColumn("_source_system", lit("erp"))
        staged.write \\
            .format("delta") \\
            .mode("append") \\
            .save("/mnt/bronze/orders")
      `,
      errors: [{ line: 12, column: 6, message: 'rows read from `/mnt/landing/orders/`' }],
    },
    {
      name: 'Kafka stream into a bronze table',
      code: `
        from pyspark.sql import functions as F

        events = (spark.readStream.format("kafka")
            .option("kafka.bootstrap.servers", BROKERS)
            .option("subscribe", "orders")
            .load())
        (events.select(F.col("key").cast("string"), F.col("value").cast("string"))
            .writeStream.option("checkpointLocation", "/chk/orders")
            .toTable("bronze.orders_raw"))
      `,
      errors: [{ line: 9, column: 6, message: 'Bronze write to `bronze.orders_raw` adds no ingestion timestamp to rows read from `orders`' }],
    },
    {
      name: 'JDBC extract into bronze',
      code: `
        customers = spark.read.jdbc(JDBC_URL, "crm.customers", properties=PROPS)
        customers.write.mode("append").saveAsTable("bronze.crm_customers")
      `,
      errors: [{ line: 2, column: 32, message: 'rows read from `crm.customers`' }],
    },
    {
      name: 'layer known only from the file path',
      path: 'pipelines/bronze/orders.py',
      code: `
        orders = spark.read.parquet("/data/in/orders/")
        orders.write.mode("append").saveAsTable("lake.orders")
      `,
      errors: [{ line: 2, column: 29, message: 'Bronze write to `lake.orders`' }],
    },
    {
      name: 'layer known only from the function name, paths are parameters',
      code: `
        def ingest_to_bronze(spark, source_path, target_table):
            df = spark.read.parquet(source_path)
            df.write.mode("append").saveAsTable(target_table)
      `,
      errors: [{ line: 3, column: 29, message: 'Bronze write to `target_table` adds no ingestion timestamp to rows read from `source_path`' }],
    },
    {
      name: 'class with self.bronze_path and self.spark',
      code: `
        class OrdersIngestion:
            def __init__(self, spark, source_path, bronze_path):
                self.spark = spark
                self.source_path = source_path
                self.bronze_path = bronze_path

            def run(self):
                raw = self.spark.read.parquet(self.source_path)
                raw.write.format("delta").mode("append").save(self.bronze_path)
      `,
      errors: [{ line: 9, column: 50, message: 'Bronze write to `self.bronze_path`' }],
    },
    {
      name: 'DLT bronze table returning an Auto Loader stream as is',
      code: `
        import dlt

        @dlt.table(name="bronze_events")
        def bronze_events():
            return (spark.readStream.format("cloudFiles")
                .option("cloudFiles.format", "json")
                .load("/mnt/landing/events/"))
      `,
      errors: [{ line: 5, column: 5, message: 'Bronze write to `bronze_events`' }],
    },
    {
      name: 'MERGE of raw files into bronze',
      code: `
        from delta.tables import DeltaTable

        raw = spark.read.parquet("/mnt/landing/orders/")
        (DeltaTable.forName(spark, "bronze.orders").alias("t")
            .merge(raw.alias("s"), "t.order_id = s.order_id")
            .whenNotMatchedInsertAll()
            .execute())
      `,
      errors: [{ line: 5, column: 6, message: 'Bronze write to `bronze.orders`' }],
    },
    {
      name: 'SQL INSERT from a temp view of raw files',
      code: `
        raw = spark.read.parquet("/mnt/landing/orders/")
        raw.createOrReplaceTempView("orders_v")
        spark.sql("INSERT INTO bronze.orders SELECT * FROM orders_v")
      `,
      errors: [{ line: 3, column: 1, message: 'rows read from `/mnt/landing/orders/`' }],
    },
    {
      name: 'union of two raw reads names the first one',
      code: `
        web = spark.read.parquet("/mnt/landing/orders_web/")
        pos = spark.read.parquet("/mnt/landing/orders_pos/")
        web.unionByName(pos).write.mode("append").saveAsTable("bronze.orders")
      `,
      errors: [{ line: 3, column: 43, message: 'rows read from `/mnt/landing/orders_web/`' }],
    },
    {
      name: 'f-string target from a module constant',
      code: `
        BRONZE_ROOT = "abfss://lake@acct.dfs.core.windows.net/bronze"

        def ingest(spark, day):
            df = spark.read.parquet(f"/mnt/landing/orders/{day}/")
            df.write.format("delta").mode("append").save(f"{BRONZE_ROOT}/orders")
      `,
      errors: [{ line: 5, column: 45, message: 'Bronze write to `abfss://lake@acct.dfs.core.windows.net/bronze/orders`' }],
    },
  ],
});

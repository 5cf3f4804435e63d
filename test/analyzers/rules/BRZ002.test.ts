import rule from '../../../src/analyzers/rules/BRZ002-bronze-missing-source-lineage.js';
import { testRule } from '../../support/rule-tester.js';

testRule(rule, {
  valid: [
    {
      name: 'input_file_name imported under another name',
      code: `
        from pyspark.sql.functions import current_timestamp, input_file_name as source_path

        raw = spark.read.option("badRecordsPath", "/mnt/bad").json("/mnt/landing/feed/")
        raw.withColumn("_ingested_at", current_timestamp()).withColumn("_file", source_path()).write.mode("append").saveAsTable("bronze.feed")
      `,
    },
    {
      name: '_source_file from _metadata.file_path in a multi-line chain',
      code: `
        from pyspark.sql import functions as F

        orders = spark.read.option("badRecordsPath", "/mnt/bad/orders").csv("/mnt/landing/orders/")
        (orders.withColumn("_ingested_at", F.current_timestamp())
            .withColumn("_source_file", F.col("_metadata.file_path"))
            .write.mode("append").saveAsTable("bronze.orders"))
      `,
    },
    {
      name: 'input_file_name() on an older runtime',
      code: `
        from pyspark.sql.functions import current_timestamp, input_file_name

        raw_df = spark.read.parquet("/mnt/landing/orders/")
        bronze_df = raw_df \\
            .withColumn("_bronze_ingestion_timestamp", current_timestamp()) \\
            .withColumn("_source_file", input_file_name())
        bronze_df.write.format("delta").mode("append").save("/mnt/bronze/orders")
      `,
    },
    {
      name: 'source-system literal column',
      code: `
        from pyspark.sql.functions import current_timestamp, lit

        def ingest_to_bronze(spark, source_path, bronze_table, source_system):
            raw = spark.read.parquet(source_path)
            (raw.withColumn("_ingested_at", current_timestamp())
                .withColumn("_source_system", lit(source_system))
                .write.mode("append").saveAsTable(bronze_table))
      `,
    },
    {
      name: 'camelCase source-system column',
      code: `
        from pyspark.sql import functions as F

        raw = spark.read.parquet("/mnt/landing/orders/")
        raw.withColumn("sourceSystem", F.lit("pos")).write.mode("append").saveAsTable("bronze.orders")
      `,
    },
    {
      name: 'the whole _metadata column selected',
      code: `
        raw = spark.read.parquet("/mnt/landing/orders/")
        raw.select("*", "_metadata").write.mode("append").saveAsTable("bronze.orders")
      `,
    },
    {
      name: 'file path in a withColumns dict bound to a variable',
      code: `
        from pyspark.sql import functions as F

        audit = {"_ingested_at": F.current_timestamp(), "_source_file": F.col("_metadata.file_path")}
        raw = spark.read.parquet("/mnt/landing/orders/")
        raw.withColumns(audit).write.mode("append").saveAsTable("bronze.orders")
      `,
    },
    {
      name: 'audit columns added by an imported helper (opaque lineage)',
      code: `
        from common.audit import add_audit_columns

        raw = spark.read.parquet("/mnt/landing/orders/")
        add_audit_columns(raw).write.mode("append").saveAsTable("bronze.orders")
      `,
    },
    {
      name: 'Kafka source: no files to trace',
      code: `
        from pyspark.sql import functions as F

        events = spark.readStream.format("kafka").option("subscribe", "orders").load()
        (events.withColumn("_ingested_at", F.current_timestamp())
            .writeStream.option("checkpointLocation", "/chk/orders")
            .toTable("bronze.orders"))
      `,
    },
    {
      name: 'JDBC source: no files to trace',
      code: `
        customers = spark.read.format("jdbc").option("url", JDBC_URL).option("dbtable", "crm.customers").load()
        customers.write.mode("append").saveAsTable("bronze.crm_customers")
      `,
    },
    {
      name: 'table source: no files to trace',
      code: `
        crm = spark.read.table("raw.fivetran_crm_orders")
        crm.write.mode("append").saveAsTable("bronze.crm_orders")
      `,
    },
    {
      name: 'binaryFile rows carry their path',
      code: `
        scans = spark.read.format("binaryFile").option("pathGlobFilter", "*.pdf").load("/mnt/landing/scans/")
        scans.write.mode("append").saveAsTable("bronze.scans")
      `,
    },
    {
      name: 'CSV lookup file joined in a silver job',
      code: `
        countries = spark.read.option("header", True).csv("/mnt/reference/countries.csv")
        orders = spark.read.table("bronze.orders")
        (orders.join(countries, "country_code")
            .write.mode("overwrite").saveAsTable("silver.orders"))
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
      name: 'write inside a foreachBatch function (DataFrame is a parameter)',
      code: `
        def to_bronze(batch_df, batch_id):
            batch_df.write.mode("append").saveAsTable("bronze.orders")

        stream = (spark.readStream.format("cloudFiles")
            .option("cloudFiles.format", "csv")
            .load("/mnt/landing/orders/"))
        stream.writeStream.foreachBatch(to_bronze).option("checkpointLocation", "/chk/orders").start()
      `,
    },
  ],
  invalid: [
    {
      name: 'input_file_name imported under another name but never used',
      code: `
        from pyspark.sql.functions import current_timestamp, input_file_name as source_path

        raw = spark.read.option("badRecordsPath", "/mnt/bad").json("/mnt/landing/feed/")
        raw.withColumn("_ingested_at", current_timestamp()).write.mode("append").saveAsTable("bronze.feed")
      `,
      errors: [{ line: 4, message: 'Bronze write to `bronze.feed` records no source file' }],
    },
    {
      name: 'CSV files into a bronze table with only a timestamp',
      code: `
        from pyspark.sql import functions as F

        orders = spark.read.option("badRecordsPath", "/mnt/bad/orders").csv("/mnt/landing/orders/")
        (orders.withColumn("_ingested_at", F.current_timestamp())
            .write.mode("append").saveAsTable("bronze.orders"))
      `,
      errors: [
        {
          line: 5,
          column: 27,
          message: 'Bronze write to `bronze.orders` records no source file for rows read from `/mnt/landing/orders/`',
        },
      ],
    },
    {
      name: 'module-level withColumns dict with a timestamp only',
      code: `
        from pyspark.sql import functions as F

        AUDIT = {"_ingested_at": F.current_timestamp()}

        def load_orders(spark):
            raw = spark.read.parquet("/mnt/landing/orders/")
            raw.withColumns(AUDIT).write.mode("append").saveAsTable("bronze.orders")
      `,
      errors: [{ line: 7, column: 49, message: '`bronze.orders`' }],
    },
    {
      name: 'a resource_id column is data, not source lineage',
      code: `
        from pyspark.sql import functions as F

        usage = spark.read.parquet("/mnt/landing/usage/")
        (usage.select("resource_id", "meter", "quantity")
            .withColumn("_ingested_at", F.current_timestamp())
            .write.mode("append").saveAsTable("bronze.usage"))
      `,
      errors: [{ line: 6, column: 27, message: 'rows read from `/mnt/landing/usage/`' }],
    },
    {
      name: 'Auto Loader stream into bronze with no file column',
      code: `
        from pyspark.sql import functions as F

        stream = (spark.readStream.format("cloudFiles")
            .option("cloudFiles.format", "json")
            .option("cloudFiles.schemaLocation", "/mnt/chk/events/schema")
            .load("/mnt/landing/events/"))
        (stream.withColumn("_ingested_at", F.current_timestamp())
            .writeStream.option("checkpointLocation", "/mnt/chk/events")
            .toTable("bronze.events"))
      `,
      errors: [{ line: 9, column: 6, message: 'Bronze write to `bronze.events` records no source file for rows read from `/mnt/landing/events/`' }],
    },
    {
      name: 'layer known only from the file path',
      path: 'pipelines/bronze/orders.py',
      code: `
        orders = spark.read.parquet("/data/in/orders/")
        orders.write.mode("append").saveAsTable("lake.orders")
      `,
      errors: [{ line: 2, column: 29, message: '`lake.orders`' }],
    },
    {
      name: 'layer known only from the function name',
      code: `
        from pyspark.sql.functions import current_timestamp

        def ingest_to_bronze(spark, source_path, target_table):
            df = spark.read.json(source_path)
            df.withColumn("_ingested_at", current_timestamp()).write.mode("append").saveAsTable(target_table)
      `,
      errors: [{ line: 5, column: 77, message: 'Bronze write to `target_table` records no source file for rows read from `source_path`' }],
    },
    {
      name: 'class with self attributes',
      code: `
        from pyspark.sql.functions import current_timestamp

        class EventsIngestion:
            def __init__(self, spark, landing_path, bronze_path):
                self.spark = spark
                self.landing_path = landing_path
                self.bronze_path = bronze_path

            def run(self):
                raw = self.spark.read.json(self.landing_path)
                stamped = raw.withColumn("_ingested_at", current_timestamp())
                stamped.write.format("delta").mode("append").save(self.bronze_path)
      `,
      errors: [{ line: 12, column: 54, message: 'Bronze write to `self.bronze_path`' }],
    },
    {
      name: 'DLT bronze table from Auto Loader',
      code: `
        import dlt
        from pyspark.sql import functions as F

        @dlt.table(name="bronze_orders")
        def bronze_orders():
            return (spark.readStream.format("cloudFiles")
                .option("cloudFiles.format", "csv")
                .load("/mnt/landing/orders/")
                .withColumn("_ingested_at", F.current_timestamp()))
      `,
      errors: [{ line: 6, column: 5, message: 'Bronze write to `bronze_orders`' }],
    },
    {
      name: 'SQL INSERT from a temp view of raw files',
      code: `
        raw = spark.read.parquet("/mnt/landing/orders/")
        raw.createOrReplaceTempView("orders_v")
        spark.sql("INSERT INTO bronze.orders SELECT *, current_timestamp() AS _ingested_at FROM orders_v")
      `,
      errors: [{ line: 3, column: 1, message: 'rows read from `/mnt/landing/orders/`' }],
    },
  ],
});

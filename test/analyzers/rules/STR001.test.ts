import rule from '../../../src/analyzers/rules/STR001-stream-missing-checkpoint.js';
import { testRule } from '../../support/rule-tester.js';

testRule(rule, {
  valid: [
    {
      name: 'checkpoint added to an options dict after it was created',
      code: `
        STREAM_OPTS = {"mergeSchema": "true"}
        STREAM_OPTS["checkpointLocation"] = "/chk/events"
        events = spark.readStream.table("bronze.events")
        events.writeStream.format("delta").options(**STREAM_OPTS).toTable("silver.events")
      `,
    },
    {
      name: 'checkpoint merged into an options dict with update()',
      code: `
        opts = {"mergeSchema": "true"}
        opts.update({"checkpointLocation": "/chk/orders"})
        orders = spark.readStream.table("bronze.orders")
        orders.writeStream.format("delta").options(**opts).toTable("silver.orders")
      `,
    },
    {
      name: 'checkpointLocation option in a parenthesized multi-line chain',
      code: `
        events = spark.readStream.table("bronze.events")
        (events.writeStream.format("delta")
            .outputMode("append")
            .option("checkpointLocation", "/mnt/checkpoints/silver_events")
            .trigger(availableNow=True)
            .toTable("silver.events"))
      `,
    },
    {
      name: 'checkpoint given through .options(checkpointLocation=...) keywords',
      code: `
        events = spark.readStream.format("cloudFiles").option("cloudFiles.format", "json").load("/mnt/landing/events/")
        events.writeStream.format("delta").options(checkpointLocation="/chk/bronze_events", mergeSchema="true").start("/mnt/bronze/events")
      `,
    },
    {
      name: 'checkpoint given as a keyword of start(path, checkpointLocation=...)',
      code: `
        events = spark.readStream.table("bronze.events")
        events.writeStream.format("delta").start("/mnt/silver/events", checkpointLocation="/chk/silver_events")
      `,
    },
    {
      name: 'checkpoint as a toTable keyword built from a module constant f-string',
      code: `
        CHECKPOINT_ROOT = "/mnt/checkpoints"
        def run(spark):
            orders = spark.readStream.table("bronze.orders")
            orders.writeStream.toTable("silver.orders", checkpointLocation=f"{CHECKPOINT_ROOT}/silver_orders")
      `,
    },
    {
      name: 'console, memory and noop sinks (debugging outputs with temporary checkpoints)',
      code: `
        events = spark.readStream.table("bronze.events")
        events.writeStream.format("console").outputMode("append").start()
        events.writeStream.format("memory").queryName("events_debug").start()
        events.writeStream.start(format="console")
        events.writeStream.format("noop").start()
      `,
    },
    {
      name: 'session-level default set with spark.conf.set (value not resolvable)',
      code: `
        def run(spark, base):
            spark.conf.set("spark.sql.streaming.checkpointLocation", f"{base}/checkpoints")
            events = spark.readStream.table("bronze.events")
            events.writeStream.format("delta").toTable("silver.events")
      `,
    },
    {
      name: 'session-level default set on the SparkSession builder',
      code: `
        from pyspark.sql import SparkSession
        spark = (SparkSession.builder
            .appName("events")
            .config("spark.sql.streaming.checkpointLocation", "/mnt/checkpoints")
            .getOrCreate())
        spark.readStream.table("bronze.events").writeStream.toTable("silver.events")
      `,
    },
    {
      name: 'options from a **dict we cannot see (parameter)',
      code: `
        def start_stream(spark, stream_conf):
            events = spark.readStream.table("bronze.events")
            return events.writeStream.format("delta").options(**stream_conf).toTable("silver.events")
      `,
    },
    {
      name: 'option key from a variable we cannot resolve',
      code: `
        def start_stream(spark, key, value):
            events = spark.readStream.table("bronze.events")
            events.writeStream.option(key, value).toTable("silver.events")
      `,
    },
    {
      name: 'format from a variable we cannot resolve (might be console)',
      code: `
        def start_stream(spark, sink_format):
            events = spark.readStream.table("bronze.events")
            events.writeStream.format(sink_format).start()
      `,
    },
    {
      name: 'DLT table function returning a stream (the pipeline manages checkpoints)',
      code: `
        import dlt
        from pyspark.sql import functions as F

        @dlt.table(name="silver_events")
        def silver_events():
            return dlt.read_stream("bronze_events").where(F.col("id").isNotNull())
      `,
    },
    {
      name: 'batch write is not a streaming query',
      code: `
        events = spark.read.table("bronze.events")
        events.write.format("delta").mode("append").saveAsTable("silver.events")
      `,
    },
    {
      name: 'writer chain split over several assignments',
      code: `
        def run(spark, checkpoint_dir):
            events = spark.readStream.table("bronze.events")
            writer = events.writeStream.format("delta")
            writer = writer.outputMode("append")
            writer = writer.option("checkpointLocation", checkpoint_dir)
            query = writer.start("/mnt/silver/events")
            query.awaitTermination()
      `,
    },
    {
      name: 'checkpoint only added in a branch (cannot know which writer starts)',
      code: `
        def run(spark, use_checkpoint, chk):
            s = spark.readStream.format("kafka").option("subscribe", "events").load()
            w = s.writeStream.format("delta")
            if use_checkpoint:
                w = w.option("checkpointLocation", chk)
            w.start("/mnt/bronze/events")
      `,
    },
    {
      name: 'checkpoint from a self attribute in a class',
      code: `
        class EventsJob:
            def __init__(self, spark):
                self.spark = spark
                self.checkpoint_path = "/mnt/checkpoints/events"

            def run(self):
                s = self.spark.readStream.table("bronze.events")
                s.writeStream.option("checkpointLocation", self.checkpoint_path).toTable("silver.events")
      `,
    },
    {
      name: 'foreachBatch with a checkpoint',
      code: `
        def upsert(batch_df, batch_id):
            batch_df.write.mode("append").option("txnAppId", "events").option("txnVersion", batch_id).saveAsTable("silver.events")

        events = spark.readStream.table("bronze.events")
        (events.writeStream
            .foreachBatch(upsert)
            .option("checkpointLocation", "/chk/silver_events")
            .start())
      `,
    },
    {
      name: 'writer returned by a helper we cannot see',
      code: `
        def run(spark):
            events = spark.readStream.table("bronze.events")
            writer = with_checkpoint(events.writeStream, "silver_events")
            writer.toTable("silver.events")
      `,
    },
  ],
  invalid: [
    {
      name: 'options dict changed after creation, still without a checkpoint',
      code: `
        opts = {"mergeSchema": "true"}
        opts["maxFilesPerTrigger"] = "100"
        orders = spark.readStream.table("bronze.orders")
        orders.writeStream.format("delta").options(**opts).toTable("silver.orders")
      `,
      errors: [{ line: 4, message: 'Streaming query to `silver.orders` has no `checkpointLocation`' }],
    },
    {
      name: 'toTable without checkpoint (single line)',
      code: `
        events = spark.readStream.table("bronze.events")
        events.writeStream.format("delta").outputMode("append").toTable("silver.events")
      `,
      errors: [{ line: 2, column: 57, message: 'Streaming query to `silver.events` has no `checkpointLocation`', severity: 'critical' }],
    },
    {
      name: 'foreachBatch without checkpoint',
      code: `
        def upsert(batch_df, batch_id):
            batch_df.write.mode("append").saveAsTable("silver.events")

        events = spark.readStream.table("bronze.events")
        events.writeStream.foreachBatch(upsert).start()
      `,
      errors: [{ line: 5, column: 41, message: 'through `foreachBatch(upsert)`' }],
    },
    {
      name: 'kafka sink in a backslash-continued chain',
      code: `
        def run(spark):
            s = spark.readStream.format("kafka").option("subscribe", "events").load()
            s.selectExpr("CAST(value AS STRING) AS value") \\
                .writeStream \\
                .format("kafka") \\
                .option("topic", "events_out") \\
                .start()
      `,
      errors: [{ line: 7, column: 10, message: 'Streaming query has no `checkpointLocation`' }],
    },
    {
      name: 'a misspelled option key is not a checkpoint',
      code: `
        class EventsJob:
            def __init__(self, spark):
                self.spark = spark
                self.checkpoint_path = "/mnt/checkpoints/events"

            def run(self):
                s = self.spark.readStream.table("bronze.events")
                s.writeStream.option("checkpoint", self.checkpoint_path).toTable("silver.events")
      `,
      errors: [{ line: 8, column: 66, message: '`silver.events`' }],
    },
    {
      name: 'an unrelated session conf does not silence it',
      code: `
        def run(spark):
            spark.conf.set("spark.sql.shuffle.partitions", "64")
            events = spark.readStream.table("bronze.events")
            events.writeStream.format("delta").start("/mnt/silver/events")
      `,
      errors: [{ line: 4, message: '`/mnt/silver/events`' }],
    },
    {
      name: 'DataFrame from a parameter: writeStream itself makes it a stream',
      code: `
        def write_stream(df, target_table):
            df.writeStream.format("delta").outputMode("append").toTable(target_table)
      `,
      errors: [{ line: 2, message: 'Streaming query to `target_table`' }],
    },
    {
      name: 'only the query without a checkpoint is flagged',
      code: `
        events = spark.readStream.table("bronze.events")
        events.writeStream.option("checkpointLocation", "/chk/a").toTable("silver.events_a")
        events.writeStream.option("mergeSchema", "true").toTable("silver.events_b")
      `,
      errors: [{ line: 3, message: '`silver.events_b`' }],
    },
    {
      name: 'options(**dict) from a fully known module constant without a checkpoint',
      code: `
        STREAM_OPTS = {"mergeSchema": "true"}
        events = spark.readStream.table("bronze.events")
        events.writeStream.format("delta").options(**STREAM_OPTS).toTable("silver.events")
      `,
      errors: [{ line: 3, message: '`silver.events`' }],
    },
  ],
});

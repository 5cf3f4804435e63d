import rule from '../../../src/analyzers/rules/SLV005-silver-without-validation.js';
import { testRule } from '../../support/rule-tester.js';

testRule(rule, {
  valid: [
    {
      name: 'null check on the key before writing silver',
      code: `
        from pyspark.sql import functions as F

        bronze = spark.read.table("bronze.events")
        valid = bronze.filter(F.col("event_id").isNotNull() & F.col("_corrupt_record").isNull())
        valid.select("event_id", "user_id", "amount").write.mode("overwrite").saveAsTable("silver.events")
      `,
    },
    {
      name: 'DLT function with expectation decorators',
      code: `
        import dlt
        from pyspark.sql import functions as F

        @dlt.table(name="silver_orders")
        @dlt.expect_or_drop("valid_order_id", "order_id IS NOT NULL")
        @dlt.expect("positive_amount", "amount > 0")
        def silver_orders():
            return dlt.read_stream("bronze_orders").withColumn("amount", F.col("amount").cast("decimal(18,2)"))
      `,
    },
    {
      name: 'DLT expectations from a rules dict',
      code: `
        import dlt

        RULES = {"valid_id": "customer_id IS NOT NULL", "valid_email": "email LIKE '%@%'"}

        @dlt.table
        @dlt.expect_all_or_drop(RULES)
        def silver_customers():
            return dlt.read("bronze_customers").select("customer_id", "email")
      `,
    },
    {
      name: 'validation through a helper function we cannot follow',
      code: `
        from quality.checks import apply_quality_rules

        bronze = spark.read.table("bronze.events")
        checked = apply_quality_rules(bronze, "events")
        checked.write.format("delta").mode("append").saveAsTable("silver.events")
      `,
    },
    {
      name: 'validation through DataFrame.transform with a helper',
      code: `
        from quality.checks import drop_invalid

        (spark.read.table("bronze.events")
            .transform(drop_invalid)
            .write.mode("overwrite")
            .saveAsTable("silver.events"))
      `,
    },
    {
      name: 'null rows dropped with na.drop in a backslash chain',
      code: `
        spark.read.table("bronze.customers") \\
            .na.drop(subset=["customer_id"]) \\
            .withColumnRenamed("mail", "email") \\
            .write.mode("overwrite") \\
            .saveAsTable("silver.customers")
      `,
    },
    {
      name: 'SQL source with a WHERE clause',
      code: `
        df = spark.sql("SELECT order_id, amount FROM bronze.orders WHERE order_id IS NOT NULL AND amount >= 0")
        df.write.mode("overwrite").saveAsTable("silver.orders")
      `,
    },
    {
      name: 'source whose layer is unknown',
      code: `
        df = spark.read.table("staging.events").select("event_id", "ts")
        df.write.mode("overwrite").saveAsTable("silver.events")
      `,
    },
    {
      name: 'foreachBatch micro-batch parameter (unknown origin)',
      code: `
        def write_batch(batch_df, batch_id):
            batch_df.select("event_id", "ts").write.mode("append").saveAsTable("silver.events")

        spark.readStream.table("bronze.events").writeStream.foreachBatch(write_batch).start()
      `,
    },
    {
      name: 'bronze to gold is not this rule',
      code: `
        df = spark.read.table("bronze.events").select("event_id", "ts")
        df.write.mode("overwrite").saveAsTable("gold.events_snapshot")
      `,
    },
    {
      name: 'silver to silver (the data was validated on the way into silver)',
      code: `
        orders = spark.read.table("silver.orders")
        orders.withColumn("year", F.year("order_date")).write.mode("overwrite").saveAsTable("silver.orders_by_year")
      `,
    },
    {
      name: 'inner join with a silver dimension drops rows without a valid key',
      code: `
        events = spark.read.table("bronze.events")
        users = spark.read.table("silver.users").select("user_id", "country")
        enriched = events.join(users, on="user_id")
        enriched.write.mode("append").saveAsTable("silver.events_enriched")
      `,
    },
    {
      name: 'data-quality suite run on the DataFrame before the write',
      code: `
        from quality import run_dq_checks

        orders = spark.read.table("bronze.orders")
        run_dq_checks(orders, suite="orders")
        orders.write.mode("overwrite").saveAsTable("silver.orders")
      `,
    },
    {
      name: 'fail-fast check on a filtered copy, then the write',
      code: `
        from pyspark.sql import functions as F

        def publish(spark):
            events = spark.read.table("bronze.events")
            missing = events.filter(F.col("event_id").isNull()).count()
            if missing > 0:
                raise ValueError(f"{missing} events without event_id")
            events.select("event_id", "ts").write.mode("overwrite").saveAsTable("silver.events")
      `,
    },
    {
      name: 'data arrives as a parameter named bronze_df (the caller may have validated it)',
      code: `
        from pyspark.sql import functions as F

        def transform_to_silver(bronze_df, silver_table):
            bronze_df.withColumn("ts", F.to_timestamp("ts")).write.mode("overwrite").saveAsTable(silver_table)
      `,
    },
    {
      name: 'rows flagged in a data-quality column instead of dropped',
      code: `
        from pyspark.sql import functions as F

        customers = spark.read.table("bronze.customers")
        flagged = customers.withColumn(
            "_dq_status",
            F.when(F.col("customer_id").isNull() | ~F.col("email").rlike("^[^@]+@[^@]+$"), "invalid").otherwise("valid"),
        )
        flagged.write.mode("overwrite").saveAsTable("silver.customers")
      `,
    },
  ],
  invalid: [
    {
      name: 'notebook cell using a bronze DataFrame defined in an earlier notebook (the seed\'s BAD example)',
      code: `
        silver_df = bronze_df.select("id", "name", "value") \\
          .write.format("delta").mode("append").save("/silver/table")
      `,
      errors: [{ line: 2, message: 'Silver table `/silver/table` is written from bronze `bronze_df` without validation' }],
    },
    {
      name: 'bronze table selected straight into silver',
      code: `
        bronze = spark.read.table("bronze.events")
        bronze.select("event_id", "user_id", "amount").write.mode("overwrite").saveAsTable("silver.events")
      `,
      errors: [
        {
          line: 2,
          column: 72,
          severity: 'warning',
          message: 'Silver table `silver.events` is written from bronze `bronze.events` without validation',
        },
      ],
    },
    {
      name: 'raw JSON files to a silver path built from a module constant',
      code: `
        from pyspark.sql import functions as F

        SILVER_ROOT = "/mnt/silver"

        def load_clicks(spark):
            raw = spark.read.json("/mnt/landing/clicks/")
            clicks = (raw
                .withColumn("ts", F.to_timestamp("ts"))
                .withColumnRenamed("uid", "user_id"))
            clicks.write.format("delta").mode("overwrite").save(f"{SILVER_ROOT}/clicks")
      `,
      errors: [{ line: 10, message: 'Silver table `/mnt/silver/clicks` is written from bronze `/mnt/landing/clicks/`' }],
    },
    {
      name: 'DLT silver table without expectations',
      code: `
        import dlt
        from pyspark.sql import functions as F

        @dlt.table(name="silver_orders")
        def silver_orders():
            return dlt.read("bronze_orders").withColumn("amount", F.col("amount").cast("decimal(18,2)"))
      `,
      errors: [{ line: 6, column: 5, message: 'Silver table `silver_orders` is written from bronze `bronze_orders`' }],
    },
    {
      name: 'MERGE into silver from a deduplicated but unvalidated bronze source',
      code: `
        from delta.tables import DeltaTable

        updates = spark.read.table("bronze.customers").dropDuplicates(["customer_id"])
        (DeltaTable.forName(spark, "silver.customers").alias("t")
            .merge(updates.alias("s"), "t.customer_id = s.customer_id")
            .whenMatchedUpdateAll()
            .whenNotMatchedInsertAll()
            .execute())
      `,
      errors: [{ line: 5, column: 6, message: 'Silver table `silver.customers` is written from bronze `bronze.customers`' }],
    },
    {
      name: 'SQL INSERT INTO silver from bronze without WHERE',
      code: `
        spark.sql("INSERT INTO silver.orders SELECT order_id, amount FROM bronze.orders")
      `,
      errors: [{ line: 1, column: 1, message: 'Silver table `silver.orders` is written from bronze `bronze.orders`' }],
    },
    {
      name: 'left join keeps rows without a match: not a validation',
      code: `
        events = spark.read.table("bronze.events")
        users = spark.read.table("silver.users")
        events.join(users, "user_id", "left").write.mode("append").saveAsTable("silver.events_enriched")
      `,
      errors: [{ line: 3, message: 'Silver table `silver.events_enriched`' }],
    },
    {
      name: 'class method writing silver from a Kafka stream',
      code: `
        from pyspark.sql import functions as F

        class ClickStream:
            def __init__(self, spark):
                self.spark = spark
                self.silver_table = "main.silver.clicks"

            def run(self):
                stream = (self.spark.readStream.format("kafka")
                    .option("kafka.bootstrap.servers", "broker:9092")
                    .option("subscribe", "clicks")
                    .load())
                parsed = stream.select(F.from_json(F.col("value").cast("string"), "id STRING, ts TIMESTAMP").alias("c")).select("c.*")
                (parsed.writeStream
                    .option("checkpointLocation", "/chk/silver_clicks")
                    .toTable(self.silver_table))
      `,
      errors: [{ line: 16, message: 'Silver table `main.silver.clicks`' }],
    },
  ],
});

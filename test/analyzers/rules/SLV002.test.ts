import rule from '../../../src/analyzers/rules/SLV002-merge-source-not-deduplicated.js';
import { testRule } from '../../support/rule-tester.js';

testRule(rule, {
  valid: [
    {
      name: 'dropDuplicates on the key before the MERGE',
      code: `
        from delta.tables import DeltaTable

        updates = (spark.read.table("bronze.customers")
            .filter("customer_id IS NOT NULL")
            .dropDuplicates(["customer_id"]))
        (DeltaTable.forName(spark, "silver.customers").alias("t")
            .merge(updates.alias("s"), "t.customer_id = s.customer_id")
            .whenMatchedUpdateAll()
            .whenNotMatchedInsertAll()
            .execute())
      `,
    },
    {
      name: 'latest row per key kept with a row_number() window and a filter',
      code: `
        from delta.tables import DeltaTable
        from pyspark.sql import functions as F
        from pyspark.sql.window import Window

        w = Window.partitionBy("customer_id").orderBy(F.col("updated_at").desc())
        latest = spark.read.table("bronze.customers").withColumn("rn", F.row_number().over(w))
        latest = latest.filter(F.col("rn") == 1).drop("rn")
        (DeltaTable.forName(spark, "silver.customers").alias("t")
            .merge(latest.alias("s"), "t.customer_id = s.customer_id")
            .whenMatchedUpdateAll()
            .whenNotMatchedInsertAll()
            .execute())
      `,
    },
    {
      name: 'groupBy on the key before the MERGE',
      code: `
        from delta.tables import DeltaTable
        from pyspark.sql import functions as F

        totals = spark.read.table("silver.orders").groupBy("customer_id").agg(F.sum("amount").alias("lifetime_value"))
        DeltaTable.forName(spark, "gold.customer_value").alias("t") \\
            .merge(totals.alias("s"), "t.customer_id = s.customer_id") \\
            .whenMatchedUpdateAll() \\
            .whenNotMatchedInsertAll() \\
            .execute()
      `,
    },
    {
      name: 'SQL MERGE INTO ... USING (SELECT DISTINCT ...)',
      code: `
        spark.sql("""
            MERGE INTO silver.customers t
            USING (SELECT DISTINCT customer_id, email FROM bronze.customers) s
            ON t.customer_id = s.customer_id
            WHEN MATCHED THEN UPDATE SET *
            WHEN NOT MATCHED THEN INSERT *
        """)
      `,
    },
    {
      name: 'temp view registered from a deduplicated DataFrame, used in MERGE INTO ... USING view',
      code: `
        updates = spark.read.table("bronze.customers").dropDuplicates(["customer_id"])
        updates.createOrReplaceTempView("customer_updates")
        spark.sql("""
            MERGE INTO silver.customers t USING customer_updates s
            ON t.customer_id = s.customer_id
            WHEN MATCHED THEN UPDATE SET *
            WHEN NOT MATCHED THEN INSERT *
        """)
      `,
    },
    {
      name: 'source is a foreachBatch micro-batch parameter (opaque)',
      code: `
        from delta.tables import DeltaTable

        def upsert_batch(micro_batch_df, batch_id):
            (DeltaTable.forName(spark, "silver.customers").alias("t")
                .merge(micro_batch_df.alias("s"), "t.customer_id = s.customer_id")
                .whenMatchedUpdateAll()
                .whenNotMatchedInsertAll()
                .execute())

        (spark.readStream.table("bronze.customers").writeStream
            .foreachBatch(upsert_batch)
            .option("checkpointLocation", "/chk/customers")
            .start())
      `,
    },
    {
      name: 'source passes through a helper we cannot follow',
      code: `
        from delta.tables import DeltaTable
        from common.cleaning import latest_per_key

        raw = spark.read.table("bronze.customers")
        updates = latest_per_key(raw, "customer_id")
        (DeltaTable.forName(spark, "silver.customers").alias("t")
            .merge(updates.alias("s"), "t.customer_id = s.customer_id")
            .whenMatchedUpdateAll()
            .execute())
      `,
    },
    {
      name: 'source built in memory',
      code: `
        from delta.tables import DeltaTable

        fixes = spark.createDataFrame([(1, "a@example.com")], ["customer_id", "email"])
        (DeltaTable.forName(spark, "silver.customers").alias("t")
            .merge(fixes.alias("s"), "t.customer_id = s.customer_id")
            .whenMatchedUpdate(set={"email": "s.email"})
            .execute())
      `,
    },
    {
      name: 'SQL MERGE whose USING subquery keeps one row per key with QUALIFY',
      code: `
        TARGET = "silver.customers"
        spark.sql(f"""
            MERGE INTO {TARGET} t
            USING (
                SELECT * FROM bronze.customers
                QUALIFY row_number() OVER (PARTITION BY customer_id ORDER BY updated_at DESC) = 1
            ) s
            ON t.customer_id = s.customer_id
            WHEN MATCHED THEN UPDATE SET *
        """)
      `,
    },
    {
      name: 'source is a curated silver table (already one row per key)',
      code: `
        from delta.tables import DeltaTable

        customers = spark.read.table("silver.customers").select("customer_id", "segment", "country")
        (DeltaTable.forName(spark, "gold.dim_customer").alias("t")
            .merge(customers.alias("s"), "t.customer_id = s.customer_id")
            .whenMatchedUpdateAll()
            .whenNotMatchedInsertAll()
            .execute())
      `,
    },
    {
      name: 'merge builder never executed is not a MERGE yet (SLV003 covers it)',
      code: `
        from delta.tables import DeltaTable

        updates = spark.read.table("bronze.customers")
        (DeltaTable.forName(spark, "silver.customers").alias("t")
            .merge(updates.alias("s"), "t.customer_id = s.customer_id")
            .whenMatchedUpdateAll())
      `,
    },
    {
      name: 'SQL MERGE USING a view registered elsewhere (unqualified, unknown here)',
      code: `
        spark.sql("MERGE INTO silver.customers t USING customer_updates s ON t.customer_id = s.customer_id WHEN MATCHED THEN UPDATE SET *")
      `,
    },
    {
      name: 'foreachBatch function registers the micro-batch as a view and MERGEs from it',
      code: `
        def upsert(micro_batch_df, batch_id):
            micro_batch_df.createOrReplaceTempView("updates")
            micro_batch_df.sparkSession.sql("""
                MERGE INTO silver.customers t USING updates s
                ON t.customer_id = s.customer_id
                WHEN MATCHED THEN UPDATE SET *
                WHEN NOT MATCHED THEN INSERT *
            """)

        spark.readStream.table("bronze.customers").writeStream.foreachBatch(upsert).start()
      `,
    },
    {
      name: 'latest version per key kept with max(...).over(window) and a filter',
      code: `
        from delta.tables import DeltaTable
        from pyspark.sql import functions as F
        from pyspark.sql.window import Window

        by_key = Window.partitionBy("customer_id")
        changes = spark.read.table("bronze.customer_changes")
        latest = (changes
            .withColumn("max_ts", F.max("updated_at").over(by_key))
            .where(F.col("updated_at") == F.col("max_ts"))
            .drop("max_ts"))
        (DeltaTable.forName(spark, "silver.customers").alias("t")
            .merge(latest.alias("s"), "t.customer_id = s.customer_id")
            .whenMatchedUpdateAll()
            .whenNotMatchedInsertAll()
            .execute())
      `,
    },
  ],
  invalid: [
    {
      name: 'filtered but not deduplicated bronze source',
      code: `
        from delta.tables import DeltaTable

        updates = spark.read.table("bronze.customers").filter("customer_id IS NOT NULL")
        (DeltaTable.forName(spark, "silver.customers").alias("t")
            .merge(updates.alias("s"), "t.customer_id = s.customer_id")
            .whenMatchedUpdateAll()
            .whenNotMatchedInsertAll()
            .execute())
      `,
      errors: [{ line: 5, column: 6, message: 'MERGE into `silver.customers` from a source that is not deduplicated on `customer_id`', severity: 'warning' }],
    },
    {
      name: 'builder kept in a variable and executed later, composite key',
      code: `
        from delta.tables import DeltaTable

        def upsert_orders(spark):
            target = DeltaTable.forPath(spark, "/mnt/silver/order_lines")
            lines = spark.read.format("delta").load("/mnt/bronze/order_lines").withColumn("qty", F.col("qty").cast("int"))
            builder = target.alias("t").merge(
                lines.alias("s"),
                "t.order_id = s.order_id AND t.line_no = s.line_no",
            ).whenMatchedUpdateAll().whenNotMatchedInsertAll()
            builder.execute()
      `,
      errors: [{ line: 6, column: 33, message: 'MERGE into `/mnt/silver/order_lines` from a source that is not deduplicated on `order_id`, `line_no`' }],
    },
    {
      name: 'SQL MERGE INTO ... USING a bronze table',
      code: `
        spark.sql("""
            MERGE INTO silver.customers AS t
            USING bronze.customer_updates AS s
            ON t.customer_id = s.customer_id
            WHEN MATCHED THEN UPDATE SET *
            WHEN NOT MATCHED THEN INSERT *
        """)
      `,
      errors: [{ line: 1, column: 1, message: 'MERGE into `silver.customers`' }],
    },
    {
      name: 'temp view registered from a raw DataFrame, used in MERGE INTO ... USING view',
      code: `
        raw = spark.read.json("/mnt/landing/customers/")
        raw.createOrReplaceTempView("customer_updates")
        spark.sql("MERGE INTO silver.customers t USING customer_updates s ON t.customer_id = s.customer_id WHEN MATCHED THEN UPDATE SET *")
      `,
      errors: [{ line: 3, message: 'MERGE into `silver.customers`' }],
    },
    {
      name: 'change data feed read merged without keeping the latest version per key',
      code: `
        from delta.tables import DeltaTable

        changes = (spark.read.format("delta")
            .option("readChangeFeed", "true")
            .option("startingVersion", last_version)
            .table("silver.customers")
            .filter("_change_type != 'update_preimage'"))
        (DeltaTable.forName(spark, "gold.dim_customer").alias("t")
            .merge(changes.alias("s"), "t.customer_id = s.customer_id")
            .whenMatchedUpdateAll()
            .whenNotMatchedInsertAll()
            .execute())
      `,
      errors: [{ line: 9, message: 'not deduplicated on `customer_id`' }],
    },
  ],
});

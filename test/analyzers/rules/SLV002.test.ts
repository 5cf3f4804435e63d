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
    {
      name: 'deduplicated on the source key, then renamed to the merge key (withColumnRenamed)',
      code: `
        from delta.tables import DeltaTable
        from pyspark.sql import functions as F

        src = (spark.read.table("erp.bronze.customers").where(F.col("CustomerID").isNotNull())
               .dropDuplicates(["CustomerID"]).withColumnRenamed("CustomerID", "customer_id"))
        (DeltaTable.forName(spark, "erp.silver.customers").alias("t").merge(src.alias("s"), "t.customer_id = s.customer_id")
            .whenMatchedUpdateAll().whenNotMatchedInsertAll().execute())
      `,
    },
    {
      name: 'deduplicated on the source key, renamed in a select with F.col(...).alias(...) over split assignments',
      code: `
        from delta.tables import DeltaTable
        from pyspark.sql import functions as F

        raw = spark.read.table("erp.bronze.customers")
        raw = raw.dropDuplicates(subset=["CustomerID"])
        customers = raw.select(
            F.col("CustomerID").alias("customer_id"),
            F.col("Email").alias("email"),
            F.current_timestamp().alias("_loaded_at"),
        )
        DeltaTable.forName(spark, "erp.silver.customers").alias("t") \\
            .merge(customers.alias("s"), "t.customer_id = s.customer_id") \\
            .whenMatchedUpdateAll() \\
            .whenNotMatchedInsertAll() \\
            .execute()
      `,
    },
    {
      name: 'deduplicated, then renamed with withColumnsRenamed / selectExpr in a class',
      code: `
        from delta.tables import DeltaTable

        class CustomerLoader:
            SOURCE = "erp.bronze.customers"

            def __init__(self, spark):
                self.spark = spark

            def run(self):
                src = (self.spark.read.table(self.SOURCE)
                       .filter("CustomerID IS NOT NULL")
                       .dropDuplicates(["CustomerID"])
                       .withColumnsRenamed({"CustomerID": "cust", "Name": "name"})
                       .selectExpr("cust AS customer_id", "name"))
                (DeltaTable.forName(self.spark, "erp.silver.customers").alias("t")
                    .merge(src.alias("s"), "t.customer_id = s.customer_id")
                    .whenMatchedUpdateAll()
                    .whenNotMatchedInsertAll()
                    .execute())
      `,
    },
    {
      name: 'deduplicated, then positional names with toDF (cannot be followed: the dedup counts)',
      code: `
        from delta.tables import DeltaTable

        src = (spark.read.table("erp.bronze.customers")
               .select("CustomerID", "Segment")
               .dropDuplicates(["CustomerID"])
               .toDF("customer_id", "segment"))
        (DeltaTable.forName(spark, "erp.silver.customer_segments").alias("t")
            .merge(src.alias("s"), "t.customer_id = s.customer_id")
            .whenMatchedUpdateAll()
            .execute())
      `,
    },
    {
      name: 'deduplicated, then a key computed from the deduplicated column (cannot be followed: the dedup counts)',
      code: `
        from delta.tables import DeltaTable
        from pyspark.sql import functions as F

        src = (spark.read.table("erp.bronze.customers")
               .dropDuplicates(["CustomerID"])
               .withColumn("customer_id", F.col("CustomerID").cast("string")))
        (DeltaTable.forName(spark, "erp.silver.customers").alias("t")
            .merge(src.alias("s"), "t.customer_id = s.customer_id")
            .whenMatchedUpdateAll()
            .execute())
      `,
    },
    {
      name: 'one row per order_id, then posexplode: (order_id, line_no) is unique by construction',
      code: `
        from delta.tables import DeltaTable
        from pyspark.sql import functions as F

        orders = spark.read.table("shop.bronze.order_documents").where(F.col("order_id").isNotNull()).dropDuplicates(["order_id"])
        lines = orders.select("order_id", F.posexplode("lines").alias("line_no", "line"))
        lines = lines.select("order_id", "line_no", F.col("line.sku").alias("sku"), F.col("line.qty").cast("int").alias("qty"))
        (DeltaTable.forName(spark, "shop.silver.order_lines").alias("t")
            .merge(lines.alias("s"), "t.order_id = s.order_id AND t.line_no = s.line_no")
            .whenMatchedUpdateAll().whenNotMatchedInsertAll().execute())
      `,
    },
    {
      name: 'one row per order_id, then posexplode in selectExpr with the default position renamed',
      code: `
        from delta.tables import DeltaTable

        orders = spark.read.table("shop.bronze.order_documents").dropDuplicates(["order_id"])
        discounts = (orders
            .selectExpr("order_id", "posexplode(discounts)")
            .withColumnRenamed("pos", "discount_no"))
        (DeltaTable.forName(spark, "shop.silver.order_discounts").alias("t")
            .merge(discounts.alias("s"), "t.order_id = s.order_id AND t.discount_no = s.discount_no")
            .whenMatchedUpdateAll()
            .execute())
      `,
    },
    {
      name: 'one row per order_id, then explode whose value is part of the merge key (may be unique: quiet)',
      code: `
        from delta.tables import DeltaTable
        from pyspark.sql import functions as F

        orders = spark.read.table("shop.bronze.orders").dropDuplicates(["order_id"])
        tags = orders.withColumn("tag", F.explode(F.array_distinct("tags"))).select("order_id", "tag")
        (DeltaTable.forName(spark, "shop.silver.order_tags").alias("t")
            .merge(tags.alias("s"), "t.order_id = s.order_id AND t.tag = s.tag")
            .whenNotMatchedInsertAll()
            .execute())
      `,
    },
    {
      name: 'one row per order_id, then explode of a struct array whose fields make the key (cannot be followed)',
      code: `
        from delta.tables import DeltaTable
        from pyspark.sql import functions as F

        orders = spark.read.table("shop.bronze.order_documents").dropDuplicates(["order_id"])
        lines = (orders
            .withColumn("line", F.explode("lines"))
            .select("order_id", "line.sku", "line.qty"))
        (DeltaTable.forName(spark, "shop.silver.order_lines").alias("t")
            .merge(lines.alias("s"), "t.order_id = s.order_id AND t.sku = s.sku")
            .whenMatchedUpdateAll()
            .execute())
      `,
    },
    {
      name: 'deduplicated on a subset of a composite merge key',
      code: `
        from delta.tables import DeltaTable

        ORDER_LINES = "/mnt/silver/order_lines"
        orders = spark.read.format("delta").load("/mnt/bronze/orders").dropDuplicates(["order_id"])
        (DeltaTable.forPath(spark, ORDER_LINES).alias("t")
            .merge(orders.alias("s"), "t.order_id = s.order_id AND t.line_no = s.line_no")
            .whenMatchedUpdateAll()
            .whenNotMatchedInsertAll()
            .execute())
      `,
    },
    {
      name: 'dedup on more columns than the literal condition names, but part of the condition is an f-string hole',
      code: `
        from delta.tables import DeltaTable

        def upsert(spark, partition_col):
            src = spark.read.table("bronze.customers").dropDuplicates(["customer_id", "region"])
            (DeltaTable.forName(spark, "silver.customers").alias("t")
                .merge(src.alias("s"), f"t.customer_id = s.customer_id AND t.{partition_col} = s.{partition_col}")
                .whenMatchedUpdateAll()
                .execute())
      `,
    },
    {
      name: 'window partitioned by the source key, filtered, then renamed to the merge key',
      code: `
        from delta.tables import DeltaTable
        from pyspark.sql import functions as F
        from pyspark.sql.window import Window

        w = Window.partitionBy("CustomerID").orderBy(F.col("ModifiedAt").desc())
        latest = (spark.read.table("erp.bronze.customers")
            .withColumn("rn", F.row_number().over(w))
            .filter("rn = 1")
            .drop("rn")
            .withColumnRenamed("CustomerID", "customer_id"))
        (DeltaTable.forName(spark, "erp.silver.customers").alias("t")
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
    {
      name: 'dedup on another column, then a rename to the merge key (the rename does not make the key unique)',
      code: `
        from delta.tables import DeltaTable
        from pyspark.sql import functions as F

        src = (spark.read.table("erp.bronze.customers")
               .dropDuplicates(["Email"])
               .withColumnRenamed("CustomerID", "customer_id"))
        (DeltaTable.forName(spark, "erp.silver.customers").alias("t")
            .merge(src.alias("s"), "t.customer_id = s.customer_id")
            .whenMatchedUpdateAll()
            .whenNotMatchedInsertAll()
            .execute())
      `,
      errors: [{ line: 8, column: 6, message: 'MERGE into `erp.silver.customers` from a source that is not deduplicated on `customer_id`' }],
    },
    {
      name: 'dedup on email, then a select that renames another column to the merge key',
      code: `
        from delta.tables import DeltaTable
        from pyspark.sql import functions as F

        contacts = spark.read.table("bronze.contacts").dropDuplicates(["email"])
        contacts = contacts.select(F.col("CustomerID").alias("customer_id"), "email", F.lit(run_id).alias("run_id"))
        DeltaTable.forName(spark, "silver.contacts").alias("t") \\
            .merge(contacts.alias("s"), "t.customer_id = s.customer_id") \\
            .whenMatchedUpdateAll() \\
            .execute()
      `,
      errors: [{ line: 7, column: 6, message: 'not deduplicated on `customer_id`' }],
    },
    {
      name: 'dedup on more columns than the merge key (one row per customer and timestamp, several per customer)',
      code: `
        from delta.tables import DeltaTable

        changes = spark.read.table("bronze.customer_changes").dropDuplicates(["customer_id", "updated_at"])
        (DeltaTable.forName(spark, "silver.customers").alias("t")
            .merge(changes.alias("s"), "t.customer_id = s.customer_id")
            .whenMatchedUpdateAll()
            .whenNotMatchedInsertAll()
            .execute())
      `,
      errors: [{ line: 5, column: 6, message: 'MERGE into `silver.customers` from a source that is not deduplicated on `customer_id`' }],
    },
    {
      name: 'groupBy on more columns than the merge key (one row per customer and day)',
      code: `
        from delta.tables import DeltaTable
        from pyspark.sql import functions as F

        daily = (spark.read.table("bronze.orders")
            .groupBy("customer_id", "order_date")
            .agg(F.sum("amount").alias("amount")))
        (DeltaTable.forName(spark, "silver.customer_totals").alias("t")
            .merge(daily.alias("s"), "t.customer_id = s.customer_id")
            .whenMatchedUpdateAll()
            .whenNotMatchedInsertAll()
            .execute())
      `,
      errors: [{ line: 8, message: 'not deduplicated on `customer_id`' }],
    },
    {
      name: 'one row per order_id, then explode: the order_id merge key repeats once per line',
      code: `
        from delta.tables import DeltaTable
        from pyspark.sql import functions as F

        orders = spark.read.table("shop.bronze.order_documents").dropDuplicates(["order_id"])
        lines = orders.withColumn("line", F.explode("lines"))
        (DeltaTable.forName(spark, "shop.silver.orders").alias("t")
            .merge(lines.alias("s"), "t.order_id = s.order_id")
            .whenMatchedUpdateAll()
            .whenNotMatchedInsertAll()
            .execute())
      `,
      errors: [{ line: 7, column: 6, message: 'MERGE into `shop.silver.orders` from a source that is not deduplicated on `order_id`' }],
    },
    {
      name: 'one row per order_id, then posexplode, merged on order_id alone (the position is left out)',
      code: `
        from delta.tables import DeltaTable
        from pyspark.sql import functions as F

        orders = spark.read.table("shop.bronze.order_documents").dropDuplicates(["order_id"])
        lines = orders.select("order_id", F.posexplode("lines").alias("line_no", "line"))
        (DeltaTable.forName(spark, "shop.silver.orders").alias("t")
            .merge(lines.alias("s"), "t.order_id = s.order_id")
            .whenMatchedUpdateAll()
            .execute())
      `,
      errors: [{ line: 7, message: 'not deduplicated on `order_id`' }],
    },
    {
      name: 'window partitioned by another column, filtered, then a rename to the merge key',
      code: `
        from delta.tables import DeltaTable
        from pyspark.sql import functions as F
        from pyspark.sql.window import Window

        w = Window.partitionBy("email").orderBy(F.col("ts").desc())
        latest = (spark.read.table("bronze.customers")
            .withColumn("rn", F.row_number().over(w))
            .filter("rn = 1")
            .withColumnRenamed("CustomerID", "customer_id"))
        (DeltaTable.forName(spark, "silver.customers").alias("t")
            .merge(latest.alias("s"), "t.customer_id = s.customer_id")
            .whenMatchedUpdateAll()
            .execute())
      `,
      errors: [{ line: 11, message: 'not deduplicated on `customer_id`' }],
    },
  ],
});

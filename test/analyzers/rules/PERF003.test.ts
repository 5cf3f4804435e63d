import rule from '../../../src/analyzers/rules/PERF003-reused-without-cache.js';
import { testRule } from '../../support/rule-tester.js';

testRule(rule, {
  valid: [
    {
      name: 'cache() as a statement before the uses',
      code: `
        daily = spark.read.table("silver.orders").filter("amount > 0")
        daily.cache()
        daily.write.mode("overwrite").saveAsTable("gold.orders_positive")
        print(daily.count())
      `,
    },
    {
      name: 'persist() chained at the end of a multi-line chain',
      code: `
        from pyspark.sql import functions as F

        daily = (spark.read.table("silver.orders")
            .groupBy("order_date")
            .agg(F.sum("amount").alias("revenue"))
            .persist())
        daily.write.mode("overwrite").saveAsTable("gold.daily_revenue")
        print(f"wrote {daily.count()} days")
        daily.unpersist()
      `,
    },
    {
      name: 'persist(StorageLevel) reassigned, then two writes',
      code: `
        from pyspark import StorageLevel

        df = spark.read.table("silver.orders").where("amount > 0")
        df = df.persist(StorageLevel.MEMORY_AND_DISK)
        df.write.mode("overwrite").saveAsTable("gold.orders_a")
        df.write.mode("overwrite").saveAsTable("gold.orders_b")
        df.unpersist()
      `,
    },
    {
      name: 'consumers in exclusive if / elif / else branches',
      code: `
        def publish(spark, mode):
            df = spark.read.table("silver.orders").filter("amount > 0")
            if mode == "full":
                df.write.mode("overwrite").saveAsTable("gold.orders")
            elif mode == "incremental":
                df.write.mode("append").saveAsTable("gold.orders")
            else:
                df.collect()
      `,
    },
    {
      name: 'show() and first() probes next to one write',
      code: `
        from pyspark.sql import functions as F

        df = spark.read.table("silver.orders").withColumn("year", F.year("order_date"))
        df.show(5)
        df.write.mode("overwrite").saveAsTable("gold.orders_by_year")
        sample = df.first()
        display(df)
      `,
    },
    {
      name: 'streaming DataFrame written to two sinks',
      code: `
        s = spark.readStream.table("silver.orders").filter("amount > 0")
        s.writeStream.option("checkpointLocation", "/chk/a").toTable("gold.orders_a")
        s.writeStream.option("checkpointLocation", "/chk/b").toTable("gold.orders_b")
      `,
    },
    {
      name: 'plain read with no transformation',
      code: `
        df = spark.read.table("silver.orders")
        df.write.mode("overwrite").saveAsTable("gold.orders_copy")
        print(df.count())
      `,
    },
    {
      name: 'lineage starts at a parameter (the caller may have cached it)',
      code: `
        from pyspark.sql import DataFrame

        def publish(df: DataFrame) -> None:
            out = df.filter("amount > 0")
            out.write.mode("overwrite").saveAsTable("gold.orders")
            print(out.count())
      `,
    },
    {
      name: 'lineage passes through an unknown helper',
      code: `
        from pyspark.sql import functions as F

        df = clean_orders(spark.read.table("silver.orders")).withColumn("net", F.col("amount") - F.col("tax"))
        df.write.mode("overwrite").saveAsTable("gold.orders")
        print(df.count())
      `,
    },
    {
      name: 'count read back from the written table',
      code: `
        df = spark.read.table("silver.orders").filter("amount > 0")
        df.write.mode("overwrite").saveAsTable("gold.orders")
        print(spark.table("gold.orders").count())
      `,
    },
    {
      name: 'self-join written once (one action, one job)',
      code: `
        from pyspark.sql import functions as F

        orders = spark.read.table("shop.silver.orders").where(F.col("status") != "CANCELLED")
        last_ts = orders.groupBy("customer_id").agg(F.max("order_ts").alias("order_ts"))
        orders.join(last_ts, ["customer_id", "order_ts"]) \\
            .write.mode("overwrite") \\
            .saveAsTable("shop.gold.customer_last_order")
      `,
    },
    {
      name: 'SCD2 staged updates: the same updates twice in one MERGE',
      code: `
        from delta.tables import DeltaTable
        from pyspark.sql import functions as F

        updates = (
            spark.read.table("bronze.customer_updates")
            .where(F.col("ingest_date") == F.current_date())
            .dropDuplicates(["customer_id"])
        )
        staged = updates.selectExpr("NULL as merge_key", "*").union(updates.selectExpr("customer_id as merge_key", "*"))
        (
            DeltaTable.forName(spark, "silver.customers").alias("t")
            .merge(staged.alias("s"), "t.customer_id = s.merge_key AND t.is_current = true")
            .whenMatchedUpdate(condition="t.address <> s.address", set={"is_current": "false", "end_date": "s.effective_date"})
            .whenNotMatchedInsertAll()
            .execute()
        )
      `,
    },
    {
      name: 'union of two filters of one DataFrame, written once',
      code: `
        from pyspark.sql import functions as F

        events = spark.read.table("silver.payments").withColumn("pay_date", F.to_date("paid_at"))
        suspicious = events.filter(F.col("amount") > 10000).withColumn("reason", F.lit("large")) \\
            .unionByName(events.filter(F.col("country").isNull()).withColumn("reason", F.lit("no_country")))
        suspicious.write.mode("overwrite").partitionBy("pay_date").saveAsTable("gold.suspicious_payments")
      `,
    },
    {
      name: 'self-join on self attributes in a class, chain split over assignments, f-string table',
      code: `
        from pyspark.sql import functions as F

        CATALOG = "shop"

        class LatestOrders:
            def __init__(self, spark):
                self.spark = spark

            def run(self):
                self.orders = self.spark.read.table(f"{CATALOG}.silver.orders").where("amount > 0")
                latest = self.orders.groupBy("customer_id").agg(F.max("order_ts").alias("order_ts"))
                joined = self.orders.join(latest, ["customer_id", "order_ts"])
                out = joined.select("customer_id", "order_id", "order_ts")
                out.write.mode("overwrite").saveAsTable(f"{CATALOG}.gold.latest_orders")
      `,
    },
    {
      name: 'self-join written once next to a show() probe',
      code: `
        orders = spark.read.table("silver.orders").where("status <> 'CANCELLED'")
        counts = orders.groupBy("customer_id").count()
        enriched = orders.join(counts, "customer_id")
        enriched.show(5)
        enriched.write.mode("overwrite").saveAsTable("gold.orders_with_counts")
      `,
    },
  ],
  invalid: [
    {
      name: 'write then count of an aggregate',
      code: `
        from pyspark.sql import functions as F

        daily = spark.read.table("silver.orders").groupBy("order_date").agg(F.sum("amount").alias("revenue"))
        daily.write.mode("overwrite").saveAsTable("gold.daily_revenue")
        print(f"wrote {daily.count()} days")
      `,
      errors: [{ line: 5, column: 22, severity: 'warning', message: '`daily` is computed again by `count()`: `saveAsTable()` (line 4)' }],
    },
    {
      name: 'count for a guard, then the write',
      code: `
        def load(spark):
            df = spark.read.table("bronze.orders").filter("amount > 0")
            n = df.count()
            if n > 0:
                df.write.mode("append").saveAsTable("silver.orders")
      `,
      errors: [{ line: 5, column: 33, message: '`df` is computed again by `saveAsTable()`: `count()` (line 3)' }],
    },
    {
      name: 'self.df attribute in a class',
      code: `
        from pyspark.sql import functions as F

        class GoldJob:
            def __init__(self, spark):
                self.spark = spark

            def run(self):
                self.df = self.spark.read.table("silver.orders").withColumn("d", F.to_date("ts"))
                self.df.write.mode("overwrite").saveAsTable("gold.orders_by_day")
                self.df.count()
      `,
      errors: [{ line: 10, column: 17, message: '`self.df` is computed again by `count()`: `saveAsTable()` (line 9)' }],
    },
    {
      name: 'count before a MERGE with a backslash chain',
      code: `
        from delta.tables import DeltaTable

        def upsert(spark):
            updates = spark.read.table("bronze.customers").dropDuplicates(["id"])
            n = updates.count()
            DeltaTable.forName(spark, "silver.customers").alias("t") \\
                .merge(updates.alias("s"), "t.id = s.id") \\
                .whenMatchedUpdateAll() \\
                .whenNotMatchedInsertAll() \\
                .execute()
            return n
      `,
      errors: [{ line: 7, column: 10, message: '`updates` is computed again by the MERGE: `count()` (line 5)' }],
    },
    {
      name: 'two counts of the same filtered view',
      code: `
        deletes = spark.read.table("silver.cdc").filter("_change_type = 'delete'")
        print(f"deletes: {deletes.count()}")
        if deletes.count() > 0:
            print("applying deletes")
      `,
      errors: [{ line: 3, column: 12, message: '`deletes` is computed again by `count()`: `count()` (line 2)' }],
    },
    {
      name: 'write in one branch and a count after the if (both can run)',
      code: `
        def publish(spark, full):
            df = spark.read.table("silver.orders").where("amount > 0")
            if full:
                df.write.mode("overwrite").saveAsTable("gold.orders")
            rows = df.collect()
      `,
      errors: [{ line: 5, column: 15, message: '`df` is computed again by `collect()`: `saveAsTable()` (line 4)' }],
    },
    {
      name: 'count of the updates, then the SCD2 staged MERGE',
      code: `
        from delta.tables import DeltaTable

        updates = spark.read.table("bronze.customer_updates").dropDuplicates(["customer_id"])
        staged = updates.selectExpr("NULL as merge_key", "*").union(updates.selectExpr("customer_id as merge_key", "*"))
        print(f"staging {updates.count()} changes")
        DeltaTable.forName(spark, "silver.customers").alias("t") \\
            .merge(staged.alias("s"), "t.customer_id = s.merge_key AND t.is_current = true") \\
            .whenMatchedUpdate(set={"is_current": "false"}) \\
            .whenNotMatchedInsertAll() \\
            .execute()
      `,
      errors: [{ line: 7, column: 6, message: '`updates` is computed again by the MERGE of a DataFrame derived from it: `count()` (line 5)' }],
    },
    {
      name: 'union of two filters written, then the DataFrame itself written again',
      code: `
        from pyspark.sql import functions as F

        events = spark.read.table("silver.payments").withColumn("pay_date", F.to_date("paid_at"))
        both = events.filter(F.col("amount") > 10000).unionByName(events.filter(F.col("country").isNull()))
        both.write.mode("overwrite").saveAsTable("gold.suspicious_payments")
        events.write.mode("overwrite").saveAsTable("gold.payments_by_day")
      `,
      errors: [{ line: 6, column: 32, message: '`events` is computed again by `saveAsTable()`: `saveAsTable()` of a DataFrame derived from it (line 5)' }],
    },
    {
      name: 'self-join written, then a count of the joined DataFrame',
      code: `
        orders = spark.read.table("silver.orders").where("status <> 'CANCELLED'")
        orders.join(orders.groupBy("customer_id").count(), "customer_id").write.mode("overwrite").saveAsTable("gold.orders_with_counts")
        print(orders.count())
      `,
      errors: [{ line: 3, column: 14, message: '`orders` is computed again by `count()`: `saveAsTable()` of a DataFrame derived from it (line 2)' }],
    },
    {
      name: 'self-join written, then the aggregate written on its own (cache the aggregate)',
      code: `
        from pyspark.sql import functions as F

        orders = spark.read.table("silver.orders").where(F.col("status") != "CANCELLED")
        last_ts = orders.groupBy("customer_id").agg(F.max("order_ts").alias("order_ts"))
        orders.join(last_ts, ["customer_id", "order_ts"]).write.mode("overwrite").saveAsTable("gold.customer_last_order")
        last_ts.write.mode("overwrite").saveAsTable("gold.customer_last_ts")
      `,
      errors: [{ line: 6, column: 33, message: '`last_ts` is computed again by `saveAsTable()`: `saveAsTable()` of a DataFrame derived from it (line 5)' }],
    },
    {
      name: 'two writes of two filters of one DataFrame',
      code: `
        from pyspark.sql import functions as F

        events = spark.read.table("silver.events").withColumn("d", F.to_date("ts"))
        events.filter("amount > 0").write.mode("overwrite").saveAsTable("gold.positive")
        events.filter("amount < 0").write.mode("overwrite").saveAsTable("gold.negative")
      `,
      errors: [{ line: 5, column: 53, message: '`events` is computed again by `saveAsTable()` of a DataFrame derived from it: `saveAsTable()` of a DataFrame derived from it (line 4)' }],
    },
  ],
});

import rule from '../../../src/analyzers/rules/CDC001-change-type-ignored.js';
import { testRule } from '../../support/rule-tester.js';

testRule(rule, {
  valid: [
    {
      name: 'filter on _change_type before the write',
      code: `
        from pyspark.sql import functions as F

        changes = (spark.read.format("delta")
            .option("readChangeFeed", "true")
            .option("startingVersion", 12)
            .table("silver.customers"))
        current = changes.filter(F.col("_change_type").isin("insert", "update_postimage"))
        current.select("customer_id", "name").write.mode("append").saveAsTable("gold.customers")
      `,
    },
    {
      name: 'CDF stream flowing into foreachBatch',
      code: `
        def apply_changes(batch_df, batch_id):
            batch_df.write.mode("append").saveAsTable("gold.orders")

        (spark.readStream.format("delta")
            .option("readChangeFeed", "true")
            .table("silver.orders")
            .writeStream
            .foreachBatch(apply_changes)
            .option("checkpointLocation", "/chk/gold/orders")
            .start())
      `,
    },
    {
      name: 'MERGE handles deletes via whenMatchedDelete(condition="s._change_type = \'delete\'")',
      code: `
        from delta.tables import DeltaTable

        changes = spark.read.format("delta").option("readChangeFeed", "true").option("startingVersion", 3).table("silver.accounts")
        (DeltaTable.forName(spark, "gold.accounts").alias("t")
            .merge(changes.alias("s"), "t.account_id = s.account_id")
            .whenMatchedDelete(condition="s._change_type = 'delete'")
            .whenMatchedUpdateAll()
            .whenNotMatchedInsertAll()
            .execute())
      `,
    },
    {
      name: 'CDF passed to a helper function',
      code: `
        from jobs.cdc import apply_cdc

        changes = spark.read.option("readChangeFeed", "true").table("silver.products")
        apply_cdc(spark, changes, "gold.products")
      `,
    },
    {
      name: 'readChangeFeed option given from a variable',
      code: `
        def read_table(spark, table, use_cdf):
            df = spark.read.format("delta").option("readChangeFeed", use_cdf).table(table)
            df.write.mode("append").saveAsTable("gold.snapshot")
      `,
    },
    {
      name: 'table_changes read through a view and filtered in SQL',
      code: `
        spark.sql("SELECT * FROM table_changes('silver.customers', 5)").createOrReplaceTempView("changes")
        latest = spark.sql("SELECT * FROM changes WHERE _change_type IN ('insert', 'update_postimage')")
        latest.write.mode("append").saveAsTable("gold.customers")
      `,
    },
    {
      name: 'change type mapped with F.when in a withColumn',
      code: `
        from pyspark.sql import functions as F

        ch = spark.read.option("readChangeData", True).table("silver.users")
        ops = ch.withColumn("op", F.when(F.col("_change_type") == "delete", "D").otherwise("U"))
        ops.write.mode("append").saveAsTable("gold.user_ops")
      `,
    },
    {
      name: 'feed only counted for monitoring (nothing is written)',
      code: `
        import logging

        changes = spark.read.option("readChangeFeed", "true").option("startingVersion", 10).table("silver.orders")
        logging.info("changes since v10: %d", changes.count())
      `,
    },
    {
      name: 'feed archived as events into a change-history table with _change_type kept',
      code: `
        from pyspark.sql import functions as F

        (spark.readStream.format("delta")
            .option("readChangeFeed", "true")
            .table("silver.customers")
            .withColumn("_archived_at", F.current_timestamp())
            .writeStream
            .option("checkpointLocation", "/chk/audit/customer_changes")
            .toTable("audit.customer_changes"))
      `,
    },
    {
      name: 'feed returned from a function',
      code: `
        def changes_since(spark, version):
            return spark.read.option("readChangeFeed", "true").option("startingVersion", version).table("silver.orders")
      `,
    },
  ],
  invalid: [
    {
      name: 'CDF appended as data into a current-state gold table',
      code: `
        changes = (spark.read.format("delta")
            .option("readChangeFeed", "true")
            .option("startingVersion", 12)
            .table("silver.customers"))
        changes.select("customer_id", "name", "email").write.mode("append").saveAsTable("gold.customers")
      `,
      errors: [
        {
          line: 4,
          column: 6,
          severity: 'critical',
          message: 'The change data feed of `silver.customers` is used without looking at `_change_type`',
        },
      ],
    },
    {
      name: 'table_changes in spark.sql written on',
      code: `
        changes = spark.sql("SELECT * FROM table_changes('silver.orders', 5)")
        changes.write.mode("append").saveAsTable("gold.orders")
      `,
      errors: [{ line: 1, column: 11, message: "`table_changes('silver.orders', ...)` is used without looking at `_change_type`" }],
    },
    {
      name: 'MERGE of the feed with no _change_type in the condition or clauses',
      code: `
        from delta.tables import DeltaTable

        def sync_accounts(spark, last_version):
            changes = spark.read.format("delta") \\
                .option("readChangeFeed", "true") \\
                .option("startingVersion", last_version) \\
                .table("silver.accounts")
            target = DeltaTable.forName(spark, "gold.accounts")
            target.alias("t").merge(changes.alias("s"), "t.id = s.id") \\
                .whenMatchedUpdateAll() \\
                .whenNotMatchedInsertAll() \\
                .execute()
      `,
      errors: [{ line: 7, column: 10, message: '`silver.accounts`' }],
    },
    {
      name: 'CDF metadata dropped (dropping _change_type is not looking at it), streamed on',
      code: `
        stream = (spark.readStream.format("delta")
            .option("readChangeFeed", "true")
            .table("silver.orders")
            .drop("_change_type", "_commit_version", "_commit_timestamp"))
        (stream.writeStream
            .option("checkpointLocation", "/chk/gold/orders_history")
            .toTable("gold.orders_history"))
      `,
      errors: [{ line: 3, column: 6, message: '`silver.orders`' }],
    },
    {
      name: 'into a history table, but deduplicated on the key first (pre/post images collapse at random)',
      code: `
        ch = spark.read.option("readChangeFeed", "true").table("silver.prices")
        ch.dropDuplicates(["sku"]).write.mode("append").saveAsTable("gold.price_history")
      `,
      errors: [{ line: 1, column: 50, message: '`silver.prices`' }],
    },
    {
      name: 'feed with its path from a module constant, written through a class attribute',
      code: `
        SILVER_ORDERS = "/mnt/silver/orders"

        class Sync:
            def __init__(self, gold_path):
                self.gold_path = gold_path

            def run(self):
                ch = spark.read.format("delta").option("readChangeFeed", "true").option("startingVersion", 1).load(SILVER_ORDERS)
                ch.write.format("delta").mode("append").save(self.gold_path)
      `,
      errors: [{ line: 8, message: 'The change data feed of `/mnt/silver/orders`' }],
    },
  ],
});

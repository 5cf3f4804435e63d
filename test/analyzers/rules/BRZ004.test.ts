import rule from '../../../src/analyzers/rules/BRZ004-bronze-overwrite.js';
import { testRule } from '../../support/rule-tester.js';

testRule(rule, {
  valid: [
    {
      name: 'INSERT OVERWRITE of one static partition',
      code: `
        spark.sql("INSERT OVERWRITE bronze.price_feed PARTITION (ingest_date = '2024-05-01') SELECT * FROM landing_prices")
      `,
    },
    {
      name: 'append into bronze',
      code: `
        raw = spark.read.json("/mnt/landing/events/")
        raw.write.format("delta").mode("append").save("/mnt/bronze/events")
      `,
    },
    {
      name: 'overwrite limited by replaceWhere (re-ingesting one day)',
      code: `
        def reingest(spark, day):
            raw = spark.read.json(f"/mnt/landing/events/{day}/")
            (raw.write.format("delta").mode("overwrite")
                .option("replaceWhere", f"ingest_date = '{day}'")
                .save("/mnt/bronze/events"))
      `,
    },
    {
      name: 'dynamic partition overwrite',
      code: `
        raw = spark.read.parquet("/mnt/landing/orders/")
        (raw.write.mode("overwrite").option("partitionOverwriteMode", "dynamic")
            .partitionBy("ingest_date").saveAsTable("bronze.orders"))
      `,
    },
    {
      name: 'initial load in the not-exists branch',
      code: `
        from delta.tables import DeltaTable
        raw = spark.read.json("/mnt/landing/events/")
        if not DeltaTable.isDeltaTable(spark, "/mnt/bronze/events"):
            raw.write.format("delta").mode("overwrite").save("/mnt/bronze/events")
        else:
            raw.write.format("delta").mode("append").save("/mnt/bronze/events")
      `,
    },
    {
      name: 'overwrite of a silver table is not this rule',
      code: `
        df = spark.read.table("bronze.events")
        df.write.mode("overwrite").saveAsTable("silver.events")
      `,
    },
    {
      name: 'overwrite of a table whose layer is unknown',
      code: `
        df = spark.read.json("/data/in/")
        df.write.mode("overwrite").saveAsTable("analytics.events")
      `,
    },
    {
      name: 'mode from a variable we cannot resolve',
      code: `
        def write(df, mode):
            df.write.mode(mode).saveAsTable("bronze.events")
      `,
    },
    {
      name: 'streaming write into bronze (complete mode is not overwrite of history)',
      code: `
        s = spark.readStream.format("cloudFiles").option("cloudFiles.format", "json").load("/mnt/landing/e/")
        s.writeStream.option("checkpointLocation", "/chk/e").toTable("bronze.events")
      `,
    },
  ],
  invalid: [
    {
      name: 'overwrite into a bronze path',
      code: `
        raw = spark.read.format("parquet").load("/mnt/landing/customers/")
        raw.write.format("delta").mode("overwrite").save("/mnt/bronze/customers")
      `,
      errors: [
        {
          line: 2,
          column: 27,
          message: '`mode("overwrite")` on bronze table `/mnt/bronze/customers`',
          fix: 'raw.write.format("delta").mode("append").save("/mnt/bronze/customers")',
        },
      ],
    },
    {
      name: 'mode keyword of saveAsTable, bronze named by a variable',
      code: `
        def ingest(spark, bronze_table):
            df = spark.read.csv("/landing/x.csv", header=True)
            df.write.saveAsTable(bronze_table, format="delta", mode='overwrite')
      `,
      errors: [{ line: 3, message: 'bronze table `bronze_table`', fix: "    df.write.saveAsTable(bronze_table, format=\"delta\", mode='append')" }],
    },
    {
      name: 'INSERT OVERWRITE in SQL',
      code: `
        spark.sql("INSERT OVERWRITE TABLE raw.events SELECT * FROM landing_events")
      `,
      errors: [{ line: 1, message: '`INSERT OVERWRITE` on bronze table `raw.events`' }],
    },
    {
      name: 'DataFrameWriterV2 createOrReplace on a bronze table in a bronze job file',
      path: 'pipelines/bronze/customers.py',
      code: `
        df = spark.read.json("/landing/customers/")
        df.writeTo("lake.customers").createOrReplace()
      `,
      errors: [{ line: 2, message: 'bronze table `lake.customers`' }],
    },
    {
      name: 'mode chosen in a multi-line chain',
      code: `
        raw = spark.read.json("/mnt/landing/events/")
        (raw.write
            .format("delta")
            .mode("overwrite")
            .save("/mnt/bronze/events"))
      `,
      errors: [{ line: 4, column: 6, fix: '    .mode("append")' }],
    },
  ],
});

import rule from '../../../src/analyzers/rules/BRZ003-bronze-no-bad-record-capture.js';
import { testRule } from '../../support/rule-tester.js';

testRule(rule, {
  valid: [
    {
      name: 'PERMISSIVE with columnNameOfCorruptRecord and an explicit schema',
      code: `
        events = (spark.read
            .schema(EVENT_SCHEMA)
            .option("mode", "PERMISSIVE")
            .option("columnNameOfCorruptRecord", "_bad_line")
            .json("/mnt/landing/events/"))
        events.write.mode("append").saveAsTable("bronze.events")
      `,
    },
    {
      name: 'badRecordsPath on a CSV read (backslash chain)',
      code: `
        orders = spark.read \\
            .option("header", "true") \\
            .option("badRecordsPath", "/mnt/bad/orders") \\
            .csv("/mnt/landing/orders/")
        orders.write.mode("append").saveAsTable("bronze.orders")
      `,
    },
    {
      name: 'rescuedDataColumn on a CSV read with a schema',
      code: `
        orders = spark.read.schema(ORDER_SCHEMA).option("rescuedDataColumn", "_rescued").csv("/mnt/landing/orders/")
        orders.write.mode("append").saveAsTable("bronze.orders")
      `,
    },
    {
      name: 'FAILFAST fails loudly',
      code: `
        orders = spark.read.option("header", True).option("mode", "FAILFAST").csv("/mnt/landing/orders/")
        orders.write.mode("append").saveAsTable("bronze.orders")
      `,
    },
    {
      name: 'options passed as **conf (cannot be seen)',
      code: `
        def ingest(spark, reader_conf):
            orders = spark.read.options(**reader_conf).csv("/mnt/landing/orders/")
            orders.write.mode("append").saveAsTable("bronze.orders")
      `,
    },
    {
      name: 'mode given by a parameter',
      code: `
        def ingest(spark, parse_mode):
            orders = spark.read.option("mode", parse_mode).csv("/mnt/landing/orders/")
            orders.write.mode("append").saveAsTable("bronze.orders")
      `,
    },
    {
      name: 'JSON without a schema: inference keeps malformed lines in _corrupt_record',
      code: `
        events = spark.read.json("/mnt/landing/events/")
        events.write.mode("append").saveAsTable("bronze.events")
      `,
    },
    {
      name: 'schema declares the _corrupt_record column',
      code: `
        from pyspark.sql.types import StructType, StructField, StringType, LongType

        ORDER_SCHEMA = StructType([
            StructField("order_id", LongType()),
            StructField("customer_id", StringType()),
            StructField("_corrupt_record", StringType()),
        ])
        orders = spark.read.schema(ORDER_SCHEMA).option("header", True).csv("/mnt/landing/orders/")
        orders.write.mode("append").saveAsTable("bronze.orders")
      `,
    },
    {
      name: 'DDL schema string declares _corrupt_record',
      code: `
        EVENT_DDL = "event_id STRING, ts TIMESTAMP, _corrupt_record STRING"
        events = spark.read.schema(EVENT_DDL).json("/mnt/landing/events/")
        events.write.mode("append").saveAsTable("bronze.events")
      `,
    },
    {
      name: 'CSV lookup file read in a silver job',
      code: `
        countries = spark.read.option("header", True).csv("/mnt/reference/countries.csv")
        orders = spark.read.table("bronze.orders")
        (orders.join(countries, "country_code")
            .write.mode("overwrite").saveAsTable("silver.orders"))
      `,
    },
    {
      name: 'CSV read written to a table whose layer is unknown',
      code: `
        orders = spark.read.option("header", True).csv("/data/in/orders/")
        orders.write.mode("append").saveAsTable("analytics.orders")
      `,
    },
    {
      name: 'nothing written, no bronze/raw in the function or file name',
      code: `
        def read_country_codes(spark):
            return spark.read.option("header", True).csv("/mnt/reference/countries.csv")
      `,
    },
    {
      name: 'Auto Loader with an inferred schema rescues by default',
      code: `
        stream = (spark.readStream.format("cloudFiles")
            .option("cloudFiles.format", "json")
            .option("cloudFiles.schemaLocation", "/mnt/chk/events/schema")
            .load("/mnt/landing/events/"))
        stream.writeStream.option("checkpointLocation", "/mnt/chk/events").toTable("bronze.events")
      `,
    },
    {
      name: 'Auto Loader with schemaEvolutionMode none and a rescued column',
      code: `
        stream = (spark.readStream.format("cloudFiles")
            .option("cloudFiles.format", "csv")
            .option("cloudFiles.schemaEvolutionMode", "none")
            .option("rescuedDataColumn", "_rescued_data")
            .schema(ORDER_SCHEMA)
            .load("/mnt/landing/orders/"))
        stream.writeStream.option("checkpointLocation", "/mnt/chk/orders").toTable("bronze.orders")
      `,
    },
    {
      name: 'Auto Loader with a provided schema in rescue mode',
      code: `
        stream = (spark.readStream.format("cloudFiles")
            .option("cloudFiles.format", "csv")
            .option("cloudFiles.schemaEvolutionMode", "rescue")
            .schema(ORDER_SCHEMA)
            .load("/mnt/landing/orders/"))
        stream.writeStream.option("checkpointLocation", "/mnt/chk/orders").toTable("bronze.orders")
      `,
    },
    {
      name: 'Parquet is not parsed text',
      code: `
        orders = spark.read.parquet("/mnt/landing/orders/")
        orders.write.mode("append").saveAsTable("bronze.orders")
      `,
    },
  ],
  invalid: [
    {
      name: 'CSV into bronze with no capture',
      code: `
        orders = spark.read.option("header", "true").csv("/mnt/landing/orders/")
        orders.write.mode("append").saveAsTable("bronze.orders")
      `,
      errors: [
        {
          line: 1,
          column: 46,
          severity: 'warning',
          message: 'The CSV read of `/mnt/landing/orders/` keeps no malformed records',
        },
      ],
    },
    {
      name: 'DROPMALFORMED on a JSON read is critical',
      code: `
        events = spark.read.option("mode", "DROPMALFORMED").json("/mnt/landing/events/")
        events.write.mode("append").saveAsTable("bronze.events")
      `,
      errors: [
        {
          line: 1,
          column: 36,
          severity: 'critical',
          message: '`mode=DROPMALFORMED` on the JSON read of `/mnt/landing/events/` silently drops malformed rows',
        },
      ],
    },
    {
      name: 'DROPMALFORMED as a keyword of csv()',
      code: `
        orders = spark.read.csv("/mnt/landing/orders/", header=True, mode="DROPMALFORMED")
        orders.write.mode("append").saveAsTable("bronze.orders")
      `,
      errors: [{ line: 1, column: 67, severity: 'critical', message: 'CSV read of `/mnt/landing/orders/`' }],
    },
    {
      name: 'DROPMALFORMED from a module-level options dict (reported where it is written)',
      code: `
        CSV_OPTIONS = {"header": "true", "mode": "DROPMALFORMED"}

        def ingest(spark):
            orders = spark.read.options(**CSV_OPTIONS).csv("/mnt/landing/orders/")
            orders.write.mode("append").saveAsTable("bronze.orders")
      `,
      errors: [{ line: 1, column: 42, severity: 'critical', message: '`mode=DROPMALFORMED`' }],
    },
    {
      name: 'JSON with an explicit schema keeps no malformed records',
      code: `
        from pyspark.sql.types import StructType, StructField, StringType

        EVENT_SCHEMA = StructType([StructField("event_id", StringType())])
        events = (spark.read
            .schema(EVENT_SCHEMA)
            .json("/mnt/landing/events/"))
        events.write.mode("append").saveAsTable("bronze.events")
      `,
      errors: [{ line: 6, column: 6, message: 'The JSON read of `/mnt/landing/events/` keeps no malformed records' }],
    },
    {
      name: '_corrupt_record captured by another read does not help a CSV read without a schema',
      code: `
        def ingest_json(spark, day):
            events = (spark.read
                .option("mode", "PERMISSIVE")
                .option("columnNameOfCorruptRecord", "_corrupt_record")
                .json(f"/mnt/landing/events/{day}/"))
            events.write.mode("append").saveAsTable("bronze.events")

        def ingest_csv(spark, day):
            rows = (spark.read
                .option("header", True)
                .option("inferSchema", True)
                .csv(f"/mnt/landing/rows/{day}/"))
            rows.write.mode("append").saveAsTable("bronze.rows")
      `,
      errors: [{ line: 12, column: 10, message: 'The CSV read of `/mnt/landing/rows/{day}/`' }],
    },
    {
      name: 'JSON inferred from a sample only',
      code: `
        events = spark.read.option("samplingRatio", "0.1").json("/mnt/landing/events/")
        events.write.mode("append").saveAsTable("bronze.events")
      `,
      errors: [{ line: 1, column: 52, message: 'JSON read of `/mnt/landing/events/`' }],
    },
    {
      name: 'Auto Loader with schemaEvolutionMode none and no rescued column',
      code: `
        stream = (spark.readStream.format("cloudFiles")
            .option("cloudFiles.format", "json")
            .option("cloudFiles.schemaLocation", "/mnt/chk/events/schema")
            .option("cloudFiles.schemaEvolutionMode", "none")
            .load("/mnt/landing/events/"))
        stream.writeStream.option("checkpointLocation", "/mnt/chk/events").toTable("bronze.events")
      `,
      errors: [
        {
          line: 5,
          column: 6,
          message: 'Auto Loader streaming JSON read of `/mnt/landing/events/` with `cloudFiles.schemaEvolutionMode` `none` and no `rescuedDataColumn`',
        },
      ],
    },
    {
      name: 'Auto Loader with a provided schema (evolution mode defaults to none)',
      code: `
        stream = (spark.readStream.format("cloudFiles")
            .option("cloudFiles.format", "csv")
            .schema("order_id BIGINT, amount DECIMAL(12,2)")
            .load("/mnt/landing/orders/"))
        stream.writeStream.option("checkpointLocation", "/mnt/chk/orders").toTable("bronze.orders")
      `,
      errors: [{ line: 4, column: 6, message: 'with a provided schema and no `rescuedDataColumn`' }],
    },
    {
      name: 'streaming JSON with a schema into bronze',
      code: `
        events = spark.readStream.schema(EVENT_SCHEMA).json("/mnt/landing/events/")
        events.writeStream.option("checkpointLocation", "/chk/events").toTable("bronze.events")
      `,
      errors: [{ line: 1, column: 48, message: 'The streaming JSON read of `/mnt/landing/events/`' }],
    },
    {
      name: 'nothing written, function name says it loads to raw',
      code: `
        def load_to_raw(spark):
            return spark.read.option("header", True).csv("/mnt/landing/orders/")
      `,
      errors: [{ line: 2, column: 46, message: 'CSV read of `/mnt/landing/orders/`' }],
    },
    {
      name: 'f-string path, layer known only from the file path',
      path: 'pipelines/bronze/orders.py',
      code: `
        LANDING = "/mnt/landing"

        def ingest(spark, day):
            orders = spark.read.option("header", True).csv(f"{LANDING}/orders/{day}/")
            orders.write.mode("append").saveAsTable("lake.orders")
      `,
      errors: [{ line: 4, column: 48, message: 'CSV read of `/mnt/landing/orders/{day}/`' }],
    },
  ],
});

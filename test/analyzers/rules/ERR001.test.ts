import rule from '../../../src/analyzers/rules/ERR001-swallowed-pipeline-failure.js';
import { testRule } from '../../support/rule-tester.js';

testRule(rule, {
  valid: [
    {
      name: 'AnalysisException around a table read that returns None',
      code: `
        from pyspark.sql.utils import AnalysisException

        def load_dim(spark):
            try:
                dim = spark.read.table("silver.dim_customer")
                dim.count()
                return dim
            except AnalysisException:
                return None
      `,
    },
    {
      name: 'handler logs then re-raises conditionally',
      code: `
        import logging

        logger = logging.getLogger(__name__)

        def publish(spark, strict):
            df = spark.read.table("bronze.events").filter("event_id IS NOT NULL")
            try:
                df.write.mode("append").saveAsTable("silver.events")
            except Exception as e:
                logger.error("write to silver.events failed: %s", e)
                if strict:
                    raise
      `,
    },
    {
      name: 'handler writes the batch to a dead-letter table',
      code: `
        from pyspark.sql import functions as F

        df = spark.read.table("bronze.orders")
        try:
            df.write.mode("append").saveAsTable("silver.orders")
        except Exception as e:
            (df.withColumn("_error", F.lit(str(e)))
                .write.mode("append")
                .saveAsTable("ops.orders_dead_letter"))
      `,
    },
    {
      name: 'handler calls an alert function after logging',
      code: `
        import logging

        log = logging.getLogger("pipeline")

        def run(spark):
            df = spark.read.table("bronze.events")
            try:
                df.write.format("delta").mode("append").save("/mnt/silver/events")
            except Exception as exc:
                log.exception("silver load failed")
                notify_on_call(f"silver load failed: {exc}")
      `,
    },
    {
      name: 'try containing only a helper call (the write is not visible here)',
      code: `
        import logging

        logger = logging.getLogger(__name__)

        def main(spark):
            try:
                run_pipeline(spark, "silver.events")
            except Exception:
                logger.exception("pipeline failed")
      `,
    },
    {
      name: 'handler exits non-zero',
      code: `
        import sys

        df = spark.read.json("/mnt/landing/events/")
        try:
            df.write.mode("append").saveAsTable("bronze.events")
        except Exception as e:
            print(f"ingest failed: {e}")
            sys.exit(1)
      `,
    },
    {
      name: 'failure flag set in the handler and checked after the try',
      code: `
        import sys
        import logging

        logger = logging.getLogger(__name__)

        def run(spark):
            ok = True
            df = spark.read.table("bronze.events")
            try:
                df.write.mode("append").saveAsTable("silver.events")
            except Exception as e:
                logger.error("failed: %s", e)
                ok = False
            if not ok:
                sys.exit(1)
      `,
    },
    {
      name: 'self.failed flag read by another method',
      code: `
        class SilverJob:
            def run(self, spark):
                df = spark.read.table("bronze.events")
                try:
                    df.write.saveAsTable("silver.events")
                except Exception:
                    self.failed = True

            def finish(self):
                if self.failed:
                    raise RuntimeError("silver load failed")
      `,
    },
    {
      name: 'returns False as a status whose callers are not in this file',
      code: `
        import logging
        from pyspark.sql import DataFrame

        logger = logging.getLogger(__name__)

        def write_table(df: DataFrame, name: str) -> bool:
            try:
                df.write.mode("append").saveAsTable(name)
                return True
            except Exception as e:
                logger.error("write to %s failed: %s", name, e)
                return False
      `,
    },
    {
      name: 'returned status is checked by the caller',
      code: `
        import sys

        def main(spark):
            df = spark.read.table("bronze.events")
            try:
                df.write.mode("append").saveAsTable("silver.events")
            except Exception as e:
                print(e)
                return 1
            return 0

        if __name__ == "__main__":
            sys.exit(main(spark))
      `,
    },
    {
      name: 'specific exception around a write',
      code: `
        df = spark.read.table("bronze.events")
        try:
            df.write.mode("errorifexists").saveAsTable("silver.events_snapshot")
        except FileExistsError:
            pass
      `,
    },
    {
      name: 'broad handler around a write that only happens in the else clause',
      code: `
        import logging

        logger = logging.getLogger(__name__)
        df = spark.read.table("bronze.events")
        try:
            validate_schema(df)
        except Exception:
            logger.warning("schema check failed")
        else:
            df.write.mode("append").saveAsTable("silver.events")
      `,
    },
    {
      name: 'handler exits with a failure status: sys.exit(1), sys.exit("message"), exit(2)',
      code: `
        import sys

        df = spark.read.table("bronze.events").filter("event_id IS NOT NULL")
        try:
            df.write.mode("append").saveAsTable("silver.events")
        except Exception as e:
            print(f"write failed: {e}")
            sys.exit(1)
        try:
            df.write.mode("append").saveAsTable("silver.events_copy")
        except Exception as e:
            sys.exit(f"write failed: {e}")
        try:
            df.write.mode("append").saveAsTable("silver.events_archive")
        except Exception:
            exit(2)
      `,
    },
    {
      name: 'try around calls that write nothing here: an imported job, a local function that only reads or records run metrics',
      code: `
        import logging
        from jobs.orders import run_orders

        def preview(spark):
            spark.read.table("silver.orders").show(5)

        def record_run(spark, status):
            spark.createDataFrame([(status,)], ["status"]).write.mode("append").saveAsTable("ops.job_runs")

        try:
            run_orders(spark)
            preview(spark)
            record_run(spark, "ok")
        except Exception as e:
            logging.error("run failed: %s", e)
      `,
    },
  ],
  invalid: [
    {
      name: 'the entry point wraps main(), which writes through a helper method, and only logs',
      code: `
        import logging

        class OrdersJob:
            def __init__(self, spark):
                self.spark = spark

            def publish(self, df):
                df.write.format("delta").mode("overwrite").saveAsTable("gold.daily_orders")

            def run(self):
                self.publish(self.spark.read.table("silver.orders").groupBy("order_date").count())

        def main():
            OrdersJob(spark).run()
            write_summary()

        def write_summary():
            spark.read.table("gold.daily_orders").write.mode("overwrite").saveAsTable("gold.orders_summary")

        if __name__ == "__main__":
            try:
                main()
            except Exception as e:
                logging.error(e)
      `,
      errors: [{ line: 23, message: '`except Exception` swallows a failure of the write to `gold.orders_summary` in `main()` (line 22)' }],
    },
    {
      name: 'handler exits with status 0 (sys.exit(), sys.exit(0)) or only warns: the run succeeds',
      code: `
        import sys
        import warnings

        df = spark.read.table("bronze.events").filter("event_id IS NOT NULL")
        try:
            df.write.mode("append").saveAsTable("silver.events")
        except Exception as e:
            print(f"write failed: {e}")
            sys.exit(0)
        try:
            df.write.mode("append").saveAsTable("silver.events_copy")
        except Exception:
            sys.exit()
        try:
            df.write.mode("append").saveAsTable("silver.events_archive")
        except Exception as e:
            warnings.warn(str(e))
      `,
      errors: [
        { line: 7, message: 'swallows a failure of the write to `silver.events` (line 6)' },
        { line: 12, message: 'swallows a failure of the write to `silver.events_copy` (line 11)' },
        { line: 16, message: 'swallows a failure of the write to `silver.events_archive` (line 15)' },
      ],
    },
    {
      name: 'except Exception that only logs around a write',
      code: `
        import logging

        logger = logging.getLogger(__name__)
        df = spark.read.table("bronze.events").filter("event_id IS NOT NULL")
        try:
            df.write.mode("append").saveAsTable("silver.events")
        except Exception as e:
            logger.error(f"write failed: {e}")
      `,
      errors: [{ line: 7, column: 1, severity: 'critical', message: '`except Exception` swallows a failure of the write to `silver.events` (line 6)' }],
    },
    {
      name: 'bare except with pass around a path write in a multi-line chain',
      code: `
        def ingest(spark):
            raw = spark.read.json("/mnt/landing/clicks/")
            try:
                (raw.write
                    .format("delta")
                    .mode("append")
                    .save("/mnt/bronze/clicks"))
            except:
                pass
      `,
      errors: [{ line: 8, column: 5, message: '`except:` swallows a failure of the write to `/mnt/bronze/clicks` (line 4)' }],
    },
    {
      name: 'tuple of exception types that includes Exception',
      code: `
        import logging

        logger = logging.getLogger(__name__)

        def load(spark):
            df = spark.read.table("bronze.orders").dropDuplicates(["order_id"])
            try:
                df.write.mode("append").saveAsTable("silver.orders")
            except (ValueError, Exception) as e:
                logger.warning("skipping: %s", e)
      `,
      errors: [{ line: 9, column: 5, message: '`except (ValueError, Exception)` swallows a failure of the write to `silver.orders`' }],
    },
    {
      name: 'MERGE with a backslash chain, handler logs and returns',
      code: `
        import logging
        from delta.tables import DeltaTable

        logger = logging.getLogger(__name__)

        def upsert(spark):
            updates = spark.read.table("bronze.customers").dropDuplicates(["id"])
            try:
                DeltaTable.forName(spark, "silver.customers").alias("t") \\
                    .merge(updates.alias("s"), "t.id = s.id") \\
                    .whenMatchedUpdateAll() \\
                    .whenNotMatchedInsertAll() \\
                    .execute()
            except Exception as exc:
                logger.warning("merge failed: %s", exc)
                return
      `,
      errors: [{ line: 14, column: 5, message: 'the MERGE into `silver.customers` (line 9)' }],
    },
    {
      name: 'loop over tables that logs and continues',
      code: `
        import logging

        logger = logging.getLogger(__name__)
        TABLES = ["orders", "customers", "payments"]

        for t in TABLES:
            df = spark.read.table(f"bronze.{t}")
            try:
                df.write.mode("overwrite").saveAsTable(f"silver.{t}")
            except Py4JJavaError as e:
                logger.error("failed %s: %s", t, e)
                continue
      `,
      errors: [{ line: 10, message: '`except Py4JJavaError` swallows a failure of the write to `silver.{t}`' }],
    },
    {
      name: 'count() action with a fallback value nothing reads',
      code: `
        def audit(spark):
            df = spark.read.table("silver.events").where("event_date = current_date()")
            try:
                print(df.count())
            except Exception:
                n = 0
      `,
      errors: [{ line: 5, message: 'swallows a failure of `count()` (line 4)' }],
    },
    {
      name: 'returned status that every caller in the file discards',
      code: `
        import logging

        logger = logging.getLogger(__name__)

        def write_table(df, name):
            try:
                df.write.mode("append").saveAsTable(name)
                return True
            except Exception as e:
                logger.error("write to %s failed: %s", name, e)
                return False

        for t in ["orders", "customers"]:
            write_table(spark.read.table(f"bronze.{t}"), f"silver.{t}")
      `,
      errors: [{ line: 9, message: 'the write to `name`' }],
    },
    {
      name: 'streaming query whose awaitTermination failure is swallowed',
      code: `
        query = (spark.readStream.table("bronze.events")
            .writeStream
            .option("checkpointLocation", "/chk/silver_events")
            .toTable("silver.events"))
        try:
            query.awaitTermination()
        except StreamingQueryException as e:
            print(f"stream stopped: {e}")
      `,
      errors: [{ line: 7, message: "the streaming query's `awaitTermination()` (line 6)" }],
    },
  ],
});

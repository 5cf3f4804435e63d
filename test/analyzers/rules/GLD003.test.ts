import { describe, expect, it } from 'vitest';
import rule from '../../../src/analyzers/rules/GLD003-count-named-as-distinct.js';
import { runRule, testRule } from '../../support/rule-tester.js';

testRule(rule, {
  valid: [
    {
      name: 'conditional counts: count(when(rn == 1)) with rn a row_number per customer, COUNT(CASE WHEN ...)',
      code: `
        from pyspark.sql import functions as F
        from pyspark.sql.window import Window

        w = Window.partitionBy("store_id", "customer_id").orderBy("order_ts")
        orders = spark.read.table("shop.silver.orders").withColumn("rn", F.row_number().over(w))
        (orders.groupBy("store_id").agg(F.count(F.when(F.col("rn") == 1, True)).alias("unique_customers"))
            .write.mode("overwrite").saveAsTable("shop.gold.store_customers"))
        spark.sql("SELECT store_id, COUNT(CASE WHEN rn = 1 THEN 1 END) AS unique_customers FROM ranked GROUP BY store_id")
      `,
    },
    {
      name: 'countDistinct and approx_count_distinct under unique names',
      code: `
        from pyspark.sql import functions as F

        daily = spark.read.table("silver.events").groupBy("event_date").agg(
            F.countDistinct("user_id").alias("unique_users"),
            F.approx_count_distinct("session_id").alias("distinct_sessions"),
            F.count_distinct(F.col("device_id")).alias("n_unique_devices"),
            F.count("user_id").alias("events_with_user"),
        )
      `,
    },
    {
      name: 'SQL COUNT(DISTINCT x) in F.expr and selectExpr',
      code: `
        from pyspark.sql import functions as F

        ev = spark.read.table("silver.events")
        a = ev.groupBy("event_date").agg(F.expr("count(distinct user_id) as unique_users"))
        b = ev.selectExpr("COUNT( DISTINCT session_id ) AS distinct_sessions")
      `,
    },
    {
      name: 'list.count(x) and str.count(x) in plain Python',
      code: `
        from pyspark.sql import functions as F

        ids = [row.user_id for row in spark.read.table("silver.users").collect()]
        unique_users = ids.count(42)
        distinct_commas = "a,b,c".count(",")
        print(unique_users, distinct_commas)
      `,
    },
    {
      name: 'count under a name that does not promise distinct values',
      code: `
        from pyspark.sql import functions as F

        out = (spark.read.table("silver.orders")
            .groupBy("region")
            .agg(F.count("order_id").alias("order_count"),
                 F.count("*").alias("users")))
      `,
    },
    {
      name: 'count after select(...).distinct(): it does count distinct users',
      code: `
        from pyspark.sql import functions as F

        dau = (spark.read.table("silver.events")
            .select("event_date", "user_id")
            .distinct()
            .groupBy("event_date")
            .agg(F.count("user_id").alias("unique_users")))
      `,
    },
    {
      name: 'count after dropDuplicates on the counted column, chain split over assignments',
      code: `
        from pyspark.sql import functions as F

        events = spark.read.table("silver.events")
        per_day = events.dropDuplicates(["event_date", "user_id"])
        dau = per_day.groupBy("event_date").agg(F.count(F.col("user_id")).alias("unique_users"))
      `,
    },
    {
      name: 'two-level aggregation: the first groupBy makes users unique per day',
      code: `
        from pyspark.sql import functions as F

        per_user = spark.read.table("silver.orders").groupBy("order_date", "customer_id").agg(F.sum("amount").alias("spend"))
        daily = per_user.groupBy("order_date").agg(F.count("customer_id").alias("unique_customers"))
      `,
    },
    {
      name: 'name built by an f-string (cannot be read)',
      code: `
        from pyspark.sql import functions as F

        def metric(df, col_name):
            return df.agg(F.count(col_name).alias(f"unique_{col_name}"))
      `,
    },
    {
      name: 'spark.sql that dedups in a subquery before counting',
      code: `
        spark.sql("""
            SELECT event_date, count(user_id) AS unique_users
            FROM (SELECT DISTINCT event_date, user_id FROM silver.events)
            GROUP BY event_date
        """)
      `,
    },
    {
      name: 'spark.sql over a temp view of a DataFrame deduplicated on the counted column',
      code: `
        spark.read.table("silver.events").select("event_date", "user_id").distinct().createOrReplaceTempView("daily_users")
        dau = spark.sql("SELECT event_date, count(user_id) AS unique_users FROM daily_users GROUP BY event_date")
      `,
    },
  ],
  invalid: [
    {
      name: 'F.count(x).alias("unique_users") in an agg (fix: countDistinct)',
      code: `
        from pyspark.sql import functions as F

        daily = spark.read.table("silver.events").groupBy("event_date").agg(
            F.count("user_id").alias("unique_users"),
            F.sum("amount").alias("revenue"),
        )
      `,
      errors: [
        {
          line: 4,
          column: 5,
          severity: 'warning',
          message: '`F.count("user_id")` is named `unique_users` but counts rows, not distinct values: use `countDistinct("user_id")`',
          fix: '    F.countDistinct("user_id").alias("unique_users"),',
        },
      ],
    },
    {
      name: 'bare count imported from pyspark.sql.functions (the seed example), backslash chain; no fix',
      code: `
        from pyspark.sql.functions import count, sum, col

        def create_gold_metrics(silver_table):
            silver_df = spark.read.table(silver_table)
            gold_df = silver_df \\
              .groupBy("event_date", "event_type") \\
              .agg(
                  count("*").alias("event_count"),
                  count("user_id").alias("unique_users"),
                  sum("amount").alias("total_amount"),
              )
            return gold_df
      `,
      errors: [{ line: 9, column: 11, message: 'is named `unique_users`' }],
    },
    {
      name: 'window count aliased unique: suggests collect_set, no countDistinct fix',
      code: `
        from pyspark.sql import functions as F
        from pyspark.sql.window import Window

        w = Window.partitionBy("account_id")
        scored = spark.read.table("silver.logins").select(
            "*",
            F.count("device_id").over(w).alias("unique_devices"),
        )
      `,
      errors: [{ line: 7, column: 5, message: 'use `F.size(F.collect_set("device_id"))` over the window' }],
    },
    {
      name: 'withColumn("unique_users", F.count(...).over(w))',
      code: `
        from pyspark.sql import functions as F
        from pyspark.sql.window import Window

        by_day = Window.partitionBy("event_date")
        ev = spark.read.table("silver.events").withColumn("unique_users", F.count("user_id").over(by_day))
      `,
      errors: [{ line: 5, message: 'is named `unique_users`' }],
    },
    {
      name: 'casted count aliased distinct, module imported as sf',
      code: `
        import pyspark.sql.functions as sf

        orders = spark.read.table("silver.orders")
        summary = orders.groupBy("country").agg(sf.count("region").cast("long").alias("distinct_regions"))
      `,
      errors: [
        {
          line: 4,
          column: 41,
          message: '`sf.count("region")` is named `distinct_regions`',
          fix: 'summary = orders.groupBy("country").agg(sf.countDistinct("region").cast("long").alias("distinct_regions"))',
        },
      ],
    },
    {
      name: 'SQL count(x) AS unique_x in F.expr and in selectExpr',
      code: `
        from pyspark.sql import functions as F

        ev = spark.read.table("silver.events")
        a = ev.groupBy("event_date").agg(F.expr("count(user_id) as unique_users"))
        b = ev.selectExpr("event_date", "COUNT(session_id) AS n_unique_sessions")
      `,
      errors: [
        { line: 4, message: '`count(user_id) as unique_users` names a row count `unique_users`' },
        { line: 5, message: 'use `count(DISTINCT session_id)`' },
      ],
    },
    {
      name: 'spark.sql aggregate naming a row count distinct_customers',
      code: `
        spark.sql("SELECT region, COUNT(customer_id) AS distinct_customers FROM silver.orders GROUP BY region")
      `,
      errors: [{ line: 1, message: 'names a row count `distinct_customers`' }],
    },
    {
      name: 'spark.sql of a query held in an f-string variable',
      code: `
        EVENTS = "main.silver.events"

        def funnel(spark, run_date):
            funnel_sql = f"""
                SELECT event_date, platform, count(user_id) AS unique_buyers
                FROM {EVENTS}
                WHERE event_date = '{run_date}' AND event_name = 'purchase'
                GROUP BY event_date, platform
            """
            return spark.sql(funnel_sql)
      `,
      errors: [{ line: 10, column: 12, message: '`count(user_id) AS unique_buyers` names a row count `unique_buyers`' }],
    },
    {
      name: 'distinct() upstream on another column does not make the counted column unique',
      code: `
        from pyspark.sql import functions as F

        ev = spark.read.table("silver.events").dropDuplicates(["event_id"])
        dau = ev.groupBy("event_date").agg(F.count("user_id").name("unique_users"))
      `,
      errors: [{ line: 4, column: 36, message: 'is named `unique_users`' }],
    },
  ],
});

describe('GLD003 fixes that would break the code are not offered', () => {
  it('no countDistinct fix for a window count (Spark rejects distinct window functions)', () => {
    const findings = runRule(rule, {
      name: 'window',
      code: `
        from pyspark.sql import functions as F
        from pyspark.sql.window import Window

        w = Window.partitionBy("account_id")
        scored = spark.read.table("silver.logins").withColumn("unique_devices", F.count("device_id").over(w))
      `,
    });
    expect(findings).toHaveLength(1);
    expect(findings[0]!.fix).toBeUndefined();
  });

  it('no fix for a bare imported count (countDistinct may not be imported)', () => {
    const findings = runRule(rule, {
      name: 'bare',
      code: `
        from pyspark.sql.functions import count

        out = spark.read.table("silver.events").groupBy("d").agg(count("user_id").alias("unique_users"))
      `,
    });
    expect(findings).toHaveLength(1);
    expect(findings[0]!.fix).toBeUndefined();
  });
});

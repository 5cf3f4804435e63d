import rule from '../../../src/analyzers/rules/ERR005-eval-or-exec.js';
import { testRule } from '../../support/rule-tester.js';

testRule(rule, {
  valid: [
    {
      name: 'pandas DataFrame.eval and pd.eval are methods, not the builtin',
      code: `
        import pandas as pd

        pdf = spark.read.table("gold.kpis").toPandas()
        pdf = pdf.eval("margin = revenue - cost")
        total = pd.eval("pdf.revenue + pdf.cost")
      `,
    },
    {
      name: 'ast.literal_eval of a config string',
      code: `
        import ast

        partitions = ast.literal_eval(dbutils.widgets.get("partitions"))
        df = spark.read.table("bronze.events").where(f"ingest_date IN ({partitions})")
      `,
    },
    {
      name: 'F.expr with SQL text from configuration',
      code: `
        from pyspark.sql import functions as F

        RULES = ["amount > 0", "customer_id IS NOT NULL"]
        df = spark.read.table("bronze.orders")
        valid = df.filter(F.expr(" AND ".join(RULES)))
      `,
    },
    {
      name: 'a file that defines its own eval',
      code: `
        from pyspark.sql import functions as F

        def eval(rule):
            return F.expr(rule)

        df = spark.read.table("bronze.orders").filter(eval("amount > 0"))
      `,
    },
    {
      name: 'eval imported from a library',
      code: `
        from rules_engine.safe import eval

        df = spark.read.table("bronze.orders").filter(eval("amount > 0"))
      `,
    },
    {
      name: 'eval rebound to another function',
      code: `
        import numexpr

        eval = numexpr.evaluate
        df = spark.read.table("bronze.orders")
        v = eval("a + b")
      `,
    },
    {
      name: "a model's eval() method",
      code: `
        class Scorer:
            def __init__(self, model):
                self.model = model

            def score(self, spark):
                self.model.eval()
                return spark.read.table("silver.features")
      `,
    },
    {
      name: 'eval in a file that is not pipeline code',
      code: `
        def calc(expression):
            return eval(expression)
      `,
    },
  ],
  invalid: [
    {
      name: 'eval building a filter from configured checks',
      code: `
        from pyspark.sql import functions as F

        checks = ["F.col('id').isNotNull()", "F.col('amount') > 0"]
        df = spark.read.table("bronze.orders")
        valid = df.filter(eval(" & ".join(f"({c})" for c in checks)))
      `,
      errors: [{ line: 5, column: 19, severity: 'critical', message: '`eval(" & ".join(f"({c})" for c in checks))` runs code built from strings' }],
    },
    {
      name: 'exec of a config file in a notebook',
      code: `
        # Databricks notebook source
        exec(open("/dbfs/config/pipeline_conf.py").read())
      `,
      errors: [{ line: 2, column: 1, message: '`exec(...)`' }],
    },
    {
      name: 'eval of a short expression inside a method',
      code: `
        class Validator:
            def __init__(self, spark, rule):
                self.spark = spark
                self.rule = rule

            def run(self):
                df = self.spark.read.table("silver.orders")
                return df.filter(eval(self.rule))
      `,
      errors: [{ line: 8, column: 26, message: '`eval(self.rule)`' }],
    },
    {
      name: 'builtins.eval even when the file defines its own eval',
      code: `
        import builtins

        def eval(x):
            return x

        df = spark.read.table("bronze.orders").filter(builtins.eval("F.col('a') > 0"))
      `,
      errors: [{ line: 6, message: "`eval(\"F.col('a') > 0\")`" }],
    },
    {
      name: 'a method named eval does not shadow the builtin',
      code: `
        class Model:
            def eval(self, x):
                return x

        df = spark.read.table("bronze.orders")
        cond = eval("df.amount > 0")
      `,
      errors: [{ line: 6, column: 8, message: '`eval("df.amount > 0")`' }],
    },
    {
      name: 'exec imported under another name does not shadow exec',
      code: `
        from mylib import exec as run_code

        df = spark.read.table("bronze.orders")
        exec(f"result = df.{op}()")
      `,
      errors: [{ line: 4, column: 1, message: '`exec(f"result = df.{op}()")`' }],
    },
  ],
});

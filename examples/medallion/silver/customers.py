"""Conform CRM customers from bronze into silver.customers, and report rule violations."""
import logging

from delta.tables import DeltaTable
from pyspark.sql import SparkSession
from pyspark.sql import functions as F

logger = logging.getLogger("silver.customers")

BRONZE_TABLE = "main.bronze.crm_customers"
SILVER_TABLE = "main.silver.customers"

STRING_COLUMNS = ["first_name", "last_name", "email", "street", "city", "postal_code", "country_code"]

# Data-quality rules kept as strings so the business team can edit them in YAML.
QUALITY_RULES = {
    "email_format": "F.col('email').rlike('^[^@]+@[^@]+$')",
    "known_country": "F.col('country_code').isin('DE', 'FR', 'NL', 'BE')",
    "has_name": "F.col('last_name').isNotNull()",
}


def conform_customers(spark: SparkSession) -> None:
    customers = spark.read.table(BRONZE_TABLE)

    # Mistake: one withColumn per loop iteration. Each call adds a projection to the plan and the
    # analyzer re-runs every time; with wide tables this gets slow and can overflow the stack.
    # `customers.withColumns({c: F.trim(F.col(c)) for c in STRING_COLUMNS})` does it in one step.
    for column_name in STRING_COLUMNS:
        customers = customers.withColumn(column_name, F.trim(F.col(column_name)))

    customers = (
        customers
        .withColumn("email", F.lower("email"))
        .withColumn("country_code", F.upper("country_code"))
        .withColumn("_updated_at", F.current_timestamp())
    )

    # Mistake: bronze rows go to silver with no validation at all: a missing customer_id or a
    # corrupt row is merged like any other.
    # Mistake: the MERGE source is not deduplicated on customer_id. The CRM export can contain a
    # customer twice (an edit during the export); the MERGE then fails with "multiple source rows
    # matched", or inserts the customer twice when it is new.
    (
        DeltaTable.forName(spark, SILVER_TABLE).alias("t")
        .merge(customers.alias("s"), "t.customer_id = s.customer_id")
        .whenMatchedUpdateAll()
        .whenNotMatchedInsertAll()
        .execute()
    )


def report_rule_violations(spark: SparkSession) -> None:
    customers = spark.read.table(SILVER_TABLE)
    for rule_name, rule in QUALITY_RULES.items():
        # Mistake: eval() turns a string from configuration into code on the driver. Keep the
        # rules as SQL expressions and use F.expr(rule), or build Column objects directly.
        failing = customers.filter(~eval(rule)).count()
        logger.info("rule %s: %d failing customers", rule_name, failing)


if __name__ == "__main__":
    session = SparkSession.builder.appName("silver_customers").getOrCreate()
    conform_customers(session)
    report_rule_violations(session)

/** The PySpark / Delta API surface the lineage model understands. */

/** DataFrame methods that return a DataFrame derived from the receiver. */
export const DF_TRANSFORMS = new Set([
  'select',
  'selectExpr',
  'withColumn',
  'withColumns',
  'withColumnRenamed',
  'withColumnsRenamed',
  'withMetadata',
  'drop',
  'filter',
  'where',
  'dropDuplicates',
  'drop_duplicates',
  'dropDuplicatesWithinWatermark',
  'distinct',
  'join',
  'crossJoin',
  'union',
  'unionAll',
  'unionByName',
  'intersect',
  'intersectAll',
  'subtract',
  'exceptAll',
  'limit',
  'offset',
  'orderBy',
  'sort',
  'sortWithinPartitions',
  'repartition',
  'repartitionByRange',
  'coalesce',
  'cache',
  'persist',
  'unpersist',
  'checkpoint',
  'localCheckpoint',
  'withWatermark',
  'alias',
  'hint',
  'sample',
  'fillna',
  'dropna',
  'replace',
  'toDF',
  'agg',
  'observe',
  'unpivot',
  'melt',
  'to',
  'transpose',
  'mapInPandas',
  'mapInArrow',
  'groupingSets',
]);

/** Transforms whose other DataFrame arguments are inputs too. */
export const DF_MULTI_INPUT = new Set([
  'join',
  'crossJoin',
  'union',
  'unionAll',
  'unionByName',
  'intersect',
  'intersectAll',
  'subtract',
  'exceptAll',
]);

/** DataFrame methods that return grouped data, finished by `agg`, `count`, `sum`... */
export const DF_GROUPING = new Set(['groupBy', 'groupby', 'rollup', 'cube']);

/** GroupedData methods that return an aggregated DataFrame. */
export const GROUPED_AGGREGATES = new Set([
  'agg',
  'count',
  'sum',
  'avg',
  'mean',
  'min',
  'max',
  'applyInPandas',
  'apply',
  'applyInPandasWithState',
  'transformWithStateInPandas',
]);

/** Methods that make Spark compute the DataFrame. */
export const DF_ACTIONS = new Set([
  'count',
  'collect',
  'first',
  'head',
  'take',
  'tail',
  'toPandas',
  'toArrow',
  'show',
  'isEmpty',
  'foreach',
  'foreachPartition',
  'toLocalIterator',
  'describe',
  'summary',
]);

/** Actions that compute the whole DataFrame (not just its first rows). */
export const FULL_ACTIONS = new Set(['count', 'collect', 'toPandas', 'toArrow', 'foreach', 'foreachPartition', 'toLocalIterator']);

/** Calls that reveal the receiver is a DataFrame even when we do not know where it came from. */
export const DF_ONLY_METHODS = new Set([
  'write',
  'writeStream',
  'writeTo',
  'withColumn',
  'withColumns',
  'withColumnRenamed',
  'withColumnsRenamed',
  'selectExpr',
  'dropDuplicates',
  'dropDuplicatesWithinWatermark',
  'groupBy',
  'withWatermark',
  'unionByName',
  'crossJoin',
  'createOrReplaceTempView',
  'createTempView',
  'createOrReplaceGlobalTempView',
  'toPandas',
  'isEmpty',
  'printSchema',
]);

export const TEMP_VIEW_METHODS = new Set([
  'createOrReplaceTempView',
  'createTempView',
  'createOrReplaceGlobalTempView',
  'createGlobalTempView',
  'registerTempTable',
]);

/** DataFrameReader / DataStreamReader methods that return the reader. */
export const READER_STEPS = new Set(['format', 'option', 'options', 'schema']);

/** Reader methods that produce a DataFrame, with the format they imply. */
export const READER_TERMINALS: ReadonlyMap<string, string | undefined> = new Map([
  ['load', undefined],
  ['json', 'json'],
  ['csv', 'csv'],
  ['parquet', 'parquet'],
  ['orc', 'orc'],
  ['text', 'text'],
  ['xml', 'xml'],
  ['avro', 'avro'],
  ['table', 'table'],
  ['jdbc', 'jdbc'],
  ['changes', 'delta'],
]);

/** DataFrameWriter / DataStreamWriter methods that return the writer. */
export const WRITER_STEPS = new Set([
  'format',
  'mode',
  'option',
  'options',
  'partitionBy',
  'clusterBy',
  'bucketBy',
  'sortBy',
  'outputMode',
  'trigger',
  'queryName',
  'foreachBatch',
  'foreach',
]);

/** Batch writer methods that write, with the format they imply. */
export const BATCH_WRITER_TERMINALS: ReadonlyMap<string, string | undefined> = new Map([
  ['save', undefined],
  ['saveAsTable', undefined],
  ['insertInto', undefined],
  ['parquet', 'parquet'],
  ['json', 'json'],
  ['csv', 'csv'],
  ['orc', 'orc'],
  ['text', 'text'],
  ['xml', 'xml'],
  ['jdbc', 'jdbc'],
]);

export const STREAM_WRITER_TERMINALS = new Set(['start', 'toTable']);

/** DataFrameWriterV2 (`df.writeTo(t)`) terminals and the mode they amount to. */
export const WRITER_V2_TERMINALS: ReadonlyMap<string, string> = new Map([
  ['append', 'append'],
  ['overwrite', 'overwrite'],
  ['overwritePartitions', 'overwrite-partitions'],
  ['create', 'create'],
  ['replace', 'overwrite'],
  ['createOrReplace', 'overwrite'],
]);

export const MERGE_CLAUSES = new Set([
  'whenMatchedUpdate',
  'whenMatchedUpdateAll',
  'whenMatchedDelete',
  'whenNotMatchedInsert',
  'whenNotMatchedInsertAll',
  'whenNotMatchedBySourceUpdate',
  'whenNotMatchedBySourceDelete',
]);

/** Decorators that turn a function's returned DataFrame into a Lakeflow / DLT dataset. */
export const DLT_DATASET_DECORATORS = new Set([
  'table',
  'view',
  'create_table',
  'create_view',
  'materialized_view',
  'streaming_table',
  'temporary_view',
  'append_flow',
]);

export const DLT_MODULES = new Set(['dlt', 'pyspark.pipelines']);

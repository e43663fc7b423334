"""The analytics store in AWS: a Glue database with one table per dataset over the analytics bucket's
Parquet files (partition projection on `dt`, so new days need no crawler or MSCK), and an Athena workgroup
whose results are encrypted with Heard's key and kept under the analytics bucket's `athena-results/`.

Reports compute with DuckDB over the same files (shared/analytics/engine.py); Athena is for ad-hoc
questions at any scale (docs/analytics.md).
"""

from __future__ import annotations

from aws_cdk import Aws, Stack
from aws_cdk import aws_athena as athena
from aws_cdk import aws_glue as glue
from aws_cdk import aws_kms as kms
from aws_cdk import aws_s3 as s3
from constructs import Construct

from shared.analytics.records import COLUMNS, STORE_PREFIX

GLUE_TYPES = {
    "VARCHAR": "string",
    "BIGINT": "bigint",
    "INTEGER": "int",
    "BOOLEAN": "boolean",
    "TIMESTAMP": "timestamp",
}
EARLIEST_DAY = "2026-01-01"


class Analytics(Construct):
    def __init__(self, scope: Construct, cid: str, *, bucket: s3.IBucket, key: kms.IKey) -> None:
        super().__init__(scope, cid)
        account = Stack.of(self).account
        self.database = glue.CfnDatabase(
            self,
            "Database",
            catalog_id=account,
            database_input=glue.CfnDatabase.DatabaseInputProperty(
                description="Heard analytics: case snapshots and interactions (no names, no words)"
            ),
        )
        self.tables = {dataset: self._table(dataset, columns, bucket) for dataset, columns in COLUMNS.items()}
        self.workgroup = athena.CfnWorkGroup(
            self,
            "WorkGroup",
            name=f"{Aws.STACK_NAME}-analytics",
            description="Heard: ad-hoc queries over the analytics store",
            state="ENABLED",
            work_group_configuration=athena.CfnWorkGroup.WorkGroupConfigurationProperty(
                enforce_work_group_configuration=True,
                publish_cloud_watch_metrics_enabled=True,
                bytes_scanned_cutoff_per_query=100 * 1024**3,
                result_configuration=athena.CfnWorkGroup.ResultConfigurationProperty(
                    output_location=f"s3://{bucket.bucket_name}/athena-results/",
                    encryption_configuration=athena.CfnWorkGroup.EncryptionConfigurationProperty(
                        encryption_option="SSE_KMS", kms_key=key.key_arn
                    ),
                ),
            ),
        )

    def _table(self, dataset: str, columns: dict[str, str], bucket: s3.IBucket) -> glue.CfnTable:
        location = f"s3://{bucket.bucket_name}/{STORE_PREFIX}/{dataset}/"
        table = glue.CfnTable(
            self,
            f"{dataset.title()}Table",
            catalog_id=Stack.of(self).account,
            database_name=self.database.ref,
            table_input=glue.CfnTable.TableInputProperty(
                name=dataset,
                table_type="EXTERNAL_TABLE",
                parameters={
                    "classification": "parquet",
                    "projection.enabled": "true",
                    "projection.dt.type": "date",
                    "projection.dt.format": "yyyy-MM-dd",
                    "projection.dt.range": f"{EARLIEST_DAY},NOW",
                    "storage.location.template": location + "dt=${dt}/",
                },
                partition_keys=[glue.CfnTable.ColumnProperty(name="dt", type="string")],
                storage_descriptor=glue.CfnTable.StorageDescriptorProperty(
                    location=location,
                    input_format="org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat",
                    output_format="org.apache.hadoop.hive.ql.io.parquet.MapredParquetOutputFormat",
                    serde_info=glue.CfnTable.SerdeInfoProperty(
                        serialization_library="org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe"
                    ),
                    columns=[
                        glue.CfnTable.ColumnProperty(name=n, type=GLUE_TYPES[t]) for n, t in columns.items()
                    ],
                ),
            ),
        )
        return table

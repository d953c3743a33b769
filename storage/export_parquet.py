"""Parquet output of the export, written in batches: one file, or Hive-style `year=…/` folders.

Rows arrive as flat dicts (storage.export flattens them); they are turned into Arrow
record batches of at most `batch_rows` rows, so memory stays bounded whatever the
number of rows. A partitioned export is a folder that DuckDB, polars and pyarrow read
in one line (`pyarrow.dataset.dataset(out, partitioning="hive")`).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from itertools import islice
from pathlib import Path
from typing import Any

import pyarrow as pa

from storage.export_columns import METADATA_COLUMNS, all_field_keys

PARTITION_COLUMNS = ("year",)


def export_schema() -> pa.Schema:
    """The Parquet columns: metadata, documents, checks_failed, then every field key as float64."""
    def metadata_type(column: str) -> pa.DataType:
        return pa.int64() if column in ("year", "version") else pa.bool_() if column == "current" else pa.string()

    return pa.schema(
        [(c, metadata_type(c)) for c in (*METADATA_COLUMNS, "documents", "checks_failed")]
        + [(key, pa.float64()) for key in all_field_keys()]
    )


def record_batches(rows: Iterable[dict[str, Any]], schema: pa.Schema, batch_rows: int) -> Iterator[pa.RecordBatch]:
    """`rows` as record batches of at most `batch_rows` rows (column lists, never the whole table)."""
    names = schema.names
    iterator = iter(rows)
    while chunk := list(islice(iterator, batch_rows)):
        columns = {name: [row[name] for row in chunk] for name in names}
        yield pa.RecordBatch.from_pydict(columns, schema=schema)


def write_parquet_file(rows: Iterable[dict[str, Any]], out: Path, batch_rows: int) -> int:
    """Stream `rows` into one Parquet file; returns the row count."""
    import pyarrow.parquet as pq

    schema = export_schema()
    count = 0
    with pq.ParquetWriter(out, schema) as writer:
        for batch in record_batches(rows, schema, batch_rows):
            writer.write_batch(batch)
            count += batch.num_rows
    return count


def write_parquet_dataset(rows: Iterable[dict[str, Any]], folder: Path, partition_by: str, batch_rows: int) -> int:
    """Stream `rows` into Hive-style `<partition_by>=<value>/` folders under `folder`; returns the row count."""
    import pyarrow.dataset as ds

    schema = export_schema()
    counted = [0]

    def counting() -> Iterator[pa.RecordBatch]:
        for batch in record_batches(rows, schema, batch_rows):
            counted[0] += batch.num_rows
            yield batch

    partitioning = ds.partitioning(pa.schema([schema.field(partition_by)]), flavor="hive")
    ds.write_dataset(counting(), folder, schema=schema, format="parquet", partitioning=partitioning,
                     basename_template="part-{i}.parquet", existing_data_behavior="error")
    return counted[0]

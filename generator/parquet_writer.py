"""Parquet output (``--format parquet``): the same tables, columns and Arrow types as
the CSVs, in the layout every loader reads (docs/raw_data.md, Parquet layout):

* ``DIR/<table>/<table>.parquet`` for the entity tables;
* ``DIR/<table>/<table>-YYYY-MM.parquet`` for the event tables, one file per
  calendar month, so an engine can prune files and load them in parallel.

Values keep their types (int64, string, double, date32, timestamp, decimal(12,2),
boolean); timestamps are stored in milliseconds (Parquet has no seconds unit) and
hold whole seconds. A loader casts each column to text in the CSV's spelling.
"""

from __future__ import annotations

from pathlib import Path

import pyarrow as pa  # type: ignore[import-untyped]
import pyarrow.parquet as pq  # type: ignore[import-untyped]

from .schema import arrow_schema
from .writer import BackgroundSink

COMPRESSION = "zstd"


def parquet_path(directory: Path, table: str, month: str | None = None) -> Path:
    name = f"{table}-{month}.parquet" if month else f"{table}.parquet"
    return directory / table / name


class ParquetSink(BackgroundSink):
    """Writes tables as Parquet; chunks of a (table, month) are appended to one
    file. Chunks arrive in month order per table (a month's file is finished when
    the table's next month starts)."""

    thread_name = "parquet"

    def __init__(self, directory: Path, quiet: bool = False) -> None:
        super().__init__(directory, quiet)
        self._writers: dict[tuple[str, str | None], pq.ParquetWriter] = {}
        self._finished: set[tuple[str, str | None]] = set()

    def _write_batch(
        self, table: str, month: str | None, batch: pa.RecordBatch
    ) -> None:
        key = (table, month)
        writer = self._writers.get(key)
        if writer is None:
            # a table's chunks come month after month: its previous month's file
            # is complete, so close it now (an open writer holds buffers, and
            # 24 months x 7 event tables of them doubled the peak RSS at scale 10)
            if key in self._finished:
                raise ValueError(f"{table}: a chunk of {month} after its file closed")
            for done in [k for k in self._writers if k[0] == table]:
                self._writers.pop(done).close()
                self._finished.add(done)
            path = parquet_path(self.directory, table, month)
            path.parent.mkdir(parents=True, exist_ok=True)
            writer = pq.ParquetWriter(
                path, arrow_schema(table), compression=COMPRESSION
            )
            self._writers[key] = writer
        # text columns may come dictionary-encoded: store them as plain strings so
        # every file of a table has the contract's schema
        writer.write_table(pa.Table.from_batches([batch]).cast(arrow_schema(table)))

    def _finish(self, table: str) -> None:
        keys = [k for k in self._writers if k[0] == table]
        if not keys:  # a table with no rows still gets a file with its schema
            self.rows.setdefault(table, 0)
            path = parquet_path(self.directory, table)
            path.parent.mkdir(parents=True, exist_ok=True)
            pq.write_table(
                arrow_schema(table).empty_table(), path, compression=COMPRESSION
            )
        for key in keys:
            self._writers.pop(key).close()

    def _finish_all(self) -> None:
        for writer in self._writers.values():
            writer.close()
        self._writers.clear()

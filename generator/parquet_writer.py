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

import sys
import threading
import time
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path

import pyarrow as pa  # type: ignore[import-untyped]
import pyarrow.parquet as pq  # type: ignore[import-untyped]

from .schema import arrow_schema
from .writer import record_batch

COMPRESSION = "zstd"


def parquet_path(directory: Path, table: str, month: str | None = None) -> Path:
    name = f"{table}-{month}.parquet" if month else f"{table}.parquet"
    return directory / table / name


class ParquetSink:
    """Writes tables as Parquet into ``directory``; chunks of a (table, month) are
    appended to one file, written in a background thread like the CSV sink."""

    def __init__(self, directory: Path, quiet: bool = False) -> None:
        self.directory = directory
        self.quiet = quiet
        self.rows: dict[str, int] = {}
        self.seconds: dict[str, float] = {}
        self._writers: dict[tuple[str, str | None], pq.ParquetWriter] = {}
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="parquet")
        self._pending: list[Future[None]] = []
        self._lock = threading.Lock()

    def add_time(self, table: str, seconds: float) -> None:
        with self._lock:
            self.seconds[table] = self.seconds.get(table, 0.0) + seconds

    def write(
        self, table: str, columns: dict[str, pa.Array], month: str | None = None
    ) -> None:
        """Queue one chunk of ``table`` (of calendar ``month``, YYYY-MM, for an
        event table)."""
        batch = record_batch(table, columns)
        self.rows[table] = self.rows.get(table, 0) + batch.num_rows
        for f in self._pending:
            if f.done():
                f.result()
        self._pending = [f for f in self._pending if not f.done()]
        while len(self._pending) > 1:
            self._pending.pop(0).result()
        self._pending.append(self._pool.submit(self._write, table, month, batch))

    def _write(self, table: str, month: str | None, batch: pa.RecordBatch) -> None:
        t0 = time.perf_counter()
        key = (table, month)
        writer = self._writers.get(key)
        if writer is None:
            path = parquet_path(self.directory, table, month)
            path.parent.mkdir(parents=True, exist_ok=True)
            writer = pq.ParquetWriter(
                path, arrow_schema(table), compression=COMPRESSION
            )
            self._writers[key] = writer
        # text columns may come dictionary-encoded: store them as plain strings so
        # every file of a table has the contract's schema
        writer.write_table(pa.Table.from_batches([batch]).cast(arrow_schema(table)))
        self.add_time(table, time.perf_counter() - t0)

    def close(self, table: str) -> None:
        """Finish a table's files (after all its chunks) and report it."""
        self._pool.submit(self._close, table).result()
        self._pending = [f for f in self._pending if not f.done()]
        if not self.quiet:
            print(
                f"{table}: {self.rows.get(table, 0):,} rows, "
                f"{self.seconds.get(table, 0.0):.2f} s",
                file=sys.stderr,
            )

    def _close(self, table: str) -> None:
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

    def shutdown(self) -> None:
        for f in self._pending:
            f.result()
        self._pool.shutdown(wait=True)
        for writer in self._writers.values():
            writer.close()
        self._writers.clear()

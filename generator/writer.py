"""Output sinks: the contract's tables written by a background thread, so that
formatting and disk I/O overlap with the simulation. ``BackgroundSink`` holds the
queue machinery; ``CsvSink`` (here) and ``ParquetSink`` (parquet_writer.py) only
say how a chunk is written and how a table's files are finished."""

from __future__ import annotations

import sys
import threading
import time
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path

import pyarrow as pa  # type: ignore[import-untyped]
import pyarrow.csv as pacsv  # type: ignore[import-untyped]

from .schema import TABLES, arrow_schema


def record_batch(table: str, columns: dict[str, pa.Array]) -> pa.RecordBatch:
    """``columns`` as a batch in the contract's column order; checks names and types."""
    schema = arrow_schema(table)
    expected = [name for name, _ in TABLES[table]]
    if sorted(columns) != sorted(expected):
        raise ValueError(f"{table}: columns {sorted(columns)} != contract {expected}")
    arrays = [columns[name] for name in expected]
    for array, fld in zip(arrays, schema, strict=True):
        kind = array.type
        if pa.types.is_dictionary(kind):  # text columns may be dictionary-encoded
            kind = kind.value_type
        if kind != fld.type:
            raise TypeError(f"{table}.{fld.name}: {array.type}, expected {fld.type}")
    return pa.record_batch(arrays, names=expected)


def csv_lines(table: str, columns: dict[str, pa.Array]) -> list[bytes]:
    """Rows of ``table`` as CSV lines (no header, no line ends), formatted exactly as
    the files' rows: same writer, same options."""
    batch = record_batch(table, columns)
    if batch.num_rows == 0:
        return []
    sink = pa.BufferOutputStream()
    pacsv.write_csv(batch, sink, pacsv.WriteOptions(include_header=False))
    lines: list[bytes] = sink.getvalue().to_pybytes().split(b"\n")
    if lines[-1] != b"" or len(lines) != batch.num_rows + 1:
        raise ValueError(f"{table}: a value contains a line break")
    return lines[:-1]


class BackgroundSink:
    """Writes tables into ``directory`` from one background thread, in the order
    the chunks were queued; at most two chunks wait at a time (bounded memory).

    A subclass writes one chunk (``_write_batch``), finishes a table's files
    (``_finish``) and finishes whatever is still open at the end (``_finish_all``);
    all three run on the writer thread, one at a time."""

    thread_name = "sink"

    def __init__(self, directory: Path, quiet: bool = False) -> None:
        self.directory = directory
        self.quiet = quiet
        self.rows: dict[str, int] = {}
        self.seconds: dict[str, float] = {}
        self._pool = ThreadPoolExecutor(
            max_workers=1, thread_name_prefix=self.thread_name
        )
        self._pending: list[Future[None]] = []
        self._lock = threading.Lock()

    def add_time(self, table: str, seconds: float) -> None:
        with self._lock:
            self.seconds[table] = self.seconds.get(table, 0.0) + seconds

    def write(
        self, table: str, columns: dict[str, pa.Array], month: str | None = None
    ) -> None:
        """Queue one chunk of ``table``: exactly the contract's columns, any order;
        ``month`` (YYYY-MM) is the calendar month of an event table's chunk."""
        batch = record_batch(table, columns)
        self.rows[table] = self.rows.get(table, 0) + batch.num_rows
        for f in self._pending:
            if f.done():
                f.result()  # re-raise a failed write here
        self._pending = [f for f in self._pending if not f.done()]
        while len(self._pending) > 1:  # bound the memory held by queued chunks
            self._pending.pop(0).result()
        self._pending.append(self._pool.submit(self._timed, table, month, batch))

    def _timed(self, table: str, month: str | None, batch: pa.RecordBatch) -> None:
        t0 = time.perf_counter()
        self._write_batch(table, month, batch)
        self.add_time(table, time.perf_counter() - t0)

    def close(self, table: str) -> None:
        """Finish a table's files (after all its chunks) and report it."""
        pending, self._pending = self._pending, []
        for f in pending:
            f.result()  # re-raise a failed write here, never drop it
        self._pool.submit(self._finish, table).result()
        if not self.quiet:
            print(
                f"{table}: {self.rows.get(table, 0):,} rows, "
                f"{self.seconds.get(table, 0.0):.2f} s",
                file=sys.stderr,
            )

    def shutdown(self) -> None:
        for f in self._pending:
            f.result()
        self._pool.shutdown(wait=True)
        self._finish_all()

    def _write_batch(
        self, table: str, month: str | None, batch: pa.RecordBatch
    ) -> None:
        raise NotImplementedError

    def _finish(self, table: str) -> None:
        raise NotImplementedError

    def _finish_all(self) -> None:
        raise NotImplementedError


class CsvSink(BackgroundSink):
    """Writes tables as CSV, ``DIR/<table>.csv``; chunks of a table are appended
    (a CSV is one file per table, whatever the month)."""

    thread_name = "csv"

    def __init__(self, directory: Path, quiet: bool = False) -> None:
        super().__init__(directory, quiet)
        self._writers: dict[str, pacsv.CSVWriter] = {}

    def _write_batch(
        self, table: str, month: str | None, batch: pa.RecordBatch
    ) -> None:
        path = self.directory / f"{table}.csv"
        try:
            writer = self._writers.get(table)
            if writer is None:
                writer = pacsv.CSVWriter(path, batch.schema)
                self._writers[table] = writer
            writer.write_batch(batch)
        except OSError as exc:  # Arrow's errors do not name the file
            raise OSError(exc.errno, exc.strerror, str(path)) from exc

    def _finish(self, table: str) -> None:
        writer = self._writers.pop(table, None)
        path = self.directory / f"{table}.csv"
        try:
            if writer is None:  # a table with no rows still gets its header
                schema = arrow_schema(table)
                self.rows.setdefault(table, 0)
                pacsv.write_csv(schema.empty_table(), path)
            else:
                writer.close()
        except OSError as exc:
            raise OSError(exc.errno, exc.strerror, str(path)) from exc

    def _finish_all(self) -> None:
        for table in list(self._writers):
            self._finish(table)

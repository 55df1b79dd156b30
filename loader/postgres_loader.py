"""PostgreSQL: one text table per contract table in schema ``raw``, filled with
``COPY ... FROM STDIN`` (CSV), and its read-time rejects in
``raw.read_rejects__<table>`` (loader.read_rejects: a CSV line DuckDB's reader
rejects is stored there, not copied). Each table is dropped, recreated and copied
with its rejects in one transaction, so a reader sees the old rows or the new
ones, never a mix."""

from __future__ import annotations

import io
import tempfile
from pathlib import Path
from typing import Any

import psycopg2
import pyarrow as pa  # type: ignore[import-untyped]
import pyarrow.compute as pc  # type: ignore[import-untyped]
import pyarrow.csv as pacsv  # type: ignore[import-untyped]
import pyarrow.parquet as pq  # type: ignore[import-untyped]
from psycopg2 import sql

from generator.schema import arrow_schema

from .files import LoadError, RawTable
from .read_rejects import REJECT_COLUMNS, Screened, screen


def parquet_as_csv(table: RawTable) -> io.BytesIO:
    """The Parquet files of ``table`` as one CSV with a header, every value cast to
    text by Arrow, as the generator's CSV writer (also Arrow) spells it. Values are
    first cast to the contract's type: Parquet has no second-precision timestamps,
    so a ``timestamp[s]`` comes back as milliseconds and would gain ``.000``."""
    contract = arrow_schema(table.name)
    buffer = io.BytesIO()
    writer: pacsv.CSVWriter | None = None
    for path in table.files:
        part = pq.read_table(path, columns=list(table.columns))
        as_text = pa.table(
            [
                pc.cast(pc.cast(part[column], contract.field(column).type), pa.string())
                for column in table.columns
            ],
            names=list(table.columns),
        )
        if writer is None:
            writer = pacsv.CSVWriter(buffer, as_text.schema)
        writer.write_table(as_text)
    if writer is not None:
        writer.close()
    buffer.seek(0)
    return buffer


def _connect(settings: dict[str, Any]) -> Any:
    try:
        return psycopg2.connect(
            host=settings.get("host"),
            port=int(settings.get("port", 5432)),
            user=settings.get("user"),
            password=settings.get("password") or None,
            dbname=settings.get("dbname") or settings.get("database"),
            connect_timeout=10,
        )
    except psycopg2.OperationalError as exc:
        first_line = str(exc).strip().splitlines()[0] if str(exc).strip() else exc
        raise LoadError(
            f"cannot connect to PostgreSQL at {settings.get('host')}:"
            f"{settings.get('port')}: {first_line} "
            "(scripts/pg_cluster.sh start runs a local one)"
        ) from None


def _store_rejects(cursor: Any, screened: Screened) -> None:
    target = sql.Identifier("raw", screened.rejects_name)
    definition = sql.SQL(", ").join(
        sql.SQL("{} {}").format(sql.Identifier(name), sql.SQL(kind))
        for name, kind in REJECT_COLUMNS
    )
    cursor.execute(sql.SQL("drop table if exists {}").format(target))
    cursor.execute(sql.SQL("create table {} ({})").format(target, definition))
    if screened.rejects:
        cursor.executemany(
            sql.SQL("insert into {} values (%s, %s, %s, %s, %s)").format(target),
            screened.rejects,
        )


def load(
    tables: list[RawTable], settings: dict[str, Any], after: list[str]
) -> dict[str, int]:
    connection = _connect(settings)
    rows: dict[str, int] = {}
    try:
        with connection, connection.cursor() as cursor:
            cursor.execute("create schema if not exists raw")
        with tempfile.TemporaryDirectory(prefix="cartify-load-") as copies:
            for table in tables:
                screened = screen(table, Path(copies))
                rows[table.name] = _load_table(connection, screened)
        with connection, connection.cursor() as cursor:
            for statement in after:
                cursor.execute(statement)
    finally:
        connection.close()
    return rows


def _load_table(connection: Any, screened: Screened) -> int:
    table = screened.table
    target = sql.Identifier("raw", table.name)
    columns = sql.SQL(", ").join(map(sql.Identifier, table.columns))
    definition = sql.SQL(", ").join(
        sql.SQL("{} text").format(sql.Identifier(column)) for column in table.columns
    )
    copy = sql.SQL("copy {} ({}) from stdin with (format csv, header true)").format(
        target, columns
    )
    try:
        with connection, connection.cursor() as cursor:
            cursor.execute(sql.SQL("drop table if exists {}").format(target))
            cursor.execute(sql.SQL("create table {} ({})").format(target, definition))
            if table.format == "csv":
                for path in table.files:
                    with path.open("rb") as handle:
                        cursor.copy_expert(copy.as_string(cursor), handle)
            else:
                cursor.copy_expert(copy.as_string(cursor), parquet_as_csv(table))
            loaded = int(cursor.rowcount)
            _store_rejects(cursor, screened)
    except psycopg2.Error as exc:
        message = str(exc).strip().splitlines()[0]
        raise LoadError(f"{table.name}: {message}") from None
    return loaded

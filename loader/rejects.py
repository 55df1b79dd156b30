"""Read-time rejects: rows a CSV reader cannot split into the contract's columns
(a row cut short, too many fields, an unterminated quote) or cannot decode (bytes
that are not UTF-8). They never reach a raw table, so staging cannot quarantine
them; they are caught while the file is read and written to ``raw.read_rejects``,
which the ``quarantined_rows`` model reads beside the staging rejects
(docs/decisions.md D52).

``raw.read_rejects``: ``table_name``, ``file_name``, ``line`` (1 = header),
``reason_code`` (``truncated_row``, ``malformed_row``, ``bad_encoding``),
``raw_text`` (the line as read; an undecodable byte shows as U+FFFD) and
``detail`` (the reader's message, first line).

DuckDB implementation: one scan per CSV with ``store_rejects = true`` (DuckDB
skips the faulty lines and lists them in the temporary tables ``reject_errors``
and ``reject_scans``). Another engine implements ``scan`` with its own reader's
bad-record path (Spark: ``mode PERMISSIVE`` with ``columnNameOfCorruptRecord``
or ``badRecordsPath``; PostgreSQL 17: ``COPY ... ON_ERROR ignore`` with
``LOG_VERBOSITY verbose``; older PostgreSQL: the loader splits lines itself).
"""

from __future__ import annotations

from pathlib import Path

import duckdb

from generator.schema import TABLES

REASONS = {
    "MISSING COLUMNS": "truncated_row",
    "TOO MANY COLUMNS": "malformed_row",
    "UNQUOTED VALUE": "malformed_row",
    "LINE SIZE OVER MAXIMUM": "malformed_row",
    "INVALID ENCODING": "bad_encoding",
    "INVALID UNICODE": "bad_encoding",
}
COLUMNS = ("table_name", "file_name", "line", "reason_code", "raw_text", "detail")


def csv_options(table: str) -> str:
    """The reader options every CSV of the contract is read with: all text,
    the contract's columns in order (so a missing field is an error, not a
    null), faulty lines stored instead of failing the read."""
    columns = ", ".join(f"'{name}': 'VARCHAR'" for name, _ in TABLES[table])
    return (
        "header = true, delim = ',', quote = '\"', escape = '\"', "
        f"columns = {{{columns}}}, auto_detect = false, store_rejects = true"
    )


def scan(
    con: duckdb.DuckDBPyConnection, table: str, path: Path
) -> list[tuple[object, ...]]:
    """The faulty lines of one CSV, one row per line (the reader may report a
    line once per missing column)."""
    literal = str(path).replace("'", "''")
    # every column is used, so the reader parses every field of every line
    # (a count(*) alone would let it skip the fields and the checks)
    every = ", ".join(f'"{name}"' for name, _ in TABLES[table])
    con.execute(
        f"select sum(length(concat_ws(',', {every}))) "
        f"from read_csv('{literal}', {csv_options(table)}, "
        f"rejects_table = 'rejects_{table}', rejects_scan = 'scans_{table}')"
    ).fetchall()  # a select runs when fetched
    rows = con.execute(
        f"""
        select
            cast(line as bigint) as line,
            arg_min(error_type, column_idx) as error_type,
            arg_min(csv_line, column_idx) as raw_text,
            arg_min(error_message, column_idx) as detail
        from rejects_{table}
        group by line
        order by line
        """
    ).fetchall()
    return [
        (
            table,
            path.name,
            int(line),
            REASONS.get(str(error_type), "malformed_row"),
            raw_text,
            str(detail).splitlines()[0] if detail else "",
        )
        for line, error_type, raw_text, detail in rows
    ]


def write(con: duckdb.DuckDBPyConnection, directory: Path) -> int:
    """Scan every CSV of the world in ``directory`` into ``raw.read_rejects``
    (replaced); returns the number of rejected lines."""
    rejects: list[tuple[object, ...]] = []
    for table in TABLES:
        path = directory / f"{table}.csv"
        if path.is_file():
            rejects.extend(scan(con, table, path))
    con.execute("create schema if not exists raw")
    con.execute(
        "create or replace table raw.read_rejects (table_name varchar, "
        "file_name varchar, line bigint, reason_code varchar, raw_text varchar, "
        "detail varchar)"
    )
    if rejects:
        con.executemany(
            "insert into raw.read_rejects values (?, ?, ?, ?, ?, ?)", rejects
        )
    return len(rejects)

"""Read-time rejects for the server engines (docs/decisions.md D83).

On DuckDB the dbt source reads each CSV with ``store_rejects = true``: a line the
reader cannot split into the contract's columns or decode is skipped, and the
base model's post-hook stores it in ``raw.read_rejects__<table>``
(macros/cartify_read_rejects.sql, D52, D82). PostgreSQL's COPY and Spark's CSV
reader would fail on such a line instead, so their loaders first read each CSV
with DuckDB, with exactly the source's reader options (``READ_CSV_OPTIONS``):

- no line rejected: the file is loaded as it is (no copy);
- some lines rejected: the rows the reader returned, in file order, are written
  to a CSV copy that is loaded instead, and the rejected lines become the rows of
  ``raw.read_rejects__<table>`` (``REJECTS_SQL``: the post-hook's mapping).

Either way the loaded table holds exactly the rows DuckDB's source returns, in
the same order, so quarantine's ``source_row`` (the row's ordinal in the table)
is DuckDB's. A Parquet file has no line a reader rejects.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

import duckdb

from .files import LoadError, RawTable

# The options of read_csv in the source's external_location
# (models/staging/cartify/_cartify__sources.yml; test_read_rejects.py checks
# they are the same), so the same lines are rejected as on DuckDB.
READ_CSV_OPTIONS = (
    "header = true, delim = ',', quote = '\"', escape = '\"', "
    "all_varchar = true, store_rejects = true, filename = true"
)

# raw.read_rejects__<table>'s columns with their SQL types (the post-hook's)
REJECT_COLUMNS = (
    ("table_name", "text"),
    ("file_name", "text"),
    ("line", "bigint"),
    ("reason_code", "text"),
    ("raw_text", "text"),
)

# duckdb__cartify_store_read_rejects's select, over the connection's latest
# scan of the file: {table} and {file} are filled in. The reader may report a
# line once per field it is missing; line 1 is the header.
REJECTS_SQL = """
with

this_scan as (

    select max(scan_id) as scan_id
    from reject_scans
    where parse_filename(file_path) = {file}

),

lines as (

    select
        cast(errors.line as bigint) as line,
        arg_min(cast(errors.error_type as varchar), errors.column_idx)
            as error_type,
        arg_min(errors.csv_line, errors.column_idx) as raw_text
    from reject_errors as errors
    inner join this_scan on errors.scan_id = this_scan.scan_id
    group by errors.line

)

select
    {table} as table_name,
    {file} as file_name,
    line,
    case
        when error_type = 'MISSING COLUMNS' then 'truncated_row'
        when error_type in ('INVALID ENCODING', 'INVALID UNICODE')
            then 'bad_encoding'
        else 'malformed_row'
    end as reason_code,
    raw_text
from lines
order by line
"""

# table_name, file_name, line, reason_code, raw_text
Reject = tuple[str, str, int, str, str | None]


@dataclass(frozen=True)
class Screened:
    """A raw table as the loader should load it: ``table`` names the original
    files, or the copy of the rows the reader returned; ``rejects`` are the
    rows of ``raw.read_rejects__<name>``."""

    table: RawTable
    rejects: list[Reject]

    @property
    def rejects_name(self) -> str:
        return f"read_rejects__{self.table.name}"


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def reader_sql(table: RawTable) -> str:
    """The source's read of ``table``'s CSV file, its contract's columns only."""
    (path,) = table.files
    columns = ", ".join(_ident(column) for column in table.columns)
    return f"select {columns} from read_csv({_literal(str(path))}, {READ_CSV_OPTIONS})"


def screen(table: RawTable, copy_dir: Path) -> Screened:
    """Read ``table`` as the DuckDB source does; when a line is rejected, write
    the rows the reader returned to ``copy_dir/<table>.csv`` (header, then the
    rows in file order) and load that instead."""
    if table.format != "csv":
        return Screened(table, [])
    (path,) = table.files
    copy = copy_dir / f"{table.name}.csv"
    copy.unlink(missing_ok=True)  # a copy from an earlier, dirtier load
    try:
        with duckdb.connect() as connection:
            # Every column is counted, so the reader parses (and checks) every
            # field of every line, as the base model's select does.
            counts = ", ".join(f"count({_ident(c)})" for c in table.columns)
            connection.execute(f"select {counts} from ({reader_sql(table)})").fetchall()
            # the reject tables exist once a scan has stored a reject
            stored = connection.execute(
                "select count(*) from duckdb_tables() "
                "where table_name = 'reject_errors'"
            ).fetchone()
            if not stored or not stored[0]:
                return Screened(table, [])
            rejects: list[Reject] = [
                (str(row[0]), str(row[1]), int(row[2]), str(row[3]), row[4])
                for row in connection.execute(
                    REJECTS_SQL.format(
                        table=_literal(table.name), file=_literal(path.name)
                    )
                ).fetchall()
            ]
            if not rejects:
                return Screened(table, [])
            copy_dir.mkdir(parents=True, exist_ok=True)
            connection.execute(
                f"copy ({reader_sql(table)}) to {_literal(str(copy))} "
                "(format csv, header true)"
            )
    except duckdb.Error as exc:
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
        raise LoadError(f"{table.name}: {first}") from None
    return Screened(RawTable(table.name, table.columns, "csv", (copy,)), rejects)


def write_csv(rejects: list[Reject], path: Path) -> None:
    """``rejects`` as a CSV file with a header (every text quoted)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, quoting=csv.QUOTE_NONNUMERIC, lineterminator="\n")
        writer.writerow([name for name, _ in REJECT_COLUMNS])
        writer.writerows(rejects)

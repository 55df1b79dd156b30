"""Spark: tables in schema ``raw`` over the files (``USING csv``), or views casting
the Parquet files' columns to text. Only metadata is written: Spark reads the files
when a model queries them, as DuckDB does. The session is built with the same
settings dbt's session method uses (profiles.yml ``server_side_parameters``), so
both see one metastore.

Read-time rejects (loader.read_rejects): a CSV file with a line DuckDB's reader
rejects is replaced by a copy of the rows the reader returned, and the rejected
lines are ``raw.read_rejects__<table>``, a CSV table too; both files live under
the Spark dir (``<CARTIFY_SPARK_DIR>/raw_files``), since Spark reads them at query
time."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from .files import LoadError, RawTable
from .read_rejects import REJECT_COLUMNS, Screened, screen, write_csv


def _literal(text: str) -> str:
    return "'" + text.replace("\\", "\\\\").replace("'", "\\'") + "'"


def _ident(name: str) -> str:
    return "`" + name.replace("`", "``") + "`"


def _csv_table(name: str, columns: str, files: tuple[Path, ...]) -> str:
    # multiLine: a quoted field may hold a line break; it also keeps a file in
    # one split, so monotonically_increasing_id() is file order (D63).
    paths = ",".join(str(path) for path in files)
    return (
        f"create table raw.{_ident(name)} ({columns}) using csv options ("
        f"path {_literal(paths)}, header 'true', sep ',', quote '\"', "
        "escape '\"', multiLine 'true', mode 'FAILFAST')"
    )


def statements(table: RawTable) -> list[str]:
    """The SQL that creates ``raw.<table>`` (after _drop)."""
    target = f"raw.{_ident(table.name)}"
    if table.format == "csv":
        columns = ", ".join(f"{_ident(column)} string" for column in table.columns)
        return [_csv_table(table.name, columns, table.files)]
    columns = ", ".join(
        f"cast({_ident(column)} as string) as {_ident(column)}"
        for column in table.columns
    )
    folder = table.files[0].parent
    return [
        f"create view {target} as select {columns} from parquet.{_ident(str(folder))}",
    ]


def rejects_statement(screened: Screened, files_dir: Path) -> str:
    """Write ``screened``'s rejects (maybe none) under ``files_dir`` and return
    the SQL creating ``raw.read_rejects__<table>`` over them (after _drop)."""
    path = files_dir / f"{screened.rejects_name}.csv"
    write_csv(screened.rejects, path)
    columns = ", ".join(
        f"{_ident(name)} {'bigint' if kind == 'bigint' else 'string'}"
        for name, kind in REJECT_COLUMNS
    )
    return _csv_table(screened.rejects_name, columns, (path,))


def files_dir(settings: dict[str, Any]) -> Path:
    """Where the loader writes the files Spark reads (beside the warehouse)."""
    parameters = settings.get("server_side_parameters") or {}
    warehouse = parameters.get("spark.sql.warehouse.dir", ".spark/warehouse")
    return Path(str(warehouse)).resolve().parent / "raw_files"


def _drop(spark: Any, name: str) -> None:
    """Drop ``raw.<name>`` whatever it is now: Spark 4 refuses ``drop view if
    exists`` on a table and ``drop table if exists`` on a view."""
    if not spark.catalog.tableExists(f"raw.{name}"):
        return
    kind = spark.catalog.getTable(f"raw.{name}").tableType
    spark.sql(
        f"drop {'view' if kind == 'VIEW' else 'table'} if exists raw.{_ident(name)}"
    )


def session(settings: dict[str, Any]) -> Any:
    from pyspark.sql import SparkSession

    builder = SparkSession.builder.appName("cartify-loader").enableHiveSupport()
    for key, value in (settings.get("server_side_parameters") or {}).items():
        builder = builder.config(str(key), str(value))
    return builder.getOrCreate()


def load(
    tables: list[RawTable], settings: dict[str, Any], after: list[str]
) -> dict[str, int]:
    if settings.get("method") != "session":
        raise LoadError(
            "the Spark loader runs a local session (method: session); on a cluster, "
            "create the raw tables there (README, Engines)"
        )
    try:
        spark = session(settings)
    except Exception as exc:  # Java missing, bad settings: one line
        raise LoadError(f"cannot start Spark: {str(exc).splitlines()[0]}") from None
    rows: dict[str, int] = {}
    copies = files_dir(settings)
    try:
        spark.sql("create schema if not exists raw")
        for raw_table in tables:
            screened = screen(raw_table, copies)
            table = screened.table
            try:
                _drop(spark, table.name)
                for statement in statements(table):
                    spark.sql(statement)
                _drop(spark, screened.rejects_name)
                spark.sql(rejects_statement(screened, copies))
                counted = spark.sql(
                    f"select count(*) from raw.{_ident(table.name)}"
                ).collect()
            except Exception as exc:
                first = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
                raise LoadError(f"{table.name}: {first}") from None
            rows[table.name] = int(counted[0][0])
        for statement in after:
            spark.sql(statement)
    finally:
        spark.stop()
    return rows

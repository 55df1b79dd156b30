"""Spark: tables in schema ``raw`` over the files (``USING csv``), or views casting
the Parquet files' columns to text. Only metadata is written: Spark reads the files
when a model queries them, as DuckDB does. The session is built with the same
settings dbt's session method uses (profiles.yml ``server_side_parameters``), so
both see one metastore."""

from __future__ import annotations

from typing import Any

from .files import LoadError, RawTable


def _literal(text: str) -> str:
    return "'" + text.replace("\\", "\\\\").replace("'", "\\'") + "'"


def _ident(name: str) -> str:
    return "`" + name.replace("`", "``") + "`"


def statements(table: RawTable) -> list[str]:
    """The SQL that creates ``raw.<table>`` (after _drop)."""
    target = f"raw.{_ident(table.name)}"
    if table.format == "csv":
        columns = ", ".join(f"{_ident(column)} string" for column in table.columns)
        paths = ",".join(str(path) for path in table.files)
        return [
            f"create table {target} ({columns}) using csv options ("
            f"path {_literal(paths)}, header 'true', sep ',', quote '\"', "
            "escape '\"', multiLine 'true', mode 'FAILFAST')",
        ]
    columns = ", ".join(
        f"cast({_ident(column)} as string) as {_ident(column)}"
        for column in table.columns
    )
    folder = table.files[0].parent
    return [
        f"create view {target} as select {columns} from parquet.{_ident(str(folder))}",
    ]


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
    try:
        spark.sql("create schema if not exists raw")
        for table in tables:
            try:
                _drop(spark, table.name)
                for statement in statements(table):
                    spark.sql(statement)
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

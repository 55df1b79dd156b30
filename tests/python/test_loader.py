"""The loader (python -m loader): which files it finds, the text it loads, errors.

A Parquet copy of the generated world is written here with pyarrow in the layout of
`generator --format parquet` (small tables in one file, event tables split by
month). Loading it must give exactly the text the CSV gives, on DuckDB and on
PostgreSQL; loading twice must give the same tables; a user's mistake must end
with one line and exit code 2. (Spark's loader runs in test_engines.py.)
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import duckdb
import pyarrow.compute as pc  # type: ignore[import-untyped]
import pyarrow.csv as pacsv  # type: ignore[import-untyped]
import pyarrow.parquet as pq  # type: ignore[import-untyped]
import pytest
from engines import REPO, fresh_database, loader_settings, pg_connect

from generator.schema import TABLES, arrow_schema
from loader import duckdb_loader, postgres_loader
from loader.files import LoadError, discover
from loader.world import create_statements, world_row

EVENT_TABLES = ("website_sessions", "pageviews", "orders", "order_items")
MONTH_COLUMN = {
    "website_sessions": "started_at",
    "pageviews": "viewed_at",
    "orders": "ordered_at",
    "order_items": "updated_at",
}


def _write_parquet(csv_dir: Path, out: Path) -> None:
    """The CSV world as typed Parquet files, event tables split by month."""
    for table in TABLES:
        schema = arrow_schema(table)
        typed = pacsv.read_csv(
            csv_dir / f"{table}.csv",
            convert_options=pacsv.ConvertOptions(
                column_types=schema, strings_can_be_null=True
            ),
        )
        folder = out / table
        folder.mkdir(parents=True)
        if table not in EVENT_TABLES:
            pq.write_table(typed, folder / f"{table}.parquet")
            continue
        months = pc.strftime(typed[MONTH_COLUMN[table]], format="%Y-%m")
        for month in sorted(set(months.to_pylist()) - {None}):
            part = typed.filter(pc.equal(months, month))
            pq.write_table(part, folder / f"{table}-{month}.parquet")
    manifest = json.loads((csv_dir / "manifest.json").read_text())
    manifest["format"] = "parquet"
    (out / "manifest.json").write_text(json.dumps(manifest))


@pytest.fixture(scope="module")
def parquet_world(
    generated_world: Path, tmp_path_factory: pytest.TempPathFactory
) -> Path:
    out = tmp_path_factory.mktemp("parquet_world")
    _write_parquet(generated_world, out)
    return out


def _duckdb_rows(path: Path) -> dict[str, list[tuple[Any, ...]]]:
    with duckdb.connect(str(path), read_only=True) as connection:
        return {
            table: sorted(
                connection.execute(f"select * from raw.{table}").fetchall(),
                key=lambda row: tuple((value is None, value or "") for value in row),
            )
            for table in TABLES
        }


def _settings(path: Path) -> dict[str, Any]:
    return {"path": str(path)}


def test_discover_finds_every_contract_table(
    generated_world: Path, parquet_world: Path
) -> None:
    csv_tables = discover(generated_world)
    parquet_tables = discover(parquet_world)
    assert [table.name for table in csv_tables] == list(TABLES)
    assert [table.name for table in parquet_tables] == list(TABLES)
    assert {table.format for table in csv_tables} == {"csv"}
    assert {table.format for table in parquet_tables} == {"parquet"}
    sessions = next(t for t in parquet_tables if t.name == "website_sessions")
    assert len(sessions.files) > 1  # one file per month
    assert all(path.name.startswith("website_sessions-") for path in sessions.files)


def test_parquet_loads_the_same_text_as_csv_on_duckdb(
    generated_world: Path, parquet_world: Path, tmp_path: Path
) -> None:
    from_csv, from_parquet = tmp_path / "csv.duckdb", tmp_path / "parquet.duckdb"
    duckdb_loader.load(discover(generated_world), _settings(from_csv), [])
    rows = duckdb_loader.load(discover(parquet_world), _settings(from_parquet), [])
    assert rows == {table: len(t) for table, t in _duckdb_rows(from_csv).items()}
    csv_rows, parquet_rows = _duckdb_rows(from_csv), _duckdb_rows(from_parquet)
    for table in TABLES:
        assert csv_rows[table] == parquet_rows[table], table
    # every column is text
    with duckdb.connect(str(from_parquet), read_only=True) as connection:
        types = connection.execute(
            "select distinct data_type from information_schema.columns "
            "where table_schema = 'raw'"
        ).fetchall()
    assert types == [("VARCHAR",)]


def test_duckdb_load_is_idempotent(generated_world: Path, tmp_path: Path) -> None:
    path = tmp_path / "twice.duckdb"
    first = duckdb_loader.load(discover(generated_world), _settings(path), [])
    second = duckdb_loader.load(discover(generated_world), _settings(path), [])
    assert first == second
    assert sum(first.values()) > 0


def test_postgres_loads_the_text_duckdb_reads(
    generated_world: Path,
    parquet_world: Path,
    tmp_path: Path,
    postgres: dict[str, str],
) -> None:
    """COPY (CSV and Parquet, loaded twice) gives exactly DuckDB's text."""
    env = fresh_database(postgres, "cartify_loader")
    settings = loader_settings(env)
    reference_db = tmp_path / "reference.duckdb"
    duckdb_loader.load(discover(generated_world), _settings(reference_db), [])
    reference = _duckdb_rows(reference_db)
    for world in (generated_world, parquet_world, parquet_world):
        rows = postgres_loader.load(discover(world), settings, [])
        assert rows == {table: len(r) for table, r in reference.items()}
        connection = pg_connect(env)
        try:
            with connection.cursor() as cursor:
                for table in TABLES:
                    cursor.execute(f"select * from raw.{table}")
                    loaded = sorted(
                        cursor.fetchall(),
                        key=lambda row: tuple((v is None, v or "") for v in row),
                    )
                    assert loaded == reference[table], (world.name, table)
        finally:
            connection.close()


def test_postgres_load_records_the_world_of_the_manifest(
    generated_world: Path, postgres: dict[str, str]
) -> None:
    """raw.world (read by dbt's world guard off DuckDB) holds manifest.json's world."""
    env = fresh_database(postgres, "cartify_loader_world")
    settings = loader_settings(env)
    statements = create_statements(world_row(generated_world), "postgres")
    postgres_loader.load(discover(generated_world), settings, statements)
    manifest = json.loads((generated_world / "manifest.json").read_text())
    connection = pg_connect(env)
    try:
        with connection.cursor() as cursor:
            cursor.execute(
                "select profile, seed, scale, period_start::text, period_end::text,"
                " batch from raw.world"
            )
            assert cursor.fetchall() == [
                (
                    manifest["profile"],
                    manifest["seed"],
                    manifest["scale"],
                    manifest["period_start"],
                    manifest["period_end"],
                    manifest.get("batch", 0),
                )
            ]
    finally:
        connection.close()


def test_missing_table_names_it(generated_world: Path, tmp_path: Path) -> None:
    partial = tmp_path / "partial"
    shutil.copytree(generated_world, partial)
    (partial / "refunds.csv").unlink()
    with pytest.raises(LoadError, match="no csv file for table\\(s\\) refunds"):
        discover(partial)


def test_unknown_manifest_format_is_refused(tmp_path: Path) -> None:
    (tmp_path / "manifest.json").write_text(json.dumps({"format": "xlsx"}))
    with pytest.raises(LoadError, match="format 'xlsx'"):
        discover(tmp_path)


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["--target", "duckdb", "--data", "/nonexistent/raw"], "does not exist"),
        (["--target", "oracle"], "invalid choice: 'oracle'"),
    ],
)
def test_cli_user_errors_are_one_line(arguments: list[str], message: str) -> None:
    finished = subprocess.run(
        [sys.executable, "-m", "loader", *arguments],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=False,
    )
    assert finished.returncode == 2
    assert message in finished.stderr
    assert "Traceback" not in finished.stderr


def test_cli_cannot_reach_postgres_is_one_line(
    generated_world: Path, tmp_path: Path
) -> None:
    finished = subprocess.run(
        [sys.executable, "-m", "loader", "--target", "postgres",
         "--data", str(generated_world)],
        cwd=REPO,
        env={"PATH": "/usr/bin:/bin", "CARTIFY_PG_PORT": "1", "HOME": str(tmp_path)},
        capture_output=True,
        text=True,
        check=False,
    )  # fmt: skip
    assert finished.returncode == 2
    assert finished.stderr.startswith("loader: error: cannot connect to PostgreSQL")
    assert len(finished.stderr.strip().splitlines()) == 1

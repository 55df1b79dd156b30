"""Read-time rejects on the server engines (loader/read_rejects.py, D83).

A copy of the generated world has three bad lines put into customers.csv: a row
cut short, a row with one field too many and a row with a byte that is not UTF-8.
The loader's DuckDB read must reject exactly those lines with the reason codes of
the DuckDB post-hook (macros/cartify_read_rejects.sql) and load every other row,
in file order (quarantine's source_row is the row's ordinal in the loaded table).
The expected rows are read from the file by Python's csv module, not DuckDB.
"""

from __future__ import annotations

import csv
import re
import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml
from engines import REPO, fresh_database, loader_settings, pg_connect

from generator.schema import TABLES
from loader import postgres_loader
from loader.files import RawTable, discover
from loader.read_rejects import READ_CSV_OPTIONS, REJECTS_SQL, screen
from loader.world import create_statements, world_row

TABLE = "customers"
# data rows (1-based; the file's line is one more, the header being line 1)
TRUNCATED, OVERLONG, BAD_UTF8 = 3, 5, 8


@pytest.fixture(scope="module")
def dirty_world(
    generated_world: Path, tmp_path_factory: pytest.TempPathFactory
) -> tuple[Path, list[tuple[str | None, ...]], list[tuple[int, str, bytes]]]:
    """The world with the three bad customers lines; the rows a reader must
    return (empty field = null) and the bad lines (line, reason, bytes)."""
    out = tmp_path_factory.mktemp("dirty_rejects")
    shutil.copytree(generated_world, out, dirs_exist_ok=True)
    path = out / f"{TABLE}.csv"
    header, *lines = path.read_bytes().split(b"\n")
    assert lines[-1] == b""  # the file ends with a line break
    lines = lines[:-1]
    assert len(lines) > BAD_UTF8 + 2
    bad = {
        # the last two fields (timestamps, no comma inside) cut off
        TRUNCATED: ("truncated_row", lines[TRUNCATED - 1].rsplit(b",", 2)[0]),
        OVERLONG: ("malformed_row", lines[OVERLONG - 1] + b',"extra"'),
        # a byte that is never UTF-8, inside the quoted first name
        BAD_UTF8: ("bad_encoding", lines[BAD_UTF8 - 1].replace(b',"', b',"\xff', 1)),
    }
    for row, (_, text) in bad.items():
        lines[row - 1] = text
    path.write_bytes(b"\n".join([header, *lines, b""]))
    expected = [
        tuple(value or None for value in record)
        for record in csv.reader(
            line.decode() for row, line in enumerate(lines, start=1) if row not in bad
        )
    ]
    lines_bad = [(row + 1, reason, text) for row, (reason, text) in bad.items()]
    return out, expected, lines_bad


def _table(world: Path) -> RawTable:
    return next(table for table in discover(world) if table.name == TABLE)


def _csv_rows(path: Path) -> list[tuple[str | None, ...]]:
    with path.open(newline="", encoding="utf-8") as handle:
        header, *rows = list(csv.reader(handle))
    assert tuple(header) == _columns()
    return [tuple(value or None for value in row) for row in rows]


def _columns() -> tuple[str, ...]:
    return tuple(column for column, _ in TABLES[TABLE])


def _check_rejects(
    rejects: list[tuple[Any, ...]], bad: list[tuple[int, str, bytes]]
) -> None:
    assert [(r[0], r[1], r[2], r[3]) for r in rejects] == [
        (TABLE, f"{TABLE}.csv", line, reason) for line, reason, _ in bad
    ]
    for (*_, raw_text), (_, reason, text) in zip(rejects, bad, strict=True):
        if reason == "bad_encoding":  # the reader replaces the byte
            before, after = text.split(b"\xff")
            assert raw_text.startswith(before.decode())
            assert raw_text.endswith(after.decode())
        else:
            assert raw_text == text.decode()


def test_screen_rejects_the_bad_lines_and_copies_the_rest_in_order(
    dirty_world: tuple[Path, list[tuple[str | None, ...]], list[Any]], tmp_path: Path
) -> None:
    world, expected, bad = dirty_world
    screened = screen(_table(world), tmp_path)
    _check_rejects(screened.rejects, bad)
    (copy,) = screened.table.files
    assert copy == tmp_path / f"{TABLE}.csv"
    assert _csv_rows(copy) == expected


def test_screen_keeps_a_clean_file_as_it_is(
    generated_world: Path, tmp_path: Path
) -> None:
    """No rejected line: the original file is loaded, no copy is written (and a
    copy left by an earlier, dirtier load is removed)."""
    stale = tmp_path / f"{TABLE}.csv"
    stale.write_text("old copy\n")
    table = _table(generated_world)
    screened = screen(table, tmp_path)
    assert screened.table == table
    assert screened.rejects == []
    assert not stale.exists()


def test_loader_reads_csv_as_the_dbt_source_does() -> None:
    """READ_CSV_OPTIONS are the options of the source's read_csv."""
    sources = yaml.safe_load(
        (REPO / "models/staging/cartify/_cartify__sources.yml").read_text()
    )
    location = sources["sources"][0]["config"]["meta"]["external_location"]
    call = re.search(
        r"read_csv\('[^']*/\{name\}\.csv',\s*(.*?)\)\s*\{%", location, re.S
    )
    assert call, location
    assert " ".join(call.group(1).split()) == READ_CSV_OPTIONS


def _sql_words(sql: str) -> str:
    lines = [line for line in sql.splitlines() if not line.strip().startswith("--")]
    return " ".join(" ".join(lines).split())


def test_loader_maps_rejects_as_the_duckdb_hook_does() -> None:
    """REJECTS_SQL is duckdb__cartify_store_read_rejects's select (which scan,
    one row per line, the reason codes), with the table filled in."""
    macros = (REPO / "macros/cartify_read_rejects.sql").read_text()
    hook = macros.split("macro duckdb__cartify_store_read_rejects")[1]
    select = hook.split("{%- if cartify_raw_format() == 'csv' %}")[1]
    select = select.split("{%- else %}")[0]
    select = select.replace("'{{ table }}.csv'", "{file}")
    select = select.replace("'{{ table }}'", "{table}")
    assert _sql_words(select) + " order by line" == _sql_words(REJECTS_SQL)


def test_postgres_loads_the_rows_the_reader_returned(
    dirty_world: tuple[Path, list[tuple[str | None, ...]], list[Any]],
    generated_world: Path,
    postgres: dict[str, str],
) -> None:
    """raw.customers holds the reader's rows in file order, its rejects are in
    raw.read_rejects__customers, every other table's rejects table is empty, and
    raw.world holds the manifest's next ids."""
    world, expected, bad = dirty_world
    env = fresh_database(postgres, "cartify_read_rejects")
    settings = loader_settings(env)
    statements = create_statements(world_row(world), "postgres")
    rows = postgres_loader.load(discover(world), settings, statements)
    assert rows[TABLE] == len(expected)
    connection = pg_connect(env)
    try:
        with connection.cursor() as cursor:
            # the order of a freshly copied table is the order it was written
            cursor.execute(f"select * from raw.{TABLE}")
            assert cursor.fetchall() == expected
            cursor.execute(f"select * from raw.read_rejects__{TABLE} order by line")
            _check_rejects(cursor.fetchall(), bad)
            for table in TABLES:
                if table != TABLE:
                    cursor.execute(f"select count(*) from raw.read_rejects__{table}")
                    assert cursor.fetchone() == (0,), table
            cursor.execute("select next_session_id, next_order_id from raw.world")
            manifest_ids = world_row(world)["next_ids"]
            assert cursor.fetchone() == (
                manifest_ids["session_id"],
                manifest_ids["order_id"],
            )
    finally:
        connection.close()
    # Loaded again from the clean world: the rejects table is emptied.
    postgres_loader.load(discover(generated_world), settings, [])
    connection = pg_connect(env)
    try:
        with connection.cursor() as cursor:
            cursor.execute(f"select count(*) from raw.read_rejects__{TABLE}")
            assert cursor.fetchone() == (0,)
            cursor.execute(f"select count(*) from raw.{TABLE}")
            assert cursor.fetchone() == (len(expected) + len(bad),)
    finally:
        connection.close()

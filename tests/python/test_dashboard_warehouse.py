"""The dashboard's warehouse access: one clear message (never a traceback) when the
warehouse is missing, locked or unbuilt; no connection left open; results cached
until the file changes."""

from __future__ import annotations

import subprocess
import sys
import textwrap
import time
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest
from streamlit.testing.v1 import AppTest

from dashboard import settings, warehouse
from dashboard.warehouse import Query, WarehouseUnavailable, fetch

VIEWS = Path(__file__).resolve().parents[2] / "dashboard" / "views"
SCHEMA = settings.MARTS_SCHEMA


def make_warehouse(path: Path, revenue: float = 10.0) -> None:
    """A tiny warehouse holding one kpi_summary-shaped table."""
    with duckdb.connect(str(path)) as con:
        con.execute(f"create schema if not exists {SCHEMA}")
        con.execute(
            f"create or replace table {SCHEMA}.kpi_summary as "
            "select 'all_time' as period_type, $revenue as revenue",
            {"revenue": revenue},
        )


@pytest.fixture(autouse=True)
def _fresh_cache() -> Iterator[None]:
    warehouse._cached.cache_clear()
    yield
    warehouse._cached.cache_clear()


def test_missing_warehouse_says_what_to_run(tmp_path: Path) -> None:
    with pytest.raises(WarehouseUnavailable, match=r"No warehouse at .*make build"):
        fetch(Query.of("select 1"), path=tmp_path / "absent.duckdb")
    assert not (tmp_path / "absent.duckdb").exists()  # never created by a read


def test_unbuilt_warehouse_says_what_to_run(tmp_path: Path) -> None:
    path = tmp_path / "empty.duckdb"
    duckdb.connect(str(path)).close()
    with pytest.raises(WarehouseUnavailable, match=r"marts were not built.*make build"):
        fetch(Query.of("select 1"), path=path)


def test_locked_warehouse_says_to_wait(tmp_path: Path) -> None:
    path = tmp_path / "locked.duckdb"
    make_warehouse(path)
    holder = subprocess.Popen(
        [
            sys.executable, "-c",
            textwrap.dedent(f"""
                import duckdb, sys, time
                con = duckdb.connect({str(path)!r})
                print("locked", flush=True)
                sys.stdin.read()
            """),
        ],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        assert holder.stdout is not None
        assert holder.stdout.readline().strip() == "locked"
        with pytest.raises(WarehouseUnavailable, match=r"locked .*dbt build"):
            fetch(Query.of("select 1"), path=path)
    finally:
        holder.communicate("", timeout=30)


def test_reads_do_not_keep_the_file_open(tmp_path: Path) -> None:
    path = tmp_path / "warehouse.duckdb"
    make_warehouse(path)
    (frame,) = fetch(Query.of("select revenue from {marts}.kpi_summary"), path=path)
    assert frame["revenue"].tolist() == [10.0]
    # A writer in another process (dbt) can open the file right after a read.
    writer = subprocess.run(
        [sys.executable, "-c", f"import duckdb; duckdb.connect({str(path)!r}).close()"],
        capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert writer.returncode == 0, writer.stderr


def test_results_are_cached_until_the_file_changes(tmp_path: Path) -> None:
    path = tmp_path / "warehouse.duckdb"
    make_warehouse(path, revenue=10.0)
    query = Query.of("select revenue from {marts}.kpi_summary where revenue > $floor",
                     floor=1)  # fmt: skip
    first = fetch(query, path=path)
    assert fetch(query, path=path) is first  # unchanged file: the cache answers
    time.sleep(0.01)
    make_warehouse(path, revenue=20.0)  # a rebuild
    (frame,) = fetch(query, path=path)
    assert frame["revenue"].tolist() == [20.0]


@pytest.mark.parametrize(
    ("state", "message"),
    [("missing", "No warehouse at"), ("empty", "marts were not built")],
)
@pytest.mark.parametrize("page", sorted(p.stem for p in VIEWS.glob("*.py")))
def test_every_page_shows_one_message_not_a_traceback(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, page: str, state: str,
    message: str,
) -> None:  # fmt: skip
    path = tmp_path / "cartify.duckdb"
    if state == "empty":
        duckdb.connect(str(path)).close()
    monkeypatch.setenv("CARTIFY_DUCKDB_PATH", str(path))
    app = AppTest.from_file(str(VIEWS / f"{page}.py"), default_timeout=60).run()
    assert not app.exception
    assert len(app.error) == 1
    assert message in app.error[0].value
    assert "make build" in app.error[0].value
    assert not app.get("vega_lite_chart")

"""End-to-end fixture: a small generated world, loaded and built by dbt.

`built_warehouse` (session-scoped) generates a world with the project's own
generator into a tmp dir, then runs `dbt seed` and `dbt build` (every model,
data test and unit test) in-process with dbtRunner against a DuckDB file in
the same tmp dir. dbt's target/ and logs/ go there too, so the run never
touches the repository's warehouse, target/ or partial-parse state. A failed
dbt node fails the fixture, with the failing nodes listed.

Tests get a `BuiltWarehouse`: the DuckDB path, the raw CSV directory, and
helpers to query the warehouse and read the raw tables. Reuse it from any
test under tests/python/e2e/; the world is built once per pytest session.
Skip the whole suite with `pytest -m "not e2e"`.
"""

from __future__ import annotations

import gc
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pandas as pd
import pytest
from dbt.cli.main import dbtRunner, dbtRunnerResult

REPO = Path(__file__).resolve().parents[3]
# Small enough to build in well under a minute, large enough that every
# customer feature has both ordinary and edge cases (never-bought customers,
# returns, orders on both sides of the last-year window).
E2E_SCALE = 0.03
E2E_SEED = 7


@dataclass(frozen=True)
class BuiltWarehouse:
    """A world generated and built by dbt, ready to query."""

    duckdb_path: Path
    raw_dir: Path
    seeds_dir: Path
    target_dir: Path
    scale: float
    seed: int
    build_seconds: float

    def connect(self) -> duckdb.DuckDBPyConnection:
        """A read-only connection to the warehouse, its schema set to `marts`:
        unqualified names are marts, as a BI tool pointed at `marts` sees them;
        other layers are schema-qualified."""
        con = duckdb.connect(str(self.duckdb_path), read_only=True)
        con.execute("set schema = 'marts'")
        return con

    def query(self, sql: str) -> pd.DataFrame:
        """Run `sql` on a read-only connection to the warehouse (schema marts)."""
        with self.connect() as con:
            return con.sql(sql).df()

    def raw(self, table: str, parse_dates: list[str] | None = None) -> pd.DataFrame:
        """A generated raw table, read from its CSV (not from the warehouse)."""
        return pd.read_csv(self.raw_dir / f"{table}.csv", parse_dates=parse_dates)

    def seed_table(self, name: str) -> pd.DataFrame:
        """A committed reference seed, read from its CSV."""
        return pd.read_csv(self.seeds_dir / f"{name}.csv")


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "e2e: generates a world and builds the whole warehouse"
    )


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    e2e_dir = Path(__file__).parent
    for item in items:
        if e2e_dir in Path(item.path).parents:
            item.add_marker(pytest.mark.e2e)


def _failures(result: dbtRunnerResult) -> str:
    """One line per failed node of a dbt invocation."""
    lines = []
    for node_result in getattr(result.result, "results", None) or []:
        status = str(node_result.status).lower()
        if status in {"error", "fail", "runtime error"}:
            message = (node_result.message or "").strip().splitlines()
            lines.append(
                f"{status}: {node_result.node.unique_id}: "
                f"{message[0] if message else ''}"
            )
    if result.exception is not None:
        lines.append(f"exception: {result.exception}")
    return "\n".join(lines) or "no failing node reported"


def _release_duckdb() -> None:
    """Close the DuckDB database dbt-duckdb keeps open in this process.

    dbt-duckdb caches one database instance per process, and it survives the
    dbtRunner invocation: it holds DuckDB's file lock, so another process
    (`mf`, the duckdb CLI) could not open the warehouse, and a read-only
    connection from this one would clash with its configuration. Dropping
    the cached environment lets it close; a later dbtRunner call reopens it.
    """
    from dbt.adapters.duckdb.connections import DuckDBConnectionManager

    DuckDBConnectionManager.close_all_connections()
    gc.collect()


def _dbt(args: list[str], target_dir: Path) -> None:
    common = [
        "--project-dir", str(REPO),
        "--profiles-dir", str(REPO),
        "--target-path", str(target_dir / "target"),
        "--log-path", str(target_dir / "logs"),
    ]  # fmt: skip
    result = dbtRunner().invoke([*args, *common])
    if not result.success:
        pytest.fail(f"dbt {args[0]} failed:\n{_failures(result)}", pytrace=False)


@pytest.fixture(scope="session")
def built_warehouse(
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[BuiltWarehouse]:
    root = tmp_path_factory.mktemp("e2e_world")
    raw_dir = root / "raw"
    duckdb_path = root / "warehouse" / "cartify.duckdb"
    duckdb_path.parent.mkdir()
    started = time.perf_counter()
    subprocess.run(
        [
            sys.executable, "-m", "generator",
            "--scale", str(E2E_SCALE),
            "--seed", str(E2E_SEED),
            "--out", str(raw_dir),
            "--quiet",
        ],
        cwd=REPO,
        check=True,
    )  # fmt: skip
    with pytest.MonkeyPatch.context() as patch:
        # Read by profiles.yml and the raw source; the target and log paths
        # are passed as flags, which win over DBT_TARGET_PATH/DBT_LOG_PATH.
        patch.setenv("CARTIFY_DUCKDB_PATH", str(duckdb_path))
        patch.setenv("CARTIFY_DATA_DIR", str(raw_dir))
        patch.delenv("DBT_PROFILES_DIR", raising=False)
        _dbt(["seed", "--quiet"], root)
        _dbt(["build", "--quiet", "--threads", "4"], root)
    _release_duckdb()
    yield BuiltWarehouse(
        duckdb_path=duckdb_path,
        raw_dir=raw_dir,
        seeds_dir=REPO / "seeds",
        target_dir=root / "target",
        scale=E2E_SCALE,
        seed=E2E_SEED,
        build_seconds=time.perf_counter() - started,
    )

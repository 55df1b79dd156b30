"""Shared fixtures. The generator's: one small world, generated once per session."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest
from contract_types import DUCKDB_TYPES

from generator.schema import TABLES
from generator.simulate import Config, generate

GENERATOR_TEST_SCALE = 0.05  # ~24k sessions, ~1.6k orders: about a second


@pytest.fixture(scope="session")
def generated_world(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A world at GENERATOR_TEST_SCALE, seed 42, the default period."""
    out = tmp_path_factory.mktemp("generated_world")
    generate(Config(scale=GENERATOR_TEST_SCALE, seed=42, quiet=True), out)
    return out


@pytest.fixture(scope="session")
def world_db(generated_world: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    """DuckDB views over the world's CSVs, typed as the contract says (parsing them
    with these types is itself a format check)."""
    con = duckdb.connect()
    for table, columns in TABLES.items():
        types = ", ".join(f"'{name}': '{DUCKDB_TYPES[kind]}'" for name, kind in columns)
        path = generated_world / f"{table}.csv"
        con.execute(
            f"create view {table} as select * from read_csv('{path}', header = true, "
            f"auto_detect = false, columns = {{{types}}})"
        )
    seeds = Path(__file__).resolve().parents[2] / "seeds"
    for seed in ("distribution_centers", "ad_placement_pricing"):
        con.execute(
            f"create view {seed} as select * from read_csv('{seeds / seed}.csv', "
            "header = true)"
        )
    yield con
    con.close()


# The PostgreSQL server of the engine tests (tests/python/engines.py).
from engines import postgres  # noqa: E402, F401

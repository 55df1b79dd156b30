"""Safe rebuilds and write-audit-publish (loader/publish.py, macros/cartify_world.sql).

One published warehouse of world A (a custom period) is built once; then:
a build that fails its tests leaves it byte for byte unchanged; a plain
`dbt build` of another world B over it stops at once with one line saying so;
publishing B over it equals publishing B into an empty file; and source freshness
is measured against A's own period end, not the default period's."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

REPO = Path(__file__).resolve().parents[2]
DBT = str(Path(sys.executable).parent / "dbt")


def generate(out: Path, *args: str) -> Path:
    subprocess.run(
        [sys.executable, "-m", "generator", "--quiet", "--out", str(out), *args],
        cwd=REPO, check=True,
    )  # fmt: skip
    return out


def env(root: Path, db: Path, data: Path) -> dict[str, str]:
    return {
        **os.environ,
        "DBT_PROFILES_DIR": str(REPO),
        "CARTIFY_DUCKDB_PATH": str(db),
        "CARTIFY_DATA_DIR": str(data),
        "DBT_TARGET_PATH": str(root / "target"),
        "DBT_LOG_PATH": str(root / "logs"),
    }


def publish(root: Path, db: Path, data: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "loader.publish", "--db", str(db), "--data",
         str(data), "--", "--quiet"],
        cwd=REPO, env=env(root, db, data), capture_output=True, text=True,
        check=False, timeout=900,
    )  # fmt: skip


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def contents(db: Path) -> dict[str, list[tuple[object, ...]]]:
    """Every table of the warehouse (staging, marts, snapshots, ...), rows sorted;
    without the incremental base models' load_id (the dbt run that read a row:
    different in every build by design, D88)."""
    with duckdb.connect(str(db), read_only=True) as con:
        tables = con.execute(
            "select table_schema, table_name, bool_or(column_name = 'load_id') "
            "from information_schema.columns group by all"
        ).fetchall()
        stored = base_tables(con)
        return {
            f"{schema}.{name}": sorted(
                con.execute(
                    f"select * {'exclude (load_id)' if has_load_id else ''} "
                    f'from "{schema}"."{name}"'
                ).fetchall(),
                key=repr,
            )
            for schema, name, has_load_id in tables
            if (schema, name) in stored
        }


def base_tables(con: duckdb.DuckDBPyConnection) -> set[tuple[str, str]]:
    return {
        (str(schema), str(name))
        for schema, name in con.execute(
            "select table_schema, table_name from information_schema.tables "
            "where table_type = 'BASE TABLE'"
        ).fetchall()
    }


@pytest.fixture(scope="module")
def root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("safe_rebuilds")


@pytest.fixture(scope="module")
def world_a(root: Path) -> Path:
    return generate(root / "a", "--scale", "0.01", "--seed", "3", "--start",
                    "2024-07-01", "--end", "2025-06-30")  # fmt: skip


@pytest.fixture(scope="module")
def world_b(root: Path) -> Path:
    return generate(root / "b", "--scale", "0.02", "--seed", "4")


@pytest.fixture(scope="module")
def published(root: Path, world_a: Path) -> Path:
    db = root / "pub" / "cartify.duckdb"
    db.parent.mkdir()
    result = publish(root, db, world_a)
    assert result.returncode == 0, result.stdout + result.stderr
    assert not (db.parent / ".building" / db.name).exists()
    with duckdb.connect(str(db), read_only=True) as con:  # a clean world: none
        stored = con.execute(
            "select table_name from information_schema.tables "
            "where table_schema = 'raw' and table_name like 'read_rejects__%'"
        ).fetchall()
        assert len(stored) == 14
        for (table,) in stored:
            assert con.execute(f"select count(*) from raw.{table}").fetchone() == (0,)
    return db


def test_failing_build_leaves_the_published_warehouse_unchanged(
    root: Path, world_a: Path, published: Path
) -> None:
    bad = root / "a_bad"
    shutil.copytree(world_a, bad)
    customers = bad / "customers.csv"
    lines = customers.read_text().split("\n")
    for number in range(1, len(lines)):  # a broken feed: every customer aged -6
        fields = lines[number].split(",")
        if len(fields) > 5:
            fields[5] = "2031-01-01"  # birth_date
            lines[number] = ",".join(fields)
    customers.write_text("\n".join(lines))
    before = digest(published)
    result = publish(root, published, bad)
    assert result.returncode != 0
    assert digest(published) == before
    last = result.stderr.strip().splitlines()[-1]
    assert last.startswith(
        f"error: dbt build failed (exit 1): {published} is unchanged"
    )
    # the quarantine rate stopped the build (docs/decisions.md D71) ...
    output = result.stdout + result.stderr
    assert "customers: " in output and "top reasons: out_of_range" in output
    failed = published.parent / ".building" / published.name
    with duckdb.connect(str(failed), read_only=True) as con:
        # ... in the failed candidate, which quarantined every customer
        assert con.execute(
            "select count(*) = (select count(*) from staging.base_cartify__customers) "
            "from staging.quarantined_rows "
            "where table_name = 'customers' and reason_code = 'out_of_range'"
        ).fetchone() == (True,)


def test_plain_dbt_build_of_another_world_stops(
    root: Path, world_b: Path, published: Path
) -> None:
    before = digest(published)
    result = subprocess.run(
        [DBT, "build", "--quiet"], cwd=REPO, env=env(root, published, world_b),
        capture_output=True, text=True, check=False, timeout=600,
    )  # fmt: skip
    assert result.returncode != 0
    message = [
        line for line in result.stdout.splitlines() if "does not continue" in line
    ]
    assert len(message) == 1, result.stdout
    assert "seed 3, scale 0.01, profile default, 2024-07-01 to 2025-06-30" in message[0]
    assert "seed 4, scale 0.02" in message[0] and "make build" in message[0]
    assert digest(published) == before


def test_source_freshness_uses_the_period_of_the_manifest(
    root: Path, world_a: Path, published: Path
) -> None:
    """World A ends on 2025-06-30: freshness is measured at 2025-07-01 00:00 (the
    end of its last day). Against the default period end (2025-12-31), or the
    wall clock, every source would be months stale."""
    subprocess.run(
        [DBT, "source", "freshness"], cwd=REPO, env=env(root, published, world_a),
        capture_output=True, text=True, check=False, timeout=600,
    )  # fmt: skip
    results = json.loads((root / "target" / "sources.json").read_text())["results"]
    assert len(results) == 14
    assert {r["snapshotted_at"] for r in results} == {"2025-07-01T00:00:00+00:00"}
    by_table = {r["unique_id"].split(".")[-1]: r for r in results}
    pageviews = by_table["pageviews"]
    newest = max(
        line.split(",")[2]
        for line in (world_a / "pageviews.csv").open()
        if line[0] != '"'
    )
    assert pageviews["max_loaded_at"] == newest.replace(" ", "T") + "+00:00"
    for table in ("pageviews", "website_sessions", "orders"):
        assert by_table[table]["status"] == "pass", by_table[table]


def test_rebuild_with_another_world_equals_a_fresh_build(
    root: Path, world_b: Path, published: Path
) -> None:
    over = publish(root, published, world_b)
    assert over.returncode == 0, over.stdout + over.stderr
    assert "which does not continue it: building a fresh warehouse" in over.stderr
    fresh_db = root / "fresh" / "cartify.duckdb"
    fresh_db.parent.mkdir()
    fresh = publish(root, fresh_db, world_b)
    assert fresh.returncode == 0, fresh.stdout + fresh.stderr
    rebuilt, expected = contents(published), contents(fresh_db)
    assert set(rebuilt) == set(expected)
    assert any(name.endswith("kpi_summary") for name in expected)
    for name in expected:
        assert rebuilt[name] == expected[name], name

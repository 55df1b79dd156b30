"""Weekly incremental operation, proved end to end (docs/decisions.md).

A tiny world is generated and built into a fresh warehouse (db1). The generator
continues it by one week (`--continue DIR --weeks 1`: late-arriving sessions and
orders, orders progressing, customers moving, prices changing), and db1 is built
again, incrementally, as the weekly run does. Then another fresh warehouse (db2)
is built from scratch (`--full-refresh`) on the same data. Every mart must be
the same in both, row for row; the batch must really hold late and changed
rows (or the equality would prove nothing); the reporting date must follow the
data; and db1's snapshots must hold the history of what changed.

dbt runs as a subprocess of the venv's dbt (no in-process DuckDB lock), with
its target and log paths in the tmp dir, so the repository's target/ and
warehouse are never touched. About two minutes (three dbt builds);
deselect with `-k "not incremental"`.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pandas as pd
import pytest

REPO = Path(__file__).resolve().parents[2]
DBT = Path(sys.executable).with_name("dbt")
# Small enough to build in seconds; large enough that the one-week batch has
# late sessions and a late order, orders and items that changed status, a
# customer who moved and products whose price changed (asserted below).
SCALE = 0.1
SEED = 3
START = "2025-09-01"
END = "2025-12-31"


@dataclass(frozen=True)
class WeeklyRun:
    """The raw data before and after the batch, and the two warehouses."""

    raw_before: Path
    raw_after: Path
    incremental_db: Path  # built, then built again incrementally after the batch
    full_refresh_db: Path  # built once, from scratch, after the batch
    incremental_target: Path
    as_of_date_before: dt.date


def _dbt(args: list[str], *, raw_dir: Path, db: Path, target: Path) -> None:
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DBT_TARGET_PATH", "DBT_LOG_PATH", "DBT_PROFILES_DIR"}
    }
    env.update(CARTIFY_DATA_DIR=str(raw_dir), CARTIFY_DUCKDB_PATH=str(db))
    command = [
        str(DBT), *args,
        "--project-dir", str(REPO),
        "--profiles-dir", str(REPO),
        "--target-path", str(target / "target"),
        "--log-path", str(target / "logs"),
    ]  # fmt: skip
    finished = subprocess.run(
        command, cwd=REPO, env=env, capture_output=True, text=True, check=False
    )
    if finished.returncode != 0:
        pytest.fail(
            f"dbt {' '.join(args)} failed:\n{finished.stdout[-4000:]}",
            pytrace=False,
        )


def _generate(*args: str) -> None:
    subprocess.run(
        [sys.executable, "-m", "generator", *args, "--quiet"], cwd=REPO, check=True
    )


def _query(db: Path, sql: str) -> pd.DataFrame:
    with duckdb.connect(str(db), read_only=True) as con:
        return con.sql(sql).df()


def _as_of_date(db: Path) -> dt.date:
    value = _query(db, "select as_of_date from intermediate.int_as_of_date").iloc[0, 0]
    return pd.Timestamp(value).date()


@pytest.fixture(scope="module")
def weekly(tmp_path_factory: pytest.TempPathFactory) -> WeeklyRun:
    root = tmp_path_factory.mktemp("weekly")
    raw, raw_before = root / "raw", root / "raw_before"
    db1, db2 = root / "incremental.duckdb", root / "full_refresh.duckdb"
    target1, target2 = root / "dbt_incremental", root / "dbt_full_refresh"

    _generate(
        "--scale", str(SCALE), "--seed", str(SEED),
        "--start", START, "--end", END, "--out", str(raw),
    )  # fmt: skip
    shutil.copytree(raw, raw_before)
    _dbt(["seed", "--quiet"], raw_dir=raw, db=db1, target=target1)
    _dbt(["build", "--quiet"], raw_dir=raw, db=db1, target=target1)
    as_of_date_before = _as_of_date(db1)

    _generate("--continue", str(raw), "--weeks", "1")
    # the weekly run: the same warehouse, built incrementally
    _dbt(["build", "--quiet"], raw_dir=raw, db=db1, target=target1)
    # the reference: a fresh warehouse, built from scratch on the same data
    _dbt(["seed", "--quiet"], raw_dir=raw, db=db2, target=target2)
    _dbt(["build", "--quiet", "--full-refresh"], raw_dir=raw, db=db2, target=target2)
    return WeeklyRun(
        raw_before=raw_before,
        raw_after=raw,
        incremental_db=db1,
        full_refresh_db=db2,
        incremental_target=target1 / "target",
        as_of_date_before=as_of_date_before,
    )


def _raw(directory: Path, table: str) -> pd.DataFrame:
    return pd.read_csv(directory / f"{table}.csv", dtype=str, keep_default_na=False)


def _changed(run: WeeklyRun, table: str, key: str) -> pd.DataFrame:
    """Rows of `table` present before and after the batch with a new updated_at."""
    joined = _raw(run.raw_before, table).merge(
        _raw(run.raw_after, table), on=key, suffixes=("_before", "_after")
    )
    return joined[joined["updated_at_before"] != joined["updated_at_after"]]


def _previous_period_end(run: WeeklyRun) -> dt.date:
    manifest = json.loads((run.raw_before / "manifest.json").read_text())
    return dt.date.fromisoformat(manifest["period_end"])


def _late(run: WeeklyRun, table: str, key: str, time_column: str) -> pd.DataFrame:
    """Rows new in the batch but timestamped in the previous period."""
    before, after = _raw(run.raw_before, table), _raw(run.raw_after, table)
    new = after[~after[key].isin(before[key])]
    day = pd.to_datetime(new[time_column]).dt.date
    return new[day <= _previous_period_end(run)]


def _mart_names(run: WeeklyRun) -> list[str]:
    manifest = json.loads((run.incremental_target / "manifest.json").read_text())
    return sorted(
        node["alias"]
        for node in manifest["nodes"].values()
        if node["resource_type"] == "model"
        and node["original_file_path"].startswith("models/marts/")
    )


def test_the_batch_has_late_and_changed_rows(weekly: WeeklyRun) -> None:
    """Otherwise the equality below would not exercise the lookback or the upsert."""
    assert len(_late(weekly, "website_sessions", "session_id", "started_at")) > 0
    assert len(_late(weekly, "pageviews", "pageview_id", "viewed_at")) > 0
    assert len(_late(weekly, "orders", "order_id", "ordered_at")) > 0
    changed_orders = _changed(weekly, "orders", "order_id")
    assert len(changed_orders) > 0
    assert (changed_orders["status_before"] != changed_orders["status_after"]).any()
    assert len(_changed(weekly, "order_items", "order_item_id")) > 0


def test_the_weekly_run_was_incremental(weekly: WeeklyRun) -> None:
    """The second build of db1 upserted into the incremental models (delete+insert
    or merge, docs/decisions.md D4), rather than rebuilding them."""
    manifest = json.loads((weekly.incremental_target / "manifest.json").read_text())
    incremental = {
        node["name"]: node["original_file_path"]
        for node in manifest["nodes"].values()
        if node["resource_type"] == "model"
        and node["config"]["materialized"] == "incremental"
    }
    assert set(incremental) == {"fct_sessions", "fct_orders", "fct_order_items"}
    for path in incremental.values():
        executed = (weekly.incremental_target / "run" / "cartify" / path).read_text()
        assert re.search(r"\b(insert|merge)\s+into\b", executed, re.I), path
        assert not re.search(r"\bcreate\s+table\b", executed, re.I), path


def test_no_incremental_model_reads_another(weekly: WeeklyRun) -> None:
    """The facts are the only incremental models and none reads another
    (docs/decisions.md D13, D81): staging is a view of what the raw world trusts
    now, so an incremental fact never builds on an incremental upstream that
    could have drifted from a full refresh."""
    manifest = json.loads((weekly.incremental_target / "manifest.json").read_text())
    nodes = manifest["nodes"]

    def is_incremental(unique_id: str) -> bool:
        node = nodes.get(unique_id)
        return bool(node) and node["config"]["materialized"] == "incremental"

    def depth(unique_id: str) -> int:
        """Incremental models on the longest incremental chain ending here."""
        parents = nodes[unique_id]["depends_on"].get("nodes", [])  # seeds: none
        deepest = max((depth(parent) for parent in parents if parent in nodes),
                      default=0)
        return deepest + (1 if is_incremental(unique_id) else 0)

    depths = {
        node["name"]: depth(unique_id)
        for unique_id, node in nodes.items()
        if node["resource_type"] == "model" and is_incremental(unique_id)
    }
    assert depths == {"fct_sessions": 1, "fct_orders": 1, "fct_order_items": 1}


def test_incremental_marts_equal_a_full_refresh(weekly: WeeklyRun) -> None:
    """Every mart, row for row (EXCEPT ALL both ways: duplicates count)."""
    marts = _mart_names(weekly)
    assert len(marts) >= 19
    differences = {}
    with duckdb.connect(str(weekly.incremental_db), read_only=True) as con:
        con.execute(f"attach '{weekly.full_refresh_db}' as full_refresh (read_only)")
        incremental = con.sql("select current_database()").fetchone()[0]  # type: ignore[index]
        for mart in marts:
            ours = f'"{incremental}".marts."{mart}"'
            theirs = f'full_refresh.marts."{mart}"'
            only_incremental, only_full_refresh, rows = con.sql(
                f"""
                select
                    (select count(*) from (
                        select * from {ours} except all select * from {theirs}
                    )),
                    (select count(*) from (
                        select * from {theirs} except all select * from {ours}
                    )),
                    (select count(*) from {theirs})
                """
            ).fetchone()  # type: ignore[misc]
            assert rows > 0, f"{mart} is empty: the comparison would prove nothing"
            if only_incremental or only_full_refresh:
                differences[mart] = (only_incremental, only_full_refresh)
    assert differences == {}, (
        "marts differ (rows only in the incremental build, only in the full "
        f"refresh): {differences}"
    )


def test_as_of_date_follows_the_data(weekly: WeeklyRun) -> None:
    """Unset, as_of_date is the last day of the data: the batch moves it a week."""
    after = _as_of_date(weekly.incremental_db)
    assert after - weekly.as_of_date_before == dt.timedelta(days=7)
    manifest = json.loads((weekly.raw_after / "manifest.json").read_text())
    assert after == dt.date.fromisoformat(manifest["period_end"])
    assert _as_of_date(weekly.full_refresh_db) == after


def test_snapshots_keep_the_history_of_changes(weekly: WeeklyRun) -> None:
    """A customer who moved and a product whose price changed have two versions
    in the warehouse that saw both states: the old one closed when the new one
    starts. The warehouse built once has one version of each."""
    moved = _changed(weekly, "customers", "customer_id")
    moved = moved[moved["city_before"] != moved["city_after"]]
    repriced = _changed(weekly, "products", "product_id")
    repriced = repriced[
        repriced["retail_price_before"] != repriced["retail_price_after"]
    ]
    assert len(moved) > 0 and len(repriced) > 0

    for snapshot, key, changed, attribute in (
        ("customers_snapshot", "customer_id", moved, "city"),
        ("products_snapshot", "product_id", repriced, "retail_price"),
    ):
        ids = ", ".join(changed[key])
        history = _query(
            weekly.incremental_db,
            f"""
            select
                {key}, cast({attribute} as varchar) as {attribute},
                updated_at, dbt_valid_from, dbt_valid_to
            from snapshots.{snapshot}
            where {key} in ({ids})
            order by {key}, dbt_valid_from
            """,
        )
        for _, row in changed.iterrows():
            versions = history[history[key] == int(row[key])]
            assert len(versions) == 2, (snapshot, row[key])
            old, new = versions.iloc[0], versions.iloc[1]
            assert str(old[attribute]) == row[f"{attribute}_before"]
            assert str(new[attribute]) == row[f"{attribute}_after"]
            assert old["dbt_valid_to"] == new["dbt_valid_from"]
            assert new["dbt_valid_from"] == pd.Timestamp(row["updated_at_after"])
            assert pd.isna(new["dbt_valid_to"])
        versions_per_key = _query(
            weekly.full_refresh_db,
            f"select max(n) from (select count(*) as n from "
            f"snapshots.{snapshot} group by {key})",
        ).iloc[0, 0]
        assert versions_per_key == 1

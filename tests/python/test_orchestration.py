"""The Dagster chain: raw data → load → warehouse, materialised in-process."""

from __future__ import annotations

from collections.abc import Iterator

import duckdb
import pytest

pytest.importorskip(
    "dagster",
    reason="Dagster is an optional extra: pip install -e '.[orchestration]'",
)
pytest.importorskip(
    "dagster_dbt",
    reason="dagster-dbt is an optional extra: pip install -e '.[orchestration]'",
)

from dagster import (
    AssetKey,
    AssetsDefinition,
    Definitions,
    ExecuteInProcessResult,
    materialize,
)

from orchestration.assets import (
    JOB_NAME,
    WEEKLY_CRON,
    CartifyWorld,
    Settings,
    build_definitions,
    generator_command,
    generator_supports_weekly_batch,
)

TINY_SCALE = 0.01


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    root = tmp_path_factory.mktemp("dagster_world")
    return Settings(
        data_dir=root / "raw",
        duckdb_path=root / "warehouse" / "cartify.duckdb",
        dbt_target_path=root / "target",
        scale=TINY_SCALE,
        seed=7,
    )


@pytest.fixture(scope="module")
def defs(world: Settings) -> Iterator[Definitions]:
    with pytest.MonkeyPatch.context() as patch:
        # Every dbt invocation Dagster makes writes its target/ and logs here.
        patch.setenv("DBT_TARGET_PATH", str(world.dbt_target_path))
        patch.setenv("DBT_LOG_PATH", str(world.dbt_target_path / "logs"))
        yield build_definitions(world)


def test_raw_tables_are_upstream_of_staging(defs: Definitions) -> None:
    graph = defs.resolve_asset_graph()
    keys = graph.get_all_asset_keys()
    raw = {key for key in keys if key.path[0] == "raw"}
    assert AssetKey(["raw", "orders"]) in raw
    staging = {key for key in keys if key.path[-1].startswith("stg_cartify__")}
    assert staging
    # raw -> base_cartify__<table> (checked rows, quarantine) -> stg_cartify__<table>
    by_name = {key.path[-1]: key for key in keys}
    base_orders = by_name["base_cartify__orders"]
    assert AssetKey(["raw", "orders"]) in graph.get(base_orders).parent_keys
    assert base_orders in graph.get(by_name["stg_cartify__orders"]).parent_keys
    assert AssetKey(["marts", "customer_segmentation"]) in keys


def test_weekly_schedule_runs_the_whole_chain(defs: Definitions) -> None:
    schedule = defs.resolve_schedule_def(f"{JOB_NAME}_schedule")
    assert schedule.cron_schedule == WEEKLY_CRON
    assert schedule.execution_timezone == "UTC"
    job = defs.resolve_job_def(JOB_NAME)
    graph = defs.resolve_asset_graph()
    assert job.asset_layer.selected_asset_keys == graph.get_all_asset_keys()


def test_generator_command_full_or_weekly() -> None:
    world = CartifyWorld(data_dir="/d", duckdb_path="/w.duckdb", scale=0.5, seed=3)
    assert generator_command(world, weekly=False)[-6:] == [
        "--scale", "0.5", "--seed", "3", "--out", "/d",
    ]
    assert generator_command(world, weekly=True)[-4:] == [
        "--continue", "/d", "--weeks", "1",
    ]


def _sessions_row_count(result: ExecuteInProcessResult) -> tuple[str, int]:
    for event in result.get_asset_materialization_events():
        if event.asset_key == AssetKey(["raw", "website_sessions"]):
            materialization = event.materialization
            mode = materialization.metadata["mode"].value
            rows = materialization.metadata["dagster/row_count"].value
            assert isinstance(mode, str) and isinstance(rows, int)
            return mode, rows
    raise AssertionError("raw/website_sessions was not materialised")


def test_materialise_the_chain_on_a_tiny_world(
    defs: Definitions, world: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DBT_TARGET_PATH", str(world.dbt_target_path))
    monkeypatch.setenv("DBT_LOG_PATH", str(world.dbt_target_path / "logs"))
    assets = list(defs.assets or [])

    # First run: no world yet, so the generator writes a full one.
    first = materialize(assets, resources=defs.resources)
    assert first.success
    materialised = {
        event.asset_key for event in first.get_asset_materialization_events()
    }
    assert AssetKey(["raw", "orders"]) in materialised
    assert AssetKey(["marts", "customer_segmentation"]) in materialised
    mode, sessions = _sessions_row_count(first)
    assert mode == "full world"
    with duckdb.connect(str(world.duckdb_path), read_only=True) as connection:
        query = "select count(*) from marts.customer_segmentation"
        row = connection.execute(query).fetchone()
    assert row is not None and row[0] > 0

    # Second run, as the weekly schedule would: the week's batch (when the generator
    # has --continue, else a regenerated world), loaded into staging. (The warehouse
    # models were built above; rebuilding them would double the test's time.)
    upstream = [
        asset
        for asset in assets
        if isinstance(asset, AssetsDefinition)
        and asset.node_def.name in {"raw_data", "cartify_load"}
    ]
    assert len(upstream) == 2
    second = materialize(upstream, resources=defs.resources)
    assert second.success
    mode, sessions_after = _sessions_row_count(second)
    if generator_supports_weekly_batch():
        assert mode == "weekly batch"
        assert sessions_after > sessions
    else:
        assert mode == "full world"
    with duckdb.connect(str(world.duckdb_path), read_only=True) as connection:
        query = "select count(*) from staging.stg_cartify__sessions"
        row = connection.execute(query).fetchone()
    assert row is not None and row[0] == sessions_after

"""Assets, job and schedule of the weekly cartify pipeline.

`build_definitions(settings)` parses the dbt project (`dbt parse`, so the manifest is
never stale against the models), then defines:

- `raw_data`: one multi-asset whose outputs are the raw tables `raw/<table>`, one
  per `source('cartify', <table>)` of the dbt project. It runs the generator: a full
  world at the configured scale when the data directory holds none, else the weekly
  batch (`--continue DIR --weeks N`) when the generator supports it, else a full
  regeneration (logged as such).
- `cartify_load`: dbt seeds and staging models (the staging models read the CSVs).
- `cartify_warehouse`: every other dbt model; dbt data tests run as asset checks.

Both dbt steps leave out the unit tests (`--exclude-resource-type unit_test`): they
run on hand-made rows, so they belong to development and CI (`make test`), not to
the weekly production run.

The translator maps each dbt source to the raw asset of the same table, so the raw
assets are upstream of the staging models in the asset graph.
"""

# No `from __future__ import annotations`: Dagster reads the context and resource
# parameters' annotations as objects.
import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from dagster import (
    AssetExecutionContext,
    AssetKey,
    AssetSelection,
    AssetSpec,
    ConfigurableResource,
    Definitions,
    MaterializeResult,
    ScheduleDefinition,
    define_asset_job,
    multi_asset,
)
from dagster_dbt import DagsterDbtTranslator, DbtCliResource, DbtProject, dbt_assets

REPO = Path(__file__).resolve().parent.parent
# The dbt source of the raw tables, and the asset-key prefix of those tables (the
# raw layer, schema `raw`).
DBT_SOURCE = "cartify"
RAW_PREFIX = "raw"
LOAD_SELECT = "resource_type:seed path:models/staging"
# The weekly job is a production run: the data tests run, the unit tests (hand-made
# rows, independent of the data: they pin formulas) and the code checks (data tests
# that hold by construction, tag code_check: docs/decisions.md D86) are left to
# development and CI (`make test`), as dbt's docs recommend for unit tests.
PRODUCTION_ARGS = [
    "--exclude-resource-type", "unit_test", "--exclude", "tag:code_check"
]  # fmt: skip
JOB_NAME = "cartify_weekly"
# Every Monday at 06:00 UTC: the weekly batch covers the week that just ended.
WEEKLY_CRON = "0 6 * * 1"


@dataclass(frozen=True)
class Settings:
    """Where the world lives and how big it is."""

    data_dir: Path
    duckdb_path: Path
    dbt_target_path: Path
    scale: float = 0.1
    seed: int = 42
    weeks: int = 1

    @classmethod
    def from_env(cls) -> "Settings":
        """The Makefile's defaults, overridden by CARTIFY_* / DBT_TARGET_PATH."""

        def path(name: str, default: str) -> Path:
            value = Path(os.environ.get(name, default))
            return value if value.is_absolute() else REPO / value

        return cls(
            data_dir=path("CARTIFY_DATA_DIR", "data/raw"),
            duckdb_path=path("CARTIFY_DUCKDB_PATH", "warehouse/cartify.duckdb"),
            dbt_target_path=path("DBT_TARGET_PATH", "target"),
            scale=float(os.environ.get("CARTIFY_SCALE", "0.1")),
            seed=int(os.environ.get("CARTIFY_SEED", "42")),
            weeks=int(os.environ.get("CARTIFY_WEEKS", "1")),
        )


def raw_asset_key(table: str) -> AssetKey:
    """The asset key of one raw table: both the generator's output and a dbt source."""
    return AssetKey([RAW_PREFIX, table])


class CartifyTranslator(DagsterDbtTranslator):
    """dbt sources → the raw assets; groups by layer."""

    def get_asset_key(self, dbt_resource_props: Mapping[str, Any]) -> AssetKey:
        if dbt_resource_props["resource_type"] == "source":
            return raw_asset_key(dbt_resource_props["name"])
        return super().get_asset_key(dbt_resource_props)

    def get_group_name(self, dbt_resource_props: Mapping[str, Any]) -> str | None:
        resource_type = dbt_resource_props["resource_type"]
        if resource_type == "source":
            return "raw"
        if resource_type == "seed":
            return "load"
        fqn = list(dbt_resource_props.get("fqn", []))
        layer = fqn[1] if len(fqn) > 2 else None
        if layer == "staging":
            return "load"
        return layer or "warehouse"


class CartifyWorld(ConfigurableResource):  # type: ignore[type-arg]
    """The generated world: where its CSVs and warehouse are, its scale and seed."""

    data_dir: str
    duckdb_path: str
    scale: float = 0.1
    seed: int = 42
    weeks: int = 1

    @contextmanager
    def dbt_env(self) -> Iterator[None]:
        """Point dbt (a subprocess inheriting os.environ) at this world."""
        wanted = {
            "CARTIFY_DATA_DIR": self.data_dir,
            "CARTIFY_DUCKDB_PATH": self.duckdb_path,
        }
        Path(self.duckdb_path).parent.mkdir(parents=True, exist_ok=True)
        saved = {name: os.environ.get(name) for name in wanted}
        os.environ.update(wanted)
        try:
            yield
        finally:
            for name, value in saved.items():
                if value is None:
                    os.environ.pop(name, None)
                else:
                    os.environ[name] = value


def generator_supports_weekly_batch() -> bool:
    """Whether `python -m generator` has `--continue` (the weekly batch) yet.

    Looked for in the top-level help and in the default `generate` command's help.
    """
    for args in (["--help"], ["generate", "--help"]):
        try:
            shown = subprocess.run(
                [sys.executable, "-m", "generator", *args],
                cwd=REPO,
                capture_output=True,
                text=True,
                timeout=60,
                check=False,
            )
        except (OSError, subprocess.TimeoutExpired):
            continue
        if shown.returncode == 0 and "--continue" in shown.stdout:
            return True
    return False


def generator_command(world: CartifyWorld, weekly: bool) -> list[str]:
    """The generator's command line: the weekly batch or a full world."""
    if weekly:
        return [
            sys.executable, "-m", "generator",
            "--continue", world.data_dir,
            "--weeks", str(world.weeks),
        ]
    return [
        sys.executable, "-m", "generator",
        "--scale", f"{world.scale:g}",
        "--seed", str(world.seed),
        "--out", world.data_dir,
    ]


def read_row_counts(data_dir: Path) -> dict[str, int]:
    """Rows per table from the generator's manifest.json ({} when unreadable)."""
    manifest = data_dir / "manifest.json"
    try:
        data = json.loads(manifest.read_text())
    except (OSError, ValueError):
        return {}
    tables = data.get("tables", data) if isinstance(data, dict) else {}
    counts: dict[str, int] = {}
    if isinstance(tables, dict):
        for name, value in tables.items():
            if isinstance(value, int) and not isinstance(value, bool):
                counts[name] = value
            elif isinstance(value, dict):
                rows = value.get("rows", value.get("row_count"))
                if isinstance(rows, int):
                    counts[name] = rows
    return counts


def raw_tables(manifest: Mapping[str, Any]) -> list[str]:
    """The raw tables the dbt project reads (its `cartify` source), sorted."""
    return sorted(
        source["name"]
        for source in manifest.get("sources", {}).values()
        if source.get("source_name") == DBT_SOURCE
    )


def dbt_executable() -> str:
    """The dbt to run: the one on PATH, else the one installed beside this Python.

    `make` and `.venv/bin/dagster dev` use the venv without activating it, so its
    bin folder is not on PATH; dagster-dbt's own `dbt parse` (DbtProject's preparer)
    only looks on PATH, so that folder is put there too, as activation would.
    """
    found = shutil.which("dbt")
    if found:
        return found
    bin_dir = Path(sys.executable).parent
    if (bin_dir / "dbt").exists():
        os.environ["PATH"] = f"{bin_dir}{os.pathsep}{os.environ.get('PATH', '')}"
        return str(bin_dir / "dbt")
    raise RuntimeError("dbt not found on PATH nor beside this Python: pip install -e .")


def build_definitions(settings: Settings) -> Definitions:
    """Parse the dbt project and define the assets, job and schedule."""
    dbt = dbt_executable()
    project = DbtProject(
        project_dir=REPO,
        target_path=settings.dbt_target_path,
        profiles_dir=REPO,
    )
    project.preparer.prepare(project)
    manifest: dict[str, Any] = json.loads(project.manifest_path.read_text())
    translator = CartifyTranslator()
    tables = raw_tables(manifest)

    @multi_asset(
        name="raw_data",
        specs=[
            AssetSpec(
                key=raw_asset_key(table),
                group_name="raw",
                description=f"The generator's {table}.csv (docs/raw_data.md).",
                kinds={"python", "csv"},
            )
            for table in tables
        ],
    )
    def raw_data(
        context: AssetExecutionContext, world: CartifyWorld
    ) -> Iterator[MaterializeResult[Any]]:
        data_dir = Path(world.data_dir)
        has_world = (data_dir / "manifest.json").exists()
        weekly = has_world and generator_supports_weekly_batch()
        if has_world and not weekly:
            context.log.warning(
                "the generator has no --continue (weekly batch) yet: "
                "regenerating the whole world instead"
            )
            # A full run writes every table: clear the old files first so that no
            # table is left over from a previous world.
            shutil.rmtree(data_dir)
        command = generator_command(world, weekly)
        context.log.info("running: %s", " ".join(command))
        finished = subprocess.run(
            command, cwd=REPO, capture_output=True, text=True, check=False
        )
        if finished.returncode != 0:
            raise RuntimeError(
                f"generator failed ({finished.returncode}): "
                f"{(finished.stderr or finished.stdout).strip()[-2000:]}"
            )
        counts = read_row_counts(data_dir)
        mode = "weekly batch" if weekly else "full world"
        for table in tables:
            csv_path = data_dir / f"{table}.csv"
            if not csv_path.exists():
                raise RuntimeError(f"the generator wrote no {csv_path}")
            metadata: dict[str, Any] = {
                "mode": mode,
                "path": str(csv_path),
                "bytes": csv_path.stat().st_size,
            }
            if table in counts:
                metadata["dagster/row_count"] = counts[table]
            yield MaterializeResult(asset_key=raw_asset_key(table), metadata=metadata)

    @dbt_assets(
        manifest=manifest,
        project=project,
        select=LOAD_SELECT,
        name="cartify_load",
        dagster_dbt_translator=translator,
    )
    def cartify_load(
        context: AssetExecutionContext, dbt: DbtCliResource, world: CartifyWorld
    ) -> Iterator[Any]:
        # Cautious: only the tests whose every parent is a seed or staging model. The
        # default (eager) would also run, say, a relationships test from an
        # intermediate model to staging before that model exists; such tests run
        # with the warehouse.
        args = ["build", "--indirect-selection", "cautious", *PRODUCTION_ARGS]
        with world.dbt_env():
            yield from dbt.cli(args, context=context).stream()

    @dbt_assets(
        manifest=manifest,
        project=project,
        exclude=LOAD_SELECT,
        name="cartify_warehouse",
        dagster_dbt_translator=translator,
    )
    def cartify_warehouse(
        context: AssetExecutionContext, dbt: DbtCliResource, world: CartifyWorld
    ) -> Iterator[Any]:
        with world.dbt_env():
            yield from dbt.cli(["build", *PRODUCTION_ARGS], context=context).stream()

    weekly_job = define_asset_job(
        JOB_NAME,
        selection=AssetSelection.all(),
        description="Generate the week's batch, load it and rebuild the warehouse.",
    )
    schedule = ScheduleDefinition(
        name=f"{JOB_NAME}_schedule",
        job=weekly_job,
        cron_schedule=WEEKLY_CRON,
        execution_timezone="UTC",
    )
    return Definitions(
        assets=[raw_data, cartify_load, cartify_warehouse],
        jobs=[weekly_job],
        schedules=[schedule],
        resources={
            "dbt": DbtCliResource(
                project_dir=project, profiles_dir=str(REPO), dbt_executable=dbt
            ),
            "world": CartifyWorld(
                data_dir=str(settings.data_dir),
                duckdb_path=str(settings.duckdb_path),
                scale=settings.scale,
                seed=settings.seed,
                weeks=settings.weeks,
            ),
        },
    )

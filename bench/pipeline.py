"""The pipeline benchmark: generate, load, dbt build, dbt tests, at several scales.

A production run, measured in two subprocesses (bench/measure.py: wall seconds, CPU
seconds, peak RSS), the second one dbt command:

- generate             `python -m generator --scale S --seed N --format F --out RAW`
- load + dbt build     `dbt build --exclude-resource-type unit_test --exclude
  + dbt tests          tag:code_check`: seeds, staging models (they read the raw
                       files through the external source: this is where they get
                       loaded), intermediate models, marts, snapshots and the data
                       tests, as a production run runs them
                       (loader.publish: one `dbt build`). One command, so dbt's
                       start-up is paid once. Its wall time is split into three
                       stages by node timings (run_results.json): load ends where the
                       last seed or staging node ends (dbt start-up, seeds,
                       staging), dbt build where the last other model or snapshot
                       ends, dbt tests is the rest. Nodes of a later stage that ran
                       before a split (a thread was free) count in the earlier stage;
                       their time is reported. CPU seconds are the command's, not
                       split. Unit tests run on hand-made rows, not on the data: they
                       are for development and CI (`make test` runs them), not for a
                       production run at scale.

Parsing: with `--parse warm` (the default) the project is parsed first by `dbt parse`
(measured and reported, not in the total), so the build reuses dbt's partial-parse
file as every run after the first does in production (target/ is kept); with
`--parse cold` the build parses the whole project itself, as a first run in a fresh
clone does.

The stages add up to the command's wall time; the total held to the target is the
wall clock from the start of the first command to the end of the last.

rows/s is the number of rows in the generated world (manifest.json) over the stage's
seconds. After the stages, the slowest models are read from run_results.json and the
top few are profiled with DuckDB `EXPLAIN ANALYZE` (bench/explain.py); then the same
CSVs go through the SQLite/pandas baseline (bench/sqlite_baseline.py) and its KPI
figures are compared with cartify's marts (bench/kpis.py).
"""

from __future__ import annotations

import csv
import json
import os
import platform
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from importlib import metadata
from pathlib import Path
from typing import Any

import duckdb
import psutil  # type: ignore[import-untyped]

from bench.dbt_artifacts import NodeTiming, read_run_results, slowest
from bench.explain import profile_model
from bench.kpis import KPIS, compare
from bench.measure import CommandFailed, Measurement, run_measured
from bench.sqlite_baseline import frame_records

REPO = Path(__file__).resolve().parent.parent
GIB = 1024**3
MB = 1_000_000

STAGES = ("generate", "load", "dbt build", "dbt tests")

# The load stage: seeds and the staging models (which read the raw CSVs).
LOAD_MODEL_PATH = "models/staging/"
# Load and dbt build run the nodes only; the data tests are the last stage. Unit
# tests (hand-made rows, independent of the data) and code checks (data tests that
# hold by construction, tag code_check: docs/decisions.md D86) are for development
# and CI (`make test`), not a production run: the benchmark leaves them out.
PRODUCTION_EXCLUDES = (
    "--exclude-resource-type", "unit_test", "--exclude", "tag:code_check"
)  # fmt: skip
FORMATS = ("csv", "parquet")
PARSES = ("warm", "cold")

# Issue #11's targets on the 2-core machine: (total seconds, peak RSS bytes or None).
TARGETS: dict[float, tuple[float, int | None]] = {
    1.0: (20.0, None),
    10.0: (60.0, None),
    100.0: (600.0, 8 * GIB),  # `--scales 100`, not in CI (bench/README.md)
}
# --weekly: the incremental build after `--continue --weeks 1` takes at most this
# share of a full refresh's wall time (issue #11, at scale 10).
WEEKLY_TARGET = 0.25
# The SQLite/pandas baseline loads every CSV into memory; above this scale it would
# not fit beside the pipeline, so it is skipped (and the output says so).
SQLITE_MAX_SCALE = 10.0


@dataclass(frozen=True)
class Options:
    """What `python -m bench` was asked to do."""

    scales: tuple[float, ...]
    seed: int
    out: Path
    workdir: Path | None
    keep: bool
    sqlite: bool
    explain: int
    top: int
    format: str = "csv"
    parse: str = "warm"
    weekly: bool = False


@dataclass(frozen=True)
class Paths:
    """Where one scale's run keeps its files."""

    root: Path

    @property
    def raw(self) -> Path:
        return self.root / "raw"

    @property
    def duckdb(self) -> Path:
        return self.root / "cartify.duckdb"

    @property
    def target(self) -> Path:
        return self.root / "target"

    @property
    def dbt_logs(self) -> Path:
        return self.root / "dbt_logs"

    @property
    def logs(self) -> Path:
        return self.root / "logs"

    @property
    def sqlite(self) -> Path:
        return self.root / "baseline.sqlite"


def scale_label(scale: float) -> str:
    return f"{scale:g}"


def dbt_executable() -> str:
    beside = Path(sys.executable).with_name("dbt")
    if beside.exists():
        return str(beside)
    found = shutil.which("dbt")
    if found is None:
        raise SystemExit("error: dbt is not installed in this environment")
    return found


def pipeline_env(paths: Paths, raw_format: str = "csv") -> dict[str, str]:
    """The environment of every stage: this run's own warehouse, data and target,
    and the raw files' format (the raw source reads it, D73)."""
    env = dict(os.environ)
    env.update(
        {
            "DBT_PROFILES_DIR": str(REPO),
            "DBT_TARGET_PATH": str(paths.target),
            "DBT_LOG_PATH": str(paths.dbt_logs),
            "DBT_USE_COLORS": "false",
            "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
            "CARTIFY_DATA_DIR": str(paths.raw),
            "CARTIFY_DUCKDB_PATH": str(paths.duckdb),
            "CARTIFY_RAW_FORMAT": raw_format,
            "PYTHONUNBUFFERED": "1",
        }
    )
    return env


def manifest_rows(raw: Path) -> dict[str, int]:
    """Rows per generated table, from manifest.json (or by counting CSV lines)."""
    manifest_path = raw / "manifest.json"
    counts: dict[str, int] = {}
    if manifest_path.exists():
        counts = _rows_from_manifest(json.loads(manifest_path.read_text()))
    if not counts:
        for csv_path in sorted(raw.glob("*.csv")):
            lines = 0
            with csv_path.open("rb") as handle:
                while chunk := handle.read(1 << 20):
                    lines += chunk.count(b"\n")
            counts[csv_path.stem] = max(lines - 1, 0)
    return counts


def _rows_from_manifest(data: Any) -> dict[str, int]:
    """Accept the shapes a manifest may take: {table: n}, {table: {rows: n}}, lists."""
    row_keys = ("rows", "row_count", "n_rows", "num_rows", "count")
    if isinstance(data, dict):
        for container in ("tables", "row_counts", "rows", "files"):
            if container in data:
                found = _rows_from_manifest(data[container])
                if found:
                    return found
        counts: dict[str, int] = {}
        for name, value in data.items():
            if isinstance(value, int) and not isinstance(value, bool):
                counts[str(name).removesuffix(".csv")] = value
            elif isinstance(value, dict):
                for key in row_keys:
                    if isinstance(value.get(key), int):
                        counts[str(name).removesuffix(".csv")] = int(value[key])
                        break
        return counts
    if isinstance(data, list):
        counts = {}
        for item in data:
            if not isinstance(item, dict):
                continue
            name = item.get("table") or item.get("name") or item.get("file")
            for key in row_keys:
                if name and isinstance(item.get(key), int):
                    counts[str(name).removesuffix(".csv")] = int(item[key])
                    break
        return counts
    return {}


def _step_row(
    name: str, measurement: Measurement, elapsed: float | None
) -> dict[str, Any]:
    row: dict[str, Any] = {
        "step": name,
        "command": " ".join(measurement.command),
        "seconds": round(measurement.seconds, 3),
        "cpu_seconds": round(measurement.cpu_seconds, 3),
        "peak_rss_bytes": measurement.peak_rss_bytes,
        "maxrss_bytes": measurement.maxrss_bytes,
        "polled_tree_rss_bytes": measurement.polled_tree_rss_bytes,
        "log": measurement.log_path,
        # Other work on the machine slows every stage: keep the 1-minute load average
        # at the end of the step beside its figures.
        "load_average_1m": round(os.getloadavg()[0], 2),
    }
    if elapsed is not None:
        # run_results.json's elapsed_time is the execution of the nodes; the rest of
        # the wall time is dbt's start-up, parsing and artefact writing.
        row["dbt_elapsed_seconds"] = round(elapsed, 3)
        row["dbt_overhead_seconds"] = round(measurement.seconds - elapsed, 3)
    return row


def _stage_row(
    stage: str,
    step: dict[str, Any],
    measurement: Measurement,
    seconds: float | None = None,
) -> dict[str, Any]:
    """A stage's figures. `seconds` is given when the stage is part of a command
    shared with another stage; its CPU seconds are then the command's, not split."""
    shared = seconds is not None
    step["failed"] = measurement.returncode != 0
    return {
        "stage": stage,
        "seconds": round(measurement.seconds if seconds is None else seconds, 3),
        "cpu_seconds": None if shared else round(measurement.cpu_seconds, 3),
        "peak_rss_bytes": measurement.peak_rss_bytes,
        "failed": measurement.returncode != 0,
        "shares_command": shared,
        "steps": [step],
        "measurement": measurement,  # dropped once the run is over
    }


class ScaleRun:
    """One scale: the four stages, the slow models, the baseline, the KPI check."""

    def __init__(self, scale: float, options: Options, paths: Paths) -> None:
        self.scale = scale
        self.options = options
        self.paths = paths
        self.env = pipeline_env(paths, options.format)
        self.dbt = dbt_executable()
        self.timings: list[NodeTiming] = []

    def _dbt(self, step: str, log_name: str, *args: str) -> tuple[
        Measurement, dict[str, Any], list[NodeTiming]
    ]:
        """One dbt command: its measurement, its step row and its nodes' timings."""
        run_results = self.paths.target / "run_results.json"
        if run_results.exists():
            run_results.unlink()
        measurement = run_measured(
            [self.dbt, *args],
            env=self.env,
            cwd=REPO,
            log_path=self.paths.logs / f"{log_name}.log",
            check=False,
        )
        elapsed = None
        timings: list[NodeTiming] = []
        if run_results.exists():
            kept = self.paths.target / f"run_results_{log_name}.json"
            shutil.copyfile(run_results, kept)
            elapsed = float(json.loads(kept.read_text()).get("elapsed_time") or 0.0)
            timings = read_run_results(kept, log_name)
        return measurement, _step_row(step, measurement, elapsed), timings

    def _generate(self) -> list[dict[str, Any]]:
        if self.paths.raw.exists():
            shutil.rmtree(self.paths.raw)
        measurement = run_measured(
            [
                sys.executable, "-m", "generator",
                "--scale", scale_label(self.scale),
                "--seed", str(self.options.seed),
                "--format", self.options.format,
                "--out", str(self.paths.raw),
            ],
            env=self.env,
            cwd=REPO,
            log_path=self.paths.logs / "generate.log",
            check=False,
        )
        row = _step_row("generate", measurement, None)
        return [_stage_row("generate", row, measurement)]

    def _parse(self) -> dict[str, Any]:
        """`dbt parse` before the timed run (--parse warm): the full parse a new
        code version pays once, measured on its own and left out of the total."""
        measurement, row, _ = self._dbt("parse", "dbt_parse", "parse")
        row["failed"] = measurement.returncode != 0
        return row

    def _load_build_test(self) -> list[dict[str, Any]]:
        """Load, dbt build and dbt tests: one `dbt build` of seeds, models,
        snapshots and data tests (no unit tests).

        dbt's start-up (and, with --parse cold, the full parse) is paid once. The
        wall time is split where the last seed or staging node ends (load: dbt
        start-up, seeds, staging) and where the last other model or snapshot ends
        (dbt build); dbt tests is the rest. With two threads a node of a later
        stage may run before a split (a test of a staging model while a mart is
        built): that overlap counts in the earlier stage and is reported. The
        three stages add up to the command's wall time.
        """
        measurement, row, timings = self._dbt(
            "load + build + tests", "load_build_test", "build", *PRODUCTION_EXCLUDES
        )
        is_load = self._load_nodes()
        timings = [
            replace(timing, stage=self._stage_of(timing, is_load)) for timing in timings
        ]
        self.timings.extend(timings)
        ends = {
            stage: max(
                (
                    timing.completed_at
                    for timing in timings
                    if timing.stage == stage and timing.completed_at is not None
                ),
                default=None,
            )
            for stage in ("load", "dbt build")
        }
        load_end, build_end = ends["load"], ends["dbt build"]
        if measurement.returncode != 0 or load_end is None or build_end is None:
            # No split without the nodes' ends: one failed stage, all of it.
            return [_stage_row("load", row, measurement)]
        end = measurement.started_at + measurement.seconds
        load_end = min(max(load_end, measurement.started_at), end)
        build_end = min(max(build_end, load_end), end)
        splits = {"load": load_end, "dbt build": build_end}
        later = {"load": ("dbt build", "dbt tests"), "dbt build": ("dbt tests",)}
        overlapping = sorted(
            (
                (timing.name, min(timing.completed_at or split, split)
                 - timing.started_at)
                for stage, split in splits.items()
                for timing in timings
                if timing.stage in later[stage]
                and timing.started_at is not None
                and timing.started_at < split
                and (stage == "dbt build" or timing.stage == "dbt build")
            ),
            key=lambda pair: -pair[1],
        )  # fmt: skip
        seconds = {
            "load": load_end - measurement.started_at,
            "dbt build": build_end - load_end,
            "dbt tests": end - build_end,
        }
        row["split"] = {
            "rule": "load ends when its last seed or staging node ends, dbt build "
            "when its last other model or snapshot ends; dbt tests is the rest",
            "load_seconds": round(seconds["load"], 3),
            "build_seconds": round(seconds["dbt build"], 3),
            "tests_seconds": round(seconds["dbt tests"], 3),
            "overlap_seconds": round(sum(part for _, part in overlapping), 3),
            "overlapping_nodes": [
                {"name": name, "seconds": round(part, 3)}
                for name, part in overlapping[:20]
            ],
        }
        return [
            _stage_row(stage, row, measurement, seconds=seconds[stage])
            for stage in ("load", "dbt build", "dbt tests")
        ]

    @staticmethod
    def _stage_of(timing: NodeTiming, is_load: Callable[[NodeTiming], bool]) -> str:
        if timing.resource_type in ("test", "unit_test"):
            return "dbt tests"
        return "load" if is_load(timing) else "dbt build"

    def _load_nodes(self) -> Callable[[NodeTiming], bool]:
        """Whether a node is part of the load: a seed or a staging model."""
        paths: dict[str, str] = {}
        manifest = self.paths.target / "manifest.json"
        if manifest.exists():
            nodes = json.loads(manifest.read_text()).get("nodes", {})
            paths = {
                unique_id: str(node.get("original_file_path", ""))
                for unique_id, node in nodes.items()
            }

        def is_load(timing: NodeTiming) -> bool:
            if timing.resource_type == "seed":
                return True
            if timing.resource_type != "model":
                return False
            path = paths.get(timing.unique_id)
            if path is None:
                return timing.name.startswith("stg_")
            return path.startswith(LOAD_MODEL_PATH)

        return is_load

    def run(self) -> dict[str, Any]:
        label = scale_label(self.scale)
        result: dict[str, Any] = {"scale": self.scale, "seed": self.options.seed}
        stages: list[dict[str, Any]] = []
        result["stages"] = stages
        result["format"] = self.options.format
        result["parse"] = self.options.parse
        commands = (
            ("generate", self._generate),
            ("load + dbt build + dbt tests", self._load_build_test),
        )
        if self.options.parse == "warm":
            print(f"[scale {label}] dbt parse (not in the total) ...", flush=True)
            result["parse_step"] = self._parse()
            if result["parse_step"]["failed"]:
                result["error"] = "dbt parse failed (see its log)"
                result["stages"] = stages
                return self._finish(result, stages, 0.0)
        started = time.perf_counter()
        for name, command in commands:
            print(f"[scale {label}] {name} ...", flush=True)
            rows = command()
            stages.extend(rows)
            failed = next((row for row in rows if row["failed"]), None)
            if name == "generate" and failed is None:
                tables = manifest_rows(self.paths.raw)
                result["tables"] = tables
                result["rows"] = sum(tables.values())
                result["raw_bytes"] = sum(
                    path.stat().st_size
                    for path in self.paths.raw.rglob("*")
                    if path.suffix in (".csv", ".parquet")
                )
            if failed is not None:
                failure = CommandFailed(failed["measurement"])
                result["error"] = f"{name}: {failure}"
                print(f"[scale {label}] {name} FAILED\n{failure}", file=sys.stderr)
                break
        return self._finish(result, stages, time.perf_counter() - started)

    def _finish(
        self, result: dict[str, Any], stages: list[dict[str, Any]], wall: float
    ) -> dict[str, Any]:
        for stage_row in stages:
            stage_row.pop("measurement")
        rows_total = int(result.get("rows", 0))
        for stage_row in stages:
            seconds = stage_row["seconds"]
            stage_row["rows_per_second"] = (
                round(rows_total / seconds) if seconds else None
            )
        # Each command once (load, dbt build and dbt tests share one).
        unique_steps = {id(step): step for row in stages for step in row["steps"]}
        steps = list(unique_steps.values())
        total = sum(stage_row["seconds"] for stage_row in stages)
        peak = max((stage_row["peak_rss_bytes"] for stage_row in stages), default=0)
        complete = (
            [row["stage"] for row in stages] == list(STAGES) and "error" not in result
        )
        result["pipeline"] = {
            "seconds": round(total, 3),
            # From the start of the first command to the end of the last, with the
            # benchmark's own work between commands: the figure held to the target.
            "wall_seconds": round(wall, 3),
            "cpu_seconds": round(sum(step["cpu_seconds"] for step in steps), 3),
            "peak_rss_bytes": peak,
            "dbt_commands": sum(1 for step in steps if "dbt_elapsed_seconds" in step),
            "complete": complete,
            **self._target_check(wall, peak, complete),
        }
        result["slowest_models"] = [
            timing.as_row()
            for timing in slowest(self.timings, self.options.top)
        ]
        result["slowest_tests"] = [
            timing.as_row()
            for timing in slowest(
                self.timings, self.options.top, ("test", "unit_test")
            )
        ]
        if "error" in result:
            return result
        result["explain"] = self._explain()
        if self.options.weekly:
            result["weekly"] = self._weekly()
        if self.options.sqlite and self.options.format != "csv":
            print("baseline: skipped (it reads the CSVs; this world is "
                  f"{self.options.format})", flush=True)  # fmt: skip
        elif self.options.sqlite and self.scale <= SQLITE_MAX_SCALE:
            result["baseline"] = self._baseline(stages)
        elif self.options.sqlite:
            print(f"baseline: skipped above scale {SQLITE_MAX_SCALE:g} (pandas "
                  "would hold every CSV in memory)", flush=True)  # fmt: skip
        return result

    def _weekly(self) -> dict[str, Any]:
        """The weekly run (--weekly): continue the world by one week, then build
        the models incrementally on the warehouse just built, and, for reference,
        build them with --full-refresh on a copy of the same warehouse (same file
        name, so both reuse the partial-parse file). Models and snapshots only, as
        issue #11 measures it; the ratio's target is WEEKLY_TARGET."""
        label = scale_label(self.scale)
        print(f"[scale {label}] weekly: continue + incremental vs full ...", flush=True)
        weekly: dict[str, Any] = {"target_ratio": WEEKLY_TARGET}
        cont = run_measured(
            [sys.executable, "-m", "generator", "--continue", str(self.paths.raw),
             "--weeks", "1", "--quiet"],
            env=self.env, cwd=REPO, log_path=self.paths.logs / "continue.log",
            check=False,
        )  # fmt: skip
        weekly["continue"] = _step_row("continue", cont, None)
        if cont.returncode != 0:
            weekly["error"] = f"continue: {CommandFailed(cont)}"
            return weekly
        before = self.paths.root / "before_week.duckdb"
        shutil.copyfile(self.paths.duckdb, before)
        models = ("build", "--exclude-resource-type", "test", *PRODUCTION_EXCLUDES)
        for mode, extra in (("incremental", ()), ("full refresh", ("--full-refresh",))):
            if mode == "full refresh":
                shutil.copyfile(before, self.paths.duckdb)
            log_name = "weekly_" + mode.replace(" ", "_")
            measurement, row, timings = self._dbt(mode, log_name, *models, *extra)
            weekly[mode] = row
            weekly[mode]["slowest_models"] = [
                timing.as_row() for timing in slowest(timings, 5)
            ]
            if measurement.returncode != 0:
                weekly["error"] = f"{mode}: {CommandFailed(measurement)}"
                return weekly
        before.unlink()
        full = weekly["full refresh"]["seconds"]
        incremental = weekly["incremental"]["seconds"]
        weekly["ratio"] = round(incremental / full, 3) if full else None
        weekly["cpu_ratio"] = (
            round(
                weekly["incremental"]["cpu_seconds"]
                / weekly["full refresh"]["cpu_seconds"],
                3,
            )
            if weekly["full refresh"]["cpu_seconds"]
            else None
        )
        weekly["meets_target"] = (
            weekly["ratio"] is not None and weekly["ratio"] <= WEEKLY_TARGET
        )
        return weekly

    def _target_check(self, total: float, peak: int, complete: bool) -> dict[str, Any]:
        target = TARGETS.get(self.scale)
        if target is None:
            return {}
        seconds, rss = target
        meets = complete and total <= seconds and (rss is None or peak <= rss)
        return {
            "target_seconds": seconds,
            "target_peak_rss_bytes": rss,
            "meets_target": meets,
        }

    def _explain(self) -> list[dict[str, Any]]:
        chosen = [
            timing
            for timing in slowest(self.timings, self.options.explain)
            if timing.compiled_code
        ]
        label = scale_label(self.scale)
        out_dir = self.options.out.parent / "explain" / f"scale_{label}"
        profiles = []
        for timing in chosen:
            assert timing.compiled_code is not None
            profile = profile_model(
                self.paths.duckdb, timing.name, timing.compiled_code, out_dir
            )
            row = profile.as_row()
            row["dbt_seconds"] = timing.seconds
            profiles.append(row)
        return profiles

    def _baseline(self, stages: list[dict[str, Any]]) -> dict[str, Any]:
        label = scale_label(self.scale)
        print(f"[scale {label}] SQLite baseline ...", flush=True)
        results_path = self.paths.root / "baseline.json"
        try:
            measurement = run_measured(
                [
                    sys.executable, "-m", "bench.sqlite_baseline",
                    "--data", str(self.paths.raw),
                    "--sqlite", str(self.paths.sqlite),
                    "--results", str(results_path),
                ],
                env=self.env,
                cwd=REPO,
                log_path=self.paths.logs / "sqlite_baseline.log",
            )
        except CommandFailed as failure:
            return {"error": str(failure)}
        baseline = json.loads(results_path.read_text())
        cartify = cartify_kpis(self.paths.duckdb)
        kpis = []
        for kpi in KPIS:
            ours = cartify[kpi.name]
            theirs = baseline["kpis"][kpi.name]
            problems = (
                compare(kpi, theirs["records"], ours["records"])
                if "records" in ours
                else [f"cartify query failed: {ours.get('error')}"]
            )
            kpis.append(
                {
                    "kpi": kpi.name,
                    "description": kpi.description,
                    "cartify_source": ours.get("source"),
                    "sqlite_seconds": round(theirs["seconds"], 4),
                    "cartify_seconds": round(ours.get("seconds", 0.0), 4),
                    "ratio": (
                        round(theirs["seconds"] / ours["seconds"], 2)
                        if ours.get("seconds") else None
                    ),
                    "matches": not problems,
                    "mismatches": problems,
                    "sqlite_records": theirs["records"][:20],
                    "cartify_records": ours.get("records", [])[:20],
                }
            )
        by_stage = {stage["stage"]: stage["seconds"] for stage in stages}
        cartify_seconds = by_stage.get("load", 0.0) + by_stage.get("dbt build", 0.0)
        sqlite_seconds = baseline["load_seconds"] + baseline["kpi_seconds"]
        return {
            "seconds": round(measurement.seconds, 3),
            "peak_rss_bytes": measurement.peak_rss_bytes,
            "load_seconds": round(baseline["load_seconds"], 3),
            "kpi_seconds": round(baseline["kpi_seconds"], 4),
            "tables": baseline["tables"],
            "cartify_load_build_seconds": round(cartify_seconds, 3),
            "end_to_end_ratio": (
                round(sqlite_seconds / cartify_seconds, 2) if cartify_seconds else None
            ),
            "kpi_query_ratio": (
                round(
                    baseline["kpi_seconds"]
                    / sum(kpi["cartify_seconds"] for kpi in kpis),
                    2,
                )
                if sum(kpi["cartify_seconds"] for kpi in kpis) else None
            ),
            "all_match": all(kpi["matches"] for kpi in kpis),
            "kpis": kpis,
        }


def cartify_kpis(database: Path) -> dict[str, dict[str, Any]]:
    """Each KPI read from cartify's mart, or from staging when the mart is missing."""
    results: dict[str, dict[str, Any]] = {}
    with duckdb.connect(str(database), read_only=True) as connection:
        connection.execute("select 1").fetchall()  # open the file before timing
        for kpi in KPIS:
            attempts = (
                (f"mart {kpi.mart}", kpi.mart_sql),
                ("staging", kpi.staging_sql),
            )
            errors = []
            for source, sql in attempts:
                try:
                    started = time.perf_counter()
                    frame = connection.execute(sql).df()
                    seconds = time.perf_counter() - started
                except duckdb.Error as error:
                    errors.append(f"{source}: {str(error).splitlines()[0]}")
                    continue
                results[kpi.name] = {
                    "source": source,
                    "seconds": seconds,
                    "records": frame_records(frame),
                    "fallback_reason": "; ".join(errors) or None,
                }
                break
            else:
                results[kpi.name] = {"error": "; ".join(errors)}
    return results


def machine() -> dict[str, Any]:
    versions: dict[str, str | None] = {}
    for package in ("dbt-core", "dbt-duckdb", "duckdb", "pandas"):
        try:
            versions[package] = metadata.version(package)
        except metadata.PackageNotFoundError:
            versions[package] = None
    return {
        "cpus": os.cpu_count(),
        "memory_bytes": psutil.virtual_memory().total,
        "platform": platform.platform(),
        "python": platform.python_version(),
        "versions": versions,
    }


def _mb(value: int | None) -> str:
    return "-" if value is None else f"{value / MB:,.0f} MB"


def _print_step(step: dict[str, Any]) -> None:
    if "dbt_overhead_seconds" not in step:
        return
    print(
        f"  {step['step']:<12}{step['seconds']:>8.2f}  "
        f"(nodes {step['dbt_elapsed_seconds']:.2f} s, dbt start-up/parse "
        f"{step['dbt_overhead_seconds']:.2f} s, CPU {step['cpu_seconds']:.2f} s)"
    )
    split = step.get("split")
    if split:
        print(
            f"{'':<24}split: load {split['load_seconds']:.2f} s + build "
            f"{split['build_seconds']:.2f} s + tests {split['tests_seconds']:.2f} s "
            f"at the ends of the last staging and the last model/snapshot node; "
            f"{split['overlap_seconds']:.2f} s of later nodes ran before a split"
        )


def print_scale(result: dict[str, Any]) -> None:
    label = scale_label(result["scale"])
    tables = result.get("tables", {})
    print()
    print(
        f"== scale {label}, seed {result['seed']}: {result.get('rows', 0):,} rows in "
        f"{len(tables)} tables, {result.get('raw_bytes', 0) / MB:,.1f} MB of "
        f"{result.get('format', 'csv')}"
    )
    parse = result.get("parse_step")
    if parse:
        print(
            f"dbt parse (once per code version, not in the total): "
            f"{parse['seconds']:.2f} s, CPU {parse['cpu_seconds']:.2f} s"
        )
    else:
        print("cold parse: the build parses the whole project (--parse cold)")
    print(
        f"{'stage':<12}{'seconds':>10}{'rows/s':>14}{'peak RSS':>12}"
        f"{'CPU s':>9}{'load':>7}"
    )
    stages = result["stages"]
    # A command shared by two stages is printed once, under the last of them.
    last_stage_of = {
        id(step): index for index, stage in enumerate(stages) for step in stage["steps"]
    }
    for index, stage in enumerate(stages):
        rate = stage.get("rows_per_second")
        cpu = stage["cpu_seconds"]
        print(
            f"{stage['stage']:<12}{stage['seconds']:>10.2f}"
            f"{(f'{rate:,}' if rate else '-'):>14}{_mb(stage['peak_rss_bytes']):>12}"
            f"{(f'{cpu:.2f}' if cpu is not None else 'shared'):>9}"
            f"{stage['steps'][-1]['load_average_1m']:>7.1f}"
        )
        for step in stage["steps"]:
            if last_stage_of[id(step)] == index:
                _print_step(step)
    pipeline = result["pipeline"]
    print(
        f"{'total':<12}{pipeline['seconds']:>10.2f}{'':>14}"
        f"{_mb(pipeline['peak_rss_bytes']):>12}{pipeline['cpu_seconds']:>9.2f}"
        f"   ({pipeline.get('dbt_commands', '?')} dbt commands; wall clock "
        f"{pipeline.get('wall_seconds', pipeline['seconds']):.2f} s)"
    )
    if "meets_target" in pipeline:
        rss = pipeline["target_peak_rss_bytes"]
        target = f"<= {pipeline['target_seconds']:.0f} s" + (
            f", peak RSS <= {rss / GIB:.0f} GiB" if rss else ""
        )
        verdict = "PASS" if pipeline["meets_target"] else "FAIL"
        print(f"target {target} (wall clock): {verdict}")
    print(
        "(production run: data tests, no unit tests or code checks; `make test` "
        "runs them)"
    )
    if "error" in result:
        print(f"ERROR: {result['error'].splitlines()[0]}")
    if result["slowest_models"]:
        print("slowest models:")
        for timing in result["slowest_models"]:
            print(
                f"  {timing['seconds']:>8.2f} s  {timing['name']} ({timing['stage']})"
            )
    for profile in result.get("explain", []):
        if profile.get("error"):
            print(f"EXPLAIN ANALYZE {profile['model']}: {profile['error']}")
            continue
        print(f"EXPLAIN ANALYZE {profile['model']}: {profile['seconds']:.2f} s")
        for operator in profile["top_operators"][:3]:
            print(
                f"  {operator['seconds']:>8.2f} s  {operator['operator']} "
                f"{operator['rows']:,} rows  {operator['detail'][:90]}"
            )
    weekly = result.get("weekly")
    if weekly:
        _print_weekly(weekly)
    baseline = result.get("baseline")
    if baseline is None:
        return
    if "error" in baseline:
        print(f"SQLite baseline FAILED: {baseline['error'].splitlines()[0]}")
        return
    print(
        f"SQLite baseline: load {baseline['load_seconds']:.2f} s, KPI queries "
        f"{baseline['kpi_seconds']:.3f} s, peak RSS {_mb(baseline['peak_rss_bytes'])}"
    )
    print(
        f"  end to end (SQLite load + KPI queries) / (cartify load + dbt build "
        f"{baseline['cartify_load_build_seconds']:.2f} s) = "
        f"{baseline['end_to_end_ratio']}"
    )
    print(
        f"{'KPI':<24}{'SQLite s':>10}{'cartify s':>11}{'SQLite/cartify':>16}  check"
    )
    for kpi in baseline["kpis"]:
        check = "same figures" if kpi["matches"] else "MISMATCH"
        ratio = kpi["ratio"]
        print(
            f"{kpi['kpi']:<24}{kpi['sqlite_seconds']:>10.4f}"
            f"{kpi['cartify_seconds']:>11.4f}{(f'{ratio:.1f}' if ratio else '-'):>16}"
            f"  {check} ({kpi['cartify_source']})"
        )
        for problem in kpi["mismatches"]:
            print(f"    {problem}")


def _print_weekly(weekly: dict[str, Any]) -> None:
    if "error" in weekly:
        print(f"weekly run FAILED: {weekly['error'].splitlines()[0]}")
        return
    cont, inc, full = weekly["continue"], weekly["incremental"], weekly["full refresh"]
    print(
        f"weekly (models and snapshots): continue {cont['seconds']:.2f} s; "
        f"incremental build {inc['seconds']:.2f} s (CPU {inc['cpu_seconds']:.2f}) vs "
        f"full refresh {full['seconds']:.2f} s (CPU {full['cpu_seconds']:.2f}): "
        f"{weekly['ratio']:.0%} of the wall time, {weekly['cpu_ratio']:.0%} of the "
        f"CPU; target <= {weekly['target_ratio']:.0%}: "
        + ("PASS" if weekly["meets_target"] else "FAIL")
    )
    for timing in inc["slowest_models"]:
        print(f"  {timing['seconds']:>8.2f} s  {timing['name']} (incremental)")


CSV_COLUMNS = (
    "scale", "kind", "name", "seconds", "cpu_seconds", "rows_per_second",
    "peak_rss_mb", "note",
)


def _csv_rows(result: dict[str, Any]) -> list[dict[str, Any]]:
    scale = result["scale"]
    rows: list[dict[str, Any]] = []
    for stage in result["stages"]:
        rows.append(
            {
                "kind": "stage", "name": stage["stage"], "seconds": stage["seconds"],
                "cpu_seconds": stage["cpu_seconds"],
                "rows_per_second": stage.get("rows_per_second"),
                "peak_rss_mb": round(stage["peak_rss_bytes"] / MB, 1),
                "note": "; ".join(
                    note
                    for note in (
                        "failed" if stage.get("failed") else "",
                        "load, dbt build and dbt tests are one dbt command, "
                        "split by node timings; CPU not split"
                        if stage.get("shares_command") else "",
                    )
                    if note
                ),
            }
        )
    pipeline = result["pipeline"]
    rows.append(
        {
            "kind": "pipeline", "name": "total",
            "seconds": pipeline.get("wall_seconds", pipeline["seconds"]),
            "cpu_seconds": pipeline["cpu_seconds"],
            "peak_rss_mb": round(pipeline["peak_rss_bytes"] / MB, 1),
            "note": {True: "meets target", False: "misses target"}.get(
                pipeline.get("meets_target"), ""
            ),
        }
    )
    for timing in result["slowest_models"]:
        rows.append(
            {
                "kind": "model", "name": timing["name"],
                "seconds": timing["seconds"], "note": timing["stage"],
            }
        )
    weekly = result.get("weekly") or {}
    if "ratio" in weekly:
        for mode in ("continue", "incremental", "full refresh"):
            rows.append(
                {
                    "kind": "weekly",
                    "name": mode,
                    "seconds": weekly[mode]["seconds"],
                    "cpu_seconds": weekly[mode]["cpu_seconds"],
                    "peak_rss_mb": round(weekly[mode]["peak_rss_bytes"] / MB, 1),
                    "note": (
                        f"incremental / full refresh = {weekly['ratio']}"
                        if mode == "incremental"
                        else ""
                    ),
                }
            )
    baseline = result.get("baseline") or {}
    if "kpis" in baseline:
        rows.append(
            {
                "kind": "baseline", "name": "sqlite load",
                "seconds": baseline["load_seconds"],
                "peak_rss_mb": round(baseline["peak_rss_bytes"] / MB, 1),
            }
        )
        for kpi in baseline["kpis"]:
            rows.append(
                {
                    "kind": "kpi", "name": kpi["kpi"],
                    "seconds": kpi["sqlite_seconds"],
                    "note": (
                        f"cartify {kpi['cartify_seconds']} s; "
                        f"SQLite/cartify {kpi['ratio']}; "
                        + ("same figures" if kpi["matches"] else "MISMATCH")
                    ),
                }
            )
    return [{"scale": scale, **row} for row in rows]


def write_csv(results: list[dict[str, Any]], path: Path) -> None:
    """One row per stage, total, slow model, baseline and KPI of every scale."""
    with path.open("w", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=CSV_COLUMNS)
        writer.writeheader()
        for result in results:
            writer.writerows(_csv_rows(result))


def run(options: Options) -> int:
    """Run every scale, print the figures, write JSON and CSV; 0 when all is well."""
    options.out.parent.mkdir(parents=True, exist_ok=True)
    base = options.workdir or Path(tempfile.mkdtemp(prefix="cartify-bench-"))
    report: dict[str, Any] = {
        "started_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "machine": machine(),
        "workdir": str(base),
        "runs": [],
    }
    failed = False
    for scale in options.scales:
        paths = Paths(base / f"scale_{scale_label(scale)}")
        if paths.root.exists():
            shutil.rmtree(paths.root)
        paths.root.mkdir(parents=True)
        result = ScaleRun(scale, options, paths).run()
        report["runs"].append(result)
        print_scale(result)
        options.out.write_text(json.dumps(report, indent=1))
        failed = failed or "error" in result
        baseline = result.get("baseline") or {}
        failed = failed or "error" in baseline or baseline.get("all_match") is False
        if not options.keep:
            shutil.rmtree(paths.root, ignore_errors=True)
        if "error" in result:
            break
    if not options.keep and options.workdir is None:
        shutil.rmtree(base, ignore_errors=True)
    csv_path = options.out.with_suffix(".csv")
    write_csv(report["runs"], csv_path)
    print(f"\nwrote {options.out} and {csv_path}")
    return 1 if failed else 0

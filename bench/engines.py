"""`python -m bench --target duckdb,postgres,spark`: the engines side by side.

One world at one scale is generated once; then, per engine, three commands are
timed (bench/measure.py: wall and CPU seconds, peak RSS):

- load    `python -m loader --target T`: the raw files into schema raw (DuckDB
          and Spark write metadata only: their staging models parse the files, so
          that work is in their build; PostgreSQL copies every row here)
- build   `dbt build` of seeds, models and snapshots (no tests)
- tests   `dbt test`: the data tests (unit tests and code checks are for development
          and CI: docs/decisions.md D12, D86)

Each engine gets a fresh warehouse: a DuckDB file and a Spark metastore under the
work dir, a new PostgreSQL database (the server of profiles.yml, e.g.
`make pg-start`). Runs are repeated `--repeat` times; the table shows medians and
each engine's ratio to DuckDB.
"""

from __future__ import annotations

import json
import os
import shutil
import statistics
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bench.measure import Measurement, run_measured
from bench.pipeline import PRODUCTION_EXCLUDES

REPO = Path(__file__).resolve().parent.parent
ENGINES = ("duckdb", "postgres", "spark")
STEPS = ("load", "build", "tests")
NO_TESTS = ("--exclude-resource-type", "test", "--exclude-resource-type", "unit_test")


@dataclass(frozen=True)
class EngineOptions:
    targets: tuple[str, ...]
    scale: float
    seed: int
    repeat: int
    out: Path
    workdir: Path | None


def _pg_database(env: dict[str, str], name: str) -> None:
    """A fresh database on the profile's PostgreSQL server."""
    import psycopg2

    connection = psycopg2.connect(
        host=env.get("CARTIFY_PG_HOST", "localhost"),
        port=int(env.get("CARTIFY_PG_PORT", "54329")),
        user=env.get("CARTIFY_PG_USER", "cartify"),
        password=env.get("CARTIFY_PG_PASSWORD") or None,
        dbname="postgres",
    )
    connection.autocommit = True
    with connection.cursor() as cursor:
        cursor.execute(f'drop database if exists "{name}" with (force)')
        cursor.execute(f'create database "{name}"')
    connection.close()


def _environment(root: Path, raw: Path, target: str, run: int) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        DBT_PROFILES_DIR=str(REPO),
        DBT_TARGET_PATH=str(root / "target"),
        DBT_LOG_PATH=str(root / "dbt_logs"),
        DBT_USE_COLORS="false",
        CARTIFY_DATA_DIR=str(raw),
        CARTIFY_DUCKDB_PATH=str(root / "cartify.duckdb"),
        CARTIFY_SPARK_DIR=str(root / "spark"),
    )
    if target == "postgres":
        env["CARTIFY_PG_DATABASE"] = f"cartify_bench_{run}"
        _pg_database(env, env["CARTIFY_PG_DATABASE"])
    return env


def _commands(target: str, raw: Path) -> dict[str, list[str]]:
    dbt = str(Path(sys.executable).with_name("dbt"))
    return {
        "load": [sys.executable, "-m", "loader", "--target", target, "--quiet",
                 "--data", str(raw)],
        "build": [dbt, "build", "--target", target, *NO_TESTS],
        "tests": [dbt, "test", "--target", target, *PRODUCTION_EXCLUDES],
    }  # fmt: skip


def _one_engine(
    target: str, raw: Path, work: Path, repeat: int
) -> dict[str, list[Measurement]]:
    measured: dict[str, list[Measurement]] = {step: [] for step in STEPS}
    for run in range(repeat):
        root = work / f"{target}-{run}"
        root.mkdir(parents=True)
        env = _environment(root, raw, target, run)
        for step, command in _commands(target, raw).items():
            measurement = run_measured(
                command, env=env, cwd=REPO, log_path=root / f"{step}.log", check=False
            )
            if measurement.returncode != 0:
                raise SystemExit(
                    f"error: {target} {step} failed, see {measurement.log_path}"
                )
            measured[step].append(measurement)
        shutil.rmtree(root / "spark", ignore_errors=True)
    return measured


def table(results: dict[str, dict[str, float]]) -> str:
    """Median seconds per engine and step, and the ratio to the first engine."""
    targets = list(results)
    first = targets[0]
    lines = ["| step | " + " | ".join(f"{target} (s)" for target in targets) + " |"]
    lines.append("|---" * (len(targets) + 1) + "|")
    for step in (*STEPS, "total"):
        cells = []
        for target in targets:
            value = results[target][step]
            ratio = value / results[first][step] if results[first][step] else 0.0
            cells.append(
                f"{value:.1f}" if target == first else f"{value:.1f} (x{ratio:.1f})"
            )
        lines.append(f"| {step} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def run(options: EngineOptions) -> int:
    work = options.workdir or Path(tempfile.mkdtemp(prefix="cartify-bench-engines-"))
    raw = work / "raw"
    generated = run_measured(
        [sys.executable, "-m", "generator", "--scale", f"{options.scale:g}",
         "--seed", str(options.seed), "--out", str(raw), "--quiet"],
        cwd=REPO, log_path=work / "generate.log", check=False,
    )  # fmt: skip
    if generated.returncode != 0:
        print(f"error: generate failed, see {generated.log_path}", file=sys.stderr)
        return 1
    medians: dict[str, dict[str, float]] = {}
    detail: dict[str, Any] = {}
    for target in options.targets:
        measured = _one_engine(target, raw, work, options.repeat)
        medians[target] = {
            step: statistics.median(m.seconds for m in runs)
            for step, runs in measured.items()
        }
        medians[target]["total"] = sum(medians[target][step] for step in STEPS)
        detail[target] = {
            step: [
                {"seconds": round(m.seconds, 3), "cpu_seconds": round(m.cpu_seconds, 3),
                 "peak_rss_bytes": m.peak_rss_bytes}
                for m in runs
            ]
            for step, runs in measured.items()
        }  # fmt: skip
    print(f"scale {options.scale:g}, seed {options.seed}, median of {options.repeat}")
    print(table(medians))
    options.out.parent.mkdir(parents=True, exist_ok=True)
    options.out.write_text(
        json.dumps(
            {
                "scale": options.scale,
                "seed": options.seed,
                "repeat": options.repeat,
                "load_average_1m": round(os.getloadavg()[0], 2),
                "medians": medians,
                "runs": detail,
            },
            indent=2,
        )
        + "\n"
    )
    if options.workdir is None:
        shutil.rmtree(work, ignore_errors=True)
    return 0

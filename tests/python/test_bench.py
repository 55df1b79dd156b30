"""The pipeline benchmark: its pieces, then one run end to end on a tiny world."""

from __future__ import annotations

import csv
import json
import subprocess
import sys
from pathlib import Path

import pytest

from bench.kpis import KPIS, compare
from bench.measure import CommandFailed, run_measured
from bench.pipeline import REPO, STAGES, Paths, _rows_from_manifest, pipeline_env

TINY_SCALE = "0.01"


def test_measure_sees_a_grandchild_peak(tmp_path: Path) -> None:
    # The shell exits after its child: only wait4's rusage still knows the peak.
    allocate = "import time; b = bytearray(150_000_000); time.sleep(0.05)"
    measurement = run_measured(
        ["bash", "-c", f'"{sys.executable}" -c "{allocate}"; true'],
        log_path=tmp_path / "log",
    )
    assert measurement.seconds > 0
    assert measurement.peak_rss_bytes >= 150_000_000


def test_measure_raises_on_failure(tmp_path: Path) -> None:
    with pytest.raises(CommandFailed, match="exit code 3"):
        run_measured(["bash", "-c", "echo boom; exit 3"], log_path=tmp_path / "log")


@pytest.mark.parametrize(
    "manifest",
    [
        {"tables": {"orders": 3, "customers": 2}},
        {"tables": {"orders": {"rows": 3}, "customers": {"rows": 2}}},
        {"tables": [{"name": "orders", "rows": 3}, {"name": "customers", "rows": 2}]},
        {"row_counts": {"orders.csv": 3, "customers.csv": 2}},
    ],
)
def test_row_counts_from_any_manifest_shape(manifest: object) -> None:
    assert _rows_from_manifest(manifest) == {"orders": 3, "customers": 2}


def test_compare_reports_missing_keys_and_differences() -> None:
    kpi = next(kpi for kpi in KPIS if kpi.name == "campaign_cpc_roas")
    sqlite = [
        {"campaign_id": 1.0, "spend": 10.0, "clicks": 5, "cpc": 2.0,
         "attributed_revenue": 30.0, "roas": 3.0},
        {"campaign_id": 2.0, "spend": 1.0, "clicks": 1, "cpc": 1.0,
         "attributed_revenue": 0.0, "roas": 0.0},
    ]
    same = [
        {"campaign_id": 1, "spend": 10.004, "clicks": 5, "cpc": 2.0,
         "attributed_revenue": 30.0, "roas": 3.0},
        {"campaign_id": 2, "spend": 1.0, "clicks": 1, "cpc": 1.0,
         "attributed_revenue": 0.0, "roas": 0.0},
    ]
    assert compare(kpi, sqlite, same) == []
    different = [dict(same[0], clicks=6)]
    problems = compare(kpi, sqlite, different)
    assert any("only in SQLite" in problem for problem in problems)
    assert any(problem.startswith("clicks: 1 row(s) differ") for problem in problems)


def test_bench_end_to_end_on_a_tiny_world(tmp_path: Path) -> None:
    out = tmp_path / "results" / "pipeline.json"
    finished = subprocess.run(
        [
            sys.executable, "-m", "bench",
            "--scales", TINY_SCALE,
            "--out", str(out),
            "--workdir", str(tmp_path / "work"),
            "--explain", "1",
            "--weekly",
        ],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )
    assert finished.returncode == 0, finished.stdout[-4000:] + finished.stderr[-4000:]
    report = json.loads(out.read_text())
    (run,) = report["runs"]
    assert run["rows"] > 0
    assert [stage["stage"] for stage in run["stages"]] == list(STAGES)
    for stage in run["stages"]:
        assert stage["seconds"] > 0, stage
        assert stage["rows_per_second"] > 0, stage
        assert stage["peak_rss_bytes"] > 0, stage
    assert run["pipeline"]["complete"]
    assert run["slowest_models"], "no model timings read from run_results.json"
    # --parse warm (the default): the project was parsed apart, then one dbt
    # command ran load, build and tests; its wall time is split without a gap
    assert run["parse_step"]["failed"] is False
    assert run["pipeline"]["dbt_commands"] == 1
    steps = [step for stage in run["stages"][1:] for step in stage["steps"]]
    assert len(steps) == 3 and steps[0] == steps[1] == steps[2]
    step = steps[0]
    split = sum(stage["seconds"] for stage in run["stages"][1:])
    assert abs(split - step["seconds"]) < 0.01
    assert {t["stage"] for t in run["slowest_tests"]} == {"dbt tests"}
    # --weekly: one week continued, then the incremental build and a full refresh
    weekly = run["weekly"]
    assert "error" not in weekly, weekly
    incremental = weekly["incremental"]["seconds"]
    full = weekly["full refresh"]["seconds"]
    assert incremental > 0 and full > 0
    assert weekly["ratio"] == round(incremental / full, 3)
    assert weekly["meets_target"] == (weekly["ratio"] <= 0.25)
    assert "--full-refresh" in weekly["full refresh"]["command"]
    assert "--full-refresh" not in weekly["incremental"]["command"]

    baseline = run["baseline"]
    assert "error" not in baseline, baseline
    assert {kpi["kpi"] for kpi in baseline["kpis"]} == {kpi.name for kpi in KPIS}
    for kpi in baseline["kpis"]:
        assert kpi["matches"], (kpi["kpi"], kpi["mismatches"])
        assert kpi["sqlite_seconds"] > 0 and kpi["cartify_seconds"] > 0
    assert baseline["all_match"]

    with out.with_suffix(".csv").open() as handle:
        rows = list(csv.DictReader(handle))
    assert {row["name"] for row in rows if row["kind"] == "stage"} == set(STAGES)
    assert {row["name"] for row in rows if row["kind"] == "weekly"} == {
        "continue", "incremental", "full refresh"
    }
    assert "scale 0.01" in finished.stdout


def test_the_pipeline_env_names_the_raw_format(tmp_path: Path) -> None:
    env = pipeline_env(Paths(tmp_path), "parquet")
    assert env["CARTIFY_RAW_FORMAT"] == "parquet"
    assert env["CARTIFY_DATA_DIR"] == str(tmp_path / "raw")

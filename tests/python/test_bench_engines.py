"""`python -m bench --target`: arguments, the side-by-side table, one engine run."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from bench.engines import table
from bench.pipeline import REPO


def test_table_shows_medians_and_ratios_to_the_first_engine() -> None:
    results = {
        "duckdb": {"load": 1.0, "build": 4.0, "tests": 2.0, "total": 7.0},
        "postgres": {"load": 2.0, "build": 6.0, "tests": 3.0, "total": 11.0},
    }
    lines = table(results).splitlines()
    assert lines[0] == "| step | duckdb (s) | postgres (s) |"
    assert lines[2] == "| load | 1.0 | 2.0 (x2.0) |"
    assert lines[3] == "| build | 4.0 | 6.0 (x1.5) |"
    assert lines[-1] == "| total | 7.0 | 11.0 (x1.6) |"


def test_unknown_target_is_one_line() -> None:
    finished = subprocess.run(
        [sys.executable, "-m", "bench", "--target", "duckdb,oracle"],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=False,
    )
    assert finished.returncode == 2
    assert "targets are a comma-separated subset of duckdb,postgres,spark" in (
        finished.stderr
    )
    assert "Traceback" not in finished.stderr


def test_duckdb_side_of_the_table_on_a_tiny_world(tmp_path: Path) -> None:
    out = tmp_path / "engines.json"
    finished = subprocess.run(
        [sys.executable, "-m", "bench", "--target", "duckdb", "--scales", "0.01",
         "--out", str(out), "--workdir", str(tmp_path / "work")],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=False,
    )  # fmt: skip
    assert finished.returncode == 0, finished.stdout + finished.stderr
    assert "| step | duckdb (s) |" in finished.stdout
    result = json.loads(out.read_text())
    medians = result["medians"]["duckdb"]
    assert set(medians) == {"load", "build", "tests", "total"}
    assert medians["total"] == sum(medians[s] for s in ("load", "build", "tests"))
    assert all(value > 0 for value in medians.values())

"""Strict parsing (docs/decisions.md D51): on a dirty world, the test
assert_raw_fields_follow_the_contract fails with exactly the field-level defects
that dirty mode recorded in defects.csv, counted per table and reason."""

from __future__ import annotations

import csv
import os
import subprocess
import sys
from collections import Counter
from pathlib import Path

import duckdb

from generator.cli import main

REPO = Path(__file__).resolve().parents[2]
FIELD_REASONS = {"bad_integer", "bad_money", "bad_timestamp", "missing_required"}


def test_every_malformed_field_is_reported(tmp_path: Path) -> None:
    world = tmp_path / "raw"
    assert main(["--scale", "0.01", "--seed", "11", "--quiet", "--dirty", "0.01",
                 "--out", str(world)]) == 0  # fmt: skip
    with (world / "defects.csv").open(newline="") as f:
        expected = Counter(
            (d["table"], d["expected"].split(":")[1])
            for d in csv.DictReader(f)
            if d["expected"].split(":")[1] in FIELD_REASONS
        )
    db = tmp_path / "cartify.duckdb"
    env = {
        **os.environ,
        "DBT_PROFILES_DIR": str(REPO),
        "CARTIFY_DATA_DIR": str(world),
        "CARTIFY_DUCKDB_PATH": str(db),
        "DBT_TARGET_PATH": str(tmp_path / "target"),
        "DBT_LOG_PATH": str(tmp_path / "logs"),
    }
    result = subprocess.run(
        [str(Path(sys.executable).parent / "dbt"), "test", "--store-failures",
         "-s", "assert_raw_fields_follow_the_contract"],
        cwd=REPO, env=env, capture_output=True, text=True, check=False, timeout=900,
    )  # fmt: skip
    assert result.returncode == 1, result.stdout
    with duckdb.connect(str(db), read_only=True) as con:
        rows = con.execute(
            "select table_name, reason_code, rows_with_reason from "
            "dbt_test__audit.assert_raw_fields_follow_the_contract"
        ).fetchall()
    assert {(t, r): n for t, r, n in rows} == dict(expected)
    # the lenient casts of issue #10 are among them
    assert ("order_items", "bad_money") in expected  # 12,99
    assert ("orders", "bad_timestamp") in expected  # an offset

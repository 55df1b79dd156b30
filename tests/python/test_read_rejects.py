"""Read-time rejects (docs/decisions.md D52, D82): the lines a CSV reader cannot
split or decode are stored by the base models' own read of each file, each with
its file line and reason, exactly the read-time defects that dirty mode injected
(defects.csv); a clean world has none. Plain `dbt run`, no loader step: a build
that skipped one would lose those lines silently."""

from __future__ import annotations

import csv
import os
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from generator.cli import main

REPO = Path(__file__).resolve().parents[2]
DBT = str(Path(sys.executable).with_name("dbt"))
READ_TIME = {"quarantine:truncated_row", "quarantine:bad_encoding"}


def read_rejects(world: Path, root: Path) -> list[tuple[str, str, int, str, str]]:
    """Build the base models over `world`, then every stored reject."""
    db = root / "cartify.duckdb"
    finished = subprocess.run(
        [DBT, "run", "--quiet", "--select", "path:models/staging/cartify/base",
         "--exclude", "base_cartify__cross_table_rejects"],
        cwd=REPO, capture_output=True, text=True, check=False, timeout=600,
        env={
            **os.environ,
            "DBT_PROFILES_DIR": str(REPO),
            "CARTIFY_DUCKDB_PATH": str(db),
            "CARTIFY_DATA_DIR": str(world),
            "CARTIFY_RAW_FORMAT": "csv",
            "DBT_TARGET_PATH": str(root / "target"),
            "DBT_LOG_PATH": str(root / "logs"),
        },
    )  # fmt: skip
    assert finished.returncode == 0, finished.stdout[-3000:] + finished.stderr
    with duckdb.connect(str(db), read_only=True) as con:
        tables = [row[0] for row in con.execute(
            "select table_name from information_schema.tables "
            "where table_schema = 'raw' and table_name like 'read_rejects__%'"
        ).fetchall()]  # fmt: skip
        assert len(tables) == 14, tables  # one per raw table, even when empty
        return sorted(
            (table, file, int(line), reason, raw)
            for name in tables
            for table, file, line, reason, raw in con.execute(
                "select table_name, file_name, line, reason_code, raw_text "
                f"from raw.{name}"
            ).fetchall()
        )


def test_read_time_defects_are_the_rejects(
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    root = tmp_path_factory.mktemp("rejects")
    world = root / "raw"
    assert main(["--scale", "0.02", "--seed", "5", "--quiet", "--dirty", "0.01",
                 "--out", str(world)]) == 0  # fmt: skip
    with (world / "defects.csv").open(newline="") as f:
        expected = sorted(
            (d["table"], int(d["line"]), d["expected"].split(":")[1])
            for d in csv.DictReader(f)
            if d["expected"] in READ_TIME
        )
    found = read_rejects(world, root)
    assert [(t, line, reason) for t, _, line, reason, _ in found] == expected
    assert {reason for *_, reason in expected} == {"truncated_row", "bad_encoding"}
    for table, file, line, _, raw in found:
        assert file == f"{table}.csv"
        text = (world / file).read_bytes().split(b"\n")[line - 1]
        # the raw text is the line as read (a byte that is not UTF-8 replaced)
        assert raw == text.decode("utf-8", "replace").replace("\ufffd", "?")


def test_a_clean_world_has_no_rejects(
    generated_world: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    assert read_rejects(generated_world, tmp_path_factory.mktemp("clean")) == []

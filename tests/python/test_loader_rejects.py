"""loader.rejects: the lines a CSV reader cannot split or decode are caught at read
time, each with its file line and reason, exactly the read-time defects that dirty
mode injected (defects.csv); a clean world has none."""

from __future__ import annotations

import csv
from pathlib import Path

import duckdb
import pytest

from generator.cli import main
from loader import rejects

READ_TIME = {"quarantine:truncated_row", "quarantine:bad_encoding"}


@pytest.fixture(scope="module")
def dirty_world(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("rejects") / "raw"
    assert main(["--scale", "0.02", "--seed", "5", "--quiet", "--dirty", "0.01",
                 "--out", str(out)]) == 0  # fmt: skip
    return out


def read_rejects(directory: Path) -> list[tuple[str, str, int, str, str]]:
    with duckdb.connect() as con:
        rejects.write(con, directory)
        return [
            (table, file, int(line), reason, raw)
            for table, file, line, reason, raw in con.execute(
                "select table_name, file_name, line, reason_code, raw_text "
                "from raw.read_rejects order by table_name, line"
            ).fetchall()
        ]


def test_read_time_defects_are_the_rejects(dirty_world: Path) -> None:
    with (dirty_world / "defects.csv").open(newline="") as f:
        expected = sorted(
            (d["table"], int(d["line"]), d["expected"].split(":")[1])
            for d in csv.DictReader(f)
            if d["expected"] in READ_TIME
        )
    found = read_rejects(dirty_world)
    assert [(t, line, reason) for t, _, line, reason, _ in found] == expected
    assert {reason for *_, reason in expected} == {"truncated_row", "bad_encoding"}
    for table, file, line, _, raw in found:
        assert file == f"{table}.csv"
        text = (dirty_world / file).read_bytes().split(b"\n")[line - 1]
        # the raw text is the line as read (a byte that is not UTF-8 replaced)
        assert raw == text.decode("utf-8", "replace").replace("\ufffd", "?")


def test_a_clean_world_has_no_rejects(generated_world: Path) -> None:
    assert read_rejects(generated_world) == []

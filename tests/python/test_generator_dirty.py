"""Dirty mode (generator/dirty.py): every defect is where defects.csv says, differs
from the clean world exactly as recorded, and the same seed spoils the same way;
without --dirty the output is the clean world, byte for byte."""

from __future__ import annotations

import csv
import hashlib
from pathlib import Path

import pytest

from generator.cli import main
from generator.dirty import BOM, DEFECTS_FILE, split_tokens
from generator.schema import TABLES

RATE = "0.01"
# every kind of defect the issue lists, and what is expected of the warehouse
KINDS = {
    "exact_duplicate": "repair:duplicate_collapsed",
    "resent_changed": "quarantine:conflicting_resend",
    "empty_required": "quarantine:missing_required",
    "decimal_comma": "quarantine:bad_money",
    "money_exponent": "quarantine:bad_money",
    "money_precision": "quarantine:bad_money",
    "fractional_integer": "quarantine:bad_integer",
    "timestamp_format": "quarantine:bad_timestamp",
    "timestamp_offset": "quarantine:bad_timestamp",
    "truncated_row": "quarantine:truncated_row",
    "cut_last_field": "quarantine:bad_timestamp",
    "invalid_utf8": "quarantine:bad_encoding",
    "byte_order_mark": "repair:bom_stripped",
    "orphan_fk": "quarantine:orphan_parent",
    "out_of_range": "quarantine:out_of_range",
    "case_whitespace": "repair:trimmed_lowercased",
    "refund_above_paid": "quarantine:refund_exceeds_paid",
    "session_customer_mismatch": "quarantine:customer_contradiction",
    "late_row": "quarantine:late_beyond_lookback",
}


def digests(directory: Path) -> dict[str, str]:
    return {
        p.name: hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(directory.iterdir())
    }


@pytest.fixture(scope="module")
def worlds(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """(clean, dirty) worlds of the same seed and scale."""
    base = tmp_path_factory.mktemp("dirty")
    clean, dirty = base / "clean", base / "dirty"
    assert main(["--scale", "0.02", "--quiet", "--out", str(clean)]) == 0
    assert (
        main(["--scale", "0.02", "--quiet", "--dirty", RATE, "--out", str(dirty)]) == 0
    )
    return clean, dirty


def read_defects(directory: Path) -> list[dict[str, str]]:
    with (directory / DEFECTS_FILE).open(newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def lines(path: Path) -> list[str]:
    data = path.read_bytes()
    if data.startswith(BOM):
        data = data[len(BOM) :]
    return data.decode("utf-8", "surrogateescape").split("\n")


def fields_by_key(directory: Path, table: str) -> dict[str, list[str]]:
    rows = lines(directory / f"{table}.csv")[1:]
    key = 2 if table == "ad_daily_stats" else 1
    return {
        "|".join(t.strip('"') for t in split_tokens(r)[:key]): split_tokens(r)
        for r in rows
        if r
    }


def text(token: str) -> str:
    return token[1:-1].replace('""', '"') if token.startswith('"') else token


def test_every_kind_is_injected_with_its_expected_outcome(
    worlds: tuple[Path, Path],
) -> None:
    defects = read_defects(worlds[1])
    assert {d["kind"] for d in defects} == set(KINDS)
    for d in defects:
        assert d["expected"] == KINDS[d["kind"]], d


def test_each_defect_is_on_its_line_and_differs_from_the_clean_row(
    worlds: tuple[Path, Path],
) -> None:
    clean_dir, dirty_dir = worlds
    clean = {t: fields_by_key(clean_dir, t) for t in TABLES}
    for d in read_defects(dirty_dir):
        table, number = d["table"], int(d["line"])
        file_lines = lines(dirty_dir / f"{table}.csv")
        line = file_lines[number - 1]
        columns = [name for name, _ in TABLES[table]]
        if d["kind"] == "byte_order_mark":
            assert (dirty_dir / f"{table}.csv").read_bytes().startswith(BOM)
            continue
        tokens = split_tokens(line)
        if d["kind"] == "exact_duplicate":
            assert line == file_lines[number - 2], d  # the line above, again
            assert line.split(",")[0] == d["key"].split("|")[0]
            continue
        if d["kind"] == "truncated_row":
            assert len(tokens) < len(columns), d
            assert ",".join(clean[table][d["key"]]) == d["clean_text"]
            continue
        if d["kind"] == "late_row":
            assert d["key"] not in clean[table], d  # a new id
            assert text(tokens[columns.index("started_at")]) == d["dirty_text"]
            continue
        if d["kind"] == "cut_last_field":
            assert number == len(file_lines)  # the last line, no line end after it
        value = text(tokens[columns.index(d["column"])])
        shown = value.encode("utf-8", "surrogateescape").decode(
            "utf-8", "backslashreplace"
        )
        assert shown == d["dirty_text"], d
        assert value != d["clean_text"], d
        clean_row = clean[table][d["key"]]
        assert text(clean_row[columns.index(d["column"])]) == d["clean_text"], d


def test_defect_rows_are_about_rate_of_the_table(worlds: tuple[Path, Path]) -> None:
    defects = read_defects(worlds[1])
    pageviews = len(lines(worlds[0] / "pageviews.csv")) - 2
    spoiled = sum(d["table"] == "pageviews" for d in defects)
    assert 0.5 * float(RATE) * pageviews <= spoiled <= float(RATE) * pageviews


def test_same_seed_spoils_the_same_way(
    worlds: tuple[Path, Path], tmp_path: Path
) -> None:
    again = tmp_path / "again"
    assert (
        main(["--scale", "0.02", "--quiet", "--dirty", RATE, "--out", str(again)]) == 0
    )
    assert digests(again) == digests(worlds[1])
    other = tmp_path / "other"
    assert main(["--scale", "0.02", "--seed", "7", "--quiet", "--dirty", RATE,
                 "--out", str(other)]) == 0  # fmt: skip
    assert read_defects(other) != read_defects(worlds[1])


def test_clean_mode_is_byte_identical(generated_world: Path, tmp_path: Path) -> None:
    """Without --dirty (or with --dirty 0) the CLI writes exactly what the
    simulation writes: no defects file, not a byte changed."""
    reference = digests(generated_world)
    assert DEFECTS_FILE not in reference
    for extra in ([], ["--dirty", "0"]):
        out = tmp_path / f"clean{len(extra)}"
        assert main(["--scale", "0.05", "--quiet", *extra, "--out", str(out)]) == 0
        assert digests(out) == reference

"""loader.contract: each contract problem is one line naming the file and the
column, and a non-zero exit; a world that keeps the contract passes silently."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from generator.schema import TABLES
from loader.contract import DBT_MACRO, NULLABLE, check, dbt_macro, main

REPO = Path(__file__).resolve().parents[2]


def header(table: str) -> str:
    return ",".join(f'"{name}"' for name, _ in TABLES[table])


def row(table: str) -> str:
    return ",".join("1" for _ in TABLES[table])


@pytest.fixture
def world(tmp_path: Path) -> Path:
    """A world that keeps the contract: every table, its header, one row."""
    for table in TABLES:
        (tmp_path / f"{table}.csv").write_text(f"{header(table)}\n{row(table)}\n")
    manifest = {"format": "csv", "tables": {t: 1 for t in TABLES}}
    (tmp_path / "manifest.json").write_text(json.dumps(manifest))
    return tmp_path


def run(*args: str) -> tuple[int, list[str]]:
    result = subprocess.run(
        [sys.executable, "-m", "loader.contract", *args],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert "Traceback" not in result.stderr
    return result.returncode, result.stderr.splitlines()


def test_a_good_world_passes(world: Path) -> None:
    assert run(str(world)) == (0, [])


def test_a_generated_world_passes(generated_world: Path) -> None:
    assert check(generated_world) == []


def test_missing_file(world: Path) -> None:
    (world / "refunds.csv").unlink()
    assert run(str(world)) == (1, [f"error: {world / 'refunds.csv'}: missing file"])


def test_empty_file(world: Path) -> None:
    (world / "reviews.csv").write_text("")
    assert run(str(world)) == (
        1,
        [f"error: {world / 'reviews.csv'}: empty file (not even a header)"],
    )


def test_header_only_file(world: Path) -> None:
    (world / "orders.csv").write_text(header("orders") + "\n")
    assert run(str(world)) == (
        1,
        [f"error: {world / 'orders.csv'}: header but no rows (manifest.json says 1)"],
    )


def test_header_only_is_fine_when_the_manifest_says_no_rows(world: Path) -> None:
    (world / "refunds.csv").write_text(header("refunds") + "\n")
    manifest = json.loads((world / "manifest.json").read_text())
    manifest["tables"]["refunds"] = 0
    (world / "manifest.json").write_text(json.dumps(manifest))
    assert run(str(world)) == (0, [])


def test_missing_column(world: Path) -> None:
    columns = [name for name, _ in TABLES["order_items"] if name != "unit_price"]
    (world / "order_items.csv").write_text(
        ",".join(columns) + "\n" + ",".join("1" for _ in columns) + "\n"
    )
    assert run(str(world)) == (
        1,
        [f"error: {world / 'order_items.csv'}: missing column unit_price"],
    )


def test_unexpected_column_warns_by_default_and_fails_when_asked(
    world: Path,
) -> None:
    (world / "payments.csv").write_text(
        header("payments") + ',"fraud_score"\n' + row("payments") + ",7\n"
    )
    line = f"{world / 'payments.csv'}: unexpected column fraud_score"
    assert run(str(world)) == (0, [f"warning: {line}"])
    assert run(str(world), "--extra-columns", "error") == (1, [f"error: {line}"])


def test_a_byte_order_mark_is_not_a_column_problem(world: Path) -> None:
    path = world / "reviews.csv"
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    assert run(str(world)) == (0, [])


def test_every_problem_is_reported(world: Path) -> None:
    (world / "refunds.csv").unlink()
    (world / "reviews.csv").write_text("")
    problems = [str(p) for p in check(world)]
    assert len(problems) == 2


def test_parquet_layout(world: Path, tmp_path_factory: pytest.TempPathFactory) -> None:
    import pyarrow as pa  # type: ignore[import-untyped]
    import pyarrow.parquet as pq  # type: ignore[import-untyped]

    out = tmp_path_factory.mktemp("parquet")
    for table, columns in TABLES.items():
        (out / table).mkdir()
        names = [name for name, _ in columns if name != "reason"]
        data = pa.table({name: ["1"] for name in names})
        pq.write_table(data, out / table / f"{table}-2025-01.parquet")
    manifest = {"format": "parquet", "tables": {t: 1 for t in TABLES}}
    (out / "manifest.json").write_text(json.dumps(manifest))
    assert [str(p) for p in check(out)] == [
        f"error: {out / 'refunds'}: missing column reason"
    ]
    assert [str(p) for p in check(world)] == []


def test_usage_errors_are_one_line() -> None:
    assert run("/no/such/dir") == (2, ["error: /no/such/dir is not a directory"])
    code, lines = run()
    assert code == 2 and len(lines) == 1 and lines[0].startswith("error: ")


def test_no_abbreviated_options(world: Path) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["--extra-col", "error", str(world)])
    assert exit_info.value.code == 2


def test_the_dbt_macro_is_generated_from_the_schema() -> None:
    """macros/cartify_raw_contract.sql is `python -m loader.contract --dbt-macro`."""
    assert (REPO / DBT_MACRO).read_text() == dbt_macro()


def test_nullable_columns_are_the_empty_ones(generated_world: Path) -> None:
    """On a generated world, exactly the NULLABLE columns have empty fields."""
    import duckdb

    with duckdb.connect() as con:
        for table, columns in TABLES.items():
            counts = ", ".join(
                f'count(*) filter (where "{name}" is null)' for name, _ in columns
            )
            row = con.execute(
                f"select {counts} from read_csv('{generated_world / table}.csv', "
                "header = true, all_varchar = true)"
            ).fetchone()
            assert row is not None
            empty = {name for (name, _), n in zip(columns, row, strict=True) if n}
            assert empty == NULLABLE.get(table, frozenset()), table

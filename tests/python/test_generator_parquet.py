"""``--format parquet``: the same world as the CSVs, row for row, in the layout of
docs/raw_data.md (entity tables one file, event tables one file per month), with
the contract's types; cast to text (as the loaders do) every value reads as the CSV
spells it."""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pyarrow.parquet as pq  # type: ignore[import-untyped]
import pytest
from contract_types import DUCKDB_TYPES

from generator.cli import main
from generator.schema import TABLES, arrow_schema
from generator.simulate import EVENT_TABLES, Config, generate

Con = duckdb.DuckDBPyConnection
MONTHLY = (*EVENT_TABLES, "ad_daily_stats")


@pytest.fixture(scope="module")
def parquet_world(
    tmp_path_factory: pytest.TempPathFactory, generated_world: Path
) -> Path:
    """The conftest world (scale, seed, period) written as Parquet."""
    scale = json.loads((generated_world / "manifest.json").read_text())["scale"]
    out = tmp_path_factory.mktemp("parquet_world")
    generate(Config(scale=scale, seed=42, quiet=True, format="parquet"), out)
    return out


@pytest.fixture(scope="module")
def con(generated_world: Path, parquet_world: Path) -> Iterator[Con]:
    """csv_<table>: the CSV typed as the contract says; pq_<table>: the Parquet
    files; csv_text_/pq_text_<table>: every column as text (the raw layer)."""
    c = duckdb.connect()
    for table, columns in TABLES.items():
        types = ", ".join(f"'{name}': '{DUCKDB_TYPES[kind]}'" for name, kind in columns)
        path = generated_world / f"{table}.csv"
        c.execute(
            f"create view csv_{table} as select * from read_csv('{path}', "
            f"header = true, auto_detect = false, columns = {{{types}}})"
        )
        c.execute(
            f"create view csv_text_{table} as select * from read_csv('{path}', "
            "header = true, all_varchar = true)"
        )
        files = parquet_world / table / "*.parquet"
        c.execute(f"create view pq_{table} as select * from read_parquet('{files}')")
        text = ", ".join(f"cast({name} as varchar) as {name}" for name, _ in columns)
        c.execute(f"create view pq_text_{table} as select {text} from pq_{table}")
    yield c
    c.close()


def differing(con: Con, left: str, right: str) -> int:
    row = con.execute(
        f"select (select count(*) from (select * from {left} except all "
        f"select * from {right})) + (select count(*) from (select * from {right} "
        f"except all select * from {left}))"
    ).fetchone()
    assert row is not None
    return int(row[0])


@pytest.mark.parametrize("table", sorted(TABLES))
def test_same_rows_as_the_csv(con: Con, table: str) -> None:
    (n_csv,) = con.execute(f"select count(*) from csv_{table}").fetchone() or (0,)
    (n_pq,) = con.execute(f"select count(*) from pq_{table}").fetchone() or (0,)
    assert n_csv == n_pq and n_csv > 0
    assert differing(con, f"csv_{table}", f"pq_{table}") == 0


@pytest.mark.parametrize("table", sorted(TABLES))
def test_text_cast_spells_values_as_the_csv(con: Con, table: str) -> None:
    assert differing(con, f"csv_text_{table}", f"pq_text_{table}") == 0


@pytest.mark.parametrize("table", sorted(TABLES))
def test_contract_types(parquet_world: Path, table: str) -> None:
    want = arrow_schema(table)
    for path in sorted((parquet_world / table).glob("*.parquet")):
        got = pq.read_schema(path)
        assert got.names == want.names, path
        for have, field in zip(got, want, strict=True):
            if field.type.id == arrow_schema("orders").field("ordered_at").type.id:
                # Parquet has no seconds unit: whole seconds stored as milliseconds
                assert str(have.type) == "timestamp[ms]", (path, have)
            else:
                assert have.type == field.type, (path, have)


def test_layout_and_manifest(parquet_world: Path) -> None:
    manifest = json.loads((parquet_world / "manifest.json").read_text())
    assert manifest["format"] == "parquet"
    assert not list(parquet_world.glob("*.csv"))
    for table in TABLES:
        files = sorted(p.name for p in (parquet_world / table).glob("*.parquet"))
        if table in MONTHLY:
            pattern = rf"{table}-(\d{{4}}-\d{{2}})\.parquet"
            months = [re.fullmatch(pattern, f) for f in files]
            assert all(months), files
            assert {m.group(1) for m in months if m} <= {
                f"{y}-{mo:02d}" for y in (2024, 2025) for mo in range(1, 13)
            }
            assert len(files) >= 20, files  # the two years' months with rows
        else:
            assert files == [f"{table}.parquet"]


def test_each_monthly_file_holds_its_month(con: Con, parquet_world: Path) -> None:
    """Sessions and ad stats are filed by the month of their own date, so an engine
    that needs only recent months can skip the older files."""
    for table, column in (("website_sessions", "started_at"),
                          ("ad_daily_stats", "stat_date")):  # fmt: skip
        row = con.execute(
            f"select count(*) from read_parquet('{parquet_world / table}/*.parquet', "
            f"filename = true) where strftime({column}, '%Y-%m') <> "
            "regexp_extract(filename, '(\\d{4}-\\d{2})\\.parquet$', 1)"
        ).fetchone()
        assert row == (0,), table


def test_csv_world_says_its_format(generated_world: Path) -> None:
    manifest = json.loads((generated_world / "manifest.json").read_text())
    assert manifest["format"] == "csv"


def _continued(world: Path, out: Path, batches: int) -> Path:
    shutil.copytree(world, out)
    for _ in range(batches):
        assert main(["--continue", str(out), "--weeks", "1", "--quiet"]) == 0
    return out


def test_continuing_a_parquet_world_writes_the_csv_continuation_as_parquet(
    generated_world: Path, parquet_world: Path, tmp_path: Path
) -> None:
    """Two weekly batches on the Parquet world give the rows two batches give on
    the CSV world (the reference), with the contract's types, in Parquet; the
    month files no changed or new row falls in keep their bytes."""
    from generator.world import read_table

    from_csv = _continued(generated_world, tmp_path / "csv", 2)
    from_parquet = _continued(parquet_world, tmp_path / "parquet", 2)
    manifest = json.loads((from_parquet / "manifest.json").read_text())
    assert manifest["format"] == "parquet" and manifest["batch"] == 2
    assert not list(from_parquet.glob("*.csv"))
    for table in TABLES:
        files = sorted((from_parquet / table).glob("*.parquet"))
        assert files, table
        expected = read_table(from_csv, table)
        found = read_table(from_parquet, table)
        assert found.schema == arrow_schema(table), table
        # ad_daily_stats is in stat_date month order in Parquet, in the
        # generator's order in the CSV
        keys = [(name, "ascending") for name in found.column_names]
        assert found.sort_by(keys).equals(expected.sort_by(keys)), table
        assert manifest["tables"][table] == found.num_rows
    # the batches' new rows went to the month of their last day, 2026-01
    assert (from_parquet / "orders" / "orders-2026-01.parquet").is_file()
    # pageviews never change: every month file of the first world is untouched
    for path in sorted((parquet_world / "pageviews").glob("*.parquet")):
        after = from_parquet / "pageviews" / path.name
        assert after.read_bytes() == path.read_bytes(), path.name


def _reviews_chunk(review_id: int) -> dict[str, object]:
    import datetime as dt

    import pyarrow as pa  # type: ignore[import-untyped]

    schema = arrow_schema("reviews")
    values = {
        "review_id": review_id, "order_item_id": 1, "product_id": 1,
        "customer_id": 1, "rating": 5, "reviewed_at": dt.datetime(2025, 1, 2, 3, 4),
    }  # fmt: skip
    return {f.name: pa.array([values[f.name]], f.type) for f in schema}


def test_a_month_file_is_closed_when_the_next_month_starts(tmp_path: Path) -> None:
    """Each (table, month) file is finished as soon as the table's next month
    starts (flat memory); a chunk for a finished month is an error, never a
    silently rewritten file."""
    from generator.parquet_writer import ParquetSink

    sink = ParquetSink(tmp_path, quiet=True)
    sink.write("reviews", _reviews_chunk(1), month="2025-01")
    sink.write("reviews", _reviews_chunk(2), month="2025-01")
    sink.write("reviews", _reviews_chunk(3), month="2025-02")
    sink.write("reviews", _reviews_chunk(4), month="2025-01")
    with pytest.raises(ValueError, match="2025-01 after its file closed"):
        sink.close("reviews")
    sink.shutdown()
    january = pq.read_table(tmp_path / "reviews" / "reviews-2025-01.parquet")
    assert january.column("review_id").to_pylist() == [1, 2]

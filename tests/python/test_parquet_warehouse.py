"""The DuckDB warehouse reads a Parquet world exactly as it reads the CSV one
(docs/decisions.md D73): the same world (seed, scale, period) is generated as CSV
and as Parquet, each is published with `python -m loader.publish` (which sets
CARTIFY_RAW_FORMAT from manifest.json), and every mart must hold the same rows,
column for column. The Parquet build runs every data test too (the contract's
text checks among them read the Parquet source). A dbt run whose format setting
disagrees with the manifest stops with one line naming the fix.

About a minute and a half on the shared 2-core machine (two builds)."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pytest

REPO = Path(__file__).resolve().parents[2]
DBT = str(Path(sys.executable).parent / "dbt")
WORLD = ("--scale", "0.05", "--seed", "11", "--start", "2025-01-01",
         "--end", "2025-12-31")  # fmt: skip


@dataclass(frozen=True)
class Built:
    root: Path
    data: Path
    db: Path


def _env(root: Path, db: Path, data: Path) -> dict[str, str]:
    base = {k: v for k, v in os.environ.items() if k != "CARTIFY_RAW_FORMAT"}
    return {
        **base,
        "DBT_PROFILES_DIR": str(REPO),
        "CARTIFY_DUCKDB_PATH": str(db),
        "CARTIFY_DATA_DIR": str(data),
        "DBT_TARGET_PATH": str(root / "target"),
        "DBT_LOG_PATH": str(root / "logs"),
    }


def _build(root: Path, raw_format: str, *dbt_args: str) -> Built:
    data, db = root / "raw", root / "cartify.duckdb"
    subprocess.run(
        [sys.executable, "-m", "generator", "--quiet", *WORLD,
         "--format", raw_format, "--out", str(data)],
        cwd=REPO, check=True,
    )  # fmt: skip
    finished = subprocess.run(
        [sys.executable, "-m", "loader.publish", "--db", str(db), "--data",
         str(data), "--", "--quiet", "--exclude-resource-type", "unit_test",
         *dbt_args],
        cwd=REPO, env=_env(root, db, data), capture_output=True, text=True,
        check=False, timeout=1200,
    )  # fmt: skip
    assert finished.returncode == 0, finished.stdout[-4000:] + finished.stderr[-2000:]
    return Built(root, data, db)


@pytest.fixture(scope="module")
def csv_world(tmp_path_factory: pytest.TempPathFactory) -> Built:
    # models only: make test's dbt build runs the data tests on a CSV world
    return _build(
        tmp_path_factory.mktemp("csv_world"), "csv", "--exclude-resource-type", "test"
    )


@pytest.fixture(scope="module")
def parquet_world(tmp_path_factory: pytest.TempPathFactory) -> Built:
    return _build(tmp_path_factory.mktemp("parquet_world"), "parquet")


def _marts(db: Path) -> list[str]:
    with duckdb.connect(str(db), read_only=True) as con:
        rows = con.execute(
            "select table_name from information_schema.tables "
            "where table_schema = 'marts' and table_type = 'BASE TABLE' "
            "order by table_name"
        ).fetchall()
    return [str(row[0]) for row in rows]


def _sorted_rows(db: Path, relation: str) -> list[tuple[object, ...]]:
    with duckdb.connect(str(db), read_only=True) as con:
        rows = con.execute(f"select * from {relation}").fetchall()
    assert rows, f"{relation} is empty: the comparison would prove nothing"
    return sorted(rows, key=repr)


def test_parquet_world_is_read_as_parquet(parquet_world: Built) -> None:
    assert not list(parquet_world.data.glob("*.csv"))
    monthly = sorted((parquet_world.data / "orders").glob("orders-2025-*.parquet"))
    assert len(monthly) == 12


def test_every_mart_is_the_same_from_csv_and_parquet(
    csv_world: Built, parquet_world: Built
) -> None:
    marts = _marts(csv_world.db)
    assert len(marts) >= 20
    assert _marts(parquet_world.db) == marts
    with duckdb.connect() as con:
        con.execute(f"attach '{csv_world.db}' as from_csv (read_only)")
        con.execute(f"attach '{parquet_world.db}' as from_parquet (read_only)")
        for mart in marts:
            left, right = f"from_csv.marts.{mart}", f"from_parquet.marts.{mart}"
            counts = con.execute(
                f"select (select count(*) from {left}), (select count(*) from {right})"
            ).fetchone()
            assert counts is not None and counts[0] == counts[1] > 0, mart
            differing = con.execute(
                f"select count(*) from ((select * from {left} except all "
                f"select * from {right}) union all (select * from {right} "
                f"except all select * from {left}))"
            ).fetchone()
            assert differing == (0,), mart


def test_staging_reads_every_raw_row_of_the_parquet_files(
    parquet_world: Built,
) -> None:
    import pyarrow.parquet as pq  # type: ignore[import-untyped]

    files = sorted((parquet_world.data / "pageviews").glob("*.parquet"))
    raw_rows = sum(pq.ParquetFile(path).metadata.num_rows for path in files)
    with duckdb.connect(str(parquet_world.db), read_only=True) as con:
        staged = con.execute(
            "select count(*) from staging.stg_cartify__pageviews"
        ).fetchone()
    assert staged == (raw_rows,)


def test_a_format_setting_that_disagrees_with_the_manifest_stops_the_run(
    parquet_world: Built,
) -> None:
    root = parquet_world.root / "mismatch"
    env = _env(root, root / "cartify.duckdb", parquet_world.data)
    env["CARTIFY_RAW_FORMAT"] = "csv"
    finished = subprocess.run(
        [DBT, "run", "--select", "stg_cartify__discounts"],
        cwd=REPO, env=env, capture_output=True, text=True, check=False,
        timeout=600,
    )  # fmt: skip
    assert finished.returncode != 0
    assert (
        f"{parquet_world.data} holds a parquet world (manifest.json) but the raw "
        "source reads csv: set CARTIFY_RAW_FORMAT=parquet"
    ) in finished.stdout


def test_quarantine_locates_a_parquet_row_in_its_month_file(
    parquet_world: Built,
) -> None:
    """source_file / source_row of a base model name the month file and the row
    within it (1-based): read back with pyarrow, that row holds the same key."""
    import pyarrow.parquet as pq  # type: ignore[import-untyped]

    with duckdb.connect(str(parquet_world.db), read_only=True) as con:
        located = con.execute(
            "select source_file, source_row, order_id "
            "from staging.base_cartify__orders order by order_id"
        ).fetchall()
    files = sorted((parquet_world.data / "orders").glob("*.parquet"))
    keys = {
        path.name: pq.read_table(path, columns=["order_id"])
        .column("order_id")
        .to_pylist()
        for path in files
    }
    assert len(located) == sum(len(ids) for ids in keys.values())
    assert {row[0] for row in located} == set(keys)
    for source_file, source_row, order_id in located:
        assert keys[source_file][source_row - 1] == order_id
    # rows start again at 1 in every month file
    assert sum(1 for row in located if row[1] == 1) == len(files)


def test_the_first_copy_of_a_key_is_the_first_in_file_name_order(
    parquet_world: Built, tmp_path: Path
) -> None:
    """Copies of a key in several month files: the copy in the file whose name
    sorts first is kept and the others are duplicates, whatever order the files
    were written in (the first copy is found by a numeric position, file_index
    times 2^40 plus the row: DuckDB must expand the glob in name order, D87).
    The first month's file is written last here, and a second exact copy of a
    middle month's row goes after it in the last month's file."""
    import pyarrow as pa  # type: ignore[import-untyped]
    import pyarrow.parquet as pq  # type: ignore[import-untyped]

    data = tmp_path / "raw"
    shutil.copytree(parquet_world.data, data)
    files = sorted((data / "orders").glob("*.parquet"))
    first, middle, last = files[0], files[len(files) // 2], files[-1]
    assert len(files) >= 3
    last_rows, middle_rows = pq.read_table(last), pq.read_table(middle)
    copied = last_rows.slice(0, 2)  # the last month's first two orders
    pq.write_table(pa.concat_tables([last_rows, middle_rows.slice(0, 1)]), last)
    pq.write_table(pa.concat_tables([pq.read_table(first), copied]), first)
    first_rows = pq.read_table(first).num_rows

    db = tmp_path / "cartify.duckdb"
    env = {**_env(tmp_path, db, data), "CARTIFY_RAW_FORMAT": "parquet"}
    finished = subprocess.run(
        [DBT, "run", "--quiet", "--select", "base_cartify__orders"],
        cwd=REPO, env=env, capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert finished.returncode == 0, finished.stdout[-4000:]
    one, two = (int(key) for key in copied.column("order_id").to_pylist())
    three = int(middle_rows.column("order_id")[0].as_py())
    with duckdb.connect(str(db), read_only=True) as con:
        rows = con.execute(
            "select order_id, source_file, source_row, row_status "
            "from staging.base_cartify__orders where order_id in (?, ?, ?) "
            "order by order_id, row_status",
            [one, two, three],
        ).fetchall()
    # the copies appended to the first file are its last two rows; the
    # originals are the last file's first two; the middle row's second copy
    # follows the last file's own rows
    expected = sorted(
        [
            (one, first.name, first_rows - 1, "kept"),
            (one, last.name, 1, "duplicate"),
            (two, first.name, first_rows, "kept"),
            (two, last.name, 2, "duplicate"),
            (three, middle.name, 1, "kept"),
            (three, last.name, last_rows.num_rows + 1, "duplicate"),
        ],
        key=lambda row: (row[0], row[3]),
    )
    assert rows == expected


def test_a_weekly_parquet_batch_built_incrementally_equals_a_full_refresh(
    parquet_world: Built, tmp_path: Path
) -> None:
    """The weekly run on a Parquet world (D78): the world continued by one week
    in Parquet, the published warehouse built again incrementally (write-audit-
    publish, as `make build`), equals a fresh build of the same files: every
    mart and incremental staging model, row for row."""
    data = tmp_path / "raw"
    shutil.copytree(parquet_world.data, data)
    subprocess.run(
        [sys.executable, "-m", "generator", "--continue", str(data), "--quiet"],
        cwd=REPO, check=True,
    )  # fmt: skip
    batch = json.loads((data / "manifest.json").read_text())["batches"][-1]
    assert batch["late_sessions"] > 0 and batch["changed"]["orders"] > 0
    incremental_db = tmp_path / "incremental" / "cartify.duckdb"
    incremental_db.parent.mkdir()
    shutil.copyfile(parquet_world.db, incremental_db)
    built = {}
    for name, db in (("incremental", incremental_db),
                     ("full", tmp_path / "full" / "cartify.duckdb")):  # fmt: skip
        finished = subprocess.run(
            [sys.executable, "-m", "loader.publish", "--db", str(db), "--data",
             str(data), "--", "--quiet", "--exclude-resource-type", "unit_test"],
            cwd=REPO, env=_env(tmp_path / name, db, data), capture_output=True,
            text=True, check=False, timeout=1200,
        )  # fmt: skip
        assert finished.returncode == 0, finished.stdout[-4000:] + finished.stderr
        built[name] = db
    marts = [f"marts.{mart}" for mart in _marts(built["full"])]
    with duckdb.connect() as con:
        con.execute(f"attach '{built['incremental']}' as inc (read_only)")
        con.execute(f"attach '{built['full']}' as ref (read_only)")
        for relation in marts:
            left, right = f"inc.{relation}", f"ref.{relation}"
            differing = con.execute(
                f"select count(*) from ((select * from {left} except all "
                f"select * from {right}) union all (select * from {right} "
                f"except all select * from {left}))"
            ).fetchone()
            assert differing == (0,), relation
    # The staging views (D81) name their base tables with the warehouse's own
    # catalog, so each warehouse is opened as itself.
    for table in ("sessions", "pageviews", "orders", "order_items"):
        relation = f"staging.stg_cartify__{table}"
        assert _sorted_rows(built["incremental"], relation) == _sorted_rows(
            built["full"], relation
        ), relation
    with duckdb.connect(str(built["incremental"]), read_only=True) as con:
        # the incremental warehouse really holds the batch's new sessions
        newest = con.execute(
            "select max(started_at) from staging.stg_cartify__sessions"
        ).fetchone()
        # the event tables' base models read again only the month files the
        # batch wrote (D88): every other file's rows are the first build's
        reread = dict(
            con.execute(
                "select source_file, count(*) from staging.base_cartify__pageviews "
                "where load_id not in (select load_id from "
                "staging.base_cartify__pageviews where source_file = ?) "
                "group by source_file",
                [sorted((data / "pageviews").glob("*.parquet"))[0].name],
            ).fetchall()
        )
    assert newest is not None and str(newest[0]) > "2026-01-01"
    written = {
        path.name
        for path in (data / "pageviews").glob("*.parquet")
        if not (parquet_world.data / "pageviews" / path.name).exists()
        or (parquet_world.data / "pageviews" / path.name).read_bytes()
        != path.read_bytes()
    }
    assert written and set(reread) == written
    # D13 for the facts: no incremental fact reads another incremental model;
    # the base models, incremental here, read nothing but their raw source
    manifest = json.loads(
        (tmp_path / "incremental" / "target" / "manifest.json").read_text()
    )
    incremental = {
        node["name"]: node["depends_on"]["nodes"]
        for node in manifest["nodes"].values()
        if node["resource_type"] == "model"
        and node["config"]["materialized"] == "incremental"
    }
    assert set(incremental) == {
        "fct_sessions", "fct_orders", "fct_order_items",
        "base_cartify__pageviews", "base_cartify__website_sessions",
    }  # fmt: skip
    for name in ("base_cartify__pageviews", "base_cartify__website_sessions"):
        assert all(parent.startswith("source.") for parent in incremental[name])


def _base_rows(db: Path, table: str) -> tuple[list[tuple[object, ...]], set[str]]:
    """A base model's rows without its increment columns, sorted, and the
    load ids it holds."""
    with duckdb.connect(str(db), read_only=True) as con:
        rows = con.execute(
            f"select * exclude (load_id, source_file_version) "
            f"from staging.base_cartify__{table}"
        ).fetchall()
        loads = con.execute(
            f"select distinct source_file || ' ' || load_id "
            f"from staging.base_cartify__{table}"
        ).fetchall()
    return sorted(rows, key=repr), {str(row[0]) for row in loads}


def _edit_pageviews(data: Path, change: str) -> str | None:
    """Change the raw pageviews as `change` says; the file whose rows alone an
    incremental run must read again (None: none; '*': every file)."""
    import pyarrow as pa  # type: ignore[import-untyped]
    import pyarrow.parquet as pq  # type: ignore[import-untyped]

    files = sorted((data / "pageviews").glob("*.parquet"))
    first, middle, last = files[0], files[len(files) // 2], files[-1]
    if change in ("unchanged", "predates"):
        return None
    if change == "appended":  # a new pageview at the end of the last month
        rows = pq.read_table(last)
        new = rows.slice(rows.num_rows - 1, 1).to_pylist()[0]
        new["pageview_id"] = max(rows.column("pageview_id").to_pylist()) + 1000
        pq.write_table(
            pa.concat_tables([rows, pa.Table.from_pylist([new], rows.schema)]), last
        )
        return last.name
    if change == "rewritten":  # an old month's row changed in place
        rows = pq.read_table(middle).to_pylist()
        rows[4]["page_url"] = "/changed-in-place"
        pq.write_table(pa.Table.from_pylist(rows, pq.read_schema(middle)), middle)
        return middle.name
    if change == "resent":  # an old pageview sent again, another page
        rows = pq.read_table(last)
        old = pq.read_table(first).slice(0, 1).to_pylist()[0]
        old["page_url"] = "/resent-with-another-page"
        pq.write_table(
            pa.concat_tables([rows, pa.Table.from_pylist([old], rows.schema)]), last
        )
        return "*"
    assert change == "gone"  # the first month's file removed
    first.unlink()
    return "*"


@pytest.mark.parametrize(
    "change", ["unchanged", "appended", "rewritten", "resent", "gone", "predates"]
)
def test_an_incremental_base_model_reads_only_what_changed_and_equals_a_full_read(
    parquet_world: Built, tmp_path: Path, change: str
) -> None:
    """D88: base_cartify__pageviews, built incrementally over the warehouse,
    holds exactly the rows a full read of the changed files gives, and reads
    again only the changed file, or every file when a change needs them all
    (a key sent again whose other copy is in an unchanged file: both become
    conflicting_resend; a file gone; a table built before the increment
    columns existed, which is rebuilt instead of failing on the schema)."""
    data = tmp_path / "raw"
    shutil.copytree(parquet_world.data, data)  # copy2: sizes and times kept
    reread = _edit_pageviews(data, change)
    incremental_db = tmp_path / "incremental" / "cartify.duckdb"
    incremental_db.parent.mkdir()
    shutil.copyfile(parquet_world.db, incremental_db)
    _, loads_before = _base_rows(incremental_db, "pageviews")
    if change == "predates":
        with duckdb.connect(str(incremental_db)) as con:
            for column in ("load_id", "source_file_version"):
                con.execute(
                    f"alter table staging.base_cartify__pageviews drop {column}"
                )
    built, said = {}, {}
    for name, db in (("incremental", incremental_db),
                     ("full", tmp_path / "full" / "cartify.duckdb")):  # fmt: skip
        env = {**_env(tmp_path / name, db, data), "CARTIFY_RAW_FORMAT": "parquet"}
        finished = subprocess.run(
            [DBT, "run", "--select", "base_cartify__pageviews"],
            cwd=REPO, env=env, capture_output=True, text=True, check=False,
        )  # fmt: skip
        assert finished.returncode == 0, finished.stdout[-4000:]
        built[name] = _base_rows(db, "pageviews")
        said[name] = re.findall(r"base_cartify__pageviews reads .*", finished.stdout)
    # The log says what an incremental run read, and why it read every file.
    assert not said["full"]
    assert said["incremental"] == {
        "unchanged": ["base_cartify__pageviews reads 0 new or changed file(s)"],
        "appended": ["base_cartify__pageviews reads 1 new or changed file(s)"],
        "rewritten": ["base_cartify__pageviews reads 1 new or changed file(s)"],
        "resent": [
            "base_cartify__pageviews reads every file: "
            "1 keys of the changed files are held from other files"
        ],
        "gone": [
            "base_cartify__pageviews reads every file: gone: "
            + sorted(path.name for path in parquet_world.data.glob("pageviews/*"))[0]
        ],
        "predates": [],  # rebuilt whole: not an incremental run
    }[change]
    assert built["incremental"][0] == built["full"][0]
    loads = built["incremental"][1]
    kept = {load for load in loads if load in loads_before}
    read = {load.split(" ")[0] for load in loads - loads_before}
    if reread == "*" or change == "predates":
        assert not kept and all(load.endswith(":all") for load in loads)
    else:
        assert read == ({reread} if reread else set())
        assert {load.split(" ")[0] for load in kept} | read == {
            path.name for path in (data / "pageviews").glob("*.parquet")
        }
    if change == "resent":
        with duckdb.connect(str(incremental_db), read_only=True) as con:
            statuses = con.execute(
                "select count(*) from staging.base_cartify__pageviews "
                "where reason_code = 'conflicting_resend'"
            ).fetchall()
        assert statuses == [(2,)]

"""Quarantine end to end (issue #10, docs/decisions.md D65-D72).

A world is generated twice with the same seed: clean, and with ``--dirty``. The
dirty one is built (write, audit, publish: every model and test). Then:

- the build succeeds: no bad row stops it;
- every defect of defects.csv is repaired, or is in quarantined_rows with the
  reason it expects, on its file line;
- data_quality accounts for every raw line of every file (counted here from the
  files), and rows_kept is what staging publishes;
- the marts equal those built from the CLEAN world with exactly the untrusted
  business rows and their dependants removed. Which rows those are is worked
  out here, in Python, from the clean CSVs and defects.csv (never from the
  warehouse): a defect's row, the rows of its parent that is untrusted
  (customer, product), and the whole transaction it belongs to (a session, its
  pageviews, its order, the order's items, payment and refunds), then the
  reviews of removed items.
"""

from __future__ import annotations

import csv
import functools
import os
import shutil
import subprocess
import sys
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest
import sqlglot
from sqlglot import exp

from generator.schema import TABLES

REPO = Path(__file__).resolve().parents[2]
SCALE, SEED, RATE = "0.02", "5", "0.01"
KEYS = {table: [columns[0][0]] for table, columns in TABLES.items()}
KEYS["ad_daily_stats"] = ["ad_id", "stat_date"]


def generate(out: Path, *args: str) -> Path:
    subprocess.run(
        [sys.executable, "-m", "generator", "--quiet", "--scale", SCALE,
         "--seed", SEED, "--out", str(out), *args],
        cwd=REPO, check=True,
    )  # fmt: skip
    return out


def publish(root: Path, db: Path, data: Path) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "DBT_PROFILES_DIR": str(REPO),
        "CARTIFY_DUCKDB_PATH": str(db),
        "CARTIFY_DATA_DIR": str(data),
        "DBT_TARGET_PATH": str(root / "target"),
        "DBT_LOG_PATH": str(root / "logs"),
    }
    return subprocess.run(
        [sys.executable, "-m", "loader.publish", "--db", str(db), "--data",
         str(data), "--", "--quiet", "--exclude-resource-type", "unit_test"],
        cwd=REPO, env=env, capture_output=True, text=True, check=False,
        timeout=1800,
    )  # fmt: skip


def read_rows(path: Path) -> tuple[str, list[str], list[dict[str, str]]]:
    """The header line, the raw data lines and the parsed rows of a clean CSV."""
    text = path.read_text(encoding="utf-8")
    lines = text.split("\n")
    if lines[-1] == "":
        lines.pop()
    rows = list(csv.DictReader(lines))
    return lines[0], lines[1:], rows


def key_of(table: str, row: dict[str, str]) -> str:
    return "|".join(row[column] for column in KEYS[table])


def untrusted(clean: Path, defects: list[dict[str, str]]) -> dict[str, set[str]]:
    """The keys of every table's rows the warehouse cannot trust, from the clean
    files and the defects: the rules of base_cartify__cross_table_rejects, made
    again here on the CSVs."""
    rows = {table: read_rows(clean / f"{table}.csv")[2] for table in TABLES}
    bad: dict[str, set[str]] = defaultdict(set)
    for defect in defects:
        outcome = defect["expected"]
        if outcome.startswith("quarantine:") and defect["kind"] != "late_row":
            bad[defect["table"]].add(defect["key"])  # late rows are not clean rows
    # parents that are not transactions
    bad_customers = bad["customers"]
    bad_products = bad["products"]
    for row in rows["inventory"]:
        if row["product_id"] in bad_products:
            bad["inventory"].add(row["product_id"])
    # rows with an untrusted parent
    for row in rows["website_sessions"]:
        if row["customer_id"] in bad_customers:
            bad["website_sessions"].add(row["session_id"])
    for row in rows["orders"]:
        if row["customer_id"] in bad_customers:
            bad["orders"].add(row["order_id"])
    for row in rows["order_items"]:
        if row["product_id"] in bad_products:
            bad["order_items"].add(row["order_item_id"])
    # whole transactions: a session with any untrusted row of its own, its
    # pageviews, its order, the order's items, payment or refunds
    session_of_order = {r["order_id"]: r["session_id"] for r in rows["orders"]}
    sessions = set(bad["website_sessions"])
    sessions |= {
        r["session_id"]
        for r in rows["pageviews"]
        if r["pageview_id"] in bad["pageviews"]
    }
    orders = set(bad["orders"])
    orders |= {
        r["order_id"]
        for r in rows["order_items"]
        if r["order_item_id"] in bad["order_items"]
    }
    orders |= {
        r["order_id"] for r in rows["payments"] if r["payment_id"] in bad["payments"]
    }
    orders |= {
        r["order_id"] for r in rows["refunds"] if r["refund_id"] in bad["refunds"]
    }
    sessions |= {session_of_order[o] for o in orders if o in session_of_order}
    orders = {o for o, s in session_of_order.items() if s in sessions}
    bad["website_sessions"] |= sessions
    bad["pageviews"] |= {
        r["pageview_id"] for r in rows["pageviews"] if r["session_id"] in sessions
    }
    bad["orders"] |= orders
    bad["order_items"] |= {
        r["order_item_id"] for r in rows["order_items"] if r["order_id"] in orders
    }
    bad["payments"] |= {
        r["payment_id"] for r in rows["payments"] if r["order_id"] in orders
    }
    items = bad["order_items"]
    bad["refunds"] |= {
        r["refund_id"] for r in rows["refunds"] if r["order_item_id"] in items
    }
    bad["reviews"] |= {
        r["review_id"]
        for r in rows["reviews"]
        if r["order_item_id"] in items
        or r["product_id"] in bad_products
        or r["customer_id"] in bad_customers
    }  # fmt: skip
    return bad


def prune(clean: Path, out: Path, bad: dict[str, set[str]]) -> None:
    """The clean world without the untrusted rows (lines copied byte for byte)."""
    out.mkdir()
    shutil.copy(clean / "manifest.json", out / "manifest.json")
    for table in TABLES:
        header, lines, rows = read_rows(clean / f"{table}.csv")
        kept = [
            line for line, row in zip(lines, rows, strict=True)
            if key_of(table, row) not in bad[table]
        ]  # fmt: skip
        (out / f"{table}.csv").write_text("\n".join([header, *kept]) + "\n")


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Path]]:
    root = tmp_path_factory.mktemp("quarantine")
    clean = generate(root / "clean")
    dirty = generate(root / "dirty", "--dirty", RATE)
    with (dirty / "defects.csv").open(newline="", encoding="utf-8") as f:
        defects = list(csv.DictReader(f))
    pruned = root / "pruned"
    prune(clean, pruned, untrusted(clean, defects))
    for name, world in (("dirty", dirty), ("pruned", pruned), ("clean", clean)):
        result = publish(root / name, root / f"{name}.duckdb", world)
        assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-2000:]
    # the dirty world over the clean world's warehouse: the same seed and
    # period, so an incremental run, where keys published clean are now
    # untrusted
    shutil.copy(root / "clean.duckdb", root / "incremental.duckdb")
    result = publish(root / "incremental", root / "incremental.duckdb", dirty)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-2000:]
    yield {
        "dirty": dirty,
        "dirty_db": root / "dirty.duckdb",
        "dirty_compiled": root / "dirty" / "target" / "compiled" / "cartify",
        "pruned_db": root / "pruned.duckdb",
        "incremental_db": root / "incremental.duckdb",
    }


def defects_of(world: Path) -> list[dict[str, str]]:
    with (world / "defects.csv").open(newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def test_every_defect_is_repaired_or_quarantined_with_its_reason(
    built: dict[str, Path],
) -> None:
    defects = defects_of(built["dirty"])
    with duckdb.connect(str(built["dirty_db"]), read_only=True) as con:
        quarantined = con.execute(
            "select table_name, row_key, reason_code, file_line "
            "from staging.quarantined_rows"
        ).fetchall()
        located = {(t, k, r, int(line)) for t, k, r, line in quarantined}
        by_key: dict[tuple[str, str, str], int] = defaultdict(int)
        for table, key, reason, _ in quarantined:
            by_key[(table, key, reason)] += 1

        def base(table: str, condition: str, key: str) -> int:
            # a kept row whose key reads back as its typed key has no row_key
            # (D81): its typed key as text
            typed = " || '|' || ".join(
                f"cast({column} as varchar)" for column in KEYS[table]
            )
            found = con.execute(
                f"select count(*) from staging.base_cartify__{table} "
                f"where coalesce(row_key, {typed}) = ? and {condition}",
                [key],
            ).fetchone()
            return int(found[0]) if found else 0

        kinds = set()
        for defect in defects:
            table, key, line = defect["table"], defect["key"], int(defect["line"])
            action, reason = defect["expected"].split(":")
            kinds.add(defect["kind"])
            if reason == "duplicate_collapsed":
                assert base(table, "row_status = 'duplicate'", key) >= 1, defect
            elif reason == "trimmed_lowercased":
                assert base(table, "row_status = 'kept' and is_repaired", key) == 1, (
                    defect
                )
            elif reason == "bom_stripped":
                assert con.execute(
                    "select count(*) from staging.base_cartify__reviews "
                    "where review_id is null"
                ).fetchone() == (0,)
            else:
                assert action == "quarantine", defect
                assert (table, key, reason, line) in located, defect
                if reason == "conflicting_resend":  # both versions, no tie-break
                    assert by_key[(table, key, reason)] == 2, defect
    assert len(kinds) == 19  # every kind of dirty mode was injected and checked


def data_lines(path: Path) -> int:
    data = path.read_bytes()
    return data.count(b"\n") + (0 if data.endswith(b"\n") else 1) - 1


def test_every_raw_line_is_accounted_for(built: dict[str, Path]) -> None:
    staging = {
        table: f"stg_cartify__{'sessions' if table == 'website_sessions' else table}"
        for table in TABLES
    }
    with duckdb.connect(str(built["dirty_db"]), read_only=True) as con:
        for table in TABLES:
            read, kept, duplicates, quarantined = con.execute(
                "select rows_read, rows_kept, duplicates_collapsed, "
                "rows_quarantined from marts.data_quality "
                "where table_name = ? and reason_code = 'total'",
                [table],
            ).fetchone() or (None, None, None, None)
            assert read == data_lines(built["dirty"] / f"{table}.csv"), table
            assert read == kept + duplicates + quarantined, table
            published = con.execute(
                f"select count(*) from staging.{staging[table]}"
            ).fetchone()
            assert published == (kept,), table
            by_reason = con.execute(
                "select coalesce(sum(rows_quarantined), 0) from marts.data_quality "
                "where table_name = ? and reason_code <> 'total'",
                [table],
            ).fetchone()
            assert by_reason == (quarantined,), table


def test_marts_equal_the_clean_world_without_the_untrusted_rows(
    built: dict[str, Path],
) -> None:
    con = duckdb.connect()
    con.execute(f"attach '{built['dirty_db']}' as dirty (read_only)")
    con.execute(f"attach '{built['pruned_db']}' as pruned (read_only)")
    marts = [
        name
        for (name,) in con.execute(
            "select table_name from information_schema.tables "
            "where table_catalog = 'dirty' and table_schema = 'marts' "
            "and table_name not in ('data_quality', 'metricflow_time_spine')"
        ).fetchall()
    ]
    assert len(marts) >= 20
    differing = []
    for mart in marts:
        for left, right in (("dirty", "pruned"), ("pruned", "dirty")):
            extra = con.execute(
                f"select count(*) from (select * from {left}.marts.{mart} "
                f"except all select * from {right}.marts.{mart})"
            ).fetchone()
            if extra != (0,):
                differing.append((mart, left, extra))
    assert not differing
    # the dirty world really lost rows: the comparison is not between equals
    assert con.execute(
        "select (select count(*) from dirty.marts.fct_orders) "
        "< (select count(*) from dirty.staging.base_cartify__orders)"
    ).fetchone() == (True,)
    con.close()


def test_an_incremental_run_over_the_clean_world_equals_a_full_build(
    built: dict[str, Path],
) -> None:
    """Keys the clean build published and the dirty world no longer trusts leave
    the incremental facts (cartify_delete_missing): every staging model and mart
    equals the fresh build's."""
    con = duckdb.connect()
    con.execute(f"attach '{built['dirty_db']}' as fresh (read_only)")
    con.execute(f"attach '{built['incremental_db']}' as incremental (read_only)")
    relations = con.execute(
        "select table_schema, table_name from information_schema.tables "
        "where table_catalog = 'fresh' and table_schema in ('staging', 'marts') "
        "and table_type = 'BASE TABLE'"
    ).fetchall()
    names = {name for _, name in relations}
    assert {"fct_sessions", "fct_orders", "fct_order_items"} <= names
    assert {"stg_cartify__pageviews", "stg_cartify__sessions"} <= names
    # one per raw table, the cross-table rejects and the readers' rejects (D92)
    assert len([name for name in names if name.startswith("base_cartify__")]) == 16
    # The incremental base models' rows name the run that read them and their
    # file's version (D88): not figures, and different in two builds by design.
    increment_columns = {
        name
        for (name,) in con.execute(
            "select table_name from information_schema.columns "
            "where table_catalog = 'fresh' and column_name = 'load_id'"
        ).fetchall()
    }
    assert increment_columns == {
        "base_cartify__pageviews", "base_cartify__website_sessions"
    }  # fmt: skip
    differing = []
    for schema, name in relations:
        columns = (
            "* exclude (load_id, source_file_version)"
            if name in increment_columns
            else "*"
        )
        for left, right in (("fresh", "incremental"), ("incremental", "fresh")):
            extra = con.execute(
                f"select count(*) from (select {columns} from {left}.{schema}.{name} "
                f"except all select {columns} from {right}.{schema}.{name})"
            ).fetchone()
            if extra != (0,):
                differing.append((schema, name, left, extra))
    con.close()
    # The staging views (D81) name their base tables with the warehouse's own
    # catalog: each warehouse is read as itself.
    views = {}
    for build in ("dirty_db", "incremental_db"):
        with duckdb.connect(str(built[build]), read_only=True) as own:
            names = [row[0] for row in own.execute(
                "select table_name from information_schema.tables "
                "where table_schema = 'staging' and table_type = 'VIEW'"
            ).fetchall()]  # fmt: skip
            views[build] = {
                name: sorted(
                    own.execute(f"select * from staging.{name}").fetchall(), key=repr
                )
                for name in names
            }
    assert len(views["dirty_db"]) == 14
    for name, rows in views["dirty_db"].items():
        if rows != views["incremental_db"].get(name):
            differing.append(("staging", name, "view", len(rows)))
    assert not differing


# Spark writes a CTE out at each of its uses (docs/decisions.md D91, D92): the
# cross-table model's plan read 2,703 relations when the reader's rejects were a
# CTE over fourteen relations, used a dozen times; 584 since they are a table.
MAX_CROSS_TABLE_READS = 700


def relations_read(sql: str) -> int:
    """The relations a query reads with every CTE written out at each use."""
    tree = sqlglot.parse_one(sql, read="duckdb")
    ctes = {
        cte.alias: cte.this
        for with_ in tree.find_all(exp.With)
        for cte in with_.expressions
    }

    @functools.cache
    def reads(name: str) -> int:
        return sum(
            reads(table.name) if table.name in ctes else 1
            for table in ctes[name].find_all(exp.Table)
        )

    for with_ in list(tree.find_all(exp.With)):
        with_.pop()
    return sum(
        reads(table.name) if table.name in ctes else 1
        for table in tree.find_all(exp.Table)
    )


def test_relations_read_writes_every_cte_out_at_each_use() -> None:
    sql = """
        with a as (select x from t union all select x from u),
        b as (select x from a union all select x from a),
        c as (select x from b join a using (x))
        select * from c union all select * from b
    """
    # a: 2; b: 2 + 2 = 4; c: 4 + 2 = 6; the query: 6 + 4
    assert relations_read(sql) == 10


def test_the_cross_table_checks_plan_stays_small(built: dict[str, Path]) -> None:
    """The reader's rejects and anything read a dozen times are tables, not a
    CTE Spark copies at every use (DuckDB's compiled SQL has the same CTEs)."""
    path = (
        built["dirty_compiled"] / "models" / "staging" / "cartify" / "base"
        / "base_cartify__cross_table_rejects.sql"
    )  # fmt: skip
    reads = relations_read(path.read_text(encoding="utf-8"))
    assert 0 < reads <= MAX_CROSS_TABLE_READS, reads

# ruff: noqa: E501  (long lines are SQL, kept one clause per line)
"""``python -m generator --continue DIR --weeks N``: a small world continued by one
week, then another. The continued world honours every check of the integrity suite,
keeps unchanged rows byte for byte, and shows the batch's new facts: late-arriving
sessions, status changes, customer moves, price changes."""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import json
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb
import pytest
from contract_types import DUCKDB_TYPES
from test_generator_integrity import FOREIGN_KEYS, PRIMARY_KEYS, UNIQUE, ZERO, scalar

from generator.calibrate import measure
from generator.cli import main
from generator.profile import DEFAULT
from generator.schema import TABLES
from generator.simulate import Config, generate

Con = duckdb.DuckDBPyConnection
START, END = "2025-10-01", "2025-12-31"  # a short world: 13 weeks
SCALE = 0.05
WEEK1_END, WEEK2_END = "2026-01-07", "2026-01-14"
# tables whose rows carry the time of their last change
UPDATED_AT = ("customers", "products", "inventory", "campaigns", "ads", "orders",
              "order_items")  # fmt: skip


@dataclass(frozen=True)
class Worlds:
    initial: Path  # as generated
    week1: Path  # continued by one week
    week2: Path  # then by another


def build(root: Path) -> Worlds:
    """Generate, continue one week, continue another; keep a copy of each stage."""
    live = root / "raw"
    live.mkdir()
    period = dt.date.fromisoformat(START), dt.date.fromisoformat(END)
    generate(
        Config(scale=SCALE, seed=42, start=period[0], end=period[1], quiet=True), live
    )
    stages = [root / "initial", root / "week1", root / "week2"]
    shutil.copytree(live, stages[0])
    for stage in stages[1:]:
        assert main(["--continue", str(live), "--weeks", "1", "--quiet"]) == 0
        shutil.copytree(live, stage)
    return Worlds(*stages)


@pytest.fixture(scope="module")
def worlds(tmp_path_factory: pytest.TempPathFactory) -> Worlds:
    return build(tmp_path_factory.mktemp("continued"))


def open_db(directory: Path) -> Con:
    """DuckDB views over a world's CSVs, typed as the contract says."""
    con = duckdb.connect()
    for table, columns in TABLES.items():
        types = ", ".join(f"'{name}': '{DUCKDB_TYPES[kind]}'" for name, kind in columns)
        con.execute(
            f"create view {table} as select * from read_csv('{directory / table}.csv', "
            f"header = true, auto_detect = false, columns = {{{types}}})"
        )
    seeds = Path(__file__).resolve().parents[2] / "seeds"
    for seed in ("distribution_centers", "ad_placement_pricing"):
        con.execute(
            f"create view {seed} as select * from read_csv('{seeds / seed}.csv', "
            "header = true)"
        )
    return con


@pytest.fixture(scope="module")
def db(worlds: Worlds) -> Iterator[Con]:
    con = open_db(worlds.week2)
    # the earlier stages, to compare with
    for stage in ("initial", "week1"):
        for table in ("website_sessions", "orders", "order_items", "customers",
                      "products", "ad_daily_stats"):  # fmt: skip
            path = getattr(worlds, stage) / f"{table}.csv"
            con.execute(
                f"create view {stage}_{table} as select * from read_csv('{path}', "
                "header = true)"
            )
    yield con
    con.close()


def manifest(directory: Path) -> Any:
    return json.loads((directory / "manifest.json").read_text())


def lines(path: Path) -> list[bytes]:
    return path.read_bytes().split(b"\n")[1:-1]


# -- the integrity suite, on the continued world --------------------------------------


def count(con: Con, sql: str) -> int:
    value = scalar(con, sql)
    assert isinstance(value, int)
    return value


AFTER = f"'{END} 23:59:59'"  # the first period's last second

# the queries that name the period's dates, for the continued period
AGES = f"""
    select count(*) from customers
    where date_diff('year', birth_date, date '{WEEK2_END}')
            - (strftime(birth_date, '%m-%d') > strftime(date '{WEEK2_END}', '%m-%d'))::int < 18
       or date_diff('year', birth_date, date '{END}')
            - (strftime(birth_date, '%m-%d') > strftime(date '{END}', '%m-%d'))::int > 85
       or signed_up_at not between '{START}' and '{WEEK2_END} 23:59:59'"""


def continued_query(name: str) -> str:
    if name == "nothing happens after the period":
        return ZERO[name].replace("2025-12-31", WEEK2_END)
    if name == "customers: ages 18-85, sign-up in the period":
        # customers age as weeks pass: 18 at the new end, at most 85 at the first
        return AGES
    return ZERO[name]


@pytest.mark.parametrize("name", sorted(ZERO))
def test_invariant(db: Con, name: str) -> None:
    assert count(db, continued_query(name)) == 0, name


@pytest.mark.parametrize("table", sorted(PRIMARY_KEYS))
def test_primary_keys(db: Con, table: str) -> None:
    key = PRIMARY_KEYS[table]
    dupes = f"select count(*) from (select {key} from {table} group by all having count(*) > 1)"
    assert count(db, dupes) == 0


@pytest.mark.parametrize(("table", "column"), UNIQUE)
def test_unique_columns(db: Con, table: str, column: str) -> None:
    sql = f"select count(*) - count(distinct {column}) from {table} where {column} is not null"
    assert count(db, sql) == 0


@pytest.mark.parametrize(("child", "column", "parent", "key"), FOREIGN_KEYS)
def test_foreign_keys(db: Con, child: str, column: str, parent: str, key: str) -> None:
    sql = f"""select count(*) from {child} where {column} is not null
              and {column} not in (select {key} from {parent})"""
    assert count(db, sql) == 0


def test_customers_live_near_their_city(db: Con) -> None:
    cities = Path(__file__).resolve().parents[2] / "generator" / "data" / "cities.csv"
    sql = f"""
        select count(*) from customers c
        left join read_csv('{cities}', header = true) k
          on k.city = c.city and k.country_code = c.country_code
        where k.city is null or k.state <> c.state
           or abs(c.latitude - k.latitude) >= 0.05 or abs(c.longitude - k.longitude) >= 0.05
    """
    assert count(db, sql) == 0


def test_kpis_stay_near_their_targets(generated_world: Path, tmp_path: Path) -> None:
    """The suite's two-year world continued by two weeks measures like before: within
    the calibration suite's tolerance of the targets, and close to its own first
    measure. (The short world above is too young for the targets, which are set
    for two years of history.)"""
    out = tmp_path / "raw"
    shutil.copytree(generated_world, out)
    assert main(["--continue", str(out), "--weeks", "2", "--quiet"]) == 0
    first, continued = measure(generated_world), measure(out)
    for metric, target in DEFAULT.targets:
        value = continued[metric]
        assert abs(value / target - 1) <= 0.25, (metric, value)
        assert abs(value / first[metric] - 1) <= 0.05, (metric, first[metric], value)


def test_new_weeks_look_like_the_last_ones(db: Con) -> None:
    """The new weeks convert like the first generation's and carry as much traffic
    as its last two weeks (small counts: wide bands)."""
    row = db.execute(f"""
        select (select count(*) from orders where ordered_at > {AFTER})
             / (select count(*) from website_sessions where started_at > {AFTER}),
               (select count(*) from website_sessions where started_at > {AFTER})
             / (select count(*) from initial_website_sessions
                where started_at > date '{END}' - interval 14 day)
    """).fetchone()
    assert row is not None
    conversion, volume = row
    assert 0.03 < conversion < 0.12, conversion
    assert 0.7 < volume < 1.5, volume


# -- what a batch changes ------------------------------------------------------------


def test_manifest_records_the_batches(worlds: Worlds) -> None:
    first, second = manifest(worlds.week1), manifest(worlds.week2)
    assert (first["period_start"], first["period_end"]) == (START, WEEK1_END)
    assert (second["period_start"], second["period_end"]) == (START, WEEK2_END)
    assert (first["batch"], second["batch"]) == (1, 2)
    batches = second["batches"]
    assert [b["batch"] for b in batches] == [0, 1, 2]
    assert (batches[2]["period_start"], batches[2]["period_end"]) == (
        "2026-01-08",
        WEEK2_END,
    )
    for table in TABLES:
        rows = len(lines(worlds.week2 / f"{table}.csv"))
        assert second["tables"][table] == rows, table
        assert rows == first["tables"][table] + batches[2]["added"][table], table
    for name in ("session_id", "pageview_id", "order_id", "order_item_id"):
        assert second["next_ids"][name] > first["next_ids"][name], name
    assert all((worlds.week2 / p).is_file() for p in second["state"])


@pytest.mark.parametrize("stage", ["week1", "week2"])
def test_unchanged_rows_keep_their_bytes(worlds: Worlds, stage: str) -> None:
    """Old rows sit where they were: byte-identical, or (counted in the manifest's
    `changed`) the same key with a later updated_at; new rows follow."""
    before = worlds.initial if stage == "week1" else worlds.week1
    after = getattr(worlds, stage)
    changed = manifest(after)["batches"][-1]["changed"]
    for table, columns in TABLES.items():
        old, new = lines(before / f"{table}.csv"), lines(after / f"{table}.csv")
        assert len(new) >= len(old), table
        differ = [i for i in range(len(old)) if old[i] != new[i]]
        assert len(differ) == changed[table], table
        names = [n for n, _ in columns]
        key = PRIMARY_KEYS[table].replace(" ", "").split(",")
        for i in differ:
            a = dict(zip(names, next(csv.reader([old[i].decode()])), strict=True))
            b = dict(zip(names, next(csv.reader([new[i].decode()])), strict=True))
            assert [a[k] for k in key] == [b[k] for k in key], table
            if table in UPDATED_AT:
                assert b["updated_at"] > a["updated_at"], (table, a, b)


STAGES = (("initial", "week1", END), ("week1", "week2", WEEK1_END))


def test_late_rows_arrive_with_the_next_batch(db: Con, worlds: Worlds) -> None:
    """Sessions timestamped in the previous period's last 3 days, absent before the
    batch, with their pageviews (and orders if they converted)."""
    for before, _, cutoff in STAGES:
        next_id = manifest(getattr(worlds, before))["next_ids"]["session_id"]
        late = f"""
            select count(*) from website_sessions
            where session_id >= {next_id} and started_at <= '{cutoff} 23:59:59'
              and started_at >= date '{cutoff}' - interval 2 day
              and session_id not in (select session_id from {before}_website_sessions)"""
        assert count(db, late) >= 1, before
        too_late = f"""
            select count(*) from website_sessions where session_id >= {next_id}
              and started_at < date '{cutoff}' - interval 2 day"""
        assert count(db, too_late) == 0  # delivered at most 3 days late
    # every late session came with its pageviews (the funnel checks cover the rest)
    bare = (
        "select count(*) from website_sessions anti join pageviews using (session_id)"
    )
    assert count(db, bare) == 0


def test_late_paid_clicks_restate_the_previous_days(worlds: Worlds) -> None:
    """ad_daily_stats rows of the previous period's last days may change (clicks of
    late paid sessions); older days never do."""
    restated = 0
    for before, after, cutoff in STAGES:
        old = lines(getattr(worlds, before) / "ad_daily_stats.csv")
        new = lines(getattr(worlds, after) / "ad_daily_stats.csv")
        for i in range(len(old)):
            if old[i] != new[i]:
                day = dt.date.fromisoformat(old[i].split(b",")[1].decode())
                assert day >= dt.date.fromisoformat(cutoff) - dt.timedelta(days=2)
                restated += 1
    assert restated >= 1


def test_orders_progress(db: Con) -> None:
    """Orders processing or shipped at the end progress during the new weeks, with
    updated_at in them; some delivered items are returned (and refunded)."""
    progressed = f"""
        select count(*) from orders o join initial_orders i using (order_id)
        where o.status <> i.status and o.updated_at > {AFTER}
          and o.updated_at <= '{WEEK2_END} 23:59:59'"""
    assert count(db, progressed) >= 3
    moves = db.execute("""
        select distinct i.status || '>' || o.status
        from orders o join initial_orders i using (order_id)
        where o.status <> i.status""").fetchall()
    assert {m[0] for m in moves} & {"processing>delivered", "shipped>delivered"}
    # items whose status changed carry the change's time
    stale = f"""
        select count(*) from order_items o join initial_order_items i using (order_item_id)
        where o.status <> i.status and not o.updated_at > {AFTER}"""
    assert count(db, stale) == 0
    assert count(db, f"select count(*) from refunds where refunded_at > {AFTER}") >= 1
    assert count(db, f"select count(*) from reviews where reviewed_at > {AFTER}") >= 1


def test_customers_move(db: Con) -> None:
    moved = f"""
        select count(*) from customers c join initial_customers i using (customer_id)
        where c.street_address <> i.street_address and c.updated_at > {AFTER}
          and c.signed_up_at = i.signed_up_at and c.email = i.email"""
    assert count(db, moved) >= 2  # at least one per batch
    new_but_old = f"""
        select count(*) from customers
        where customer_id > (select max(customer_id) from initial_customers)
          and signed_up_at <= {AFTER}"""
    assert count(db, new_but_old) == 0


def test_prices_change_and_orders_use_the_price_of_their_time(db: Con) -> None:
    changed = db.execute("""
        select p.retail_price, p.cost, p.updated_at
        from products p join initial_products i using (product_id)
        where p.retail_price <> i.retail_price""").fetchall()
    assert len(changed) >= 2
    assert all(r[1] < r[0] and str(r[2]) > f"{END} 23:59:59" for r in changed)
    # the new price after the change, the old one before it
    wrong = """
        select count(*) from order_items oi join orders o using (order_id)
        join products p using (product_id) join initial_products i using (product_id)
        where p.retail_price <> i.retail_price
          and oi.unit_price <> case when o.ordered_at >= p.updated_at
                                    then p.retail_price else i.retail_price end"""
    assert count(db, wrong) == 0


def test_entities_grow(db: Con) -> None:
    """New customers sign up, new campaigns start (with ads and codes); campaigns
    that ended with the old period show it; the welcome code stays valid."""
    new = f"select count(*) from customers where signed_up_at > {AFTER}"
    assert count(db, new) >= 1
    started = f"select count(*) from campaigns where start_date > '{END}'"
    assert count(db, started) >= 4
    unmarked = f"""
        select count(*) from campaigns
        where end_date = '{END}' and updated_at <= {AFTER}"""
    assert count(db, unmarked) == 0
    welcome = f"""
        select count(*) from discounts
        where discount_code = 'WELCOME10' and valid_to = '{WEEK2_END}'"""
    assert count(db, welcome) == 1


# -- determinism and the command line ------------------------------------------------


def digests(directory: Path) -> dict[str, str]:
    return {
        str(p.relative_to(directory)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(directory.rglob("*"))
        if p.is_file()
    }


def test_same_sequence_same_bytes(worlds: Worlds, tmp_path: Path) -> None:
    again = build(tmp_path)
    assert digests(again.week1) == digests(worlds.week1)
    assert digests(again.week2) == digests(worlds.week2)


def test_two_weeks_at_once(worlds: Worlds, tmp_path: Path) -> None:
    """--weeks 2 is one batch of 14 days: the same period end as two batches."""
    out = tmp_path / "raw"
    shutil.copytree(worlds.initial, out)
    assert main(["--continue", str(out), "--weeks", "2", "--quiet"]) == 0
    m = manifest(out)
    assert (m["period_end"], m["batch"]) == (WEEK2_END, 1)
    con = open_db(out)
    try:
        for name in ("paid sessions = clicks per ad per day",
                     "an order exactly for each session reaching /thank-you, at that time",
                     "order status agrees with its items",
                     "refund <= what was paid, per order"):  # fmt: skip
            assert scalar(con, ZERO[name]) == 0, name
    finally:
        con.close()


def assert_one_error_line(stderr: str) -> None:
    lines_ = stderr.strip().splitlines()
    assert len(lines_) == 1 and lines_[0].startswith("error: "), stderr


def test_progress_lines(
    worlds: Worlds, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "raw"
    shutil.copytree(worlds.initial, out)
    assert main(["--continue", str(out)]) == 0  # --weeks defaults to 1
    err = capsys.readouterr().err
    assert "orders: +" in err and " changed" in err
    assert manifest(out)["period_end"] == WEEK1_END
    assert sorted(p.name for p in tmp_path.iterdir()) == ["raw"]  # no temp dirs left


def _copy_with(worlds: Worlds, tmp_path: Path, **manifest_changes: object) -> Path:
    out = tmp_path / "raw"
    shutil.copytree(worlds.initial, out)
    m = manifest(out)
    m.update(manifest_changes)
    (out / "manifest.json").write_text(json.dumps(m))
    return out


@pytest.mark.parametrize(
    "args",
    [
        ["--weeks", "0"],
        ["--weeks", "53"],
        ["--weeks", "x"],
        ["--scale", "0.1"],
        ["--start", "2025-01-01"],
        ["--end", "2026-01-01"],
        ["--seed", "1"],
        ["--out", "elsewhere"],
    ],
    ids=" ".join,
)
def test_bad_continue_arguments(
    args: list[str],
    worlds: Worlds,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    out = _copy_with(worlds, tmp_path)
    before = digests(out)
    assert main(["--continue", str(out), *args]) == 2
    assert_one_error_line(capsys.readouterr().err)
    assert digests(out) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["raw"]


def test_weeks_without_continue(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--weeks", "1"]) == 2
    assert_one_error_line(capsys.readouterr().err)


@pytest.mark.parametrize(
    "problem",
    ["no directory", "no manifest", "other version", "broken manifest", "rows missing"],
)
def test_continue_refuses_a_world_it_cannot_continue(
    problem: str, worlds: Worlds, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    if problem == "no directory":
        out = tmp_path / "nothing"
    elif problem == "no manifest":
        out = tmp_path / "raw"
        out.mkdir()
        (out / "orders.csv").write_text("order_id\n")
    elif problem == "other version":
        out = _copy_with(worlds, tmp_path, generator_version="0.0.1")
    elif problem == "broken manifest":
        out = _copy_with(worlds, tmp_path, next_ids={"session_id": 1})
    else:
        out = _copy_with(worlds, tmp_path)
        path = out / "orders.csv"
        path.write_bytes(b"\n".join(path.read_bytes().split(b"\n")[:-3]) + b"\n")
    before = digests(out) if out.exists() else {}
    assert main(["--continue", str(out), "--quiet"]) == 2
    assert_one_error_line(capsys.readouterr().err)
    assert (digests(out) if out.exists() else {}) == before


def test_stock_moves_and_some_stays_low(db: Con) -> None:
    """Stock levels change each batch; ~10% of products stay below their reorder
    point (sell-outs and reorders balance), as in the first generation."""
    share = scalar(
        db, "select avg((stock_on_hand < reorder_point)::int) from inventory"
    )
    assert isinstance(share, float) and 0.03 < share < 0.3
    moved = f"select count(*) from inventory where updated_at > {AFTER}"
    assert count(db, moved) >= 10

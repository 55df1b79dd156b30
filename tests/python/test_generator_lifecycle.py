"""One lifecycle: the first generation and ``--continue`` call the same functions
(generator/lifecycle.py, the planners of generator/entities.py) and read every knob
from ``Profile``. The formulas are pinned on hand-made rows; a profile with changed
knobs shows the change in the rows of both the first generation and a batch."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import duckdb
import numpy as np
import pytest

from generator import continuation, lifecycle
from generator.entities import load_reference, plan_campaigns
from generator.period import day_number
from generator.profile import DEFAULT, PROFILES
from generator.simulate import DEFAULT_SEEDS_DIR, Config, generate

I = np.int64  # noqa: E741


def arr(*values: int) -> np.ndarray:
    return np.asarray(values, dtype=I)


# -- formulas on hand-made rows -------------------------------------------------------


def test_refund_is_the_lines_share_of_what_was_paid_for_goods_rounded_down() -> None:
    # an order of 30.00 + 10.00 with 4.00 off: 36.00 paid for goods (plus shipping)
    # the 10.00 line gets 10 x 36 / 40 = 9.00; a 3-way split rounds down
    out = lifecycle.refund_amounts(arr(1000, 3000, 333), arr(3600, 3600, 999),
                                   arr(4000, 4000, 1000))  # fmt: skip
    assert out.tolist() == [900, 2700, 332]


def test_reach_lies_between_clicks_and_impressions() -> None:
    ref = load_reference(DEFAULT_SEEDS_DIR)
    cpc = ref.pricing_model.index("cpc")
    # reach above impressions is cut to them; reach below the clicks is raised
    imp, reach, spend = lifecycle.ad_day_measures(
        arr(100, 100), arr(150, 2), arr(10, 10), arr(cpc, cpc), ref
    )
    assert imp.tolist() == [100, 100]
    assert reach.tolist() == [100, 10]
    price = int(ref.unit_price_cents[cpc])
    assert spend.tolist() == [10 * price, 10 * price]


def test_cpm_spend_never_lands_on_a_half_penny() -> None:
    ref = load_reference(DEFAULT_SEEDS_DIR)
    cpm = ref.pricing_model.index("cpm")
    price = int(ref.unit_price_cents[cpm])
    # every impression count of the first 5000, priced
    imp = np.arange(1, 5001, dtype=I)
    out_imp, spend = lifecycle.priced(imp, np.zeros_like(imp), np.full_like(imp, cpm),
                                      ref)  # fmt: skip
    assert np.all((out_imp * price) % 1000 != 500)
    assert np.all((out_imp >= imp) & (out_imp <= imp + 3))
    assert np.array_equal(spend, (out_imp * price + 500) // 1000)


def test_ratings_are_clipped_to_one_to_five() -> None:
    prof = dataclasses.replace(DEFAULT, rating_noise=0.0)
    quality = np.asarray([-10.0, 0.0, 0.0, 10.0])
    returned = np.asarray([False, False, True, False])
    got = lifecycle.ratings(np.random.default_rng(0), quality, returned, prof)
    # 4.1 - 10 -> 1; 4.1 -> 4; 4.1 - 2.3 = 1.8 -> 2; 14.1 -> 5
    assert got.tolist() == [1, 4, 2, 5]


def test_budgets_are_the_planned_spend_over_a_utilisation_rounded_up() -> None:
    # utilisation fixed at 0.8: 0 -> the floor of 100.00; 79.99 / 0.8 = 99.99 ->
    # 100.00; 80.01 / 0.8 = 100.01 -> 200.00; 16,000.00 / 0.8 = 20,000.00
    prof = dataclasses.replace(DEFAULT, budget_utilisation=(0.8, 0.8))
    planned = np.asarray([0.0, 7_999.0, 8_001.0, 1_600_000.0])
    got = lifecycle.budgets(np.random.default_rng(0), planned, prof)
    assert got.tolist() == [10_000, 10_000, 20_000, 2_000_000]


def test_planned_spend_extrapolates_the_spend_per_day() -> None:
    # 300.00 over days 10..12 (3 days), planned until day 19 (10 days): 1,000.00
    got = lifecycle.planned_spend(np.asarray([30_000.0]), arr(10), arr(12), arr(19))
    assert got.tolist() == [100_000.0]


def test_budgets_are_topped_up_only_past_the_tolerance() -> None:
    prof = dataclasses.replace(DEFAULT, budget_utilisation=(1.0, 1.02))
    budget = arr(100_000, 100_000)
    spent = np.asarray([101_000.0, 103_000.0])  # 1% and 3% over
    planned = np.asarray([150_000.0, 150_000.0])
    got = lifecycle.topped_up(np.random.default_rng(0), budget, spent, planned, prof)
    assert got[0] == 100_000
    assert 150_000 <= got[1] <= 150_000 / 1.0 + 10_000


def test_batches_plan_only_the_campaigns_not_planned_yet() -> None:
    first, last = day_number(dt.date(2025, 12, 25)), day_number(dt.date(2026, 1, 7))
    plans = plan_campaigns(first, last, set(), DEFAULT)
    names = [p.name for p in plans]
    assert "2025 Q4 Always-on - Email" in names
    assert "2026 Q1 Always-on - Email" in names
    assert "2026 January Sale - Display" in names
    again = plan_campaigns(first, last, set(names[:3]), DEFAULT)
    assert [p.name for p in again] == names[3:]
    q1 = next(p for p in plans if p.name == "2026 Q1 Always-on - Email")
    assert (q1.start, q1.until) == (day_number(dt.date(2026, 1, 1)),
                                    day_number(dt.date(2026, 3, 31)))  # fmt: skip


# -- one Profile drives both the first generation and a batch ----------------------

# knobs far from the default's, so their effect is unmistakable
KNOBS = {
    "item_return_rate": 0.4,
    "return_after_days": (3, 4),
    "refund_after_days": (1, 2),
    "return_reason_weights": (0.0, 0.0, 0.0, 0.0, 1.0),  # late_delivery only
    "wrong_size_categories": (),
    "transit_days": (6,) * 9,
    "transit_extra": (0.0,) * 9,
    "delivery_jitter_s": 1,
    "rating_noise": 0.0,
    "rating_base": 4.0,
    "rating_returned_penalty": 0.0,
    "code_alphabet": "Z",
}


@pytest.fixture(scope="module")
def knobbed(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    prof = dataclasses.replace(DEFAULT, name="knobbed", **KNOBS)  # type: ignore[arg-type]
    PROFILES[prof.name] = prof
    try:
        out = tmp_path_factory.mktemp("knobbed")
        generate(
            Config(scale=0.05, start=dt.date(2025, 9, 1), end=dt.date(2025, 12, 31),
                   profile=prof, quiet=True),
            out,
        )  # fmt: skip
        batch = out.parent / "knobbed_week"
        batch.mkdir()
        continuation.continue_world(out, batch, 3)
        yield batch
    finally:
        del PROFILES[prof.name]


def query(directory: Path, sql: str) -> list[tuple[object, ...]]:
    con = duckdb.connect()
    try:
        for table in ("orders", "order_items", "refunds", "reviews", "discounts"):
            con.execute(
                f"create view {table} as select * from "
                f"read_csv('{directory / table}.csv', header = true)"
            )
        return con.execute(sql).fetchall()
    finally:
        con.close()


@pytest.mark.parametrize("part", ["first generation", "batch"])
def test_profile_knobs_reach_both_paths(knobbed: Path, part: str) -> None:
    end = "2025-12-31 23:59:59"
    where = f"<= '{end}'" if part == "first generation" else f"> '{end}'"
    rows = query(
        knobbed,
        f"""
        select
            count(*) filter (where r.refunded_at {where}),
            count(*) filter (where r.refunded_at {where}
                and (i.returned_at - i.delivered_at not between
                     interval 3 day and interval 4 day
                  or r.refunded_at - i.returned_at not between
                     interval 1 day and interval 2 day
                  or r.reason <> 'late_delivery'))
        from refunds as r
        join order_items as i using (order_item_id)
        """,
    )
    n, wrong = rows[0]
    assert isinstance(n, int) and n >= 5, rows
    assert wrong == 0
    # delivery: 6 whole days after shipping (+- 1 second)
    delivered = f"delivered_at {where}"
    (late,) = query(
        knobbed,
        f"""select count(*), count(*) filter (where abs(date_diff('second',
                shipped_at, delivered_at) - 6 * 86400) > 1)
            from orders where {delivered}""",
    )
    assert isinstance(late[0], int) and late[0] > 5 and late[1] == 0, late
    (ratings,) = query(
        knobbed,
        f"select count(*), count(*) filter (where rating not between 3 and 5) "
        f"from reviews where reviewed_at {where}",
    )
    # rating = round(4.0 + quality), quality ~ N(0, 0.45): 3, 4 or 5 (rarely 2 or 6)
    assert isinstance(ratings[0], int) and ratings[0] > 5
    assert isinstance(ratings[1], int) and ratings[1] <= ratings[0] * 0.05


def test_codes_use_the_profiles_alphabet_in_both_paths(knobbed: Path) -> None:
    rows = query(
        knobbed,
        "select discount_code, created_at > '2025-12-31 23:59:59' from discounts "
        "where discount_code <> 'WELCOME10'",
    )
    assert {bool(r[1]) for r in rows} == {False, True}, rows
    for code, _ in rows:
        assert isinstance(code, str)
        tag = code.split("-", 1)[1]
        assert tag[:4] == "ZZZZ", code

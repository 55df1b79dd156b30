"""Scale: a month with more sessions than ``simulate.PART_SESSIONS`` is simulated in
parts of whole days, so the generator's memory stays flat as the scale grows. The
parts cover the period once, and a world simulated in parts honours every invariant
of the integrity suite with the same volumes."""

from __future__ import annotations

import json
from collections.abc import Iterator
from itertools import pairwise
from pathlib import Path

import duckdb
import pytest
from test_generator_continue import open_db
from test_generator_integrity import ZERO, scalar

from generator import simulate
from generator.period import Period
from generator.profile import DEFAULT
from generator.simulate import Config, generate, parts, volumes


def test_parts_cover_the_period_once_and_bound_the_sessions() -> None:
    period = Period(simulate.DEFAULT_START, simulate.DEFAULT_END, DEFAULT)
    for scale in (0.1, 10.0, 100.0):
        n = volumes(DEFAULT, scale, period.n_days).sessions
        steps = parts(period, n)
        bounds = [(lo, hi) for lo, hi, _ in steps]
        assert bounds[0][0] == 0 and bounds[-1][1] == period.n_days
        assert all(a[1] == b[0] and a[0] < a[1] for a, b in pairwise(bounds))
        total = float(period.traffic.sum())
        for lo, hi, _ in steps:
            expected = n * float(period.traffic[lo:hi].sum()) / total
            # parts are runs of whole days: only a single day may pass the bound
            single_day = hi - lo == 1
            assert expected <= simulate.PART_SESSIONS * 1.000001 or single_day
            days = period.days[[lo, hi - 1]].astype("datetime64[D]")
            first, last = days.astype("datetime64[M]")
            assert first == last, (scale, lo, hi)  # a part never spans two months
        if scale <= 1:  # small worlds: whole months, the streams of before
            assert all(piece == -1 for *_, piece in steps)
        else:
            assert any(piece >= 0 for *_, piece in steps)


@pytest.fixture(scope="module")
def split_world(
    tmp_path_factory: pytest.TempPathFactory, generated_world: Path
) -> Path:
    """The conftest world simulated in parts of a few days (PART_SESSIONS small)."""
    scale = json.loads((generated_world / "manifest.json").read_text())["scale"]
    out = tmp_path_factory.mktemp("split_world")
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(simulate, "PART_SESSIONS", 300)
        generate(Config(scale=scale, seed=42, quiet=True), out)
    return out


@pytest.fixture(scope="module")
def split_db(split_world: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    con = open_db(split_world)
    yield con
    con.close()


@pytest.mark.parametrize("name", sorted(ZERO))
def test_invariants_hold_in_parts(
    split_db: duckdb.DuckDBPyConnection, name: str
) -> None:
    assert scalar(split_db, ZERO[name]) == 0, name


def test_parts_keep_the_volumes(split_world: Path, generated_world: Path) -> None:
    split = json.loads((split_world / "manifest.json").read_text())["tables"]
    whole = json.loads((generated_world / "manifest.json").read_text())["tables"]
    # sessions per step follow traffic, so the total is the same; the entity tables
    # are built before the events and do not change at all
    assert split["website_sessions"] == whole["website_sessions"]
    for table in ("customers", "products", "inventory", "campaigns", "ads",
                  "discounts"):  # fmt: skip
        assert split[table] == whole[table], table
    assert split["orders"] == whole["orders"]  # the order plan comes first too
    assert (split_world / "pageviews.csv").read_bytes() != (
        generated_world / "pageviews.csv"
    ).read_bytes()  # the monkeypatch took effect: other streams, other sessions

"""Run the whole simulation and write every table into a directory."""

from __future__ import annotations

import datetime as dt
import json
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa  # type: ignore[import-untyped]

from . import __version__
from . import arrow as A
from . import lifecycle as L
from .entities import (
    DEFAULT_SEEDS_DIR,
    Marketing,
    Reference,
    build_customers,
    build_marketing,
    build_pools,
    build_products,
    load_reference,
)
from .events import EventSimulator, plan_orders
from .parquet_writer import ParquetSink
from .period import DAY, Period
from .profile import CHANNELS, DEFAULT, Profile
from .schema import TABLES
from .writer import CsvSink

FORMATS = ("csv", "parquet")
DEFAULT_START = dt.date(2024, 1, 1)
DEFAULT_END = dt.date(2025, 12, 31)
REFERENCE_DAYS = 731  # volumes per scale are for the default two-year period

EVENT_TABLES = (
    "website_sessions",
    "pageviews",
    "orders",
    "order_items",
    "payments",
    "refunds",
    "reviews",
)

# one independent random stream per purpose; months are keyed by calendar month so
# a month's stream does not depend on where the period starts
STREAM = {"faker": 1, "customers": 2, "products": 3, "marketing": 4, "plan": 5,
          "stats": 6, "month": 7, "continue": 8}  # fmt: skip


@dataclass(frozen=True)
class Config:
    scale: float = 0.1
    seed: int = 42
    start: dt.date = DEFAULT_START
    end: dt.date = DEFAULT_END
    profile: Profile = DEFAULT
    seeds_dir: Path = DEFAULT_SEEDS_DIR
    quiet: bool = False
    format: str = "csv"  # or "parquet" (FORMATS)


def stream(seed: int, *key: int) -> np.random.Generator:
    return np.random.default_rng(np.random.SeedSequence(seed, spawn_key=key))


def faker_seed(seed: int) -> int:
    return int(
        np.random.SeedSequence(seed, spawn_key=(STREAM["faker"],)).generate_state(1)[0]
    )


@dataclass(frozen=True)
class Volumes:
    """Sizes of a freshly generated world of ``n_days`` days."""

    customers: int
    products: int
    sessions: int
    brands_per_category: int


# at most this many sessions are simulated at once: a larger month is simulated in
# parts of whole days, so the generator's memory stays flat as the scale grows
PART_SESSIONS = 250_000


def parts(period: Period, n_sessions: int) -> list[tuple[int, int, int]]:
    """The simulation's steps, (first, last + 1) day indices and the part's number
    in its month (-1: the whole month, which keeps its random stream unchanged):
    calendar months; a month whose expected sessions exceed PART_SESSIONS is cut
    into runs of whole days, each closed before it would pass PART_SESSIONS."""
    per_day = n_sessions * period.traffic / float(period.traffic.sum())
    out: list[tuple[int, int, int]] = []
    for lo, hi in period.months:
        if per_day[lo:hi].sum() <= PART_SESSIONS:
            out.append((lo, hi, -1))
            continue
        start, load, piece = lo, 0.0, 0
        for day in range(lo, hi):
            if load and load + per_day[day] > PART_SESSIONS:
                out.append((start, day, piece))
                start, load, piece = day, 0.0, piece + 1
            load += float(per_day[day])
        out.append((start, hi, piece))
    return out


def release_memory() -> None:
    """Give memory Arrow's allocator keeps for reuse back to the system: without
    this the peak RSS grows with every step, not with the step's size."""
    pa.default_memory_pool().release_unused()


def volumes(profile: Profile, scale: float, n_days: int) -> Volumes:
    length = n_days / REFERENCE_DAYS
    return Volumes(
        customers=max(10, round(profile.customers_per_scale * scale * length)),
        products=max(50, round(profile.products_per_scale * scale)),
        sessions=max(100, round(profile.sessions_per_scale * scale * length)),
        brands_per_category=min(120, max(8, round(30 * scale**0.5))),
    )


def generate(config: Config, out_dir: Path) -> dict[str, Any]:
    """Simulate the retailer and write all tables plus manifest.json to out_dir."""
    profile, seed, scale = config.profile, config.seed, config.scale
    period = Period(config.start, config.end, profile)
    ref = load_reference(config.seeds_dir)
    size = volumes(profile, scale, period.n_days)
    n_customers, n_products, n_sessions = size.customers, size.products, size.sessions
    brands_per_category = size.brands_per_category
    if config.format not in FORMATS:
        raise ValueError(f"format {config.format!r}, expected one of {FORMATS}")
    sink = (ParquetSink if config.format == "parquet" else CsvSink)(
        out_dir, quiet=config.quiet
    )
    try:
        t0 = time.perf_counter()
        countries = [c for c, _ in profile.country_weights]
        pools = build_pools(faker_seed(seed), countries, brands_per_category)
        customers = build_customers(
            stream(seed, STREAM["customers"]), n_customers, period, profile, ref, pools
        )
        sink.add_time("customers", time.perf_counter() - t0)
        sink.write("customers", customers.columns())
        sink.close("customers")
        # written: the simulation needs only the arrays (memory at large scales)
        customers.cols = {}
        release_memory()
        t0 = time.perf_counter()
        products = build_products(
            stream(seed, STREAM["products"]), n_products, period, profile, ref, pools,
            brands_per_category,
        )  # fmt: skip
        sink.add_time("products", time.perf_counter() - t0)
        sink.write("products", products.cols)
        sink.write("inventory", products.inventory_cols)
        sink.close("products")
        sink.close("inventory")
        products.cols, products.inventory_cols = {}, {}
        release_memory()
        marketing = build_marketing(
            stream(seed, STREAM["marketing"]), scale, period, profile, ref
        )
        plan = plan_orders(stream(seed, STREAM["plan"]), customers, period, profile)
        steps = parts(period, n_sessions)
        sim = EventSimulator(
            period, profile, ref, customers, products, marketing, plan, n_sessions,
            parts=[(lo, hi) for lo, hi, _ in steps],
        )  # fmt: skip
        for m, (lo, _, piece) in enumerate(steps):
            t0 = time.perf_counter()
            month = period.days[lo].astype("datetime64[D]").astype("datetime64[M]")
            key = (int(month.astype(np.int64)),) + ((piece,) if piece >= 0 else ())
            tables = sim.month(stream(seed, STREAM["month"], *key), m)
            elapsed = (time.perf_counter() - t0) / len(tables)
            for name in EVENT_TABLES:
                sink.add_time(name, elapsed)
                sink.write(name, tables[name], month=str(month))
            del tables
            release_memory()
        for name in EVENT_TABLES:
            sink.close(name)
        t0 = time.perf_counter()
        marketing_tables = build_marketing_tables(
            stream(seed, STREAM["stats"]), sim, marketing, ref, period
        )
        for name, columns in marketing_tables.items():
            sink.add_time(name, (time.perf_counter() - t0) / len(marketing_tables))
            if name == "ad_daily_stats" and config.format == "parquet":
                for month, chunk in by_month(columns, "stat_date"):
                    sink.write(name, chunk, month=month)
            else:
                sink.write(name, columns)
            sink.close(name)
    finally:
        sink.shutdown()
    manifest: dict[str, Any] = {
        "generator_version": __version__,
        "profile": profile.name,
        "seed": seed,
        "scale": scale,
        "period_start": config.start.isoformat(),
        "period_end": config.end.isoformat(),
        "format": config.format,
        "tables": {name: sink.rows.get(name, 0) for name in TABLES},
        "batch": 0,
        "next_ids": {
            "customer_id": customers.n + 1,
            "product_id": products.n + 1,
            "campaign_id": len(marketing.campaign_channel) + 1,
            "ad_id": marketing.n_ads + 1,
            "discount_id": len(marketing.discount_code) + 1,
            "session_id": sim.ids.session + 1,
            "pageview_id": sim.ids.pageview + 1,
            "order_id": sim.ids.order + 1,
            "order_item_id": sim.ids.item + 1,
            "refund_id": sim.ids.refund + 1,
            "review_id": sim.ids.review + 1,
        },
        # batch 0 is this generation; `--continue` appends one entry per batch
        "batches": [
            {
                "batch": 0,
                "weeks": 0,
                "period_start": config.start.isoformat(),
                "period_end": config.end.isoformat(),
                "added": {name: sink.rows.get(name, 0) for name in TABLES},
                "changed": {name: 0 for name in TABLES},
            }
        ],
    }
    (out_dir / "manifest.json").write_text(json.dumps(manifest, indent=2) + "\n")
    return manifest


def by_month(
    columns: dict[str, pa.Array], date_column: str
) -> list[tuple[str, dict[str, pa.Array]]]:
    """The rows of ``columns`` split by the calendar month (YYYY-MM) of a date
    column, months in order, rows in their order."""
    day = np.asarray(columns[date_column].cast(pa.int32()).to_numpy(), np.int64)
    month = day.astype("datetime64[D]").astype("datetime64[M]")
    out = []
    for m in np.unique(month):
        mask = pa.array(month == m)
        out.append((str(m), {k: v.filter(mask) for k, v in columns.items()}))
    return out


def build_marketing_tables(
    rng: np.random.Generator,
    sim: EventSimulator,
    mk: Marketing,
    ref: Reference,
    period: Period,
) -> dict[str, dict[str, pa.Array]]:
    """ad_daily_stats from the counted clicks and leads; campaigns, ads, discounts."""
    ad, day = sim.ad_rows
    order = np.lexsort((day, ad))
    ad, day = ad[order], day[order]
    clicks = sim.clicks[order]
    leads = sim.leads[order]
    placement = mk.ad_placement[ad]
    impressions, reach = L.impressions_for(rng, clicks, placement, ref, sim.profile)
    impressions, reach, spend = L.ad_day_measures(
        impressions, reach, clicks, placement, ref
    )
    stats = L.ad_stats_columns(
        ad, day + period.first_day, impressions, reach, clicks, leads, spend
    )
    # campaigns: budget = planned spend, near what was actually spent
    n_c = len(mk.campaign_channel)
    spent = np.bincount(mk.ad_campaign[ad], weights=spend, minlength=n_c)
    planned = L.planned_spend(
        spent.astype(np.float64), mk.campaign_start, mk.campaign_end, mk.campaign_until
    )
    budget = L.budgets(rng, planned, sim.profile)
    ended = mk.campaign_end < period.last_day
    c_updated = np.where(
        ended,
        np.minimum((mk.campaign_end + 1) * DAY + 9 * 3600, period.end_ts),
        mk.campaign_created,
    )
    campaigns = {
        "campaign_id": A.ints(np.arange(1, n_c + 1)),
        "campaign_name": A.strings(mk.campaign_name),
        "channel": A.texts(CHANNELS, mk.campaign_channel),
        "objective": A.texts(
            ["", "conversion", "acquisition", "awareness", "retention", "", ""],
            mk.campaign_channel,
        ),
        "start_date": A.dates(mk.campaign_start),
        "end_date": A.dates(mk.campaign_end),
        "budget": A.money(budget),
        "created_at": A.timestamps(mk.campaign_created),
        "updated_at": A.timestamps(c_updated),
    }
    n_a = mk.n_ads
    camp_ended = ended[mk.ad_campaign]
    paused = ~camp_ended & (mk.ad_end < period.last_day)
    status = np.where(camp_ended, 2, np.where(paused, 1, 0))
    a_updated = np.where(
        status > 0,
        np.minimum((mk.ad_end + 1) * DAY + 9 * 3600, period.end_ts),
        mk.ad_created,
    )
    ad_ids = np.arange(1, n_a + 1)
    ad_names = [
        f"{ref.platforms[mk.ad_placement[i]]} {ref.placements[mk.ad_placement[i]]} "
        f"{mk.ad_format[i]} #{i + 1}"
        for i in range(n_a)
    ]
    ads = {
        "ad_id": A.ints(ad_ids),
        "campaign_id": A.ints(mk.ad_campaign + 1),
        "ad_name": A.strings(ad_names),
        "platform": A.texts(ref.platforms, mk.ad_placement),
        "ad_format": A.strings(mk.ad_format),
        "placement": A.texts(ref.placements, mk.ad_placement),
        "status": A.texts(("active", "paused", "ended"), status),
        "created_at": A.timestamps(mk.ad_created),
        "updated_at": A.timestamps(a_updated),
    }
    n_d = len(mk.discount_code)
    discounts = {
        "discount_id": A.ints(np.arange(1, n_d + 1)),
        "discount_code": A.strings(mk.discount_code),
        "discount_type": A.texts(("fixed", "percent"), mk.discount_percent.astype(int)),
        "discount_value": A.money(mk.discount_value_cents),
        "campaign_id": A.ints(mk.discount_campaign + 1, null=mk.discount_campaign < 0),
        "valid_from": A.dates(mk.discount_from),
        "valid_to": A.dates(mk.discount_to),
        "created_at": A.timestamps(mk.discount_created),
    }
    return {
        "ad_daily_stats": stats,
        "campaigns": campaigns,
        "ads": ads,
        "discounts": discounts,
    }

"""An order's life after it is placed, and the ad statistics of a day: the functions
the first generation (``events``, ``simulate``) and a weekly batch
(``continuation``) both call, so the two cannot drift apart.

Each function draws from the generator it is given in a fixed order and returns
arrays; which rows a caller keeps (as of the end of the period, or only what falls
inside a batch) is the caller's business. Every constant comes from ``Profile``.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
import pyarrow as pa  # type: ignore[import-untyped]

from . import arrow as A
from .entities import Reference
from .period import DAY
from .profile import CATEGORIES, Profile

I64 = npt.NDArray[np.int64]
F64 = npt.NDArray[np.float64]
Bool = npt.NDArray[np.bool_]
Columns = dict[str, pa.Array]

STATUSES = ("processing", "shipped", "delivered", "cancelled", "returned")
REASONS = ("damaged", "wrong_size", "not_as_described", "changed_mind", "late_delivery")


# -- orders: shipped, delivered --------------------------------------------------------


def ship_times(rng: np.random.Generator, ordered_at: I64, prof: Profile) -> I64:
    """When each order leaves the distribution center (if nothing stops it)."""
    lo, hi = prof.ship_range_s
    wait = np.clip(rng.lognormal(np.log(prof.ship_median_s), prof.ship_sigma,
                                 len(ordered_at)), lo, hi)  # fmt: skip
    out: I64 = (ordered_at + wait.astype(np.int64)).astype(np.int64)
    return out


def delivery_times(
    rng: np.random.Generator, shipped_at: I64, country: I64, prof: Profile
) -> I64:
    """When each shipped order arrives: the country's transit days, +- a few hours."""
    transit = np.asarray(prof.transit_days)[country] + rng.poisson(
        np.asarray(prof.transit_extra)[country]
    )
    jitter = prof.delivery_jitter_s
    out: I64 = (
        shipped_at + transit * DAY + rng.integers(-jitter, jitter, len(shipped_at))
    ).astype(np.int64)
    return out


# -- items: returned and refunded ------------------------------------------------------


def return_rates(category: I64, prof: Profile) -> F64:
    mult = np.asarray([c.return_multiplier for _, c in prof.categories])
    out: F64 = prof.item_return_rate * mult[category]
    return out


def returns(
    rng: np.random.Generator, delivered_at: I64, category: I64, prof: Profile
) -> tuple[Bool, I64, I64]:
    """(wants to return, returned_at, refunded_at) per delivered item; the caller
    keeps the returns refunded inside its window."""
    n = len(delivered_at)
    lo, hi = prof.return_after_days
    returned_at = (delivered_at + rng.integers(lo * DAY, hi * DAY, n)).astype(np.int64)
    lo, hi = prof.refund_after_days
    refunded_at = (returned_at + rng.integers(lo * DAY, hi * DAY, n)).astype(np.int64)
    wants = rng.random(n) < return_rates(category, prof)
    return wants, returned_at, refunded_at


def refund_amounts(line: I64, paid_for_goods: I64, subtotal: I64) -> I64:
    """A returned line's share of what was paid for goods (total - shipping), rounded
    down, so the refunds of an order never exceed its payment."""
    out: I64 = (line * paid_for_goods // np.maximum(subtotal, 1)).astype(np.int64)
    return out


def refund_reasons(rng: np.random.Generator, category: I64, prof: Profile) -> I64:
    n = len(category)
    soft = np.isin(category, [CATEGORIES.index(c) for c in prof.wrong_size_categories])
    out: I64 = np.where(
        soft & (rng.random(n) < prof.p_wrong_size),
        REASONS.index("wrong_size"),
        A.choice(rng, n, prof.return_reason_weights),
    ).astype(np.int64)
    return out


def refund_columns(
    first_id: int,
    order_item_id: I64,
    order_id: I64,
    amount: I64,
    reason: I64,
    refunded_at: I64,
) -> Columns:
    return {
        "refund_id": A.ints(first_id + np.arange(len(order_item_id))),
        "order_item_id": A.ints(order_item_id),
        "order_id": A.ints(order_id),
        "refund_amount": A.money(amount),
        "reason": A.texts(REASONS, reason),
        "refunded_at": A.timestamps(refunded_at),
    }


# -- items: reviewed -------------------------------------------------------------------


def reviews(
    rng: np.random.Generator, delivered_at: I64, returned: Bool, prof: Profile
) -> tuple[Bool, I64]:
    """(would review, reviewed_at) per delivered item; returned items are reviewed
    more often (and rated lower)."""
    n = len(delivered_at)
    reviewed_at = (
        delivered_at
        + prof.review_after_s
        + rng.exponential(prof.review_mean_days * DAY, n).astype(np.int64)
    ).astype(np.int64)
    rate = np.where(returned, prof.review_rate_returned, prof.review_rate)
    return rng.random(n) < rate, reviewed_at


def ratings(
    rng: np.random.Generator, quality: F64, returned: Bool, prof: Profile
) -> I64:
    latent = (
        prof.rating_base
        + quality
        + rng.normal(0.0, prof.rating_noise, len(quality))
        - prof.rating_returned_penalty * returned
    )
    out: I64 = np.clip(np.round(latent), 1, 5).astype(np.int64)
    return out


def review_columns(
    first_id: int,
    order_item_id: I64,
    product: I64,
    customer: I64,
    rating: I64,
    reviewed_at: I64,
) -> Columns:
    """``product`` and ``customer`` are 0-based indices."""
    return {
        "review_id": A.ints(first_id + np.arange(len(order_item_id))),
        "order_item_id": A.ints(order_item_id),
        "product_id": A.ints(product + 1),
        "customer_id": A.ints(customer + 1),
        "rating": A.ints(rating),
        "reviewed_at": A.timestamps(reviewed_at),
    }


# -- ad statistics of a day ------------------------------------------------------------


def daily_ctr(
    rng: np.random.Generator, placement: I64, ref: Reference, prof: Profile
) -> F64:
    """A day's click-through rate per (ad, day) row: the placement's, +- noise."""
    ctr_of = {(pf, pl): c for pf, pl, c in prof.ctr}
    ctr = np.asarray(
        [ctr_of[(pf, pl)] for pf, pl in zip(ref.platforms, ref.placements, strict=True)]
    )[placement]
    ctr_day: F64 = np.minimum(
        ctr * rng.lognormal(0.0, prof.ctr_sigma, len(placement)), 0.5
    )
    return ctr_day


def impressions_for(
    rng: np.random.Generator,
    clicks: I64,
    placement: I64,
    ref: Reference,
    prof: Profile,
    background: bool = True,
) -> tuple[I64, I64]:
    """(impressions, reach before clipping) that ``clicks`` clicks came with: the
    clicks over the day's CTR (plus, with ``background``, impressions nobody clicked
    on), reach = impressions / a frequency."""
    impressions = np.round(clicks / daily_ctr(rng, placement, ref, prof)).astype(
        np.int64
    )
    if background:
        unclicked = rng.poisson(prof.background_impressions, len(clicks))
        impressions = impressions + unclicked
    shape, scale = prof.frequency_gamma
    frequency = 1.0 + rng.gamma(shape, scale, len(clicks))
    reach = np.round(impressions / frequency).astype(np.int64)
    return impressions.astype(np.int64), reach


def priced(
    impressions: I64, clicks: I64, placement: I64, ref: Reference
) -> tuple[I64, I64]:
    """(impressions, spend in cents) per the placement's price (ad_placement_pricing).

    No CPM day lands on an exact half penny (impressions move up by one or two), so
    round(impressions * price / 1000, 2) is the same under every rounding rule
    (half-up, half-even, via double).
    """
    price = ref.unit_price_cents[placement]
    cpc = np.asarray([m == "cpc" for m in ref.pricing_model])[placement]
    for _ in range(3):
        half = ~cpc & ((impressions * price) % 1000 == 500)
        impressions = impressions + half
    spend = np.where(cpc, clicks * price, (impressions * price + 500) // 1000)
    return impressions.astype(np.int64), spend.astype(np.int64)


def ad_day_measures(
    impressions: I64, reach: I64, clicks: I64, placement: I64, ref: Reference
) -> tuple[I64, I64, I64]:
    """(impressions, reach, spend) of (ad, day) rows: reach between the clicks and
    the impressions, spend at the placement's price."""
    reach = np.minimum(impressions, np.maximum(reach, clicks)).astype(np.int64)
    impressions, spend = priced(impressions, clicks, placement, ref)
    return impressions, reach, spend


def ad_stats_columns(
    ad: I64, day: I64, impressions: I64, reach: I64, clicks: I64, leads: I64,
    spend: I64,
) -> Columns:  # fmt: skip
    """``ad`` 0-based, ``day`` a day number."""
    return {
        "ad_id": A.ints(ad + 1),
        "stat_date": A.dates(day),
        "impressions": A.ints(impressions),
        "reach": A.ints(reach),
        "clicks": A.ints(clicks),
        "leads": A.ints(leads),
        "spend": A.money(spend),
    }


def planned_spend(spent: F64, start: I64, end: I64, until: I64) -> F64:
    """A campaign's planned spend: its spend per day on [start, end] over its planned
    days [start, until]."""
    live = np.maximum(end - start + 1, 1)
    out: F64 = spent / live * np.maximum(until - start + 1, 1)
    return out


def budgets(rng: np.random.Generator, planned: F64, prof: Profile) -> I64:
    """Campaign budgets (cents) their planned spend uses a share of (the profile's
    ``budget_utilisation``, uniform), rounded up to whole hundreds (GBP), at least
    one hundred: spend <= budget x the utilisation's upper end."""
    use = rng.uniform(*prof.budget_utilisation, len(planned))
    out: I64 = np.maximum(10_000, np.ceil(planned / use / 10_000) * 10_000).astype(
        np.int64
    )
    return out


def topped_up(
    rng: np.random.Generator, budget: I64, spent: F64, planned: F64, prof: Profile
) -> I64:
    """Budgets of running campaigns as of a batch's end: a campaign whose spend went
    past its budget's tolerance gets a new budget for its (re)planned spend, as an
    advertiser tops it up; the others keep theirs."""
    over = spent > budget * prof.budget_utilisation[1]
    fresh = np.maximum(budgets(rng, planned, prof), budget)
    out: I64 = np.where(over, fresh, budget).astype(np.int64)
    return out

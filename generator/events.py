"""Event simulation, one calendar month at a time: sessions, pageviews, orders,
order items, payments, refunds, reviews; ad clicks and leads are accumulated per
(ad, day) and turned into ``ad_daily_stats`` at the end.

How the pieces tie together (see generator/README.md for the why):

* Orders are planned per customer up front (``plan_orders``): personas decide how
  many, the calendar (seasonality, promotions) decides when. Each planned order is
  one session that walks the whole funnel; its ``/thank-you`` pageview time is the
  order's ``ordered_at``.
* Every other session stops earlier in the funnel: browsing sessions of signed-up
  customers (their first one is the sign-up session) and anonymous visitors.
* A paid session (paid_search, paid_social, display, email) is one click on an ad
  that is live that day; ``clicks`` per (ad, day) are counted from those sessions,
  and ``leads`` are the paid sessions that reached ``/cart``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt
import pyarrow as pa  # type: ignore[import-untyped]

from . import arrow as A
from . import lifecycle as L
from .entities import DEVICES, Customers, Marketing, Products, Reference
from .lifecycle import STATUSES
from .period import DAY, Period
from .profile import CATEGORIES, CHANNELS, PAID_CHANNELS, Profile

I64 = npt.NDArray[np.int64]
F64 = npt.NDArray[np.float64]
Bool = npt.NDArray[np.bool_]
Columns = dict[str, pa.Array]

UTM_MEDIUM = {"paid_search": "cpc", "paid_social": "paid_social", "display": "display",
              "email": "email"}  # fmt: skip
REFERRERS = (
    "https://www.google.com/",
    "https://www.bing.com/",
    "https://www.facebook.com/",
    "https://www.instagram.com/",
    "https://www.tiktok.com/",
    "https://mail.cartify.co.uk/",
)
REFERRAL_SITES = (
    "https://www.hotukdeals.com/",
    "https://www.moneysavingexpert.com/",
    "https://www.reddit.com/",
    "https://www.trustpilot.com/",
    "https://www.vouchercodes.co.uk/",
    "https://www.which.co.uk/",
    "https://www.pinterest.com/",
    "https://www.youtube.com/",
    "https://www.topcashback.co.uk/",
    "https://www.quidco.com/",
)
PUBLISHERS = (
    "https://www.theguardian.com/",
    "https://www.independent.co.uk/",
    "https://www.telegraph.co.uk/",
    "https://www.msn.com/",
    "https://www.standard.co.uk/",
)
REFERRER_POOL = REFERRERS + REFERRAL_SITES + PUBLISHERS
LANDINGS = ("/", "/lander-1", "/lander-2", "/sale")
FUNNEL = ("/products", "/cart", "/shipping", "/billing", "/thank-you")
PAYMENT_METHODS = ("card", "paypal", "apple_pay", "klarna", "gift_card")


class GroupSampler:
    """Draw, for items of a group, one option of that group (weighted).

    Options are fixed at construction; ``sample`` is one searchsorted.
    """

    def __init__(self, option_group: I64, option_weight: F64) -> None:
        order = np.argsort(option_group, kind="stable")
        groups = option_group[order]
        weights = option_weight[order].astype(np.float64)
        self.order = order.astype(np.int64)
        self.groups = groups
        if len(groups) == 0:
            self.keys = np.zeros(0)
            return
        cum = np.cumsum(weights)
        starts = np.flatnonzero(np.r_[True, groups[1:] != groups[:-1]])
        lengths = np.diff(np.r_[starts, len(groups)])
        run = np.repeat(np.arange(len(starts)), lengths)
        before = (cum - weights)[starts]
        total = np.add.reduceat(weights, starts)
        frac = (cum - before[run]) / total[run]
        self.keys = groups.astype(np.float64) + frac * (1.0 - 1e-9)

    def sample(self, rng: np.random.Generator, item_group: I64) -> I64:
        n = len(item_group)
        if len(self.keys) == 0:
            return np.full(n, -1, dtype=np.int64)
        q = item_group.astype(np.float64) + rng.random(n) * (1.0 - 1e-9)
        pos = np.minimum(np.searchsorted(self.keys, q, side="left"), len(self.keys) - 1)
        found = self.groups[pos] == item_group
        return np.where(found, self.order[pos], -1).astype(np.int64)


def spread_orders(customer: I64, t: I64, latest: int) -> tuple[I64, I64, I64]:
    """Sort orders by (customer, time), keep a customer's orders 30 minutes apart,
    none after ``latest``; returns (customer, time, rank within the customer)."""
    order = np.lexsort((t, customer))
    customer, t = customer[order], t[order]
    if len(t) == 0:
        return customer, t, np.zeros(0, np.int64)
    new = np.r_[True, customer[1:] != customer[:-1]]
    starts = np.flatnonzero(new)
    k = np.arange(len(t)) - np.repeat(starts, np.diff(np.r_[starts, len(t)]))
    shift = customer * (1 << 40)
    t = np.maximum.accumulate(t - 1800 * k + shift) - shift + 1800 * k
    return customer, np.minimum(t, latest).astype(np.int64), k.astype(np.int64)


@dataclass
class OrderPlan:
    customer: I64  # customer index, sorted by start
    start: I64  # start of the ordering session (epoch seconds)
    first: Bool  # the customer's first order
    persona: I64  # effective persona per customer (after the tenure ramp)


def plan_orders(
    rng: np.random.Generator, customers: Customers, period: Period, profile: Profile
) -> OrderPlan:
    n = customers.n
    tenure = (period.end_ts - customers.signup_ts) / DAY
    persona = customers.persona.copy()
    keep = rng.random(n) < 1.0 - np.exp(-tenure / profile.repeat_ramp_days)
    persona = np.where((persona >= 2) & ~keep, 1, persona)
    years = tenure / 365.25
    extra = np.where(
        persona == 2,
        rng.poisson(profile.regular_orders_per_year * years),
        np.where(persona == 3, rng.poisson(profile.loyal_orders_per_year * years), 0),
    )
    n_orders = np.where(persona >= 2, 2 + extra, np.where(persona == 1, 1, 0))
    customer = np.repeat(np.arange(n, dtype=np.int64), n_orders)
    n_total = len(customer)
    signup = customers.signup_ts[customer]
    latest = period.end_ts - 3600
    starts = np.r_[0, np.cumsum(n_orders)[:-1]]
    is_first = np.zeros(n_total, dtype=np.bool_)
    is_first[starts[n_orders > 0]] = True
    # Whose orders: each order gets a rank key within its customer's tenure, the
    # first one soon after signing up. When: the calendar's order intensity
    # (traffic x promotions). Matching the sorted keys to the sorted times makes
    # the orders follow the calendar (so conversion does not drift with the size of
    # the customer base) while each customer's orders spread over their tenure.
    first_delay = rng.exponential(profile.first_order_delay_days, n_total) * DAY
    key = signup + 600 + rng.random(n_total) * (latest - signup - 600)
    key = np.where(is_first, np.minimum(signup + 600 + first_delay, latest), key)
    weights = period.traffic * period.conversion
    times = np.sort(period.sample_times(rng, n_total, weights, 0, period.n_days))
    t = np.empty(n_total, dtype=np.int64)
    t[np.argsort(key, kind="stable")] = times
    # never before signing up: such orders move to shortly after it
    soon = signup + 600 + (rng.exponential(1.0, n_total) * DAY).astype(np.int64)
    t = np.where(t < signup + 600, np.minimum(soon, latest), t)
    # keep a customer's orders at least 30 minutes apart (running max per customer)
    customer, t, rank = spread_orders(customer, t, latest)
    first = rank == 0
    by_time = np.argsort(t, kind="stable")
    return OrderPlan(customer[by_time], t[by_time], first[by_time], persona)


def repeat_weights(persona: I64, profile: Profile) -> F64:
    """Relative repeat-order rate per customer: regular and loyal personas only."""
    w = np.zeros(len(persona))
    w[persona == 2] = profile.regular_orders_per_year + 1.0
    w[persona == 3] = profile.loyal_orders_per_year + 1.0
    return w


def plan_batch_orders(
    rng: np.random.Generator,
    period: Period,
    cu: Customers,
    n_prior: I64,
    n_orders: int,
    newcomers: bool,
    profile: Profile,
) -> OrderPlan:
    """Orders of a continued period, ``n_prior`` the orders each customer placed
    before.

    With ``newcomers``: first orders of customers who have not ordered yet, and
    second orders of regular and loyal customers who have ordered once (the first
    generation's ramp: a repeat persona orders again after an exponential wait of
    ``repeat_ramp_days``). Both delays are memoryless, so a customer still waiting
    restarts the wait at the period start. The rest of the ``n_orders`` (the
    calendar's share of orders) are repeat orders of regular and loyal customers
    with two orders or more, weighted by their personas' rates.
    """
    latest = period.end_ts - 3600
    persona = cu.persona[: cu.n]
    prior = n_prior[: cu.n]
    customer = np.zeros(0, np.int64)
    t = np.zeros(0, np.int64)
    if newcomers:
        due = np.flatnonzero((persona >= 1) & (prior == 0))
        origin = np.maximum(cu.signup_ts[due] + 600, period.start_ts)
        delay = rng.exponential(profile.first_order_delay_days, len(due)) * DAY
        first_at = (origin + delay).astype(np.int64)
        ok = first_at <= latest
        customer, t = due[ok].astype(np.int64), first_at[ok]
        # second orders: after a first one placed before or just now
        once = np.flatnonzero((persona >= 2) & (prior == 1))
        after = np.full(cu.n, -1, dtype=np.int64)
        after[once] = period.start_ts
        repeat_due = ok & (persona[due] >= 2)
        after[due[repeat_due]] = first_at[repeat_due] + 1800
        due2 = np.flatnonzero(after >= 0)
        delay = rng.exponential(profile.repeat_ramp_days, len(due2)) * DAY
        second_at = (after[due2] + delay).astype(np.int64)
        ok = second_at <= latest
        customer = np.r_[customer, due2[ok]].astype(np.int64)
        t = np.r_[t, second_at[ok]].astype(np.int64)
    n_repeat = max(0, n_orders - len(customer))
    w = repeat_weights(persona, profile)
    w[(prior < 2) | (cu.signup_ts >= period.start_ts - 600)] = 0.0
    if n_repeat and w.sum() > 0:
        who = A.choice(rng, n_repeat, w)
        when = period.sample_times(
            rng, n_repeat, period.traffic * period.conversion, 0, period.n_days
        )
        customer = np.r_[customer, who].astype(np.int64)
        t = np.r_[t, when].astype(np.int64)
    customer, t, rank = spread_orders(customer, t, latest)
    first = (rank == 0) & (prior[customer] == 0)
    by_time = np.argsort(t, kind="stable")
    return OrderPlan(customer[by_time], t[by_time], first[by_time], persona)


@dataclass
class Counters:
    session: int = 0
    pageview: int = 0
    order: int = 0
    item: int = 0
    refund: int = 0
    review: int = 0


@dataclass
class EventSimulator:
    period: Period
    profile: Profile
    ref: Reference
    customers: Customers
    products: Products
    marketing: Marketing
    plan: OrderPlan
    sessions_total: int
    ids: Counters = field(default_factory=Counters)
    # orders' fulfilment, returns and reviews as of this time (default: the end of
    # the period); late-arriving sessions of a continued week use the week's end
    as_of: int | None = None
    # the steps ``month`` simulates, [first, last + 1) day indices: the calendar
    # months (default) or parts of them (``simulate.parts``)
    parts: list[tuple[int, int]] | None = None

    def __post_init__(self) -> None:
        p, prof = self.period, self.profile
        self.seen = np.zeros(self.customers.n, dtype=np.bool_)
        mk = self.marketing
        # the simulation's steps: calendar months, or parts of them (``parts``)
        self.steps: list[tuple[int, int]] = (
            p.months if self.parts is None else self.parts
        )
        # sessions per month, proportional to the month's traffic
        month_traffic = np.asarray([p.traffic[a:b].sum() for a, b in self.steps])
        cum = np.round(
            np.cumsum(month_traffic) / month_traffic.sum() * self.sessions_total
        )
        self.month_sessions = np.diff(np.r_[0, cum]).astype(np.int64)
        # browsing sessions of known customers: proportional to the customer base
        # signed up by mid-month (weighted by persona) and to the month's traffic
        cu = self.customers
        weight = np.asarray(prof.persona_session_weights)[self.plan.persona]
        base = np.r_[0.0, np.cumsum(weight)]
        mid = np.asarray(
            [(p.days[a] + p.days[b - 1]) // 2 * DAY for a, b in self.steps]
        )
        active = base[np.searchsorted(cu.signup_ts, mid, side="right")]
        share = active * month_traffic
        wanted = prof.known_browsing_share * self.sessions_total
        cum = np.round(np.cumsum(share) / max(share.sum(), 1e-9) * wanted)
        self.month_browse = np.diff(np.r_[0, cum]).astype(np.int64)
        # product sampler: groups 0..10 are categories, 11 is the whole catalogue
        pr = self.products
        n_cat = len(CATEGORIES)
        self.product_sampler = GroupSampler(
            np.r_[pr.category, np.full(pr.n, n_cat)],
            np.r_[pr.popularity, pr.popularity],
        )
        self.product_sampler.order %= pr.n
        # ads live per (paid channel, day)
        paid_pos = np.full(len(CHANNELS), -1, dtype=np.int64)
        for i, ch in enumerate(PAID_CHANNELS):
            paid_pos[CHANNELS.index(ch)] = i
        self.paid_pos = paid_pos
        lo = np.maximum(mk.ad_start, p.first_day) - p.first_day
        hi = np.minimum(mk.ad_end, p.last_day) - p.first_day
        length = np.maximum(hi - lo + 1, 0)
        ad_rep = np.repeat(np.arange(mk.n_ads), length)
        day_rep = np.repeat(lo, length) + (
            np.arange(length.sum()) - np.repeat(np.cumsum(length) - length, length)
        )
        self.ad_sampler = GroupSampler(
            paid_pos[mk.ad_channel][ad_rep] * p.n_days + day_rep, mk.ad_weight[ad_rep]
        )
        # one row per live (ad, day): the sampler draws rows; clicks and leads are
        # counted per row (a dense ads x days array would not fit at scale 100)
        self.ad_rows = (ad_rep, day_rep)
        self.clicks = np.zeros(len(ad_rep), dtype=np.int64)
        self.leads = np.zeros(len(ad_rep), dtype=np.int64)
        # discount codes valid per day: promotions (kind 0) and evergreen (kind 1)
        self.discount_samplers: list[GroupSampler] = []
        for kind in (0, 1):
            idx = np.flatnonzero(mk.discount_kind == kind)
            d_lo = np.maximum(mk.discount_from[idx], p.first_day) - p.first_day
            d_hi = np.minimum(mk.discount_to[idx], p.last_day) - p.first_day
            d_len = np.maximum(d_hi - d_lo + 1, 0)
            rep = np.repeat(idx, d_len)
            days = np.repeat(d_lo, d_len) + (
                np.arange(d_len.sum()) - np.repeat(np.cumsum(d_len) - d_len, d_len)
            )
            sampler = GroupSampler(days.astype(np.int64), np.ones(len(rep)))
            sampler.order = rep[sampler.order]
            self.discount_samplers.append(sampler)
        self.welcome = int(np.flatnonzero(mk.discount_kind == 2)[0])
        url_pool = list(LANDINGS) + list(FUNNEL)
        self.url_pool = pa.concat_arrays(
            [
                A.strings(url_pool),
                A.join("/products/", A.ints(np.arange(1, pr.n + 1)).cast(pa.string())),
            ]
        )
        self.conv_mix = np.asarray(prof.channel_weights) * np.asarray(
            prof.channel_conversion
        )
        self.multi_unit = np.asarray([c.multi_unit for _, c in prof.categories])
        self.placement_platform = np.asarray(
            [self.ref.platforms.index(x) for x in self.ref.platforms]
        )

    # ------------------------------------------------------------------------------
    def month(self, rng: np.random.Generator, m: int) -> dict[str, Columns]:
        p, prof, cu = self.period, self.profile, self.customers
        lo, hi = self.steps[m]
        m_start = int(p.days[lo]) * DAY
        m_end = int(p.days[hi - 1]) * DAY + DAY - 1
        # 1. who visits, when
        in_month = (self.plan.start >= m_start) & (self.plan.start <= m_end)
        conv_cust = self.plan.customer[in_month]
        conv_start = self.plan.start[in_month]
        conv_first = self.plan.first[in_month]
        su = np.flatnonzero((cu.signup_ts >= m_start) & (cu.signup_ts <= m_end))
        n_eligible = int(np.searchsorted(cu.signup_ts, m_end, side="right"))
        room = int(self.month_sessions[m]) - len(conv_cust) - len(su)
        n_browse = max(0, min(int(self.month_browse[m]), room)) if n_eligible else 0
        w = np.asarray(prof.persona_session_weights)[self.plan.persona[:n_eligible]]
        browse_cust = A.choice(rng, n_browse, w) if n_browse else np.zeros(0, np.int64)
        browse_start = p.sample_times(rng, n_browse, p.traffic, lo, hi)
        signup = cu.signup_ts[browse_cust]
        late = browse_start < signup
        browse_start = np.where(
            late, signup + (rng.random(n_browse) * (m_end - signup)).astype(np.int64),
            browse_start,
        )  # fmt: skip
        n_anon = max(
            0, int(self.month_sessions[m]) - len(conv_cust) - len(su) - n_browse
        )
        anon_start = p.sample_times(rng, n_anon, p.traffic, lo, hi)
        n_conv, n_su = len(conv_cust), len(su)
        kind = np.repeat(np.arange(4, dtype=np.int64), [n_conv, n_su, n_browse, n_anon])
        cust = np.r_[conv_cust, su, browse_cust, np.full(n_anon, -1)].astype(np.int64)
        start = np.r_[conv_start, cu.signup_ts[su], browse_start, anon_start].astype(
            np.int64
        )
        first_order = np.r_[conv_first, np.zeros(n_su + n_browse + n_anon, np.bool_)]
        order = np.lexsort((kind, start))
        kind, cust, start, first_order = (
            kind[order], cust[order], start[order], first_order[order]
        )  # fmt: skip
        n = len(kind)
        known = cust >= 0
        cidx = np.where(known, cust, 0)
        conv = kind == 0
        # 2. channel, device, depth
        general = A.choice(rng, n, prof.channel_weights)
        conv_general = A.choice(rng, n, self.conv_mix)
        own = known & (rng.random(n) < prof.p_session_from_acquisition_channel)
        channel = np.where(conv, conv_general, general)
        channel = np.where(own | (kind == 1), cu.acquisition[cidx], channel)
        p_pref = np.where(
            conv, prof.p_preferred_device_ordering, prof.p_preferred_device
        )
        conv_devices = np.asarray(prof.device_weights) * prof.device_conversion
        device = np.where(
            known & (rng.random(n) < p_pref),
            cu.device[cidx],
            np.where(
                conv,
                A.choice(rng, n, conv_devices),
                A.choice(rng, n, prof.device_weights),
            ),
        )
        depth = np.where(
            known,
            1 + A.choice(rng, n, prof.known_depth),
            1 + A.choice(rng, n, prof.anonymous_depth),
        )
        depth = np.where(conv, 7, depth)
        n_items = np.where(conv, 1 + A.choice(rng, n, prof.items_per_order), 0)
        product_pages = np.where(
            conv,
            n_items + rng.poisson(prof.extra_product_views_buyer, n),
            np.where(
                depth >= 3, 1 + rng.poisson(prof.extra_product_views_browser, n), 0
            ),
        )
        n_pv = depth + np.where(depth >= 3, product_pages - 1, 0)
        # 3. pageview timing; sessions ending after the period are moved earlier
        total_pv = int(n_pv.sum())
        pv_sess = np.repeat(np.arange(n), n_pv)
        pv_first = np.cumsum(n_pv) - n_pv
        j = np.arange(total_pv) - pv_first[pv_sess]
        gaps = np.clip(
            rng.lognormal(np.log(prof.pageview_gap_median_s), prof.pageview_gap_sigma,
                          total_pv), 3, 1200,
        ).astype(np.int64)  # fmt: skip
        gaps[pv_first[n_pv > 0]] = 0
        cum = np.cumsum(gaps)
        offset = cum - cum[pv_first][pv_sess]
        duration = offset[pv_first + n_pv - 1]
        start = np.minimum(start, p.end_ts - duration)
        viewed = start[pv_sess] + offset
        day_idx = start // DAY - p.first_day
        # 4. paid sessions: one click on an ad live that day
        ppos = self.paid_pos[channel]
        paid = ppos >= 0
        row = np.full(n, -1, dtype=np.int64)
        row[paid] = self.ad_sampler.sample(rng, ppos[paid] * p.n_days + day_idx[paid])
        paid &= row >= 0
        channel = np.where((ppos >= 0) & ~paid, CHANNELS.index("direct"), channel)
        row = np.where(paid, row, 0)
        aidx = np.where(paid, self.ad_rows[0][row], 0)
        self.clicks += np.bincount(row[paid], minlength=len(self.clicks))
        self.leads += np.bincount(row[paid & (depth >= 4)], minlength=len(self.leads))
        mk = self.marketing
        placement = mk.ad_placement[aidx]
        platform = np.asarray(
            [self.ref.platforms[i] for i in range(len(self.ref.platforms))]
        )
        # referrer
        ch = channel
        r = rng.random(n)
        ref_idx = np.full(n, -1, dtype=np.int64)
        organic = ch == CHANNELS.index("organic_search")
        ref_idx = np.where(organic, np.where(r < 0.88, 0, 1), ref_idx)
        referral = ch == CHANNELS.index("referral")
        site = len(REFERRERS) + np.minimum(
            rng.pareto(1.0, n).astype(np.int64), len(REFERRAL_SITES) - 1
        )
        ref_idx = np.where(referral, site, ref_idx)
        pl_name = np.asarray(self.ref.placements)[placement]
        pf_name = platform[placement]
        paid_ref = np.select(
            [
                pf_name == "google",
                pf_name == "bing",
                (pf_name == "meta") & (pl_name == "feed"),
                pf_name == "meta",
                pf_name == "tiktok",
                pf_name == "newsletter",
            ],
            [
                np.zeros(n, np.int64),
                np.ones(n, np.int64),
                np.where(r < 0.65, 2, 3),
                np.where(r < 0.25, 2, 3),
                np.full(n, 4),
                np.full(n, 5),
            ],
            default=0,
        )
        publisher = (
            len(REFERRERS) + len(REFERRAL_SITES) + rng.integers(0, len(PUBLISHERS), n)
        )
        paid_ref = np.where(pl_name == "display_network", publisher, paid_ref)
        ref_idx = np.where(paid, paid_ref, ref_idx)
        # landing page
        promo_day = p.promo_of_day[day_idx] >= 0
        p_lander_2 = np.where(conv, prof.p_lander_2_ordering, 0.5)
        landing = np.where(paid, 1 + (rng.random(n) < p_lander_2), 0)
        sale = promo_day & (rng.random(n) < prof.p_sale_landing)
        landing = np.where(sale, 3, landing)
        # repeat visitor flag
        is_repeat = rng.random(n) < prof.p_anonymous_repeat
        kc = cust[known]
        _, first_pos = np.unique(kc, return_index=True)
        first_in_month = np.zeros(len(kc), dtype=np.bool_)
        first_in_month[first_pos] = True
        known_repeat = ~(first_in_month & ~self.seen[kc])
        is_repeat[known] = known_repeat
        self.seen[kc] = True
        session_id = self.ids.session + 1 + np.arange(n, dtype=np.int64)
        self.ids.session += n
        # 5. orders and items (ordering sessions, in session order)
        out: dict[str, Columns] = {}
        conv_idx = np.flatnonzero(conv)
        ordered_at = viewed[pv_first[conv_idx] + n_pv[conv_idx] - 1]
        items = self._orders(
            rng, out, cust[conv_idx], session_id[conv_idx], ordered_at,
            first_order[conv_idx], n_items[conv_idx],
        )  # fmt: skip
        # 6. pageviews
        k = product_pages[pv_sess]
        step = np.where(
            j == 0, 0, np.where(j == 1, 1, np.where(j < 2 + k, 2, 3 + j - 2 - k))
        )
        page = j - 2  # index of the product page within the session
        is_pp = step == 2
        pp_sess = pv_sess[is_pp]
        r2 = rng.random(len(pp_sess))
        pp_cust = cust[pp_sess]
        group = np.where(
            (pp_cust >= 0) & (r2 < prof.p_preferred_category + prof.p_second_category),
            cu.pref1[np.maximum(pp_cust, 0)],
            len(CATEGORIES),
        )
        product = self.product_sampler.sample(rng, group.astype(np.int64))
        # ordering sessions view the products they buy first
        order_of_sess = np.full(n, -1, dtype=np.int64)
        order_of_sess[conv_idx] = np.arange(len(conv_idx))
        o = order_of_sess[pp_sess]
        item_first, item_product = items
        pp_page = page[is_pp]
        bought = (o >= 0) & (pp_page < n_items[pp_sess])
        product[bought] = item_product[item_first[o[bought]] + pp_page[bought]]
        url = np.where(step == 0, landing[pv_sess], 3 + step)  # 4 /products ...
        url[is_pp] = len(LANDINGS) + len(FUNNEL) + product
        url = np.where(step >= 3, len(LANDINGS) + step - 2, url)
        url = np.where(step == 1, len(LANDINGS), url)
        out["pageviews"] = {
            "pageview_id": A.ints(self.ids.pageview + 1 + np.arange(total_pv)),
            "session_id": A.ints(session_id[pv_sess]),
            "viewed_at": A.timestamps(viewed),
            "page_url": A.texts(self.url_pool, url),
        }
        self.ids.pageview += total_pv
        no_utm = ~paid
        out["website_sessions"] = {
            "session_id": A.ints(session_id),
            "customer_id": A.ints(cust + 1, null=~known),
            "started_at": A.timestamps(start),
            "utm_source": A.texts(self.ref.platforms, placement, null=no_utm),
            "utm_medium": A.texts(
                [UTM_MEDIUM.get(c, "") for c in CHANNELS], channel, null=no_utm
            ),
            "utm_campaign": A.ints(mk.ad_campaign[aidx] + 1, null=no_utm),
            "utm_content": A.ints(aidx + 1, null=no_utm),
            "device_type": A.texts(DEVICES, device),
            "referrer": A.texts(
                REFERRER_POOL, np.maximum(ref_idx, 0), null=ref_idx < 0
            ),
            "landing_page": A.texts(LANDINGS, landing),
            "is_repeat_session": A.bools(is_repeat),
        }
        return out

    # ------------------------------------------------------------------------------
    def _orders(
        self,
        rng: np.random.Generator,
        out: dict[str, Columns],
        cust: I64,
        session_id: I64,
        ordered_at: I64,
        first: Bool,
        n_items: I64,
    ) -> tuple[I64, I64]:
        p, prof, cu, pr = self.period, self.profile, self.customers, self.products
        n = len(cust)
        end = p.end_ts if self.as_of is None else self.as_of
        order_id = self.ids.order + 1 + np.arange(n, dtype=np.int64)
        self.ids.order += n
        # items
        item_order = np.repeat(np.arange(n), n_items)
        item_first = (np.cumsum(n_items) - n_items).astype(np.int64)
        n_it = len(item_order)
        ic = cust[item_order]
        r = rng.random(n_it)
        group = np.where(
            r < prof.p_preferred_category,
            cu.pref1[ic],
            np.where(
                r < prof.p_preferred_category + prof.p_second_category,
                cu.pref2[ic],
                len(CATEGORIES),
            ),
        ).astype(np.int64)
        product = self.product_sampler.sample(rng, group)
        for _ in range(10):  # no product twice in one order
            srt = np.lexsort((product, item_order))
            dup = np.zeros(n_it, dtype=np.bool_)
            same = (item_order[srt][1:] == item_order[srt][:-1]) & (
                product[srt][1:] == product[srt][:-1]
            )
            dup[srt[1:][same]] = True
            if not dup.any():
                break
            product[dup] = self.product_sampler.sample(
                rng, np.full(int(dup.sum()), len(CATEGORIES), dtype=np.int64)
            )
        category = pr.category[product]
        multi = rng.random(n_it) < self.multi_unit[category]
        quantity = 1 + multi * (1 + (rng.random(n_it) < prof.p_third_unit))
        unit_price = pr.price_cents[product]
        unit_cost = pr.cost_cents[product]
        if pr.price_since is not None:  # a price changed during the period
            assert pr.prior_price_cents is not None and pr.prior_cost_cents is not None
            before = ordered_at[item_order] < pr.price_since[product]
            unit_price = np.where(before, pr.prior_price_cents[product], unit_price)
            unit_cost = np.where(before, pr.prior_cost_cents[product], unit_cost)
        line = quantity * unit_price
        subtotal = np.add.reduceat(line, item_first) if n else np.zeros(0, np.int64)
        # discount
        day = ordered_at // DAY - p.first_day
        promo = self.discount_samplers[0].sample(rng, day)
        evergreen = self.discount_samplers[1].sample(rng, day)
        r = rng.random(n)
        discount = np.where((promo >= 0) & (r < prof.p_promo_discount), promo, -1)
        r = rng.random(n)
        discount = np.where(
            (discount < 0) & first & (r < prof.p_welcome_discount),
            self.welcome,
            discount,
        )
        r = rng.random(n)
        discount = np.where(
            (discount < 0) & (evergreen >= 0) & (r < prof.p_evergreen_discount),
            evergreen,
            discount,
        )
        mk = self.marketing
        didx = np.maximum(discount, 0)
        value = mk.discount_value_cents[didx]
        amount = np.where(
            mk.discount_percent[didx],
            (subtotal * value + 5000) // 10000,
            np.minimum(value, subtotal),
        )
        amount = np.where(discount >= 0, amount, 0)
        country = cu.country[cust]
        if cu.moved_at is not None:  # a customer moved during the period
            assert cu.prior_country is not None
            before_move = ordered_at < cu.moved_at[cust]
            country = np.where(before_move, cu.prior_country[cust], country)
        net = subtotal - amount
        shipping = np.where(
            net >= np.asarray(prof.free_shipping_from)[country],
            0,
            np.asarray(prof.shipping_fee)[country],
        )
        tax_rate = np.asarray(prof.tax_rate)[country]
        tax = np.round((net + shipping) * tax_rate).astype(np.int64)
        total = net + shipping + tax
        dc = pr.dc_id[product[item_first]] if n else np.zeros(0, np.int64)
        # fulfilment timeline, as of the end of the period
        cancelled = rng.random(n) < prof.p_cancelled
        cancel_at = np.minimum(ordered_at + rng.integers(*prof.cancel_after_s, n), end)
        shipped = L.ship_times(rng, ordered_at, prof)
        delivered = L.delivery_times(rng, shipped, country, prof)
        no_ship = cancelled | (shipped > end)
        no_deliver = no_ship | (delivered > end)
        # returns: delivered items, finished (refunded) before the end
        i_deliv = delivered[item_order]
        wants, returned_at, refunded_at = L.returns(rng, i_deliv, category, prof)
        returned = ~no_deliver[item_order] & wants & (refunded_at <= end)
        n_returned = (
            np.add.reduceat(returned.astype(np.int64), item_first)
            if n
            else np.zeros(0, np.int64)
        )
        status = np.where(
            cancelled,
            3,
            np.where(
                no_ship,
                0,
                np.where(no_deliver, 1, np.where(n_returned == n_items, 4, 2)),
            ),
        )
        last_return = np.zeros(n, dtype=np.int64)
        if n_it:
            np.maximum.at(last_return, item_order, np.where(returned, returned_at, 0))
        updated = np.where(
            cancelled,
            cancel_at,
            np.maximum.reduce(
                [
                    ordered_at,
                    np.where(no_ship, 0, shipped),
                    np.where(no_deliver, 0, delivered),
                    np.where(status == 4, last_return, 0),
                ]
            ),
        )
        out["orders"] = {
            "order_id": A.ints(order_id),
            "customer_id": A.ints(cust + 1),
            "session_id": A.ints(session_id),
            "distribution_center_id": A.ints(dc),
            "discount_id": A.ints(discount + 1, null=discount < 0),
            "status": A.texts(STATUSES, status),
            "ordered_at": A.timestamps(ordered_at),
            "shipped_at": A.timestamps(shipped, null=no_ship),
            "delivered_at": A.timestamps(delivered, null=no_deliver),
            "subtotal": A.money(subtotal),
            "discount_amount": A.money(amount),
            "shipping_amount": A.money(shipping),
            "tax_amount": A.money(tax),
            "total_amount": A.money(total),
            "updated_at": A.timestamps(updated),
        }
        out["payments"] = {
            "payment_id": A.ints(order_id),
            "order_id": A.ints(order_id),
            "payment_method": A.texts(
                PAYMENT_METHODS, A.choice(rng, n, prof.payment_weights)
            ),
            "amount": A.money(total),
            "status": A.texts(("captured", "voided"), cancelled.astype(np.int64)),
            "paid_at": A.timestamps(ordered_at),
        }
        o_status = status[item_order]
        i_status = np.where(returned, 4, np.where(o_status == 4, 2, o_status))
        i_ship_null = no_ship[item_order]
        i_deliv_null = no_deliver[item_order]
        i_shipped = shipped[item_order]
        i_updated = np.select(
            [i_status == 3, i_status == 4, i_status == 2, i_status == 1],
            [cancel_at[item_order], returned_at, i_deliv, i_shipped],
            default=ordered_at[item_order],
        )
        item_id = self.ids.item + 1 + np.arange(n_it, dtype=np.int64)
        self.ids.item += n_it
        out["order_items"] = {
            "order_item_id": A.ints(item_id),
            "order_id": A.ints(order_id[item_order]),
            "product_id": A.ints(product + 1),
            "quantity": A.ints(quantity),
            "unit_price": A.money(unit_price),
            "unit_cost": A.money(unit_cost),
            "status": A.texts(STATUSES, i_status),
            "shipped_at": A.timestamps(i_shipped, null=i_ship_null),
            "delivered_at": A.timestamps(i_deliv, null=i_deliv_null),
            "returned_at": A.timestamps(returned_at, null=~returned),
            "updated_at": A.timestamps(i_updated),
        }
        # refunds: the returned line's share of what was paid for goods
        ri = np.flatnonzero(returned)
        ro = item_order[ri]
        refund = L.refund_amounts(line[ri], total[ro] - shipping[ro], subtotal[ro])
        reason = L.refund_reasons(rng, category[ri], prof)
        out["refunds"] = L.refund_columns(
            self.ids.refund + 1, item_id[ri], order_id[ro], refund, reason,
            refunded_at[ri],
        )  # fmt: skip
        self.ids.refund += len(ri)
        # reviews: some delivered items, after delivery; returned items rate lower
        wants, reviewed_at = L.reviews(rng, i_deliv, returned, prof)
        vi = np.flatnonzero(~i_deliv_null & wants & (reviewed_at <= end))
        rating = L.ratings(rng, pr.quality[product[vi]], returned[vi], prof)
        out["reviews"] = L.review_columns(
            self.ids.review + 1, item_id[vi], product[vi], ic[vi], rating,
            reviewed_at[vi],
        )  # fmt: skip
        self.ids.review += len(vi)
        return item_first, product

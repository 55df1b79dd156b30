"""Continue a world by N weeks: ``python -m generator --continue DIR --weeks N``.

A batch reads DIR (manifest.json, the CSVs, the hidden state in ``_state/``),
simulates the 7·N days after the current period end and writes the complete new
state into another directory (the CLI swaps it in): rows that changed are replaced
in place (same key, a later ``updated_at``), new rows are appended, every other row
keeps its bytes. Batch k draws from streams keyed (seed, 8, k, purpose), so the same
world continued with the same sequence of ``--weeks`` gives the same bytes.

What a batch does (see generator/README.md, "Weekly continuation"):

* entities: new customers sign up; ~0.5% of customers per week move (a new address
  from the city table); ~1% of products per week change price (and cost); a few
  new products; campaigns that run on are extended, new quarter and sale campaigns
  start with their ads and codes; ended campaigns and ads change status; stock
  levels move with the units sold.
* orders already placed progress: processing -> shipped -> delivered, delivered
  items are returned (status ``returned`` once refunded) and reviewed.
* late-arriving rows: a share of the previous period's last days' sessions (with
  their pageviews and, if they converted, their orders, items and payments) is
  simulated now, timestamped in those days, and delivered with this batch; their
  ad clicks restate those days' ``ad_daily_stats`` rows.
* the new weeks' sessions, pageviews and orders, simulated like any month.
"""

from __future__ import annotations

import datetime as dt
import json
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
import pyarrow as pa  # type: ignore[import-untyped]

from . import __version__
from . import arrow as A
from .entities import (
    CHANNEL_LABEL,
    DEFAULT_SEEDS_DIR,
    PLACEMENTS,
    POOL,
    Customers,
    Marketing,
    Pools,
    Products,
    Reference,
    build_customers,
    build_marketing,
    build_pools,
    build_products,
    load_reference,
    signup_weights,
)
from .events import (
    REASONS,
    STATUSES,
    TRANSIT_DAYS,
    TRANSIT_EXTRA,
    Counters,
    EventSimulator,
    OrderPlan,
)
from .period import DAY, Period, date_of, day_number, promos_for_year
from .profile import CATEGORIES, CHANNELS, PAID_CHANNELS, PROFILES, Profile
from .schema import TABLES
from .simulate import STREAM, daily_ctr, faker_seed, priced, stream, volumes
from .world import (
    OPEN,
    Hidden,
    WorldError,
    cents,
    codes,
    column,
    days,
    ints,
    load_hidden,
    read_table,
    rewrite,
    row_count,
    save_hidden,
    secs,
)

I64 = npt.NDArray[np.int64]
F64 = npt.NDArray[np.float64]
Bool = npt.NDArray[np.bool_]
Columns = dict[str, pa.Array]

MAX_WEEKS = 52
EVENT_IDS = ("session_id", "pageview_id", "order_id", "order_item_id", "refund_id",
             "review_id")  # fmt: skip
NEVER = np.iinfo(np.int64).min  # "changed since forever": the current value holds
AD_STATUSES = ("active", "paused", "ended")
OBJECTIVES = ("", "conversion", "acquisition", "awareness", "retention", "", "")
# one stream per purpose within a batch: stream(seed, 8, batch, purpose, ...)
CUSTOMERS, MOVES, PRODUCTS, PRICES, MARKETING, PLAN = 1, 2, 3, 4, 5, 6
LATE, WINDOW, PROGRESS, INVENTORY, STATS = 7, 8, 9, 10, 11


def _date(manifest: dict[str, Any], key: str) -> dt.date:
    try:
        return dt.date.fromisoformat(str(manifest[key]))
    except (KeyError, TypeError, ValueError):
        raise WorldError(f"manifest.json: missing or malformed {key!r}") from None


def read_manifest(directory: Path) -> dict[str, Any]:
    """DIR/manifest.json, checked: this generator's version, the keys it needs."""
    path = directory / "manifest.json"
    if not directory.is_dir():
        raise WorldError(f"{directory} is not a directory")
    if not path.is_file():
        raise WorldError(f"{directory} has no manifest.json")
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise WorldError(f"cannot read {path}: {exc}") from None
    if not isinstance(manifest, dict):
        raise WorldError(f"{path} is not a JSON object")
    version = manifest.get("generator_version")
    if version != __version__:
        raise WorldError(
            f"{path} was written by generator version {version}, this is {__version__}"
        )
    for key in ("profile", "seed", "scale", "tables", "next_ids"):
        if key not in manifest:
            raise WorldError(f"manifest.json: missing {key!r}")
    ids, tables = manifest["next_ids"], manifest["tables"]
    if not (
        isinstance(manifest["seed"], int)
        and isinstance(manifest["scale"], int | float)
        and isinstance(tables, dict)
        and all(isinstance(tables.get(t), int) for t in TABLES)
        and isinstance(ids, dict)
        and all(isinstance(ids.get(k), int) for k in EVENT_IDS)
        and isinstance(manifest.get("batch", 0), int)
        and isinstance(manifest.get("batches", []), list)
    ):
        raise WorldError("manifest.json: malformed seed, scale, tables or next_ids")
    if manifest["profile"] not in PROFILES:
        raise WorldError(f"manifest.json: unknown profile {manifest['profile']!r}")
    _date(manifest, "period_start")
    _date(manifest, "period_end")
    return manifest


# -- small helpers -------------------------------------------------------------------


def _spread(customer: I64, t: I64, latest: int) -> tuple[I64, I64, I64]:
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


def _repeat_weights(persona: I64, profile: Profile) -> F64:
    """Relative repeat-order rate per customer: regular and loyal personas only."""
    w = np.zeros(len(persona))
    w[persona == 2] = profile.regular_orders_per_year + 1.0
    w[persona == 3] = profile.loyal_orders_per_year + 1.0
    return w


def _at_least_one(rng: np.random.Generator, n: int, share: float) -> int:
    """Binomial(n, share), but at least one when n > 0: every batch shows a change."""
    return min(n, max(1, int(rng.binomial(n, share)))) if n else 0


def _ended_at(day: I64, end_ts: int) -> I64:
    """When an ad or campaign that ran until ``day`` changed status: 09:00 the day
    after, at the latest the end of the period."""
    out: I64 = np.minimum((day + 1) * DAY + 9 * 3600, end_ts).astype(np.int64)
    return out


@dataclass
class Update:
    """One table's changes: rows replaced (0-based positions, new values) and rows
    appended."""

    rows: I64 = field(default_factory=lambda: np.zeros(0, np.int64))
    changed: Columns | None = None
    added: list[Columns] = field(default_factory=list)

    def add(self, columns: Columns) -> None:
        self.added.append(columns)

    def added_columns(self) -> Columns | None:
        if not self.added:
            return None
        names = list(self.added[0])
        return {
            name: pa.concat_arrays([_plain(c[name]) for c in self.added])
            for name in names
        }

    @property
    def n_added(self) -> int:
        return sum(len(next(iter(c.values()))) for c in self.added)


def _plain(array: pa.Array) -> pa.Array:
    """Dictionary-encoded text decoded, so chunks with different pools concatenate."""
    if pa.types.is_dictionary(array.type):
        return array.dictionary_decode()
    return array


# -- the batch -----------------------------------------------------------------------


class Continuation:
    """One batch: reads the world in ``src``, writes the continued world to a
    directory with ``run``."""

    def __init__(self, src: Path, weeks: int, quiet: bool = True) -> None:
        if not 1 <= weeks <= MAX_WEEKS:
            raise WorldError(f"--weeks must be between 1 and {MAX_WEEKS}")
        self.src = src
        self.weeks = weeks
        self.quiet = quiet
        m = read_manifest(src)
        self.manifest = m
        self.profile: Profile = PROFILES[m["profile"]]
        self.seed = int(m["seed"])
        self.scale = float(m["scale"])
        self.start0 = _date(m, "period_start")
        self.prev_end = _date(m, "period_end")
        history = m.get("batches") or []
        self.end0 = _date(history[0], "period_end") if history else self.prev_end
        self.number = int(m.get("batch", 0)) + 1
        self.end = self.prev_end + dt.timedelta(days=7 * weeks)
        prof = self.profile
        self.base = Period(self.start0, self.end0, prof)
        self.window = Period(
            self.prev_end + dt.timedelta(days=1), self.end, prof, origin=self.start0
        )
        late_first = max(
            self.prev_end - dt.timedelta(days=prof.late_days - 1), self.start0
        )
        self.late = Period(late_first, self.prev_end, prof, origin=self.start0)
        self.history = Period(self.start0, self.prev_end, prof)
        self.prev_ts = self.history.end_ts
        self.end_ts = self.window.end_ts
        self.prev_last = self.history.last_day
        self.new_last = self.window.last_day
        self.first_day = self.window.first_day
        for table in TABLES:
            rows = row_count(src, table) if (src / f"{table}.csv").is_file() else -1
            if rows < 0:
                raise WorldError(f"{src} has no {table}.csv")
            if rows != m["tables"].get(table):
                raise WorldError(
                    f"{src}/{table}.csv has {rows} rows, manifest.json says "
                    f"{m['tables'].get(table)}"
                )
        self.ref: Reference = load_reference(DEFAULT_SEEDS_DIR)
        self.countries = [c for c, _ in prof.country_weights]
        self.size = volumes(prof, self.scale, self.base.n_days)
        self.pools: Pools = build_pools(
            faker_seed(self.seed), self.countries, self.size.brands_per_category
        )
        hidden = load_hidden(src)
        if hidden is None:
            if self.number != 1:
                raise WorldError(f"{src} has no _state/ (it was continued before)")
            hidden = self._bootstrap()
        self.hidden = hidden
        self.ids = Counters(
            session=int(m["next_ids"]["session_id"]) - 1,
            pageview=int(m["next_ids"]["pageview_id"]) - 1,
            order=int(m["next_ids"]["order_id"]) - 1,
            item=int(m["next_ids"]["order_item_id"]) - 1,
            refund=int(m["next_ids"]["refund_id"]) - 1,
            review=int(m["next_ids"]["review_id"]) - 1,
        )
        self.updates: dict[str, Update] = {table: Update() for table in TABLES}

    def rng(self, purpose: int, *sub: int) -> np.random.Generator:
        return stream(self.seed, STREAM["continue"], self.number, purpose, *sub)

    def log(self, text: str) -> None:
        if not self.quiet:
            print(text, file=sys.stderr)

    # -- hidden state of a world never continued: rebuilt from seed, scale, period --
    def _bootstrap(self) -> Hidden:
        seed, prof, base, size = self.seed, self.profile, self.base, self.size
        cu = build_customers(
            stream(seed, STREAM["customers"]), size.customers, base, prof, self.ref,
            self.pools,
        )  # fmt: skip
        pr = build_products(
            stream(seed, STREAM["products"]), size.products, base, prof, self.ref,
            self.pools, size.brands_per_category,
        )  # fmt: skip
        mk = build_marketing(
            stream(seed, STREAM["marketing"]), self.scale, base, prof, self.ref
        )
        # the rebuilt world must be the one on disk
        emails = read_table(self.src, "customers", ["email"]).column("email")
        names = read_table(self.src, "products", ["product_name"]).column(
            "product_name"
        )
        n_ads = self.manifest["tables"].get("ads")
        if (
            emails.to_pylist() != cu.cols["email"].to_pylist()
            or names.to_pylist() != pr.cols["product_name"].to_pylist()
            or n_ads != mk.n_ads
        ):
            raise WorldError(
                f"{self.src} does not match its manifest (seed, scale, period): "
                "cannot rebuild its hidden state"
            )
        planned = {
            (p.key, y): p
            for y in range(self.start0.year, self.end0.year + 1)
            for p in promos_for_year(y)
        }
        until = np.empty(len(mk.campaign_channel), dtype=np.int64)
        for c in range(len(until)):
            start = date_of(int(mk.campaign_start[c]))
            if mk.campaign_promo[c] >= 0:
                promo = base.promos[int(mk.campaign_promo[c])]
                until[c] = planned[(promo.key, date_of(promo.start).year)].end
            else:
                until[c] = day_number(_quarter_end(start))
        ad_until = np.where(
            mk.ad_end == mk.campaign_end[mk.ad_campaign], OPEN, mk.ad_end
        ).astype(np.int64)
        d_until = mk.discount_to.copy()
        for d, code in enumerate(mk.discount_code):
            if mk.discount_kind[d] == 2:
                d_until[d] = OPEN
            elif mk.discount_kind[d] == 0:
                prefix = code.split("-")[0]
                key, year = prefix[:-2], 2000 + int(prefix[-2:])
                d_until[d] = planned[(key, year)].end
        return Hidden(
            persona=cu.persona,
            pref1=cu.pref1,
            pref2=cu.pref2,
            device=cu.device,
            popularity=pr.popularity,
            quality=pr.quality,
            campaign_until=until,
            ad_start=mk.ad_start,
            ad_until=ad_until,
            ad_weight=mk.ad_weight,
            discount_until=d_until.astype(np.int64),
            discount_kind=mk.discount_kind,
        )

    # -- customers: sign-ups and moves ------------------------------------------------
    def customers(self) -> Customers:
        prof, ref, win = self.profile, self.ref, self.window
        t = read_table(self.src, "customers")
        n_old = t.num_rows
        if not np.array_equal(ints(t, "customer_id"), np.arange(1, n_old + 1)):
            raise WorldError("customers.csv: customer_id is not 1..n in file order")
        signup = secs(t, "signed_up_at")
        if np.any(np.diff(signup) < 0):
            raise WorldError("customers.csv: not in sign-up order")
        country = codes(t, "country_code", self.countries)
        lookup = {
            key: i for i, key in enumerate(zip(ref.city, ref.country_code, strict=True))
        }
        city = np.asarray(
            [
                lookup.get((c, cc), -1)
                for c, cc in zip(
                    t.column("city").to_pylist(),
                    t.column("country_code").to_pylist(),
                    strict=True,
                )
            ],
            dtype=np.int64,
        ).reshape(-1)
        acquisition = codes(t, "acquisition_channel", CHANNELS)
        lowest = min(country.min(initial=0), city.min(initial=0))
        if min(lowest, acquisition.min(initial=0)) < 0:
            raise WorldError("customers.csv: unknown country, city or channel")
        # new customers, at the initial world's sign-up rate per unit of traffic
        rng = self.rng(CUSTOMERS)
        weights = (self.base.traffic * signup_weights(self.base, prof))[:-1]
        rate = self.size.customers / max(float(weights.sum()), 1e-9)
        n_new = int(rng.poisson(rate * float(win.traffic.sum())))
        new = build_customers(
            rng, n_new, win, prof, ref, self.pools, first_id=n_old + 1,
            continuing=True,
        )  # fmt: skip
        self.updates["customers"].add(new.cols)
        # moves: a new address from the city table, mostly within the country
        rng = self.rng(MOVES)
        share = 1.0 - (1.0 - prof.weekly_move_share) ** self.weeks
        n_moves = _at_least_one(rng, n_old, share)
        movers = np.sort(rng.choice(n_old, n_moves, replace=False)).astype(np.int64)
        abroad = rng.random(n_moves) < 0.15
        new_country = np.where(
            abroad,
            A.choice(rng, n_moves, [w for _, w in prof.country_weights]),
            country[movers],
        ).astype(np.int64)
        city_country = np.asarray(
            [self.countries.index(c) for c in ref.country_code], dtype=np.int64
        )
        new_city = A.grouped_choice(rng, city_country, ref.population**0.8, new_country)
        jitter = rng.uniform(-0.045, 0.045, (2, n_moves))
        street = new_country * POOL + rng.integers(0, POOL, n_moves)
        postcode = new_country * POOL + rng.integers(0, POOL, n_moves)
        moved_at = win.sample_times(rng, n_moves, win.traffic, 0, win.n_days)
        changed = {name: column(t, name, movers) for name, _ in TABLES["customers"]}
        changed.update(
            street_address=A.texts(self.pools.street, street),
            postal_code=A.texts(self.pools.postcode, postcode),
            city=A.texts(ref.city, new_city),
            state=A.texts(ref.state, new_city),
            country=A.texts(ref.country, new_city),
            country_code=A.texts(ref.country_code, new_city),
            latitude=A.floats(np.round(ref.latitude[new_city] + jitter[0], 6)),
            longitude=A.floats(np.round(ref.longitude[new_city] + jitter[1], 6)),
            updated_at=A.timestamps(moved_at),
        )
        up = self.updates["customers"]
        up.rows, up.changed = movers, changed
        # the simulation's view: current country, the earlier one before the move
        self.n_customers_old = n_old
        self.country_before = country
        now = country.copy()
        now[movers] = new_country
        city_now = city.copy()
        city_now[movers] = new_city
        moved = np.full(n_old + n_new, NEVER, dtype=np.int64)
        moved[movers] = moved_at
        h = self.hidden
        h.persona = np.r_[h.persona, new.persona].astype(np.int64)
        h.pref1 = np.r_[h.pref1, new.pref1].astype(np.int64)
        h.pref2 = np.r_[h.pref2, new.pref2].astype(np.int64)
        h.device = np.r_[h.device, new.device].astype(np.int64)
        return Customers(
            n_old + n_new,
            np.r_[signup, new.signup_ts].astype(np.int64),
            np.r_[now, new.country].astype(np.int64),
            np.r_[city_now, new.city].astype(np.int64),
            np.r_[acquisition, new.acquisition].astype(np.int64),
            h.persona,
            h.pref1,
            h.pref2,
            h.device,
            {},
            moved,
            np.r_[country, new.country].astype(np.int64),
        )

    # -- products: new ones, price changes ------------------------------------------
    def products(self) -> Products:
        """The catalogue the new weeks sell from: today's products with their price
        changes. Products added in this batch are on sale from the next one."""
        prof, win = self.profile, self.window
        t = read_table(self.src, "products")
        n_old = t.num_rows
        if not np.array_equal(ints(t, "product_id"), np.arange(1, n_old + 1)):
            raise WorldError("products.csv: product_id is not 1..n in file order")
        category = codes(t, "category", CATEGORIES)
        price = cents(t, "retail_price")
        cost = cents(t, "cost")
        dc = ints(t, "distribution_center_id")
        rng = self.rng(PRODUCTS)
        n_new = int(rng.poisson(prof.weekly_new_product_share * n_old * self.weeks))
        new = build_products(
            rng, n_new, win, prof, self.ref, self.pools,
            self.size.brands_per_category, first_id=n_old + 1, continuing=True,
        )  # fmt: skip
        self.updates["products"].add(new.cols)
        self.updates["inventory"].add(new.inventory_cols)
        # price changes: a new .99 price, cost moves along, cost < price
        rng = self.rng(PRICES)
        share = 1.0 - (1.0 - prof.weekly_price_change_share) ** self.weeks
        n_change = _at_least_one(rng, n_old, share)
        which = np.sort(rng.choice(n_old, n_change, replace=False)).astype(np.int64)
        factor = rng.lognormal(0.0, prof.price_change_sigma, n_change)
        old_price = price[which]
        new_price = np.maximum(np.ceil(old_price / 100 * factor) * 100 - 1, 199)
        new_price = np.where(new_price == old_price, old_price + 100, new_price)
        new_price = new_price.astype(np.int64)
        new_cost = np.round(cost[which] * factor * rng.lognormal(0.0, 0.03, n_change))
        new_cost = np.clip(new_cost, 1, new_price - 1).astype(np.int64)
        since = win.sample_times(rng, n_change, win.traffic, 0, win.n_days)
        changed = {name: column(t, name, which) for name, _ in TABLES["products"]}
        changed.update(
            cost=A.money(new_cost),
            retail_price=A.money(new_price),
            updated_at=A.timestamps(since),
        )
        up = self.updates["products"]
        up.rows, up.changed = which, changed
        h = self.hidden
        popularity, quality = h.popularity, h.quality
        h.popularity = np.r_[popularity, new.popularity].astype(np.float64)
        h.quality = np.r_[quality, new.quality].astype(np.float64)
        price_now, cost_now = price.copy(), cost.copy()
        price_now[which], cost_now[which] = new_price, new_cost
        price_since = np.full(n_old, NEVER, dtype=np.int64)
        price_since[which] = since
        self.product_category = category
        return Products(
            n_old, category, price_now, cost_now, dc, popularity, quality, {}, {},
            price_since, price, cost,
        )  # fmt: skip

    # -- marketing: campaigns run on or end, new ones start ---------------------------
    def marketing(self) -> Marketing:
        prof, ref, win, h = self.profile, self.ref, self.window, self.hidden
        rng = self.rng(MARKETING)
        ct = read_table(self.src, "campaigns")
        at = read_table(self.src, "ads")
        dtab = read_table(self.src, "discounts")
        n_c, n_a, n_d = ct.num_rows, at.num_rows, dtab.num_rows
        for tab, key, n in ((ct, "campaign_id", n_c), (at, "ad_id", n_a),
                            (dtab, "discount_id", n_d)):  # fmt: skip
            if not np.array_equal(ints(tab, key), np.arange(1, n + 1)):
                raise WorldError(f"{key} is not 1..n in file order")
        if not (len(h.campaign_until) == n_c and len(h.ad_start) == n_a
                and len(h.discount_until) == n_d):  # fmt: skip
            raise WorldError("_state/ does not match the CSVs")
        c_channel = codes(ct, "channel", CHANNELS)
        c_start = days(ct, "start_date")
        c_end_old = days(ct, "end_date")
        c_names: list[str] = [str(x) for x in ct.column("campaign_name").to_pylist()]
        c_created = secs(ct, "created_at")
        # campaigns running at the previous end run on until their planned end
        running = c_end_old >= self.prev_last
        c_end = np.where(
            running, np.minimum(h.campaign_until, self.new_last), c_end_old
        ).astype(np.int64)
        # new campaigns: quarters' always-on, sales (named as the first generation)
        known = set(c_names)
        new_c: list[tuple[str, int, int, int, bool]] = []
        q = _quarter_start(date_of(self.first_day))
        while day_number(q) <= self.new_last:
            q_end = _quarter_end(q)
            for ch in PAID_CHANNELS:
                name = (
                    f"{q.year} Q{(q.month - 1) // 3 + 1} Always-on - "
                    f"{CHANNEL_LABEL[ch]}"
                )
                if name not in known:
                    start = max(day_number(q), self.first_day)
                    new_c.append((name, CHANNELS.index(ch), start, day_number(q_end),
                                  False))  # fmt: skip
            q = q_end + dt.timedelta(days=1)
        promos = [
            p
            for y in range(win.start.year - 1, win.end.year + 2)
            for p in promos_for_year(y)
        ]
        for promo in promos:
            for ch in promo.channels:
                lead = 0 if ch in ("paid_search", "email") else 3
                if promo.end < self.first_day or promo.start - lead > self.new_last:
                    continue
                year = date_of(promo.start).year
                name = f"{year} {promo.name} - {CHANNEL_LABEL[ch]}"
                if name not in known:
                    start = max(promo.start - lead, self.first_day)
                    new_c.append((name, CHANNELS.index(ch), start, promo.end, True))
        k_c = len(new_c)
        nc_start = np.asarray([c[2] for c in new_c], dtype=np.int64)
        nc_until = np.asarray([c[3] for c in new_c], dtype=np.int64)
        nc_channel = np.asarray([c[1] for c in new_c], dtype=np.int64)
        nc_created = np.maximum(
            (nc_start - rng.integers(5, 21, k_c)) * DAY
            + rng.integers(8 * 3600, 18 * 3600, k_c),
            win.start_ts,
        ).astype(np.int64)
        nc_end = np.minimum(nc_until, self.new_last).astype(np.int64)
        # their ads: as the first generation, starting within this batch
        wanted = round(prof.ads_per_campaign_per_scale * self.scale)
        a_camp: list[int] = []
        a_place: list[int] = []
        a_format: list[str] = []
        a_start: list[int] = []
        a_until: list[int] = []
        a_weight: list[float] = []
        for j, (_, ch_idx, start_c, until_c, is_promo) in enumerate(new_c):
            options = PLACEMENTS[CHANNELS[ch_idx]]
            weights = np.asarray([o[3] for o in options])
            duration = until_c - start_c + 1
            first_ad = len(a_camp)
            for kk in range(max(len(options), wanted)):
                o = kk if kk < len(options) else int(A.choice(rng, 1, weights)[0])
                platform, placement, formats, share = options[o]
                start, until = start_c, OPEN
                if kk >= len(options) and duration > 14:
                    room = min(duration // 3, self.new_last - start_c + 1)
                    start += int(rng.integers(0, max(1, room)))
                    if rng.random() < 0.25:  # paused early
                        until = until_c - int(
                            rng.integers(0, max(1, (until_c - start) // 2))
                        )
                a_camp.append(n_c + j)
                a_place.append(ref.placement_index(platform, placement))
                a_format.append(formats[int(rng.integers(0, len(formats)))])
                a_start.append(start)
                a_until.append(until)
                a_weight.append(
                    float(rng.lognormal(0.0, 0.4)) * (3.0 if is_promo else 1.0) * share
                )
            placed = a_place[first_ad:]
            for i in range(first_ad, len(a_camp)):
                a_weight[i] /= placed.count(a_place[i])
        k_a = len(a_camp)
        na_camp = np.asarray(a_camp, dtype=np.int64)
        na_place = np.asarray(a_place, dtype=np.int64)
        na_start = np.asarray(a_start, dtype=np.int64)
        na_created = np.maximum(
            nc_created[na_camp - n_c] if k_a else np.zeros(0, np.int64),
            (na_start - 3) * DAY + 9 * 3600,
        ).astype(np.int64)
        # all ads: live until their planned end or their campaign's
        campaign_end = np.r_[c_end, nc_end].astype(np.int64)
        ad_campaign = np.r_[ints(at, "campaign_id") - 1, na_camp].astype(np.int64)
        ad_until = np.r_[h.ad_until, np.asarray(a_until, dtype=np.int64)]
        ad_end = np.minimum(ad_until, campaign_end[ad_campaign]).astype(np.int64)
        pairs = list(zip(ref.platforms, ref.placements, strict=True))
        old_place = np.asarray(
            [
                pairs.index((pf, pl))
                for pf, pl in zip(
                    at.column("platform").to_pylist(),
                    at.column("placement").to_pylist(),
                    strict=True,
                )
            ],
            dtype=np.int64,
        ).reshape(-1)
        ad_placement = np.r_[old_place, na_place].astype(np.int64)
        ad_created = np.r_[secs(at, "created_at"), na_created].astype(np.int64)
        camp_ended = campaign_end[ad_campaign] < self.new_last
        paused = ~camp_ended & (ad_end < self.new_last)
        status = np.where(camp_ended, 2, np.where(paused, 1, 0)).astype(np.int64)
        old_status = codes(at, "status", AD_STATUSES)
        # ads rows: status changes of the existing ones
        changed_ads = np.flatnonzero(status[:n_a] != old_status).astype(np.int64)
        by_campaign = _ended_at(campaign_end[ad_campaign], self.end_ts)
        by_ad = _ended_at(ad_end, self.end_ts)
        cs = changed_ads
        upd = np.where(
            (status[cs] == 2) & (old_status[cs] == 1), by_campaign[cs], by_ad[cs]
        )
        cols = {name: column(at, name, cs) for name, _ in TABLES["ads"]}
        cols.update(
            status=A.texts(AD_STATUSES, status[cs]), updated_at=A.timestamps(upd)
        )
        up = self.updates["ads"]
        up.rows, up.changed = cs, cols
        new_ids = np.arange(n_a + 1, n_a + k_a + 1)
        ns = status[n_a:]
        up.add(
            {
                "ad_id": A.ints(new_ids),
                "campaign_id": A.ints(na_camp + 1),
                "ad_name": A.strings(
                    [
                        f"{ref.platforms[int(p)]} {ref.placements[int(p)]} "
                        f"{a_format[i]} #{int(new_ids[i])}"
                        for i, p in enumerate(na_place)
                    ]
                ),
                "platform": A.texts(ref.platforms, na_place),
                "ad_format": A.strings(a_format),
                "placement": A.texts(ref.placements, na_place),
                "status": A.texts(AD_STATUSES, ns),
                "created_at": A.timestamps(na_created),
                "updated_at": A.timestamps(np.where(ns > 0, by_ad[n_a:], na_created)),
            }
        )
        # campaigns rows: extended (end date) or ended during the batch
        extended = c_end > c_end_old
        ended_now = running & (c_end < self.new_last)
        cc = np.flatnonzero(extended | ended_now).astype(np.int64)
        c_upd = np.where(
            ended_now[cc],
            _ended_at(c_end[cc], self.end_ts),
            win.start_ts + 9 * 3600,
        )
        cols = {name: column(ct, name, cc) for name, _ in TABLES["campaigns"]}
        cols.update(end_date=A.dates(c_end[cc]), updated_at=A.timestamps(c_upd))
        up = self.updates["campaigns"]
        up.rows, up.changed = cc, cols
        self.new_campaigns = (new_c, nc_created, nc_end, nc_until)
        self.n_campaigns_old = n_c
        # discounts: codes valid at the previous end stay valid until their planned
        # end; new codes for sales starting now; new evergreen codes
        d_codes = [str(x) for x in dtab.column("discount_code").to_pylist()]
        d_from = days(dtab, "valid_from")
        d_to_old = days(dtab, "valid_to")
        d_to = np.where(
            d_to_old >= self.prev_last,
            np.minimum(h.discount_until, self.new_last),
            d_to_old,
        ).astype(np.int64)
        dc = np.flatnonzero(d_to != d_to_old).astype(np.int64)
        cols = {name: column(dtab, name, dc) for name, _ in TABLES["discounts"]}
        cols.update(valid_to=A.dates(d_to[dc]))
        up = self.updates["discounts"]
        up.rows, up.changed = dc, cols
        letters = np.asarray(list("ABCDEFGHJKLMNPQRSTUVWXYZ23456789"))
        taken = set(d_codes)

        def code(prefix: str, k: int) -> str:
            while True:
                tag = "".join(letters[rng.integers(0, len(letters), 4)])
                text = f"{prefix}{tag}{k}"
                if text not in taken:
                    taken.add(text)
                    return text

        all_names = c_names + [c[0] for c in new_c]
        nd_code: list[str] = []
        nd_pct: list[bool] = []
        nd_val: list[int] = []
        nd_camp: list[int] = []
        nd_from: list[int] = []
        nd_until: list[int] = []
        nd_kind: list[int] = []
        per_promo = max(1, round(prof.promo_codes_per_scale * self.scale))
        for promo in promos:
            if promo.end < self.first_day or promo.start > self.new_last:
                continue
            year = date_of(promo.start).year
            prefix = f"{promo.key}{str(year)[2:]}-"
            if any(c.startswith(prefix) for c in d_codes):
                continue
            label = f"{year} {promo.name} - "
            promo_campaigns = [
                i for i, n in enumerate(all_names) if n.startswith(label)
            ]
            for k in range(per_promo):
                pct = bool(rng.random() < 0.7)
                nd_code.append(code(prefix, k))
                nd_pct.append(pct)
                nd_val.append(
                    int(rng.choice([1000, 1500, 2000, 2500, 3000]))
                    if pct
                    else int(rng.choice([500, 1000, 1500, 2000]))
                )
                nd_camp.append(
                    int(rng.choice(promo_campaigns))
                    if k % 3 != 2 and promo_campaigns
                    else -1
                )
                nd_from.append(max(promo.start, self.first_day))
                nd_until.append(promo.end)
                nd_kind.append(0)
        n_evergreen = max(2, round(prof.evergreen_codes_per_scale * self.scale))
        n_ev = int(rng.poisson(n_evergreen / self.base.n_days * win.n_days))
        k0 = int(np.sum(h.discount_kind == 1))
        for k in range(k0, k0 + n_ev):
            pct = bool(rng.random() < 0.6)
            start = self.first_day + int(rng.integers(0, win.n_days))
            nd_code.append(code("INFL-" if k % 2 else "VIP-", k))
            nd_pct.append(pct)
            nd_val.append(int(rng.choice([500, 1000, 1500])) if pct else 500)
            nd_camp.append(-1)
            nd_from.append(start)
            nd_until.append(start + int(rng.integers(21, 120)))
            nd_kind.append(1)
        k_d = len(nd_code)
        ndf = np.asarray(nd_from, dtype=np.int64)
        nd_to = np.minimum(np.asarray(nd_until, dtype=np.int64), self.new_last)
        nd_created = np.maximum(
            (ndf - rng.integers(2, 10, k_d)) * DAY
            + rng.integers(8 * 3600, 18 * 3600, k_d),
            win.start_ts,
        ).astype(np.int64)
        nd_campaign = np.asarray(nd_camp, dtype=np.int64)
        up.add(
            {
                "discount_id": A.ints(np.arange(n_d + 1, n_d + k_d + 1)),
                "discount_code": A.strings(nd_code),
                "discount_type": A.texts(
                    ("fixed", "percent"), np.asarray(nd_pct, dtype=np.int64)
                ),
                "discount_value": A.money(np.asarray(nd_val, dtype=np.int64)),
                "campaign_id": A.ints(nd_campaign + 1, null=nd_campaign < 0),
                "valid_from": A.dates(ndf),
                "valid_to": A.dates(nd_to),
                "created_at": A.timestamps(nd_created),
            }
        )
        # the hidden state grows with the new entities
        h.campaign_until = np.r_[h.campaign_until, nc_until].astype(np.int64)
        h.ad_start = np.r_[h.ad_start, na_start].astype(np.int64)
        h.ad_until = ad_until.astype(np.int64)
        h.ad_weight = np.r_[h.ad_weight, np.asarray(a_weight)].astype(np.float64)
        h.discount_until = np.r_[h.discount_until, nd_until].astype(np.int64)
        h.discount_kind = np.r_[h.discount_kind, nd_kind].astype(np.int64)
        d_campaign = ints(dtab, "campaign_id", null=0) - 1
        return Marketing(
            campaign_channel=np.r_[c_channel, nc_channel].astype(np.int64),
            campaign_start=np.r_[c_start, nc_start].astype(np.int64),
            campaign_end=campaign_end,
            campaign_promo=np.full(n_c + k_c, -1, dtype=np.int64),
            campaign_name=all_names,
            campaign_created=np.r_[c_created, nc_created].astype(np.int64),
            ad_campaign=ad_campaign,
            ad_channel=np.r_[c_channel, nc_channel][ad_campaign].astype(np.int64),
            ad_placement=ad_placement,
            ad_format=[str(x) for x in at.column("ad_format").to_pylist()] + a_format,
            ad_start=h.ad_start,
            ad_end=ad_end,
            ad_weight=h.ad_weight,
            ad_created=ad_created,
            discount_code=d_codes + nd_code,
            discount_percent=np.r_[
                codes(dtab, "discount_type", ("fixed", "percent")) == 1,
                np.asarray(nd_pct, dtype=np.bool_),
            ].astype(np.bool_),
            discount_value_cents=np.r_[
                cents(dtab, "discount_value"), np.asarray(nd_val, dtype=np.int64)
            ].astype(np.int64),
            discount_campaign=np.r_[d_campaign, nd_campaign].astype(np.int64),
            discount_from=np.r_[d_from, ndf].astype(np.int64),
            discount_to=np.r_[d_to, nd_to].astype(np.int64),
            discount_kind=h.discount_kind,
            discount_created=np.r_[secs(dtab, "created_at"), nd_created].astype(
                np.int64
            ),
        )

    # -- orders already placed: shipped, delivered, returned, reviewed ---------------
    def progress(self, products: Products) -> None:
        prof = self.profile
        rng = self.rng(PROGRESS)
        ot = read_table(self.src, "orders")
        it = read_table(self.src, "order_items")
        n, n_it = ot.num_rows, it.num_rows
        if not np.array_equal(ints(ot, "order_id"), np.arange(1, n + 1)):
            raise WorldError("orders.csv: order_id is not 1..n in file order")
        cust = ints(ot, "customer_id") - 1
        status = codes(ot, "status", STATUSES)
        ordered = secs(ot, "ordered_at")
        shipped = secs(ot, "shipped_at")
        delivered = secs(ot, "delivered_at")
        updated = secs(ot, "updated_at")
        subtotal, shipping = cents(ot, "subtotal"), cents(ot, "shipping_amount")
        total = cents(ot, "total_amount")
        self.orders_customer = cust
        self.orders_ordered = ordered
        country = self.country_before[cust]
        prev, end = self.prev_ts, self.end_ts
        # orders: processing -> shipped -> delivered (the previous end is a floor)
        processing, in_transit = status == 0, status == 1
        ship = ordered + np.clip(
            rng.lognormal(np.log(18 * 3600), 0.6, n), 3600, 5 * DAY
        ).astype(np.int64)
        ship = np.maximum(ship, prev + 1 + rng.integers(0, 8 * 3600, n))
        ship = np.where(processing, ship, shipped)
        shipped_now = processing & (ship <= end)
        transit = TRANSIT_DAYS[country] + rng.poisson(TRANSIT_EXTRA[country])
        deliver = ship + transit * DAY + rng.integers(-6 * 3600, 6 * 3600, n)
        deliver = np.where(
            in_transit, np.maximum(deliver, prev + 1 + rng.integers(0, DAY, n)), deliver
        )
        delivered_now = (in_transit | shipped_now) & (deliver <= end)
        ship_now = np.where(shipped_now | (shipped >= 0), ship, -1)
        deliver_now = np.where(delivered_now, deliver, delivered)
        # items: returned once refunded during the batch (fresh draw per batch, so
        # over the batches an item is returned at about the category's rate)
        order = ints(it, "order_id") - 1
        product = ints(it, "product_id") - 1
        quantity = ints(it, "quantity")
        unit_price = cents(it, "unit_price")
        i_status = codes(it, "status", STATUSES)
        i_returned = secs(it, "returned_at")
        category = self.product_category[product]
        i_deliv = deliver_now[order]
        is_delivered = (i_deliv >= 0) & (i_status != 3)
        candidate = is_delivered & (i_status != 4)
        p_ret = (
            prof.item_return_rate
            * np.asarray([c.return_multiplier for _, c in prof.categories])[category]
        )
        returned_at = i_deliv + rng.integers(2 * DAY, 25 * DAY, n_it)
        refunded_at = returned_at + rng.integers(DAY, 6 * DAY, n_it)
        returned_now = (
            candidate
            & (rng.random(n_it) < p_ret)
            & (refunded_at > prev)
            & (refunded_at <= end)
        )
        is_returned = (i_status == 4) | returned_now
        n_items = np.bincount(order, minlength=n)
        n_ret = np.bincount(order, weights=is_returned, minlength=n)
        touched = np.bincount(order, weights=returned_now, minlength=n) > 0
        all_returned = touched & (n_ret == n_items)
        last_refund = np.zeros(n, dtype=np.int64)
        np.maximum.at(last_refund, order, np.where(returned_now, refunded_at, 0))
        # orders rows
        new_status = status.copy()
        new_status[shipped_now] = 1
        new_status[delivered_now] = 2
        new_status[all_returned] = 4
        new_updated = np.where(
            all_returned,
            last_refund,
            np.where(delivered_now, deliver, np.where(shipped_now, ship, updated)),
        )
        oc = np.flatnonzero(shipped_now | delivered_now | all_returned).astype(np.int64)
        cols = {name: column(ot, name, oc) for name, _ in TABLES["orders"]}
        cols.update(
            status=A.texts(STATUSES, new_status[oc]),
            shipped_at=A.timestamps(ship_now[oc], null=ship_now[oc] < 0),
            delivered_at=A.timestamps(deliver_now[oc], null=deliver_now[oc] < 0),
            updated_at=A.timestamps(new_updated[oc]),
        )
        up = self.updates["orders"]
        up.rows, up.changed = oc, cols
        # order_items rows
        o_changed = shipped_now | delivered_now
        ic = np.flatnonzero(o_changed[order] & (i_status != 3) | returned_now)
        ic = ic.astype(np.int64)
        oi = order[ic]
        item_status = np.where(
            returned_now[ic], 4, np.where(delivered_now[oi], 2, np.where(
                shipped_now[oi], 1, i_status[ic]))
        )  # fmt: skip
        item_returned = np.where(returned_now[ic], returned_at[ic], i_returned[ic])
        item_updated = np.where(
            returned_now[ic],
            refunded_at[ic],
            np.where(delivered_now[oi], deliver[oi], ship[oi]),
        )
        cols = {name: column(it, name, ic) for name, _ in TABLES["order_items"]}
        cols.update(
            status=A.texts(STATUSES, item_status),
            shipped_at=A.timestamps(ship_now[oi], null=ship_now[oi] < 0),
            delivered_at=A.timestamps(deliver_now[oi], null=deliver_now[oi] < 0),
            returned_at=A.timestamps(item_returned, null=item_returned < 0),
            updated_at=A.timestamps(item_updated),
        )
        up = self.updates["order_items"]
        up.rows, up.changed = ic, cols
        # refunds: the returned line's share of what was paid for goods
        ri = np.flatnonzero(returned_now)
        ro = order[ri]
        line = quantity[ri] * unit_price[ri]
        refund = line * (total[ro] - shipping[ro]) // np.maximum(subtotal[ro], 1)
        soft = np.isin(
            category[ri], [CATEGORIES.index("Clothing"), CATEGORIES.index("Footwear")]
        )
        reason = np.where(
            soft & (rng.random(len(ri)) < 0.55),
            1,
            A.choice(rng, len(ri), (0.3, 0.0, 0.3, 0.3, 0.1)),
        )
        item_id = ints(it, "order_item_id")
        self.updates["refunds"].add(
            {
                "refund_id": A.ints(self.ids.refund + 1 + np.arange(len(ri))),
                "order_item_id": A.ints(item_id[ri]),
                "order_id": A.ints(ro + 1),
                "refund_amount": A.money(refund),
                "reason": A.texts(REASONS, reason),
                "refunded_at": A.timestamps(refunded_at[ri]),
            }
        )
        self.ids.refund += len(ri)
        # reviews: delivered items not reviewed yet, reviewed during the batch
        reviewed = np.zeros(n_it, dtype=np.bool_)
        rv = ints(read_table(self.src, "reviews", ["order_item_id"]), "order_item_id")
        reviewed[np.searchsorted(item_id, rv)] = True
        rate = np.where(is_returned, prof.review_rate_returned, prof.review_rate)
        reviewed_at = i_deliv + 3600 + rng.exponential(5 * DAY, n_it).astype(np.int64)
        review_now = (
            is_delivered
            & ~reviewed
            & (rng.random(n_it) < rate)
            & (reviewed_at > prev)
            & (reviewed_at <= end)
        )
        vi = np.flatnonzero(review_now)
        latent = (
            4.1
            + products.quality[product[vi]]
            + rng.normal(0.0, 0.9, len(vi))
            - 2.3 * is_returned[vi]
        )
        self.updates["reviews"].add(
            {
                "review_id": A.ints(self.ids.review + 1 + np.arange(len(vi))),
                "order_item_id": A.ints(item_id[vi]),
                "product_id": A.ints(product[vi] + 1),
                "customer_id": A.ints(cust[order[vi]] + 1),
                "rating": A.ints(np.clip(np.round(latent), 1, 5).astype(np.int64)),
                "reviewed_at": A.timestamps(reviewed_at[vi]),
            }
        )
        self.ids.review += len(vi)

    # -- sessions and orders: late-arriving ones, then the new weeks' -----------------
    def _plan(
        self,
        rng: np.random.Generator,
        period: Period,
        cu: Customers,
        n_prior: I64,
        n_orders: int,
        newcomers: bool,
    ) -> OrderPlan:
        """Orders of a period, ``n_prior`` the orders each customer placed before.

        With ``newcomers``: first orders of customers who have not ordered yet, and
        second orders of regular and loyal customers who have ordered once (the
        first generation's ramp: a repeat persona orders again after an exponential
        wait of ``repeat_ramp_days``). Both delays are memoryless, so a customer still
        waiting restarts the wait at the period start. The rest of the ``n_orders``
        (the calendar's share of orders) are repeat orders of regular and loyal
        customers with two orders or more, weighted by their personas' rates.
        """
        prof = self.profile
        latest = period.end_ts - 3600
        persona = cu.persona[: cu.n]
        prior = n_prior[: cu.n]
        customer = np.zeros(0, np.int64)
        t = np.zeros(0, np.int64)
        if newcomers:
            due = np.flatnonzero((persona >= 1) & (prior == 0))
            origin = np.maximum(cu.signup_ts[due] + 600, period.start_ts)
            delay = rng.exponential(prof.first_order_delay_days, len(due)) * DAY
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
            delay = rng.exponential(prof.repeat_ramp_days, len(due2)) * DAY
            second_at = (after[due2] + delay).astype(np.int64)
            ok = second_at <= latest
            customer = np.r_[customer, due2[ok]].astype(np.int64)
            t = np.r_[t, second_at[ok]].astype(np.int64)
        n_repeat = max(0, n_orders - len(customer))
        w = _repeat_weights(persona, prof)
        w[(prior < 2) | (cu.signup_ts >= period.start_ts - 600)] = 0.0
        if n_repeat and w.sum() > 0:
            who = A.choice(rng, n_repeat, w)
            when = period.sample_times(
                rng, n_repeat, period.traffic * period.conversion, 0, period.n_days
            )
            customer = np.r_[customer, who].astype(np.int64)
            t = np.r_[t, when].astype(np.int64)
        customer, t, rank = _spread(customer, t, latest)
        first = (rank == 0) & (prior[customer] == 0)
        by_time = np.argsort(t, kind="stable")
        return OrderPlan(customer[by_time], t[by_time], first[by_time], persona)

    def sessions(self, cu: Customers, products: Products, mk: Marketing) -> None:
        prof, win, late = self.profile, self.window, self.late
        st = read_table(self.src, "website_sessions", ["started_at"])
        started = secs(st, "started_at")
        n_prior = np.bincount(self.orders_customer, minlength=cu.n).astype(np.int64)
        # late-arriving: sessions of the previous period's last days delivered now
        rng = self.rng(LATE)
        recent = int(np.sum(started >= late.start_ts))
        recent_orders = int(np.sum(self.orders_ordered >= late.start_ts))
        share = rng.uniform(*prof.late_share)
        n_late = max(1, round(recent * share)) if recent else 0
        n_late_orders = (
            int(rng.binomial(n_late, min(1.0, recent_orders / recent))) if recent else 0
        )
        head = cu.head(int(np.searchsorted(cu.signup_ts, late.start_ts)))
        plan = self._plan(rng, late, head, n_prior, n_late_orders, False)
        n_prior += np.bincount(plan.customer, minlength=cu.n).astype(np.int64)
        self.late_sim: EventSimulator | None = None
        if n_late:
            sim = EventSimulator(
                late, prof, self.ref, head, products, mk, plan, n_late,
                ids=self.ids, as_of=self.end_ts,
            )  # fmt: skip
            sim.seen[:] = True  # every customer had a sign-up session before
            for m in range(len(late.months)):
                self._emit(sim.month(self.rng(LATE, m + 1), m))
            self.late_sim = sim
        self.late_rows = self.ids.session - (
            int(self.manifest["next_ids"]["session_id"]) - 1
        )
        # the new weeks, at the initial world's rates per unit of traffic
        rng = self.rng(PLAN)
        rate_s = self.size.sessions / float(self.base.traffic.sum())
        n_sessions = int(rng.poisson(rate_s * float(win.traffic.sum())))
        hist = self.history
        rate_o = len(self.orders_customer) / max(
            float((hist.traffic * hist.conversion).sum()), 1e-9
        )
        n_orders = int(
            rng.poisson(rate_o * float((win.traffic * win.conversion).sum()))
        )
        plan = self._plan(rng, win, cu, n_prior, n_orders, True)
        sim = EventSimulator(
            win, prof, self.ref, cu, products, mk, plan, n_sessions, ids=self.ids
        )
        sim.seen[: self.n_customers_old] = True
        for m in range(len(win.months)):
            self._emit(sim.month(self.rng(WINDOW, m + 1), m))
        self.window_sim = sim

    def _emit(self, tables: dict[str, Columns]) -> None:
        for name, columns in tables.items():
            self.updates[name].add(columns)

    # -- ad_daily_stats: new days, late clicks restate the previous days ------------
    def ad_stats(self, mk: Marketing) -> None:
        prof, ref, sim = self.profile, self.ref, self.window_sim
        rng = self.rng(STATS)
        period = self.window
        ad, day = sim.ad_rows
        order = np.lexsort((day, ad))
        ad, day = ad[order], day[order]
        key = ad * period.n_days + day
        clicks, leads = sim.clicks[key], sim.leads[key]
        placement = mk.ad_placement[ad]
        ctr_day = daily_ctr(rng, placement, ref, prof)
        impressions = (
            np.round(clicks / ctr_day).astype(np.int64) + rng.poisson(15.0, len(ad))
        ).astype(np.int64)
        frequency = 1.0 + rng.gamma(1.5, 0.4, len(ad))
        reach = np.minimum(
            impressions,
            np.maximum(np.round(impressions / frequency).astype(np.int64), clicks),
        )
        impressions, spend = priced(impressions, clicks, placement, ref)
        self.updates["ad_daily_stats"].add(
            {
                "ad_id": A.ints(ad + 1),
                "stat_date": A.dates(day + period.first_day),
                "impressions": A.ints(impressions),
                "reach": A.ints(reach),
                "clicks": A.ints(clicks),
                "leads": A.ints(leads),
                "spend": A.money(spend),
            }
        )
        self.new_spend = (ad, day, spend)
        # late clicks: the previous days' rows are restated in place
        late = self.late_sim
        if late is None or not late.clicks.any():
            return
        t = read_table(self.src, "ad_daily_stats")
        row_key = (ints(t, "ad_id") - 1) * (1 << 24) + days(t, "stat_date")
        sorter = np.argsort(row_key, kind="stable")
        hit = np.flatnonzero(late.clicks)
        l_ad = hit // late.period.n_days
        l_day = hit % late.period.n_days + late.period.first_day
        want = l_ad * (1 << 24) + l_day
        pos = np.searchsorted(row_key, want, sorter=sorter)
        pos = np.minimum(pos, len(row_key) - 1)
        rows = sorter[pos]
        if np.any(row_key[rows] != want):
            raise WorldError("ad_daily_stats.csv lacks a row for a live ad and day")
        order = np.argsort(rows, kind="stable")
        rows, hit, l_ad = rows[order], hit[order], l_ad[order]
        extra = late.clicks[hit]
        clicks = ints(t, "clicks")[rows] + extra
        leads = ints(t, "leads")[rows] + late.leads[hit]
        placement = mk.ad_placement[l_ad]
        more = np.round(extra / daily_ctr(rng, placement, ref, prof)).astype(np.int64)
        impressions = ints(t, "impressions")[rows] + more
        frequency = 1.0 + rng.gamma(1.5, 0.4, len(rows))
        reach = np.minimum(
            impressions,
            np.maximum(
                ints(t, "reach")[rows] + np.round(more / frequency).astype(np.int64),
                clicks,
            ),
        )
        impressions, spend = priced(impressions, clicks, placement, ref)
        cols = {name: column(t, name, rows) for name, _ in TABLES["ad_daily_stats"]}
        cols.update(
            impressions=A.ints(impressions),
            reach=A.ints(reach),
            clicks=A.ints(clicks),
            leads=A.ints(leads),
            spend=A.money(spend),
        )
        up = self.updates["ad_daily_stats"]
        up.rows, up.changed = rows.astype(np.int64), cols

    def new_campaign_rows(self) -> None:
        """Campaigns started in this batch; budget = planned spend, from the spend
        per day so far over the planned days."""
        rng = self.rng(MARKETING, 1)
        new_c, created, end, until = self.new_campaigns
        n_old, k = self.n_campaigns_old, len(new_c)
        if not k:
            return
        mk = self.mk
        ad, _, spend = self.new_spend
        camp = mk.ad_campaign[ad] - n_old
        mine = camp >= 0
        spent = np.bincount(camp[mine], weights=spend[mine], minlength=k)
        start = np.asarray([c[2] for c in new_c], dtype=np.int64)
        live = np.maximum(end - start + 1, 1)
        planned = spent / live * (until - start + 1)
        budget = np.maximum(
            10_000, np.round(planned * rng.lognormal(0.08, 0.12, k) / 10_000) * 10_000
        ).astype(np.int64)
        channel = np.asarray([c[1] for c in new_c], dtype=np.int64)
        ended = end < self.new_last
        self.updates["campaigns"].add(
            {
                "campaign_id": A.ints(np.arange(n_old + 1, n_old + k + 1)),
                "campaign_name": A.strings([c[0] for c in new_c]),
                "channel": A.texts(CHANNELS, channel),
                "objective": A.texts(OBJECTIVES, channel),
                "start_date": A.dates(start),
                "end_date": A.dates(end),
                "budget": A.money(budget),
                "created_at": A.timestamps(created),
                "updated_at": A.timestamps(
                    np.where(ended, _ended_at(end, self.end_ts), created)
                ),
            }
        )

    def inventory(self) -> None:
        """Stock goes down with the units sold here and, for a few products a week,
        to below the reorder point (sold out through other channels); low stock is
        reordered within about a week. This keeps the share of products below their
        reorder point near the first generation's ~10%. Rows that moved show the
        nightly stock sync of the batch's last day."""
        rng = self.rng(INVENTORY)
        t = read_table(self.src, "inventory")
        n = t.num_rows
        stock = ints(t, "stock_on_hand")
        reorder = ints(t, "reorder_point")
        pid = ints(t, "product_id") - 1
        sold = np.zeros(n, dtype=np.int64)
        for chunk in self.updates["order_items"].added:
            p = np.asarray(chunk["product_id"].to_numpy(), dtype=np.int64) - 1
            q = np.asarray(chunk["quantity"].to_numpy(), dtype=np.int64)
            inside = p < n
            sold += np.bincount(p[inside], weights=q[inside], minlength=n).astype(
                np.int64
            )[:n]
        sold = sold[pid]
        left = np.maximum(stock - sold, 0)
        prof, weeks = self.profile, self.weeks
        sellout = rng.random(n) < 1.0 - (1.0 - prof.weekly_sellout_share) ** weeks
        low = (rng.random(n) * reorder).astype(np.int64)
        left = np.where(sellout, np.minimum(left, low), left)
        restock = (left < reorder) & (
            rng.random(n) < 1.0 - (1.0 - prof.weekly_restock_share) ** weeks
        )
        delivery = rng.poisson(reorder * rng.uniform(1.5, 6.0, n))
        left = np.where(restock, left + delivery, left).astype(np.int64)
        rows = np.flatnonzero((left != stock) | restock).astype(np.int64)
        when = self.end_ts - rng.integers(0, DAY, len(rows))
        cols = {name: column(t, name, rows) for name, _ in TABLES["inventory"]}
        cols.update(stock_on_hand=A.ints(left[rows]), updated_at=A.timestamps(when))
        up = self.updates["inventory"]
        up.rows, up.changed = rows, cols

    # -- the whole batch -------------------------------------------------------------
    def run(self, out: Path) -> dict[str, Any]:
        """Simulate the batch and write the continued world into ``out``."""
        cu = self.customers()
        products = self.products()
        self.mk = self.marketing()
        self.progress(products)
        self.sessions(cu, products, self.mk)
        self.ad_stats(self.mk)
        self.new_campaign_rows()
        self.inventory()
        added: dict[str, int] = {}
        changed: dict[str, int] = {}
        for table in TABLES:
            up = self.updates[table]
            rewrite(
                self.src / f"{table}.csv", out / f"{table}.csv", table, up.rows,
                up.changed, up.added_columns(),
            )  # fmt: skip
            added[table], changed[table] = up.n_added, len(up.rows)
            self.log(f"{table}: +{added[table]:,} rows, {changed[table]:,} changed")
        state = save_hidden(out, self.hidden)
        m = dict(self.manifest)
        tables = {t: int(m["tables"][t]) + added[t] for t in TABLES}
        batches = list(m.get("batches") or [])
        if not batches:  # a manifest from before batches were recorded
            batches.append(
                {
                    "batch": 0,
                    "weeks": 0,
                    "period_start": self.start0.isoformat(),
                    "period_end": self.end0.isoformat(),
                    "added": dict(m["tables"]),
                    "changed": {t: 0 for t in TABLES},
                }
            )
        batches.append(
            {
                "batch": self.number,
                "weeks": self.weeks,
                "period_start": self.window.start.isoformat(),
                "period_end": self.end.isoformat(),
                "late_from": self.late.start.isoformat(),
                "late_sessions": self.late_rows,
                "added": added,
                "changed": changed,
            }
        )
        manifest: dict[str, Any] = {
            "generator_version": __version__,
            "profile": m["profile"],
            "seed": self.seed,
            "scale": m["scale"],
            "period_start": self.start0.isoformat(),
            "period_end": self.end.isoformat(),
            "tables": tables,
            "batch": self.number,
            "next_ids": {
                "customer_id": len(self.hidden.persona) + 1,
                "product_id": len(self.hidden.popularity) + 1,
                "campaign_id": len(self.hidden.campaign_until) + 1,
                "ad_id": len(self.hidden.ad_start) + 1,
                "discount_id": len(self.hidden.discount_until) + 1,
                "session_id": self.ids.session + 1,
                "pageview_id": self.ids.pageview + 1,
                "order_id": self.ids.order + 1,
                "order_item_id": self.ids.item + 1,
                "refund_id": self.ids.refund + 1,
                "review_id": self.ids.review + 1,
            },
            "batches": batches,
            "state": state,
        }
        (out / "manifest.json").write_text(json.dumps(manifest, indent=2) + "\n")
        return manifest


def _quarter_start(day: dt.date) -> dt.date:
    return dt.date(day.year, (day.month - 1) // 3 * 3 + 1, 1)


def _quarter_end(day: dt.date) -> dt.date:
    q_end_month = (day.month - 1) // 3 * 3 + 3
    return dt.date(day.year + (q_end_month == 12), q_end_month % 12 + 1, 1) - (
        dt.timedelta(days=1)
    )


def continue_world(
    src: Path, out: Path, weeks: int, quiet: bool = True
) -> dict[str, Any]:
    """Continue the world in ``src`` by ``weeks`` weeks, writing it to ``out``."""
    return Continuation(src, weeks, quiet).run(out)

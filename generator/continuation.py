"""Continue a world by N weeks: ``python -m generator --continue DIR --weeks N``.

A batch reads DIR (manifest.json, the CSVs, the hidden state in ``_state/``),
simulates the 7·N days after the current period end and writes the complete new
state into another directory (the CLI swaps it in): rows that changed are replaced
in place (same key, a later ``updated_at``), new rows are appended, every other row
keeps its bytes. Batch k draws from streams keyed (seed, 8, k, purpose), so the same
world continued with the same sequence of ``--weeks`` gives the same bytes.

This module only reads the world's state, calls the functions the first generation
uses (``entities``: sign-ups, new products, campaign/ad/code planning, moves, price
and stock changes; ``lifecycle``: shipping, delivery, returns, refunds, reviews, ad
statistics; ``events``: the sessions of a month) for the new weeks, and writes.
Each step below is a function of what it is given and returns what it made; ``run``
passes the results along. What a batch does (generator/README.md, "Weekly
continuation"):

* entities: new customers sign up; ~0.5% of customers per week move; ~1% of
  products per week change price (and cost); a few new products; campaigns that run
  on are extended, new quarter and sale campaigns start with their ads and codes;
  ended campaigns and ads change status; stock levels move with the units sold.
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
from . import lifecycle as L
from .entities import (
    DEFAULT_SEEDS_DIR,
    Customers,
    Marketing,
    Pools,
    Products,
    Reference,
    build_customers,
    build_marketing,
    build_pools,
    build_products,
    change_prices,
    created_before,
    load_reference,
    move_customers,
    plan_ads,
    plan_campaigns,
    plan_codes,
    signup_weights,
    stock_levels,
)
from .events import Counters, EventSimulator, plan_batch_orders
from .lifecycle import STATUSES
from .period import DAY, Period
from .profile import CATEGORIES, CHANNELS, PROFILES, Profile
from .schema import TABLES
from .simulate import EVENT_TABLES, STREAM, Volumes, faker_seed, stream, volumes
from .world import (
    Hidden,
    WorldError,
    cents,
    codes,
    column,
    days,
    ints,
    is_parquet,
    load_hidden,
    read_table,
    rewrite,
    rewrite_parquet,
    row_count,
    save_hidden,
    secs,
)

I64 = npt.NDArray[np.int64]
F64 = npt.NDArray[np.float64]
Bool = npt.NDArray[np.bool_]
Columns = dict[str, pa.Array]

MAX_WEEKS = 52
# the tables a Parquet world splits into month files (docs/raw_data.md)
MONTHLY = (*EVENT_TABLES, "ad_daily_stats")
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
    if manifest.get("format", "csv") not in ("csv", "parquet"):
        raise WorldError(f"manifest.json: unknown format {manifest.get('format')!r}")
    if manifest["profile"] not in PROFILES:
        raise WorldError(f"manifest.json: unknown profile {manifest['profile']!r}")
    _date(manifest, "period_start")
    _date(manifest, "period_end")
    return manifest


def _ended_at(day: I64, end_ts: int) -> I64:
    """When an ad or campaign that ran until ``day`` changed status: 09:00 the day
    after, at the latest the end of the period."""
    out: I64 = np.minimum((day + 1) * DAY + 9 * 3600, end_ts).astype(np.int64)
    return out


def _plain(array: pa.Array) -> pa.Array:
    """Dictionary-encoded text decoded, so chunks with different pools concatenate."""
    if pa.types.is_dictionary(array.type):
        return array.dictionary_decode()
    return array


@dataclass
class Update:
    """One table's changes: rows replaced (0-based positions, new values) and rows
    appended."""

    rows: I64 = field(default_factory=lambda: np.zeros(0, np.int64))
    changed: Columns | None = None
    added: list[Columns] = field(default_factory=list)

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


Updates = dict[str, Update]


def _replace(table: pa.Table, name: str, rows: I64, **values: pa.Array) -> Update:
    """An update replacing ``rows`` of ``table`` (named ``name``) by their current
    values with ``values`` changed."""
    cols = {col: column(table, col, rows) for col, _ in TABLES[name]}
    cols.update(values)
    return Update(rows=rows.astype(np.int64), changed=cols)


def _merge(*parts: Updates) -> Updates:
    """The updates of several steps, in step order (appended rows keep it)."""
    out: Updates = {table: Update() for table in TABLES}
    for part in parts:
        for table, up in part.items():
            if up.changed is not None:
                if out[table].changed is not None:
                    raise AssertionError(f"{table}: replaced by two steps")
                out[table].rows, out[table].changed = up.rows, up.changed
            out[table].added += up.added
    return out


# -- what a batch knows before it simulates anything -----------------------------------


@dataclass(frozen=True)
class Batch:
    """The world in ``src`` and the batch's periods; read-only once built."""

    src: Path
    weeks: int
    manifest: dict[str, Any]
    profile: Profile
    seed: int
    scale: float
    number: int  # this batch
    base: Period  # the first generation's period
    history: Period  # everything so far
    window: Period  # the new weeks
    late: Period  # the previous period's last days (late-arriving sessions)
    ref: Reference
    size: Volumes  # the first generation's volumes
    pools: Pools
    hidden: Hidden

    def rng(self, purpose: int, *sub: int) -> np.random.Generator:
        return stream(self.seed, STREAM["continue"], self.number, purpose, *sub)

    @property
    def countries(self) -> list[str]:
        return [c for c, _ in self.profile.country_weights]

    def ids(self) -> Counters:
        """The next ids, as the manifest says (a fresh counter for the batch)."""
        nxt = self.manifest["next_ids"]
        return Counters(
            session=int(nxt["session_id"]) - 1,
            pageview=int(nxt["pageview_id"]) - 1,
            order=int(nxt["order_id"]) - 1,
            item=int(nxt["order_item_id"]) - 1,
            refund=int(nxt["refund_id"]) - 1,
            review=int(nxt["review_id"]) - 1,
        )


def open_batch(src: Path, weeks: int) -> Batch:
    """The batch continuing the world in ``src`` by ``weeks`` weeks (checked)."""
    if not 1 <= weeks <= MAX_WEEKS:
        raise WorldError(f"--weeks must be between 1 and {MAX_WEEKS}")
    m = read_manifest(src)
    prof: Profile = PROFILES[m["profile"]]
    start0, prev_end = _date(m, "period_start"), _date(m, "period_end")
    history_rows = m.get("batches") or []
    end0 = _date(history_rows[0], "period_end") if history_rows else prev_end
    number = int(m.get("batch", 0)) + 1
    end = prev_end + dt.timedelta(days=7 * weeks)
    for table in TABLES:
        rows = row_count(src, table)
        name = f"{table}/" if m.get("format") == "parquet" else f"{table}.csv"
        if rows < 0 or (m.get("format") == "parquet") != is_parquet(src, table):
            raise WorldError(f"{src} has no {name}")
        if rows != m["tables"].get(table):
            raise WorldError(
                f"{src}/{name} has {rows} rows, manifest.json says "
                f"{m['tables'].get(table)}"
            )
    seed, scale = int(m["seed"]), float(m["scale"])
    base = Period(start0, end0, prof)
    ref = load_reference(DEFAULT_SEEDS_DIR)
    size = volumes(prof, scale, base.n_days)
    countries = [c for c, _ in prof.country_weights]
    pools = build_pools(faker_seed(seed), countries, size.brands_per_category)
    hidden = load_hidden(src)
    if hidden is None:
        if number != 1:
            raise WorldError(f"{src} has no _state/ (it was continued before)")
        hidden = _bootstrap(src, m, seed, scale, base, prof, ref, size, pools)
    late_first = max(prev_end - dt.timedelta(days=prof.late_days - 1), start0)
    return Batch(
        src=src,
        weeks=weeks,
        manifest=m,
        profile=prof,
        seed=seed,
        scale=scale,
        number=number,
        base=base,
        history=Period(start0, prev_end, prof),
        window=Period(prev_end + dt.timedelta(days=1), end, prof, origin=start0),
        late=Period(late_first, prev_end, prof, origin=start0),
        ref=ref,
        size=size,
        pools=pools,
        hidden=hidden,
    )


def _bootstrap(
    src: Path, m: dict[str, Any], seed: int, scale: float, base: Period,
    prof: Profile, ref: Reference, size: Volumes, pools: Pools,
) -> Hidden:  # fmt: skip
    """The hidden state of a world never continued, rebuilt from seed, scale and
    period by the first generation's own builders, and checked against the CSVs."""
    cu = build_customers(
        stream(seed, STREAM["customers"]), size.customers, base, prof, ref, pools
    )
    pr = build_products(
        stream(seed, STREAM["products"]), size.products, base, prof, ref, pools,
        size.brands_per_category,
    )  # fmt: skip
    mk = build_marketing(stream(seed, STREAM["marketing"]), scale, base, prof, ref)
    emails = read_table(src, "customers", ["email"]).column("email")
    names = read_table(src, "products", ["product_name"]).column("product_name")
    if (
        emails.to_pylist() != cu.cols["email"].to_pylist()
        or names.to_pylist() != pr.cols["product_name"].to_pylist()
        or m["tables"].get("ads") != mk.n_ads
    ):
        raise WorldError(
            f"{src} does not match its manifest (seed, scale, period): "
            "cannot rebuild its hidden state"
        )
    return Hidden(
        persona=cu.persona,
        pref1=cu.pref1,
        pref2=cu.pref2,
        device=cu.device,
        popularity=pr.popularity,
        quality=pr.quality,
        campaign_until=mk.campaign_until,
        ad_start=mk.ad_start,
        ad_until=mk.ad_until,
        ad_weight=mk.ad_weight,
        discount_until=mk.discount_until,
        discount_kind=mk.discount_kind,
    )


# -- customers: sign-ups and moves -----------------------------------------------------


@dataclass
class CustomersNow:
    customers: Customers  # every customer, the simulation's view
    country_before: I64  # the existing customers' country before this batch
    n_old: int
    updates: Updates


def continue_customers(b: Batch) -> CustomersNow:
    prof, ref, win = b.profile, b.ref, b.window
    t = read_table(b.src, "customers")
    n_old = t.num_rows
    if not np.array_equal(ints(t, "customer_id"), np.arange(1, n_old + 1)):
        raise WorldError("customers.csv: customer_id is not 1..n in file order")
    signup = secs(t, "signed_up_at")
    if np.any(np.diff(signup) < 0):
        raise WorldError("customers.csv: not in sign-up order")
    country = codes(t, "country_code", b.countries)
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
    h = b.hidden
    if len(h.persona) != n_old:
        raise WorldError("_state/ does not match customers.csv")
    # new customers, at the initial world's sign-up rate per unit of traffic
    rng = b.rng(CUSTOMERS)
    weights = (b.base.traffic * signup_weights(b.base, prof))[:-1]
    rate = b.size.customers / max(float(weights.sum()), 1e-9)
    n_new = int(rng.poisson(rate * float(win.traffic.sum())))
    new = build_customers(
        rng, n_new, win, prof, ref, b.pools, first_id=n_old + 1, continuing=True
    )
    # moves: a new address from the city table, mostly within the country
    mv = move_customers(b.rng(MOVES), country, b.weeks, win, prof, ref)
    changed = _replace(
        t, "customers", mv.rows,
        street_address=A.texts(b.pools.street, mv.street),
        postal_code=A.texts(b.pools.postcode, mv.postcode),
        city=A.texts(ref.city, mv.city),
        state=A.texts(ref.state, mv.city),
        country=A.texts(ref.country, mv.city),
        country_code=A.texts(ref.country_code, mv.city),
        latitude=A.floats(mv.latitude),
        longitude=A.floats(mv.longitude),
        updated_at=A.timestamps(mv.moved_at),
    )  # fmt: skip
    changed.added.append(new.cols)
    # the simulation's view: current country, the earlier one before the move
    now, city_now = country.copy(), city.copy()
    now[mv.rows], city_now[mv.rows] = mv.country, mv.city
    moved = np.full(n_old + n_new, NEVER, dtype=np.int64)
    moved[mv.rows] = mv.moved_at
    everyone = Customers(
        n_old + n_new,
        np.r_[signup, new.signup_ts].astype(np.int64),
        np.r_[now, new.country].astype(np.int64),
        np.r_[city_now, new.city].astype(np.int64),
        np.r_[acquisition, new.acquisition].astype(np.int64),
        np.r_[h.persona, new.persona].astype(np.int64),
        np.r_[h.pref1, new.pref1].astype(np.int64),
        np.r_[h.pref2, new.pref2].astype(np.int64),
        np.r_[h.device, new.device].astype(np.int64),
        {},
        moved,
        np.r_[country, new.country].astype(np.int64),
    )
    return CustomersNow(everyone, country, n_old, {"customers": changed})


# -- products: new ones, price changes -------------------------------------------------


@dataclass
class ProductsNow:
    products: Products  # the catalogue the new weeks sell from (no new products)
    popularity: F64  # every product's, new ones included
    quality: F64
    updates: Updates


def continue_products(b: Batch) -> ProductsNow:
    """Today's products with their price changes; products added in this batch are
    on sale from the next one."""
    prof, win = b.profile, b.window
    t = read_table(b.src, "products")
    n_old = t.num_rows
    if not np.array_equal(ints(t, "product_id"), np.arange(1, n_old + 1)):
        raise WorldError("products.csv: product_id is not 1..n in file order")
    h = b.hidden
    if len(h.popularity) != n_old:
        raise WorldError("_state/ does not match products.csv")
    category = codes(t, "category", CATEGORIES)
    price, cost = cents(t, "retail_price"), cents(t, "cost")
    dc = ints(t, "distribution_center_id")
    rng = b.rng(PRODUCTS)
    n_new = int(rng.poisson(prof.weekly_new_product_share * n_old * b.weeks))
    new = build_products(
        rng, n_new, win, prof, b.ref, b.pools, b.size.brands_per_category,
        first_id=n_old + 1, continuing=True,
    )  # fmt: skip
    pc = change_prices(b.rng(PRICES), price, cost, b.weeks, win, prof)
    products = _replace(
        t, "products", pc.rows, cost=A.money(pc.cost),
        retail_price=A.money(pc.price), updated_at=A.timestamps(pc.since),
    )  # fmt: skip
    products.added.append(new.cols)
    price_now, cost_now = price.copy(), cost.copy()
    price_now[pc.rows], cost_now[pc.rows] = pc.price, pc.cost
    since = np.full(n_old, NEVER, dtype=np.int64)
    since[pc.rows] = pc.since
    catalogue = Products(
        n_old, category, price_now, cost_now, dc, h.popularity, h.quality, {}, {},
        since, price, cost,
    )  # fmt: skip
    return ProductsNow(
        catalogue,
        np.r_[h.popularity, new.popularity].astype(np.float64),
        np.r_[h.quality, new.quality].astype(np.float64),
        {"products": products, "inventory": Update(added=[new.inventory_cols])},
    )


# -- marketing: campaigns run on or end, new ones start --------------------------------


@dataclass
class MarketingNow:
    marketing: Marketing  # every campaign, ad and code, as of the new end
    n_old_campaigns: int
    updates: Updates  # ads, discounts


def continue_marketing(b: Batch) -> MarketingNow:
    prof, ref, win, h = b.profile, b.ref, b.window, b.hidden
    first, last, end_ts = win.first_day, win.last_day, win.end_ts
    rng = b.rng(MARKETING)
    ct = read_table(b.src, "campaigns")
    at = read_table(b.src, "ads")
    dtab = read_table(b.src, "discounts")
    n_c, n_a, n_d = ct.num_rows, at.num_rows, dtab.num_rows
    for tab, key, n in ((ct, "campaign_id", n_c), (at, "ad_id", n_a),
                        (dtab, "discount_id", n_d)):  # fmt: skip
        if not np.array_equal(ints(tab, key), np.arange(1, n + 1)):
            raise WorldError(f"{key} is not 1..n in file order")
    if not (len(h.campaign_until) == n_c and len(h.ad_start) == n_a
            and len(h.discount_until) == n_d):  # fmt: skip
        raise WorldError("_state/ does not match the CSVs")
    c_channel = codes(ct, "channel", CHANNELS)
    c_end_old = days(ct, "end_date")
    c_names: list[str] = [str(x) for x in ct.column("campaign_name").to_pylist()]
    # campaigns running at the previous end run on until their planned end
    running = c_end_old >= b.history.last_day
    c_end = np.where(running, np.minimum(h.campaign_until, last), c_end_old)
    c_end = c_end.astype(np.int64)
    # new campaigns and their ads, planned as the first generation plans them
    plans = plan_campaigns(first, last, set(c_names), prof)
    nc_start = np.asarray([c.start for c in plans], dtype=np.int64)
    nc_until = np.asarray([c.until for c in plans], dtype=np.int64)
    nc_channel = np.asarray([c.channel for c in plans], dtype=np.int64)
    nc_created = np.maximum(
        created_before(rng, nc_start, prof.campaign_lead_days, prof), win.start_ts
    ).astype(np.int64)
    nc_end = np.minimum(nc_until, last).astype(np.int64)
    ads = plan_ads(rng, plans, n_c, last, b.scale, prof, ref)
    na_created = np.maximum(
        nc_created[ads.campaign - n_c] if ads.n else np.zeros(0, np.int64),
        (ads.start - prof.ad_lead_days) * DAY + 9 * 3600,
    ).astype(np.int64)
    # every ad: live until its planned end or its campaign's
    campaign_end = np.r_[c_end, nc_end].astype(np.int64)
    ad_campaign = np.r_[ints(at, "campaign_id") - 1, ads.campaign].astype(np.int64)
    ad_until = np.r_[h.ad_until, ads.until].astype(np.int64)
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
    ad_placement = np.r_[old_place, ads.placement].astype(np.int64)
    camp_ended = campaign_end[ad_campaign] < last
    paused = ~camp_ended & (ad_end < last)
    status = np.where(camp_ended, 2, np.where(paused, 1, 0)).astype(np.int64)
    old_status = codes(at, "status", AD_STATUSES)
    # ads rows: status changes of the existing ones, then the new ones
    cs = np.flatnonzero(status[:n_a] != old_status).astype(np.int64)
    by_campaign = _ended_at(campaign_end[ad_campaign], end_ts)
    by_ad = _ended_at(ad_end, end_ts)
    upd = np.where(
        (status[cs] == 2) & (old_status[cs] == 1), by_campaign[cs], by_ad[cs]
    )
    ads_up = _replace(
        at, "ads", cs, status=A.texts(AD_STATUSES, status[cs]),
        updated_at=A.timestamps(upd),
    )  # fmt: skip
    new_ids = np.arange(n_a + 1, n_a + ads.n + 1)
    ns = status[n_a:]
    ads_up.added.append(
        {
            "ad_id": A.ints(new_ids),
            "campaign_id": A.ints(ads.campaign + 1),
            "ad_name": A.strings(
                [
                    f"{ref.platforms[int(p)]} {ref.placements[int(p)]} "
                    f"{ads.format[i]} #{int(new_ids[i])}"
                    for i, p in enumerate(ads.placement)
                ]
            ),
            "platform": A.texts(ref.platforms, ads.placement),
            "ad_format": A.strings(ads.format),
            "placement": A.texts(ref.placements, ads.placement),
            "status": A.texts(AD_STATUSES, ns),
            "created_at": A.timestamps(na_created),
            "updated_at": A.timestamps(np.where(ns > 0, by_ad[n_a:], na_created)),
        }
    )
    # discounts: codes valid at the previous end stay valid until their planned
    # end; codes for sales starting now; evergreen codes
    d_codes = [str(x) for x in dtab.column("discount_code").to_pylist()]
    d_from = days(dtab, "valid_from")
    d_to_old = days(dtab, "valid_to")
    d_to = np.where(
        d_to_old >= b.history.last_day, np.minimum(h.discount_until, last), d_to_old
    ).astype(np.int64)
    dc = np.flatnonzero(d_to != d_to_old).astype(np.int64)
    discounts_up = _replace(dtab, "discounts", dc, valid_to=A.dates(d_to[dc]))
    n_evergreen = max(2, round(prof.evergreen_codes_per_scale * b.scale))
    n_ev = int(rng.poisson(n_evergreen / b.base.n_days * win.n_days))
    all_names = c_names + [c.name for c in plans]
    new_codes = plan_codes(
        rng, first, last, b.scale, all_names, set(d_codes), n_ev,
        int(np.sum(h.discount_kind == 1)), win.n_days, prof,
    )  # fmt: skip
    ndf = np.asarray(new_codes.valid_from, dtype=np.int64)
    nd_until = np.asarray(new_codes.until, dtype=np.int64)
    nd_to = np.minimum(nd_until, last).astype(np.int64)
    nd_created = np.maximum(
        created_before(rng, ndf, prof.discount_lead_days, prof), win.start_ts
    ).astype(np.int64)
    nd_campaign = np.asarray(new_codes.campaign, dtype=np.int64)
    nd_pct = np.asarray(new_codes.percent, dtype=np.bool_)
    nd_val = np.asarray(new_codes.value, dtype=np.int64)
    discounts_up.added.append(
        {
            "discount_id": A.ints(np.arange(n_d + 1, n_d + len(ndf) + 1)),
            "discount_code": A.strings(new_codes.code),
            "discount_type": A.texts(("fixed", "percent"), nd_pct.astype(np.int64)),
            "discount_value": A.money(nd_val),
            "campaign_id": A.ints(nd_campaign + 1, null=nd_campaign < 0),
            "valid_from": A.dates(ndf),
            "valid_to": A.dates(nd_to),
            "created_at": A.timestamps(nd_created),
        }
    )
    d_campaign = ints(dtab, "campaign_id", null=0) - 1
    mk = Marketing(
        campaign_channel=np.r_[c_channel, nc_channel].astype(np.int64),
        campaign_start=np.r_[days(ct, "start_date"), nc_start].astype(np.int64),
        campaign_end=campaign_end,
        campaign_until=np.r_[h.campaign_until, nc_until].astype(np.int64),
        campaign_name=all_names,
        campaign_created=np.r_[secs(ct, "created_at"), nc_created].astype(np.int64),
        ad_campaign=ad_campaign,
        ad_channel=np.r_[c_channel, nc_channel][ad_campaign].astype(np.int64),
        ad_placement=ad_placement,
        ad_format=[str(x) for x in at.column("ad_format").to_pylist()] + ads.format,
        ad_start=np.r_[h.ad_start, ads.start].astype(np.int64),
        ad_end=ad_end,
        ad_until=ad_until,
        ad_weight=np.r_[h.ad_weight, ads.weight].astype(np.float64),
        ad_created=np.r_[secs(at, "created_at"), na_created].astype(np.int64),
        discount_code=d_codes + new_codes.code,
        discount_percent=np.r_[
            codes(dtab, "discount_type", ("fixed", "percent")) == 1, nd_pct
        ].astype(np.bool_),
        discount_value_cents=np.r_[cents(dtab, "discount_value"), nd_val].astype(
            np.int64
        ),
        discount_campaign=np.r_[d_campaign, nd_campaign].astype(np.int64),
        discount_from=np.r_[d_from, ndf].astype(np.int64),
        discount_to=np.r_[d_to, nd_to].astype(np.int64),
        discount_until=np.r_[h.discount_until, nd_until].astype(np.int64),
        discount_kind=np.r_[h.discount_kind, new_codes.kind].astype(np.int64),
        discount_created=np.r_[secs(dtab, "created_at"), nd_created].astype(np.int64),
    )
    return MarketingNow(mk, n_c, {"ads": ads_up, "discounts": discounts_up})


# -- orders already placed: shipped, delivered, returned, reviewed ---------------------


@dataclass
class History:
    """The orders placed so far: whose, when."""

    customer: I64
    ordered_at: I64


def progress_orders(
    b: Batch, product_category: I64, quality: F64, country_before: I64, ids: Counters
) -> tuple[History, Updates]:
    """Orders placed before the batch move on, by fresh draws of the first
    generation's lifecycle conditioned on what happened: processing orders ship
    after the previous end, shipped ones are delivered, delivered items are
    returned when the refund falls inside the batch and reviewed when the review
    does. Refund and review ids are taken from ``ids``."""
    prof = b.profile
    rng = b.rng(PROGRESS)
    ot = read_table(b.src, "orders")
    it = read_table(b.src, "order_items")
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
    country = country_before[cust]
    prev, end = b.history.end_ts, b.window.end_ts
    # orders: processing -> shipped -> delivered (the previous end is a floor)
    processing, in_transit = status == 0, status == 1
    ship = L.ship_times(rng, ordered, prof)
    ship = np.maximum(ship, prev + 1 + rng.integers(0, prof.backlog_ship_s, n))
    ship = np.where(processing, ship, shipped)
    shipped_now = processing & (ship <= end)
    deliver = L.delivery_times(rng, ship, country, prof)
    deliver = np.where(
        in_transit,
        np.maximum(deliver, prev + 1 + rng.integers(0, prof.backlog_delivery_s, n)),
        deliver,
    )
    delivered_now = (in_transit | shipped_now) & (deliver <= end)
    ship_now = np.where(shipped_now | (shipped >= 0), ship, -1)
    deliver_now = np.where(delivered_now, deliver, delivered)
    # items: returned once refunded during the batch (a fresh draw per batch, so
    # over the batches an item is returned at about its category's rate)
    order = ints(it, "order_id") - 1
    product = ints(it, "product_id") - 1
    quantity = ints(it, "quantity")
    unit_price = cents(it, "unit_price")
    i_status = codes(it, "status", STATUSES)
    i_returned = secs(it, "returned_at")
    category = product_category[product]
    i_deliv = deliver_now[order]
    is_delivered = (i_deliv >= 0) & (i_status != 3)
    candidate = is_delivered & (i_status != 4)
    wants, returned_at, refunded_at = L.returns(rng, i_deliv, category, prof)
    returned_now = candidate & wants & (refunded_at > prev) & (refunded_at <= end)
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
    orders_up = _replace(
        ot, "orders", oc,
        status=A.texts(STATUSES, new_status[oc]),
        shipped_at=A.timestamps(ship_now[oc], null=ship_now[oc] < 0),
        delivered_at=A.timestamps(deliver_now[oc], null=deliver_now[oc] < 0),
        updated_at=A.timestamps(new_updated[oc]),
    )  # fmt: skip
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
    items_up = _replace(
        it, "order_items", ic,
        status=A.texts(STATUSES, item_status),
        shipped_at=A.timestamps(ship_now[oi], null=ship_now[oi] < 0),
        delivered_at=A.timestamps(deliver_now[oi], null=deliver_now[oi] < 0),
        returned_at=A.timestamps(item_returned, null=item_returned < 0),
        updated_at=A.timestamps(item_updated),
    )  # fmt: skip
    # refunds: the returned line's share of what was paid for goods
    ri = np.flatnonzero(returned_now)
    ro = order[ri]
    refund = L.refund_amounts(
        quantity[ri] * unit_price[ri], total[ro] - shipping[ro], subtotal[ro]
    )
    reason = L.refund_reasons(rng, category[ri], prof)
    item_id = ints(it, "order_item_id")
    refunds = L.refund_columns(
        ids.refund + 1, item_id[ri], ro + 1, refund, reason, refunded_at[ri]
    )
    ids.refund += len(ri)
    # reviews: delivered items not reviewed yet, reviewed during the batch
    reviewed = np.zeros(n_it, dtype=np.bool_)
    rv = ints(read_table(b.src, "reviews", ["order_item_id"]), "order_item_id")
    reviewed[np.searchsorted(item_id, rv)] = True
    wants, reviewed_at = L.reviews(rng, i_deliv, is_returned, prof)
    review_now = (
        is_delivered & ~reviewed & wants & (reviewed_at > prev) & (reviewed_at <= end)
    )
    vi = np.flatnonzero(review_now)
    rating = L.ratings(rng, quality[product[vi]], is_returned[vi], prof)
    reviews = L.review_columns(
        ids.review + 1, item_id[vi], product[vi], cust[order[vi]], rating,
        reviewed_at[vi],
    )  # fmt: skip
    ids.review += len(vi)
    return History(cust, ordered), {
        "orders": orders_up,
        "order_items": items_up,
        "refunds": Update(added=[refunds]),
        "reviews": Update(added=[reviews]),
    }


# -- sessions and orders: late-arriving ones, then the new weeks' ----------------------


@dataclass
class Simulated:
    late: EventSimulator | None  # the previous days' late-arriving sessions
    window: EventSimulator  # the new weeks
    late_sessions: int
    updates: Updates


def simulate_sessions(
    b: Batch, cu: CustomersNow, products: Products, mk: Marketing, past: History,
    ids: Counters,
) -> Simulated:  # fmt: skip
    """Late-arriving sessions of the previous days, then the new weeks, each by the
    first generation's ``EventSimulator.month``."""
    prof, win, late = b.profile, b.window, b.late
    customers = cu.customers
    started = secs(read_table(b.src, "website_sessions", ["started_at"]), "started_at")
    n_prior = np.bincount(past.customer, minlength=customers.n).astype(np.int64)
    tables: list[dict[str, Columns]] = []
    first_session = ids.session
    # late-arriving: sessions of the previous period's last days delivered now
    rng = b.rng(LATE)
    recent = int(np.sum(started >= late.start_ts))
    recent_orders = int(np.sum(past.ordered_at >= late.start_ts))
    share = rng.uniform(*prof.late_share)
    n_late = max(1, round(recent * share)) if recent else 0
    n_late_orders = (
        int(rng.binomial(n_late, min(1.0, recent_orders / recent))) if recent else 0
    )
    head = customers.head(int(np.searchsorted(customers.signup_ts, late.start_ts)))
    plan = plan_batch_orders(rng, late, head, n_prior, n_late_orders, False, prof)
    n_prior += np.bincount(plan.customer, minlength=customers.n).astype(np.int64)
    late_sim: EventSimulator | None = None
    if n_late:
        late_sim = EventSimulator(
            late, prof, b.ref, head, products, mk, plan, n_late, ids=ids,
            as_of=win.end_ts,
        )  # fmt: skip
        late_sim.seen[:] = True  # every customer had a sign-up session before
        for m in range(len(late.months)):
            tables.append(late_sim.month(b.rng(LATE, m + 1), m))
    late_sessions = ids.session - first_session
    # the new weeks, at the initial world's rates per unit of traffic
    rng = b.rng(PLAN)
    rate_s = b.size.sessions / float(b.base.traffic.sum())
    n_sessions = int(rng.poisson(rate_s * float(win.traffic.sum())))
    hist = b.history
    rate_o = len(past.customer) / max(
        float((hist.traffic * hist.conversion).sum()), 1e-9
    )
    n_orders = int(rng.poisson(rate_o * float((win.traffic * win.conversion).sum())))
    plan = plan_batch_orders(rng, win, customers, n_prior, n_orders, True, prof)
    sim = EventSimulator(
        win, prof, b.ref, customers, products, mk, plan, n_sessions, ids=ids
    )
    sim.seen[: cu.n_old] = True
    for m in range(len(win.months)):
        tables.append(sim.month(b.rng(WINDOW, m + 1), m))
    updates: Updates = {}
    for out in tables:
        for name, columns in out.items():
            updates.setdefault(name, Update()).added.append(columns)
    return Simulated(late_sim, sim, late_sessions, updates)


# -- ad_daily_stats: new days; late clicks restate the previous days -------------------


def ad_stats(b: Batch, mk: Marketing, sims: Simulated) -> tuple[F64, Updates]:
    """The new days' rows (as the first generation makes them) and the previous
    days' rows restated with their late clicks; returns each ad's spend as of the
    new end too."""
    prof, ref, sim = b.profile, b.ref, sims.window
    rng = b.rng(STATS)
    period = b.window
    ad, day = sim.ad_rows
    order = np.lexsort((day, ad))
    ad, day = ad[order], day[order]
    clicks, leads = sim.clicks[order], sim.leads[order]
    placement = mk.ad_placement[ad]
    impressions, reach = L.impressions_for(rng, clicks, placement, ref, prof)
    impressions, reach, spend = L.ad_day_measures(
        impressions, reach, clicks, placement, ref
    )
    up = Update()
    up.added.append(
        L.ad_stats_columns(
            ad, day + period.first_day, impressions, reach, clicks, leads, spend
        )
    )
    t = read_table(b.src, "ad_daily_stats")
    old_ad, old_spend = ints(t, "ad_id") - 1, cents(t, "spend")
    spent: F64 = np.bincount(old_ad, weights=old_spend, minlength=mk.n_ads).astype(
        np.float64
    )
    spent += np.bincount(ad, weights=spend, minlength=mk.n_ads)
    late = sims.late
    if late is None or not late.clicks.any():
        return spent, {"ad_daily_stats": up}
    row_key = old_ad * (1 << 24) + days(t, "stat_date")
    sorter = np.argsort(row_key, kind="stable")
    hit = np.flatnonzero(late.clicks)  # rows of late.ad_rows, in (ad, day) order
    l_ad = late.ad_rows[0][hit]
    l_day = late.ad_rows[1][hit] + late.period.first_day
    want = l_ad * (1 << 24) + l_day
    pos = np.minimum(np.searchsorted(row_key, want, sorter=sorter), len(row_key) - 1)
    rows = sorter[pos]
    if np.any(row_key[rows] != want):
        raise WorldError("ad_daily_stats.csv lacks a row for a live ad and day")
    order = np.argsort(rows, kind="stable")
    rows, hit, l_ad = rows[order], hit[order], l_ad[order]
    extra = late.clicks[hit]
    clicks = ints(t, "clicks")[rows] + extra
    placement = mk.ad_placement[l_ad]
    more, more_reach = L.impressions_for(
        rng, extra, placement, ref, prof, background=False
    )
    impressions, reach, spend_late = L.ad_day_measures(
        ints(t, "impressions")[rows] + more, ints(t, "reach")[rows] + more_reach,
        clicks, placement, ref,
    )  # fmt: skip
    spent += np.bincount(l_ad, weights=spend_late - old_spend[rows], minlength=mk.n_ads)
    restated = _replace(
        t, "ad_daily_stats", rows,
        impressions=A.ints(impressions),
        reach=A.ints(reach),
        clicks=A.ints(clicks),
        leads=A.ints(ints(t, "leads")[rows] + late.leads[hit]),
        spend=A.money(spend_late),
    )  # fmt: skip
    restated.added = up.added
    return spent, {"ad_daily_stats": restated}


def campaign_rows(b: Batch, mk: Marketing, n_old: int, ad_spent: F64) -> Updates:
    """Running campaigns extended to their planned end or ended, their budgets
    topped up if their spend went past the tolerance; the campaigns started in this
    batch, budgeted as the first generation budgets (the planned spend: the spend
    per day so far over the planned days)."""
    rng = b.rng(MARKETING, 1)
    win, prof = b.window, b.profile
    last, end_ts = win.last_day, win.end_ts
    ct = read_table(b.src, "campaigns")
    spent: F64 = np.bincount(
        mk.ad_campaign, weights=ad_spent, minlength=len(mk.campaign_channel)
    ).astype(np.float64)
    start, end = mk.campaign_start, mk.campaign_end
    planned = L.planned_spend(spent, start, end, mk.campaign_until)
    # existing campaigns
    end_old = days(ct, "end_date")
    running = end_old >= b.history.last_day
    budget_old = cents(ct, "budget")
    budget = np.where(
        running,
        L.topped_up(rng, budget_old, spent[:n_old], planned[:n_old], prof),
        budget_old,
    )
    extended = end[:n_old] > end_old
    ended_now = running & (end[:n_old] < last)
    raised = budget != budget_old
    cc = np.flatnonzero(extended | ended_now | raised).astype(np.int64)
    when = np.where(
        ended_now[cc],
        _ended_at(end[cc], end_ts),
        np.where(raised[cc], last * DAY + 9 * 3600, win.start_ts + 9 * 3600),
    )
    up = _replace(
        ct, "campaigns", cc, end_date=A.dates(end[cc]), budget=A.money(budget[cc]),
        updated_at=A.timestamps(when),
    )  # fmt: skip
    # new campaigns
    k = len(mk.campaign_channel) - n_old
    if k:
        new = slice(n_old, None)
        channel, created = mk.campaign_channel[new], mk.campaign_created[new]
        ended = end[new] < last
        up.added.append(
            {
                "campaign_id": A.ints(np.arange(n_old + 1, n_old + k + 1)),
                "campaign_name": A.strings(mk.campaign_name[new]),
                "channel": A.texts(CHANNELS, channel),
                "objective": A.texts(OBJECTIVES, channel),
                "start_date": A.dates(start[new]),
                "end_date": A.dates(end[new]),
                "budget": A.money(L.budgets(rng, planned[new], prof)),
                "created_at": A.timestamps(created),
                "updated_at": A.timestamps(
                    np.where(ended, _ended_at(end[new], end_ts), created)
                ),
            }
        )
    return {"campaigns": up}


def inventory(b: Batch, sold_items: list[Columns]) -> Updates:
    """Stock moves with the units sold in ``sold_items`` (order_items chunks) and
    the first generation's stock dynamics; rows that moved show the nightly stock
    sync of the batch's last day."""
    rng = b.rng(INVENTORY)
    t = read_table(b.src, "inventory")
    n = t.num_rows
    stock = ints(t, "stock_on_hand")
    reorder = ints(t, "reorder_point")
    pid = ints(t, "product_id") - 1
    sold = np.zeros(n, dtype=np.int64)
    for chunk in sold_items:
        p = np.asarray(chunk["product_id"].to_numpy(), dtype=np.int64) - 1
        q = np.asarray(chunk["quantity"].to_numpy(), dtype=np.int64)
        inside = p < n
        sold += np.bincount(p[inside], weights=q[inside], minlength=n).astype(np.int64)[
            :n
        ]
    left, restock = stock_levels(rng, stock, reorder, sold[pid], b.weeks, b.profile)
    rows = np.flatnonzero((left != stock) | restock).astype(np.int64)
    when = b.window.end_ts - rng.integers(0, DAY, len(rows))
    return {
        "inventory": _replace(
            t,
            "inventory",
            rows,
            stock_on_hand=A.ints(left[rows]),
            updated_at=A.timestamps(when),
        )
    }


# -- the whole batch -------------------------------------------------------------------


def run(b: Batch, out: Path, quiet: bool = True) -> dict[str, Any]:
    """Simulate the batch and write the continued world into ``out``."""
    ids = b.ids()
    cu = continue_customers(b)
    pr = continue_products(b)
    mk = continue_marketing(b)
    past, progressed = progress_orders(
        b, pr.products.category, pr.quality, cu.country_before, ids
    )
    sims = simulate_sessions(b, cu, pr.products, mk.marketing, past, ids)
    ad_spent, stats = ad_stats(b, mk.marketing, sims)
    campaigns = campaign_rows(b, mk.marketing, mk.n_old_campaigns, ad_spent)
    stock = inventory(b, sims.updates.get("order_items", Update()).added)
    updates = _merge(
        cu.updates, pr.updates, mk.updates, progressed, sims.updates, stats,
        campaigns, stock,
    )  # fmt: skip
    added: dict[str, int] = {}
    changed: dict[str, int] = {}
    for table in TABLES:
        up = updates[table]
        if b.manifest.get("format") == "parquet":
            # a batch's new rows go to the month file of its last day
            rewrite_parquet(
                b.src, out, table, up.rows, up.changed, up.added_columns(),
                b.window.end.strftime("%Y-%m") if table in MONTHLY else None,
            )  # fmt: skip
        else:
            rewrite(
                b.src / f"{table}.csv", out / f"{table}.csv", table, up.rows,
                up.changed, up.added_columns(),
            )  # fmt: skip
        added[table], changed[table] = up.n_added, len(up.rows)
        if not quiet:
            print(
                f"{table}: +{added[table]:,} rows, {changed[table]:,} changed",
                file=sys.stderr,
            )
    m = mk.marketing
    customers = cu.customers
    hidden = Hidden(
        persona=customers.persona,
        pref1=customers.pref1,
        pref2=customers.pref2,
        device=customers.device,
        popularity=pr.popularity,
        quality=pr.quality,
        campaign_until=m.campaign_until,
        ad_start=m.ad_start,
        ad_until=m.ad_until,
        ad_weight=m.ad_weight,
        discount_until=m.discount_until,
        discount_kind=m.discount_kind,
    )
    state = save_hidden(out, hidden)
    manifest = _next_manifest(b, added, changed, sims.late_sessions, hidden, ids)
    manifest["state"] = state
    (out / "manifest.json").write_text(json.dumps(manifest, indent=2) + "\n")
    return manifest


def _next_manifest(
    b: Batch, added: dict[str, int], changed: dict[str, int], late_sessions: int,
    hidden: Hidden, ids: Counters,
) -> dict[str, Any]:  # fmt: skip
    m = b.manifest
    start0 = b.base.start.isoformat()
    batches = list(m.get("batches") or [])
    if not batches:  # a manifest from before batches were recorded
        batches.append(
            {
                "batch": 0,
                "weeks": 0,
                "period_start": start0,
                "period_end": b.base.end.isoformat(),
                "added": dict(m["tables"]),
                "changed": {t: 0 for t in TABLES},
            }
        )
    batches.append(
        {
            "batch": b.number,
            "weeks": b.weeks,
            "period_start": b.window.start.isoformat(),
            "period_end": b.window.end.isoformat(),
            "late_from": b.late.start.isoformat(),
            "late_sessions": late_sessions,
            "added": added,
            "changed": changed,
        }
    )
    return {
        "generator_version": __version__,
        "profile": m["profile"],
        "seed": b.seed,
        "scale": m["scale"],
        "period_start": start0,
        "period_end": b.window.end.isoformat(),
        "format": m.get("format", "csv"),
        "tables": {t: int(m["tables"][t]) + added[t] for t in TABLES},
        "batch": b.number,
        "next_ids": {
            "customer_id": len(hidden.persona) + 1,
            "product_id": len(hidden.popularity) + 1,
            "campaign_id": len(hidden.campaign_until) + 1,
            "ad_id": len(hidden.ad_start) + 1,
            "discount_id": len(hidden.discount_until) + 1,
            "session_id": ids.session + 1,
            "pageview_id": ids.pageview + 1,
            "order_id": ids.order + 1,
            "order_item_id": ids.item + 1,
            "refund_id": ids.refund + 1,
            "review_id": ids.review + 1,
        },
        "batches": batches,
    }


def continue_world(
    src: Path, out: Path, weeks: int, quiet: bool = True
) -> dict[str, Any]:
    """Continue the world in ``src`` by ``weeks`` weeks, writing it to ``out``."""
    return run(open_batch(src, weeks), out, quiet)

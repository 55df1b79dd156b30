"""Reference data and the slowly-changing entities: customers, products, inventory,
campaigns, ads, discounts.

Each ``build_*`` returns a small dataclass of numpy arrays (what the event
simulation needs) plus a ``columns()`` method giving the contract's CSV columns.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import numpy.typing as npt
import pyarrow as pa  # type: ignore[import-untyped]
import pyarrow.csv as pacsv  # type: ignore[import-untyped]
from faker import Faker

from . import arrow as A
from .period import DAY, Period, Promo, date_of, day_number, promos_for_year
from .profile import CATEGORIES, CHANNELS, PAID_CHANNELS, Profile

I64 = npt.NDArray[np.int64]
F64 = npt.NDArray[np.float64]

PACKAGE_DIR = Path(__file__).resolve().parent
CITIES_CSV = PACKAGE_DIR / "data" / "cities.csv"
DEFAULT_SEEDS_DIR = PACKAGE_DIR.parent / "seeds"

LOCALES: dict[str, str] = {
    "GB": "en_GB",
    "IE": "en_IE",
    "FR": "fr_FR",
    "DE": "de_DE",
    "NL": "nl_NL",
    "ES": "es_ES",
    "IT": "it_IT",
    "US": "en_US",
    "CA": "en_CA",
}
EMAIL_DOMAINS: dict[str, tuple[str, ...]] = {
    "GB": ("gmail.com", "outlook.com", "hotmail.co.uk", "yahoo.co.uk", "icloud.com",
           "btinternet.com", "sky.com"),
    "IE": ("gmail.com", "outlook.com", "eircom.net", "icloud.com", "yahoo.ie"),
    "FR": ("gmail.com", "orange.fr", "free.fr", "laposte.net", "outlook.fr"),
    "DE": ("gmail.com", "web.de", "gmx.de", "t-online.de", "outlook.de"),
    "NL": ("gmail.com", "ziggo.nl", "kpnmail.nl", "outlook.com", "hotmail.nl"),
    "ES": ("gmail.com", "hotmail.es", "yahoo.es", "outlook.es", "telefonica.net"),
    "IT": ("gmail.com", "libero.it", "virgilio.it", "alice.it", "outlook.it"),
    "US": ("gmail.com", "yahoo.com", "outlook.com", "icloud.com", "aol.com"),
    "CA": ("gmail.com", "outlook.com", "yahoo.ca", "icloud.com", "shaw.ca"),
}  # fmt: skip
GENDERS = ("female", "male", "non_binary")
DEVICES = ("desktop", "mobile", "tablet")
POOL = 100  # Faker pool size per locale and kind
# only the providers used: loading all of them costs ~60 ms per locale
FAKER_PROVIDERS = ["faker.providers.person", "faker.providers.address"]

NOUNS: dict[str, tuple[str, ...]] = {
    "Accessories": ("Wallet", "Belt", "Scarf", "Watch", "Sunglasses", "Backpack",
                    "Tote Bag", "Cap", "Gloves", "Umbrella", "Card Holder", "Bracelet"),
    "Beauty": ("Face Serum", "Moisturiser", "Lip Balm", "Shampoo", "Conditioner",
               "Eye Cream", "Cleanser", "Body Lotion", "Hand Cream", "Face Mask",
               "Perfume", "Nail Polish"),
    "Books": ("Cookbook", "Novel", "Travel Guide", "Biography", "Atlas", "Poetry "
              "Collection", "Children's Book", "Graphic Novel", "Field Guide",
              "History Book", "Puzzle Book", "Journal"),
    "Clothing": ("T-Shirt", "Jumper", "Hoodie", "Jeans", "Chinos", "Dress", "Shirt",
                 "Jacket", "Coat", "Leggings", "Shorts", "Cardigan", "Pyjamas"),
    "Electronics": ("Headphones", "Earbuds", "Bluetooth Speaker", "Smartwatch",
                    "Power Bank", "Tablet", "E-Reader", "Webcam", "Keyboard", "Mouse",
                    "Charger", "Action Camera", "Monitor"),
    "Footwear": ("Trainers", "Running Shoes", "Boots", "Sandals", "Loafers",
                 "Slippers", "Hiking Boots", "Brogues", "Espadrilles", "Sliders"),
    "Garden": ("Planter", "Hose", "Pruning Shears", "Garden Chair", "Bird Feeder",
               "Solar Lights", "Watering Can", "Trowel", "Parasol", "Compost Bin",
               "Seed Kit"),
    "Grocery": ("Coffee Beans", "Loose Tea", "Olive Oil", "Dark Chocolate", "Granola",
                "Honey", "Pasta", "Hot Sauce", "Biscuits", "Jam", "Spice Set"),
    "Home & Kitchen": ("Frying Pan", "Knife Set", "Mug Set", "Duvet Cover", "Cushion",
                       "Table Lamp", "Kettle", "Toaster", "Blender", "Towel Set",
                       "Candle", "Storage Box", "Cafetière"),
    "Sports & Outdoors": ("Yoga Mat", "Dumbbells", "Tent", "Sleeping Bag",
                          "Water Bottle", "Cycling Helmet", "Football",
                          "Tennis Racket", "Rucksack", "Resistance Bands",
                          "Head Torch"),
    "Toys & Games": ("Board Game", "Jigsaw Puzzle", "Building Set", "Plush Toy",
                     "Card Game", "Doll", "Remote Control Car", "Craft Kit",
                     "Train Set", "Science Kit"),
}  # fmt: skip
ADJECTIVES = (
    "Classic", "Essential", "Premium", "Organic", "Everyday", "Deluxe", "Compact",
    "Eco", "Vintage", "Modern", "Pro", "Lightweight", "Heritage", "Urban", "Coastal",
    "Nordic", "Signature", "Original", "Soft", "Bold", "Smart", "Travel", "Studio",
    "Highland", "Luxe", "Active", "Pure", "Rustic", "Midnight", "Sunrise",
)  # fmt: skip
BRAND_SUFFIXES = ("", " & Co", " Studio", " Goods", " London", " Works", " Co.",
                  " Home", " Living", " Supply", " & Sons", " Collective")  # fmt: skip


def ascii_slug(text: str) -> str:
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return "".join(ch for ch in plain.lower() if ch.isalnum())


# -- reference data ----------------------------------------------------------------


@dataclass
class Reference:
    dc_id: I64
    dc_country_code: list[str]
    platforms: list[str]
    placements: list[str]
    pricing_model: list[str]  # "cpc" or "cpm"
    unit_price_cents: I64
    city: list[str]
    state: list[str]
    country: list[str]
    country_code: list[str]
    latitude: F64
    longitude: F64
    population: F64

    def placement_index(self, platform: str, placement: str) -> int:
        for i, (pf, pl) in enumerate(zip(self.platforms, self.placements, strict=True)):
            if pf == platform and pl == placement:
                return i
        raise KeyError(f"no ad_placement_pricing row for {platform}/{placement}")


def _read_csv(path: Path) -> dict[str, list[object]]:
    table = pacsv.read_csv(
        path, convert_options=pacsv.ConvertOptions(strings_can_be_null=False)
    )
    return {name: table.column(name).to_pylist() for name in table.column_names}


def _cents(value: object) -> int:
    return round(float(str(value)) * 100)


def load_reference(seeds_dir: Path) -> Reference:
    dcs = _read_csv(seeds_dir / "distribution_centers.csv")
    pricing = _read_csv(seeds_dir / "ad_placement_pricing.csv")
    cities = _read_csv(CITIES_CSV)
    return Reference(
        dc_id=np.asarray(dcs["distribution_center_id"], dtype=np.int64),
        dc_country_code=[str(x) for x in dcs["country_code"]],
        platforms=[str(x) for x in pricing["platform"]],
        placements=[str(x) for x in pricing["placement"]],
        pricing_model=[str(x) for x in pricing["pricing_model"]],
        unit_price_cents=np.asarray(
            [_cents(x) for x in pricing["unit_price"]], dtype=np.int64
        ),
        city=[str(x) for x in cities["city"]],
        state=[str(x) for x in cities["state"]],
        country=[str(x) for x in cities["country"]],
        country_code=[str(x) for x in cities["country_code"]],
        latitude=np.asarray(cities["latitude"], dtype=np.float64),
        longitude=np.asarray(cities["longitude"], dtype=np.float64),
        population=np.asarray(cities["population"], dtype=np.float64),
    )


# -- name pools (Faker, small) -------------------------------------------------------


@dataclass
class Pools:
    """Per-country pools; index space: country k owns rows [k*POOL, (k+1)*POOL)."""

    countries: list[str]
    female: list[str]
    male: list[str]
    last: list[str]
    street: list[str]
    postcode: list[str]
    brands: list[str]  # len(CATEGORIES) * brands_per_category


def build_pools(seed: int, countries: list[str], brands_per_category: int) -> Pools:
    female: list[str] = []
    male: list[str] = []
    last: list[str] = []
    street: list[str] = []
    postcode: list[str] = []
    for k, code in enumerate(countries):
        fake = Faker(LOCALES[code], providers=FAKER_PROVIDERS)
        fake.seed_instance(seed * 100 + k)
        female += [fake.first_name_female() for _ in range(POOL)]
        male += [fake.first_name_male() for _ in range(POOL)]
        last += [fake.last_name() for _ in range(POOL)]
        street += [
            " ".join(fake.street_address().replace("\n", ", ").split())
            for _ in range(POOL)
        ]
        postcode += [fake.postcode() for _ in range(POOL)]
    fake = Faker("en_GB", providers=FAKER_PROVIDERS)
    fake.seed_instance(seed * 100 + 99)
    n_brands = len(CATEGORIES) * brands_per_category
    # unique brand names: distinct surnames (a locale has a few hundred), each
    # combined with distinct suffixes when more brands are needed than surnames
    words: list[str] = []
    seen: set[str] = set()
    misses = 0
    while len(words) < n_brands and misses < 100:  # stop once surnames run dry
        word = fake.last_name()
        if word in seen:
            misses += 1
            continue
        misses = 0
        seen.add(word)
        words.append(word)
    brands = [
        words[k % len(words)] + BRAND_SUFFIXES[(k // len(words)) % len(BRAND_SUFFIXES)]
        for k in range(n_brands)
    ]
    return Pools(countries, female, male, last, street, postcode, brands)


# -- customers -------------------------------------------------------------------------


@dataclass
class Customers:
    n: int
    signup_ts: I64  # sorted ascending; customer_id = index + 1
    country: I64  # index into profile.country_weights
    city: I64  # index into reference cities
    acquisition: I64  # index into CHANNELS
    persona: I64  # index into PERSONAS
    pref1: I64  # preferred category
    pref2: I64  # second category
    device: I64  # preferred device
    cols: dict[str, pa.Array]
    # a continued week: customers who move keep their earlier country for orders
    # placed before ``moved_at`` (None: nobody moves)
    moved_at: I64 | None = None
    prior_country: I64 | None = None

    def columns(self) -> dict[str, pa.Array]:
        return self.cols

    def head(self, k: int) -> Customers:
        """The first k customers (the k earliest sign-ups), without CSV columns."""
        return Customers(
            k, self.signup_ts[:k], self.country[:k], self.city[:k],
            self.acquisition[:k], self.persona[:k], self.pref1[:k], self.pref2[:k],
            self.device[:k], {},
            None if self.moved_at is None else self.moved_at[:k],
            None if self.prior_country is None else self.prior_country[:k],
        )  # fmt: skip


def build_customers(
    rng: np.random.Generator,
    n: int,
    period: Period,
    profile: Profile,
    ref: Reference,
    pools: Pools,
    first_id: int = 1,
    continuing: bool = False,
) -> Customers:
    """n customers signing up during the period, ids from ``first_id``.

    ``continuing``: customers of a continued week, signing up on any day of it with
    the traffic (no launch wave).
    """
    countries = [c for c, _ in profile.country_weights]
    country = A.choice(rng, n, [w for _, w in profile.country_weights])
    city_country = np.asarray([countries.index(c) for c in ref.country_code])
    # city within the country, weighted by population^0.8
    city_weight = ref.population**0.8
    city = A.grouped_choice(rng, city_country.astype(np.int64), city_weight, country)
    gender = A.choice(rng, n, (0.52, 0.46, 0.02))
    g_first = np.where(gender == 2, rng.integers(0, 2, n), gender)
    first_idx = country * POOL + rng.integers(0, POOL, n)
    first_pool = pools.female + pools.male
    first_idx = first_idx + g_first * len(pools.female)
    last_idx = country * POOL + rng.integers(0, POOL, n)
    # signup: traffic-weighted over the period, at least a day before its end, with
    # a wave at the start (the new shop's launch: existing shoppers re-register)
    if continuing:
        signup = period.sample_times(rng, n, period.traffic, 0, period.n_days)
    else:
        signup = period.sample_times(
            rng, n, period.traffic * signup_weights(period, profile), 0,
            period.n_days - 1,
        )  # fmt: skip
    order = np.argsort(signup, kind="stable")
    signup = signup[order]
    country, city, gender = country[order], city[order], gender[order]
    first_idx, last_idx = first_idx[order], last_idx[order]
    ids = np.arange(first_id, first_id + n, dtype=np.int64)
    # emails: first.last<id>@domain, ASCII-folded; unique by the id
    first_slug = [ascii_slug(x) or "user" for x in first_pool]
    last_slug = [ascii_slug(x) or "shopper" for x in pools.last]
    domains: list[str] = []
    domain_start: list[int] = []
    for code in countries:
        domain_start.append(len(domains))
        domains += list(EMAIL_DOMAINS[code])
    domain_count = np.asarray([len(EMAIL_DOMAINS[c]) for c in countries])
    domain_idx = np.asarray(domain_start)[country] + (
        rng.random(n) ** 1.6 * domain_count[country]
    ).astype(np.int64)
    email = A.join(
        A.texts(first_slug, first_idx),
        ".",
        A.texts(last_slug, last_idx),
        A.ints(ids).cast(pa.string()),
        "@",
        A.texts(domains, domain_idx),
    )
    # birth date: ages 18..85 at the end of the period
    end = period.end
    newest = day_number(_years_before(end, 18))  # turns 18 on the last day at latest
    oldest = day_number(_years_before(end, 86)) + 1
    age_days = np.clip(rng.gamma(*profile.age_gamma, n) + 18.0, 18.0, 85.99) * 365.25
    birth = np.clip(day_number(end) - age_days.astype(np.int64), oldest, newest).astype(
        np.int64
    )
    jitter = rng.uniform(-profile.location_jitter, profile.location_jitter, (2, n))
    lat = np.round(ref.latitude[city] + jitter[0], 6)
    lon = np.round(ref.longitude[city] + jitter[1], 6)
    acquisition = A.choice(rng, n, profile.acquisition_weights)
    persona = A.choice(rng, n, profile.persona_weights)
    shares = np.asarray([c.share for _, c in profile.categories])
    pref1 = A.choice(rng, n, shares)
    pref2 = (pref1 + 1 + A.choice(rng, n, np.ones(len(CATEGORIES) - 1))) % len(
        CATEGORIES
    )
    device = A.choice(rng, n, profile.device_weights)
    street_idx = country * POOL + rng.integers(0, POOL, n)
    postcode_idx = country * POOL + rng.integers(0, POOL, n)
    cols = {
        "customer_id": A.ints(ids),
        "first_name": A.texts(first_pool, first_idx),
        "last_name": A.texts(pools.last, last_idx),
        "email": email,
        "gender": A.texts(GENDERS, gender),
        "birth_date": A.dates(birth),
        "street_address": A.texts(pools.street, street_idx),
        "postal_code": A.texts(pools.postcode, postcode_idx),
        "city": A.texts(ref.city, city),
        "state": A.texts(ref.state, city),
        "country": A.texts(ref.country, city),
        "country_code": A.texts(ref.country_code, city),
        "latitude": A.floats(lat),
        "longitude": A.floats(lon),
        "acquisition_channel": A.texts(CHANNELS, acquisition),
        "signed_up_at": A.timestamps(signup),
        "updated_at": A.timestamps(signup),
    }
    return Customers(
        n, signup, country, city, acquisition, persona, pref1, pref2, device, cols
    )


def signup_weights(period: Period, profile: Profile) -> F64:
    """Per-day factor of sign-ups on top of traffic: the launch wave."""
    age = np.arange(period.n_days, dtype=np.float64)
    launch: F64 = 1.0 + profile.launch_signup_boost * np.exp(-age / profile.launch_days)
    return launch


def _years_before(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


# -- products and inventory ----------------------------------------------------------


@dataclass
class Products:
    n: int
    category: I64
    price_cents: I64
    cost_cents: I64
    dc_id: I64
    popularity: F64
    quality: F64
    cols: dict[str, pa.Array]
    inventory_cols: dict[str, pa.Array]
    # a continued week: a product whose price changed at ``price_since`` sold at
    # its prior price and cost before (None: prices are constant)
    price_since: I64 | None = None
    prior_price_cents: I64 | None = None
    prior_cost_cents: I64 | None = None


def build_products(
    rng: np.random.Generator,
    n: int,
    period: Period,
    profile: Profile,
    ref: Reference,
    pools: Pools,
    brands_per_category: int,
    first_id: int = 1,
    continuing: bool = False,
) -> Products:
    """n products, ids from ``first_id``; created before the period, or during it
    when ``continuing`` (new products of a continued week)."""
    cats = [c for _, c in profile.categories]
    category = A.choice(rng, n, [c.share for c in cats])
    median = np.asarray([c.median_price for c in cats])[category]
    sigma = np.asarray([c.price_sigma for c in cats])[category]
    price = np.exp(np.log(median) + sigma * rng.standard_normal(n))
    price = np.clip(price, 1.5, 2500.0)
    price_cents = (np.ceil(price) * 100 - 1).astype(np.int64)  # 12.99 style
    lo = np.asarray([c.margin_low for c in cats])[category]
    hi = np.asarray([c.margin_high for c in cats])[category]
    margin = rng.uniform(lo, hi)
    cost_cents = np.clip(
        np.round(price_cents * (1.0 - margin)), 1, price_cents - 1
    ).astype(np.int64)
    # stocked at one DC; the UK DCs carry most of the catalogue
    dc_weights = np.asarray(
        [0.24, 0.17, 0.14, 0.05, 0.08, 0.09, 0.05, 0.05, 0.04, 0.06, 0.03][
            : len(ref.dc_id)
        ]
    )
    if len(dc_weights) < len(ref.dc_id):
        dc_weights = np.ones(len(ref.dc_id))
    dc_id = ref.dc_id[A.choice(rng, n, dc_weights)]
    brand_idx = category * brands_per_category + np.minimum(
        (rng.pareto(1.2, n)).astype(np.int64), brands_per_category - 1
    )
    noun_pool: list[str] = []
    noun_start: list[int] = []
    for name in CATEGORIES:
        noun_start.append(len(noun_pool))
        noun_pool += list(NOUNS[name])
    noun_count = np.asarray([len(NOUNS[c]) for c in CATEGORIES])
    noun_idx = np.asarray(noun_start)[category] + (
        rng.random(n) * noun_count[category]
    ).astype(np.int64)
    adj_idx = rng.integers(0, len(ADJECTIVES), n)
    brand = A.texts(pools.brands, brand_idx)
    name = A.join(
        brand, " ", A.texts(ADJECTIVES, adj_idx), " ", A.texts(noun_pool, noun_idx)
    )
    if continuing:
        created = period.start_ts + rng.integers(0, period.n_days * DAY, n)
    else:
        created = period.start_ts - rng.integers(30 * DAY, 3 * 365 * DAY, n)
    ids = np.arange(first_id, first_id + n, dtype=np.int64)
    popularity = rng.lognormal(0.0, 1.0, n)
    quality = rng.normal(0.0, 0.45, n)
    cols = {
        "product_id": A.ints(ids),
        "product_name": name,
        "brand": brand,
        "category": A.texts(CATEGORIES, category),
        "cost": A.money(cost_cents),
        "retail_price": A.money(price_cents),
        "distribution_center_id": A.ints(dc_id),
        "created_at": A.timestamps(created),
        "updated_at": A.timestamps(created),
    }
    # inventory: stock follows popularity; ~10% sit below their reorder point
    reorder = np.ceil(8 + 14 * np.sqrt(popularity)).astype(np.int64)
    cover = rng.uniform(*profile.restock_cover, n)
    stock = rng.poisson(reorder * cover).astype(np.int64)
    low = rng.random(n) < 0.10
    stock = np.where(low, (rng.random(n) * reorder).astype(np.int64), stock)
    inv_updated = np.maximum(period.end_ts - rng.integers(0, DAY, n), created)
    inventory = {
        "product_id": A.ints(ids),
        "distribution_center_id": A.ints(dc_id),
        "stock_on_hand": A.ints(stock),
        "reorder_point": A.ints(reorder),
        "updated_at": A.timestamps(inv_updated),
    }
    return Products(
        n,
        category,
        price_cents,
        cost_cents,
        dc_id,
        popularity,
        quality,
        cols,
        inventory,
    )


# -- campaigns, ads, discounts ------------------------------------------------------
# The first generation plans every campaign, ad and code of its period; a weekly batch
# plans those of its days not planned yet (by name), with the same functions.

OPEN = 1 << 40  # "no planned end" (a day number far beyond any period)
OBJECTIVE = {
    "paid_search": "conversion",
    "paid_social": "acquisition",
    "display": "awareness",
    "email": "retention",
}
CHANNEL_LABEL = {
    "paid_search": "Paid Search",
    "paid_social": "Paid Social",
    "display": "Display",
    "email": "Email",
}
# (platform, placement, formats, weight) per channel
PLACEMENTS: dict[str, tuple[tuple[str, str, tuple[str, ...], float], ...]] = {
    "paid_search": (
        ("google", "search", ("text",), 0.6),
        ("google", "shopping", ("image",), 0.25),
        ("bing", "search", ("text",), 0.15),
    ),
    "paid_social": (
        ("meta", "feed", ("image", "video", "carousel"), 0.55),
        ("meta", "stories", ("video", "image"), 0.25),
        ("tiktok", "feed", ("video",), 0.2),
    ),
    "display": (("google", "display_network", ("image", "video"), 1.0),),
    "email": (("newsletter", "inbox", ("newsletter",), 1.0),),
}


def quarter_end(day: dt.date) -> dt.date:
    q_end_month = (day.month - 1) // 3 * 3 + 3
    return dt.date(day.year + (q_end_month == 12), q_end_month % 12 + 1, 1) - (
        dt.timedelta(days=1)
    )


@dataclass(frozen=True)
class CampaignPlan:
    name: str
    channel: int  # index into CHANNELS
    start: int  # first day
    until: int  # planned last day (a period end may cut it short)
    is_promo: bool


def sales(first_day: int, last_day: int) -> list[Promo]:
    """The sales overlapping the days [first_day, last_day], in calendar order."""
    return [
        promo
        for year in range(date_of(first_day).year, date_of(last_day).year + 1)
        for promo in promos_for_year(year)
        if promo.end >= first_day and promo.start <= last_day
    ]


def plan_campaigns(
    first_day: int, last_day: int, known: set[str], profile: Profile
) -> list[CampaignPlan]:
    """Campaigns running on the days [first_day, last_day] that ``known`` does not
    name yet: one always-on campaign per paid channel and quarter, then one per
    channel of each sale (social and display ones start a few days early)."""
    plans: list[CampaignPlan] = []
    day = date_of(first_day)
    day = dt.date(day.year, (day.month - 1) // 3 * 3 + 1, 1)
    while day_number(day) <= last_day:
        q_end = quarter_end(day)
        quarter = (day.month - 1) // 3 + 1
        for ch in PAID_CHANNELS:
            name = f"{day.year} Q{quarter} Always-on - {CHANNEL_LABEL[ch]}"
            if name not in known:
                start = max(day_number(day), first_day)
                plans.append(
                    CampaignPlan(name, CHANNELS.index(ch), start, day_number(q_end),
                                 False)
                )  # fmt: skip
        day = q_end + dt.timedelta(days=1)
    for promo in sales(first_day, last_day):
        year = date_of(promo.start).year
        for ch in promo.channels:
            name = f"{year} {promo.name} - {CHANNEL_LABEL[ch]}"
            if name in known:
                continue
            lead = 0 if ch in ("paid_search", "email") else profile.social_lead_days
            start = max(promo.start - lead, first_day)
            plans.append(CampaignPlan(name, CHANNELS.index(ch), start, promo.end, True))
    return plans


def created_before(
    rng: np.random.Generator, day: I64, lead_days: tuple[int, int], profile: Profile
) -> I64:
    """When something starting on ``day`` was created: a few days before, in office
    hours."""
    n = len(day)
    lo, hi = profile.created_hours
    out: I64 = (
        (day - rng.integers(lead_days[0], lead_days[1], n)) * DAY
        + rng.integers(lo * 3600, hi * 3600, n)
    ).astype(np.int64)
    return out


@dataclass
class AdPlan:
    campaign: I64  # campaign index
    placement: I64  # index into reference pricing rows
    format: list[str]
    start: I64
    until: I64  # planned last day, OPEN: as long as its campaign
    weight: F64

    @property
    def n(self) -> int:
        return len(self.campaign)


def plan_ads(
    rng: np.random.Generator,
    campaigns: list[CampaignPlan],
    first_index: int,
    last_day: int,
    scale: float,
    profile: Profile,
    ref: Reference,
) -> AdPlan:
    """The ads of new campaigns (campaign ``first_index + j`` for ``campaigns[j]``):
    one per placement of the channel, more at larger scales; the extra ones start
    later (no later than ``last_day``) and some are paused early."""
    wanted = round(profile.ads_per_campaign_per_scale * scale)
    a_campaign: list[int] = []
    a_placement: list[int] = []
    a_format: list[str] = []
    a_start: list[int] = []
    a_until: list[int] = []
    a_weight: list[float] = []
    for j, plan in enumerate(campaigns):
        options = PLACEMENTS[CHANNELS[plan.channel]]
        weights = np.asarray([o[3] for o in options])
        duration = plan.until - plan.start + 1
        first_ad = len(a_campaign)
        for k in range(max(len(options), wanted)):
            # the first ads cover each placement so every channel always has an ad
            o = k if k < len(options) else int(A.choice(rng, 1, weights)[0])
            platform, placement, formats, share = options[o]
            start, until = plan.start, OPEN
            if k >= len(options) and duration > 14:
                room = min(duration // 3, last_day - plan.start + 1)
                start += int(rng.integers(0, max(1, room)))
                if rng.random() < profile.p_ad_paused:
                    until = plan.until - int(
                        rng.integers(0, max(1, (plan.until - start) // 2))
                    )
            a_campaign.append(first_index + j)
            a_placement.append(ref.placement_index(platform, placement))
            a_format.append(formats[int(rng.integers(0, len(formats)))])
            a_start.append(start)
            a_until.append(until)
            boost = profile.promo_ad_boost if plan.is_promo else 1.0
            a_weight.append(
                float(rng.lognormal(0.0, profile.ad_weight_sigma)) * boost * share
            )
        # a placement's share of the campaign's clicks does not grow with its ad count
        placed = a_placement[first_ad:]
        for i in range(first_ad, len(a_campaign)):
            a_weight[i] /= placed.count(a_placement[i])
    return AdPlan(
        np.asarray(a_campaign, dtype=np.int64),
        np.asarray(a_placement, dtype=np.int64),
        a_format,
        np.asarray(a_start, dtype=np.int64),
        np.asarray(a_until, dtype=np.int64),
        np.asarray(a_weight, dtype=np.float64),
    )


@dataclass
class CodePlan:
    code: list[str]
    percent: list[bool]
    value: list[int]  # cents, or percent x 100
    campaign: list[int]  # campaign index or -1
    valid_from: list[int]
    until: list[int]  # planned last valid day
    kind: list[int]  # 0 promotion, 1 evergreen, 2 welcome

    def add(self, code: str, percent: bool, value: int, campaign: int,
            valid_from: int, until: int, kind: int) -> None:  # fmt: skip
        self.code.append(code)
        self.percent.append(percent)
        self.value.append(value)
        self.campaign.append(campaign)
        self.valid_from.append(valid_from)
        self.until.append(until)
        self.kind.append(kind)


def _code(
    rng: np.random.Generator, prefix: str, k: int, taken: set[str], profile: Profile
) -> str:
    letters = np.asarray(list(profile.code_alphabet))
    while True:
        text = f"{prefix}{''.join(letters[rng.integers(0, len(letters), 4)])}{k}"
        if text not in taken:
            taken.add(text)
            return text


def plan_codes(
    rng: np.random.Generator,
    first_day: int,
    last_day: int,
    scale: float,
    campaign_names: list[str],
    taken: set[str],
    n_evergreen: int,
    evergreen_from: int,
    evergreen_start_days: int,
    profile: Profile,
) -> CodePlan:
    """Codes of the sales on [first_day, last_day] that have none yet (most tied to
    one of the sale's campaigns), then ``n_evergreen`` influencer/VIP codes starting
    within ``evergreen_start_days`` of ``first_day``, numbered from
    ``evergreen_from``. ``taken``: codes that exist (new ones are added)."""
    plan = CodePlan([], [], [], [], [], [], [])
    per_promo = max(1, round(profile.promo_codes_per_scale * scale))
    for promo in sales(first_day, last_day):
        year = date_of(promo.start).year
        prefix = f"{promo.key}{str(year)[2:]}-"
        if any(c.startswith(prefix) for c in taken):
            continue
        label = f"{year} {promo.name} - "
        tied = [i for i, name in enumerate(campaign_names) if name.startswith(label)]
        for k in range(per_promo):
            pct = bool(rng.random() < profile.p_percent_promo_code)
            code = _code(rng, prefix, k, taken, profile)
            values = profile.promo_percent_values if pct else profile.promo_fixed_values
            value = int(rng.choice(values))
            campaign = int(rng.choice(tied)) if k % 3 != 2 and tied else -1
            plan.add(code, pct, value, campaign, max(promo.start, first_day),
                     promo.end, 0)  # fmt: skip
    for k in range(evergreen_from, evergreen_from + n_evergreen):
        pct = bool(rng.random() < profile.p_percent_evergreen_code)
        start = first_day + int(rng.integers(0, evergreen_start_days))
        until = start + int(rng.integers(*profile.evergreen_days))
        code = _code(rng, "INFL-" if k % 2 else "VIP-", k, taken, profile)
        value = (
            int(rng.choice(profile.evergreen_percent_values))
            if pct
            else profile.evergreen_fixed_value
        )
        plan.add(code, pct, value, -1, start, until, 1)
    return plan


@dataclass
class Marketing:
    """Campaigns and ads (arrays), discounts; stats are added after the events."""

    campaign_channel: I64  # index into CHANNELS
    campaign_start: I64  # day numbers
    campaign_end: I64
    campaign_until: I64  # planned last day
    campaign_name: list[str]
    campaign_created: I64
    ad_campaign: I64  # campaign index
    ad_channel: I64
    ad_placement: I64  # index into reference pricing rows
    ad_format: list[str]
    ad_start: I64  # first active day number
    ad_end: I64  # last active day number
    ad_until: I64  # planned last day, OPEN: as long as its campaign
    ad_weight: F64
    ad_created: I64
    discount_code: list[str]
    discount_percent: npt.NDArray[np.bool_]
    discount_value_cents: I64  # percent: 10.00 -> 1000
    discount_campaign: I64  # campaign index or -1
    discount_from: I64
    discount_to: I64
    discount_until: I64  # planned last valid day, OPEN: no end
    discount_kind: I64  # 0 promo, 1 evergreen, 2 welcome
    discount_created: I64

    @property
    def n_ads(self) -> int:
        return len(self.ad_campaign)


def build_marketing(
    rng: np.random.Generator, scale: float, period: Period, profile: Profile,
    ref: Reference,
) -> Marketing:  # fmt: skip
    first, last = period.first_day, period.last_day
    campaigns = plan_campaigns(first, last, set(), profile)
    c_start = np.asarray([c.start for c in campaigns], dtype=np.int64)
    c_until = np.asarray([c.until for c in campaigns], dtype=np.int64)
    c_end = np.minimum(c_until, last).astype(np.int64)
    c_channel = np.asarray([c.channel for c in campaigns], dtype=np.int64)
    c_created = created_before(rng, c_start, profile.campaign_lead_days, profile)
    ads = plan_ads(rng, campaigns, 0, last, scale, profile, ref)
    ad_created = np.maximum(
        c_created[ads.campaign], (ads.start - profile.ad_lead_days) * DAY + 9 * 3600
    ).astype(np.int64)
    names = [c.name for c in campaigns]
    codes = CodePlan(["WELCOME10"], [True], [1000], [-1], [first], [OPEN], [2])
    n_evergreen = max(2, round(profile.evergreen_codes_per_scale * scale))
    more = plan_codes(
        rng, first, last, scale, names, set(codes.code), n_evergreen, 0,
        period.n_days - 30, profile,
    )  # fmt: skip
    for field_name in ("code", "percent", "value", "campaign", "valid_from", "until",
                       "kind"):  # fmt: skip
        getattr(codes, field_name).extend(getattr(more, field_name))
    d_from = np.asarray(codes.valid_from, dtype=np.int64)
    d_until = np.asarray(codes.until, dtype=np.int64)
    return Marketing(
        campaign_channel=c_channel,
        campaign_start=c_start,
        campaign_end=c_end,
        campaign_until=c_until,
        campaign_name=names,
        campaign_created=c_created,
        ad_campaign=ads.campaign,
        ad_channel=c_channel[ads.campaign],
        ad_placement=ads.placement,
        ad_format=ads.format,
        ad_start=ads.start,
        ad_end=np.minimum(ads.until, c_end[ads.campaign]).astype(np.int64),
        ad_until=ads.until,
        ad_weight=ads.weight,
        ad_created=ad_created,
        discount_code=codes.code,
        discount_percent=np.asarray(codes.percent, dtype=np.bool_),
        discount_value_cents=np.asarray(codes.value, dtype=np.int64),
        discount_campaign=np.asarray(codes.campaign, dtype=np.int64),
        discount_from=d_from,
        discount_to=np.minimum(d_until, last).astype(np.int64),
        discount_until=d_until,
        discount_kind=np.asarray(codes.kind, dtype=np.int64),
        discount_created=created_before(
            rng, d_from, profile.discount_lead_days, profile
        ),
    )


# -- changes of a weekly batch: customers move, prices change, stock moves -----------


def at_least_one(rng: np.random.Generator, n: int, share: float) -> int:
    """Binomial(n, share), but at least one when n > 0: every batch shows a change."""
    return min(n, max(1, int(rng.binomial(n, share)))) if n else 0


@dataclass
class Moves:
    """Customers who move house (0-based rows, sorted) and their new address."""

    rows: I64
    country: I64  # index into profile.country_weights
    city: I64  # index into reference cities
    street: I64  # index into pools.street
    postcode: I64
    latitude: F64
    longitude: F64
    moved_at: I64


def move_customers(
    rng: np.random.Generator,
    country: I64,
    weeks: int,
    period: Period,
    profile: Profile,
    ref: Reference,
) -> Moves:
    """~``weekly_move_share`` of the customers a week move to a city of the table,
    mostly within their country, at a time of the period."""
    n = len(country)
    share = 1.0 - (1.0 - profile.weekly_move_share) ** weeks
    k = at_least_one(rng, n, share)
    rows = np.sort(rng.choice(n, k, replace=False)).astype(np.int64)
    abroad = rng.random(k) < profile.p_move_abroad
    new_country = np.where(
        abroad, A.choice(rng, k, [w for _, w in profile.country_weights]), country[rows]
    ).astype(np.int64)
    countries = [c for c, _ in profile.country_weights]
    city_country = np.asarray([countries.index(c) for c in ref.country_code])
    city = A.grouped_choice(
        rng, city_country.astype(np.int64), ref.population**0.8, new_country
    )
    jitter = rng.uniform(-profile.location_jitter, profile.location_jitter, (2, k))
    street = new_country * POOL + rng.integers(0, POOL, k)
    postcode = new_country * POOL + rng.integers(0, POOL, k)
    moved_at = period.sample_times(rng, k, period.traffic, 0, period.n_days)
    return Moves(
        rows, new_country, city, street.astype(np.int64), postcode.astype(np.int64),
        np.round(ref.latitude[city] + jitter[0], 6),
        np.round(ref.longitude[city] + jitter[1], 6), moved_at,
    )  # fmt: skip


@dataclass
class PriceChanges:
    rows: I64  # 0-based product rows, sorted
    price: I64  # cents
    cost: I64
    since: I64  # epoch seconds


def change_prices(
    rng: np.random.Generator,
    price: I64,
    cost: I64,
    weeks: int,
    period: Period,
    profile: Profile,
) -> PriceChanges:
    """~``weekly_price_change_share`` of the products a week get a new .99 price
    (a lognormal step); the cost moves along and stays below the price."""
    n = len(price)
    share = 1.0 - (1.0 - profile.weekly_price_change_share) ** weeks
    k = at_least_one(rng, n, share)
    rows = np.sort(rng.choice(n, k, replace=False)).astype(np.int64)
    factor = rng.lognormal(0.0, profile.price_change_sigma, k)
    old = price[rows]
    new = np.maximum(np.ceil(old / 100 * factor) * 100 - 1, 199)
    new = np.where(new == old, old + 100, new).astype(np.int64)
    moved_cost = np.round(
        cost[rows] * factor * rng.lognormal(0.0, profile.cost_change_sigma, k)
    )
    new_cost = np.clip(moved_cost, 1, new - 1).astype(np.int64)
    since = period.sample_times(rng, k, period.traffic, 0, period.n_days)
    return PriceChanges(rows, new, new_cost, since)


def stock_levels(
    rng: np.random.Generator, stock: I64, reorder: I64, sold: I64, weeks: int,
    profile: Profile,
) -> tuple[I64, npt.NDArray[np.bool_]]:  # fmt: skip
    """(stock after ``weeks`` weeks, restocked): down with the units sold and, for
    a few products a week, below the reorder point (sold through other channels);
    low stock is reordered within about a week. The share below the reorder point
    settles near the first generation's ~10%."""
    n = len(stock)
    left = np.maximum(stock - sold, 0)
    sellout = rng.random(n) < 1.0 - (1.0 - profile.weekly_sellout_share) ** weeks
    low = (rng.random(n) * reorder).astype(np.int64)
    left = np.where(sellout, np.minimum(left, low), left)
    restock = (left < reorder) & (
        rng.random(n) < 1.0 - (1.0 - profile.weekly_restock_share) ** weeks
    )
    delivery = rng.poisson(reorder * rng.uniform(*profile.restock_cover, n))
    out: I64 = np.where(restock, left + delivery, left).astype(np.int64)
    return out, restock

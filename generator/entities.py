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
from .period import DAY, Period, Promo, date_of, day_number
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
    age_days = np.clip(rng.gamma(4.0, 9.5, n) + 18.0, 18.0, 85.99) * 365.25
    birth = np.clip(day_number(end) - age_days.astype(np.int64), oldest, newest).astype(
        np.int64
    )
    jitter = rng.uniform(-0.045, 0.045, (2, n))
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
    stock = rng.poisson(reorder * rng.uniform(1.5, 6.0, n)).astype(np.int64)
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


@dataclass
class Marketing:
    """Campaigns and ads (arrays), discounts; stats are added after the events."""

    campaign_channel: I64  # index into CHANNELS
    campaign_start: I64  # day numbers
    campaign_end: I64
    campaign_promo: I64  # index into period.promos or -1
    campaign_name: list[str]
    campaign_created: I64
    ad_campaign: I64  # campaign index
    ad_channel: I64
    ad_placement: I64  # index into reference pricing rows
    ad_format: list[str]
    ad_start: I64  # first active day number
    ad_end: I64  # last active day number
    ad_weight: F64
    ad_created: I64
    discount_code: list[str]
    discount_percent: npt.NDArray[np.bool_]
    discount_value_cents: I64  # percent: 10.00 -> 1000
    discount_campaign: I64  # campaign index or -1
    discount_from: I64
    discount_to: I64
    discount_kind: I64  # 0 promo, 1 evergreen, 2 welcome
    discount_created: I64

    @property
    def n_ads(self) -> int:
        return len(self.ad_campaign)


def build_marketing(
    rng: np.random.Generator, scale: float, period: Period, profile: Profile,
    ref: Reference,
) -> Marketing:  # fmt: skip
    c_channel: list[int] = []
    c_start: list[int] = []
    c_end: list[int] = []
    c_promo: list[int] = []
    c_name: list[str] = []
    # always-on: one campaign per paid channel per quarter
    day = period.start
    while day <= period.end:
        q_end_month = ((day.month - 1) // 3) * 3 + 3
        q_end = dt.date(
            day.year + (q_end_month == 12), q_end_month % 12 + 1, 1
        ) - dt.timedelta(days=1)
        q_end = min(q_end, period.end)
        quarter = (day.month - 1) // 3 + 1
        for ch in PAID_CHANNELS:
            c_channel.append(CHANNELS.index(ch))
            c_start.append(day_number(day))
            c_end.append(day_number(q_end))
            c_promo.append(-1)
            c_name.append(f"{day.year} Q{quarter} Always-on - {CHANNEL_LABEL[ch]}")
        day = q_end + dt.timedelta(days=1)
    promo: Promo
    for p_idx, promo in enumerate(period.promos):
        year_label = str(date_of(promo.start).year)
        for ch in promo.channels:
            lead = 0 if ch in ("paid_search", "email") else 3
            c_channel.append(CHANNELS.index(ch))
            c_start.append(max(promo.start - lead, period.first_day))
            c_end.append(promo.end)
            c_promo.append(p_idx)
            c_name.append(f"{year_label} {promo.name} - {CHANNEL_LABEL[ch]}")
    n_campaigns = len(c_channel)
    campaign_start = np.asarray(c_start, dtype=np.int64)
    campaign_created = (
        (campaign_start - rng.integers(5, 21, n_campaigns)) * DAY
        + rng.integers(8 * 3600, 18 * 3600, n_campaigns)
    ).astype(np.int64)
    # ads
    wanted = round(profile.ads_per_campaign_per_scale * scale)
    a_campaign: list[int] = []
    a_channel: list[int] = []
    a_placement: list[int] = []
    a_format: list[str] = []
    a_start: list[int] = []
    a_end: list[int] = []
    a_weight: list[float] = []
    for c in range(n_campaigns):
        ch = CHANNELS[c_channel[c]]
        options = PLACEMENTS[ch]
        weights = np.asarray([o[3] for o in options])
        duration = c_end[c] - c_start[c] + 1
        per_campaign = max(len(options), wanted)
        first_ad = len(a_campaign)
        for k in range(per_campaign):
            # the first ads cover each placement so every channel always has an ad
            o = k if k < len(options) else int(A.choice(rng, 1, weights)[0])
            platform, placement, formats, _ = options[o]
            start = c_start[c]
            end = c_end[c]
            if k >= len(options) and duration > 14:
                start += int(rng.integers(0, duration // 3))
                if rng.random() < 0.25:  # paused early
                    end -= int(rng.integers(0, max(1, (end - start) // 2)))
            a_campaign.append(c)
            a_channel.append(c_channel[c])
            a_placement.append(ref.placement_index(platform, placement))
            a_format.append(formats[int(rng.integers(0, len(formats)))])
            a_start.append(start)
            a_end.append(end)
            boost = 3.0 if c_promo[c] >= 0 else 1.0
            a_weight.append(float(rng.lognormal(0.0, 0.4)) * boost * options[o][3])
        # a placement's share of the campaign's clicks does not grow with its ad count
        placed = a_placement[first_ad:]
        for i in range(first_ad, len(a_campaign)):
            a_weight[i] /= placed.count(a_placement[i])
    ad_start = np.asarray(a_start, dtype=np.int64)
    ad_campaign = np.asarray(a_campaign, dtype=np.int64)
    ad_created = np.maximum(
        campaign_created[ad_campaign], (ad_start - 3) * DAY + 9 * 3600
    ).astype(np.int64)
    # discounts
    d_code: list[str] = []
    d_pct: list[bool] = []
    d_val: list[int] = []
    d_camp: list[int] = []
    d_from: list[int] = []
    d_to: list[int] = []
    d_kind: list[int] = []
    letters = np.asarray(list("ABCDEFGHJKLMNPQRSTUVWXYZ23456789"))

    def tag() -> str:
        return "".join(letters[rng.integers(0, len(letters), 4)])

    d_code.append("WELCOME10")
    d_pct.append(True)
    d_val.append(1000)
    d_camp.append(-1)
    d_from.append(period.first_day)
    d_to.append(period.last_day)
    d_kind.append(2)
    per_promo = max(1, round(profile.promo_codes_per_scale * scale))
    campaign_promo = np.asarray(c_promo, dtype=np.int64)
    for p_idx, promo in enumerate(period.promos):
        year_label = str(date_of(promo.start).year)[2:]
        promo_campaigns = np.flatnonzero(campaign_promo == p_idx)
        for k in range(per_promo):
            pct = bool(rng.random() < 0.7)
            d_code.append(f"{promo.key}{year_label}-{tag()}{k}")
            d_pct.append(pct)
            d_val.append(
                int(rng.choice([1000, 1500, 2000, 2500, 3000]))
                if pct
                else int(rng.choice([500, 1000, 1500, 2000]))
            )
            d_camp.append(int(rng.choice(promo_campaigns)) if k % 3 != 2 else -1)
            d_from.append(promo.start)
            d_to.append(promo.end)
            d_kind.append(0)
    n_evergreen = max(2, round(profile.evergreen_codes_per_scale * scale))
    for k in range(n_evergreen):
        pct = bool(rng.random() < 0.6)
        start = period.first_day + int(rng.integers(0, period.n_days - 30))
        end = min(period.last_day, start + int(rng.integers(21, 120)))
        d_code.append(f"{'INFL' if k % 2 else 'VIP'}-{tag()}{k}")
        d_pct.append(pct)
        d_val.append(int(rng.choice([500, 1000, 1500])) if pct else 500)
        d_camp.append(-1)
        d_from.append(start)
        d_to.append(end)
        d_kind.append(1)
    discount_from = np.asarray(d_from, dtype=np.int64)
    discount_created = (
        (discount_from - rng.integers(2, 10, len(d_from))) * DAY
        + rng.integers(8 * 3600, 18 * 3600, len(d_from))
    ).astype(np.int64)
    return Marketing(
        campaign_channel=np.asarray(c_channel, dtype=np.int64),
        campaign_start=campaign_start,
        campaign_end=np.asarray(c_end, dtype=np.int64),
        campaign_promo=campaign_promo,
        campaign_name=c_name,
        campaign_created=campaign_created,
        ad_campaign=ad_campaign,
        ad_channel=np.asarray(a_channel, dtype=np.int64),
        ad_placement=np.asarray(a_placement, dtype=np.int64),
        ad_format=a_format,
        ad_start=ad_start,
        ad_end=np.asarray(a_end, dtype=np.int64),
        ad_weight=np.asarray(a_weight, dtype=np.float64),
        ad_created=ad_created,
        discount_code=d_code,
        discount_percent=np.asarray(d_pct, dtype=np.bool_),
        discount_value_cents=np.asarray(d_val, dtype=np.int64),
        discount_campaign=np.asarray(d_camp, dtype=np.int64),
        discount_from=discount_from,
        discount_to=np.asarray(d_to, dtype=np.int64),
        discount_kind=np.asarray(d_kind, dtype=np.int64),
        discount_created=discount_created,
    )

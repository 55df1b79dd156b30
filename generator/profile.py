"""Every behavioural knob of the simulation, in one frozen dataclass per profile.

Volumes are "per unit of --scale": scale 1 gives ~16k customers, 20k products and
470k sessions; orders follow from the customers' personas (see ``simulate``).
"""

from __future__ import annotations

from dataclasses import dataclass

CATEGORIES: tuple[str, ...] = (
    "Accessories",
    "Beauty",
    "Books",
    "Clothing",
    "Electronics",
    "Footwear",
    "Garden",
    "Grocery",
    "Home & Kitchen",
    "Sports & Outdoors",
    "Toys & Games",
)

CHANNELS: tuple[str, ...] = (
    "organic_search",
    "paid_search",
    "paid_social",
    "display",
    "email",
    "referral",
    "direct",
)
PAID_CHANNELS: tuple[str, ...] = ("paid_search", "paid_social", "display", "email")

PERSONAS: tuple[str, ...] = ("browser", "one_off", "regular", "loyal")


@dataclass(frozen=True)
class CategoryProfile:
    """Catalogue share, price and margin shape, return propensity of a category."""

    share: float
    median_price: float  # GBP
    price_sigma: float  # lognormal sigma of the retail price
    margin_low: float  # gross margin range (1 - cost / price)
    margin_high: float
    return_multiplier: float  # x the base item return rate
    multi_unit: float  # probability that a line has quantity > 1


@dataclass(frozen=True)
class Profile:
    """The knobs of one simulated retailer. Frozen: profiles are values."""

    name: str = "default"

    # -- volumes per unit of scale ------------------------------------------------
    customers_per_scale: float = 16_000
    products_per_scale: float = 20_000
    sessions_per_scale: float = 470_000
    ads_per_campaign_per_scale: float = 4.0
    promo_codes_per_scale: float = 3.0
    evergreen_codes_per_scale: float = 16.0

    # -- traffic shape --------------------------------------------------------------
    growth_per_year: float = 0.35  # traffic at the end ~ (1 + g)^years x the start
    # Sunday .. Saturday (numpy weekday: Monday = 0, so index by (weekday + 1) % 7)
    weekday_weights: tuple[float, ...] = (1.12, 1.06, 1.0, 0.99, 0.97, 0.9, 0.88)
    # UTC hour 0..23
    hour_weights: tuple[float, ...] = (
        0.9, 0.5, 0.3, 0.2, 0.2, 0.3, 0.7, 1.4, 2.4, 3.2, 3.8, 4.2,
        4.8, 4.9, 4.6, 4.5, 4.5, 4.8, 5.3, 6.2, 6.8, 6.6, 5.0, 2.6,
    )  # fmt: skip
    month_weights: tuple[float, ...] = (
        1.0, 0.88, 0.92, 0.93, 0.95, 0.95, 0.97, 0.95, 0.97, 1.0, 1.1, 1.08,
    )  # fmt: skip

    # -- customers ------------------------------------------------------------------
    country_weights: tuple[tuple[str, float], ...] = (
        ("GB", 0.55), ("IE", 0.05), ("FR", 0.08), ("DE", 0.09), ("NL", 0.04),
        ("ES", 0.05), ("IT", 0.04), ("US", 0.07), ("CA", 0.03),
    )  # fmt: skip
    acquisition_weights: tuple[float, ...] = (0.30, 0.20, 0.15, 0.05, 0.05, 0.10, 0.15)
    # sign-ups follow traffic, plus a launch wave: x (1 + boost * exp(-day / days))
    launch_signup_boost: float = 3.0
    launch_days: float = 45.0
    # browser (never buys), one_off (one order), regular and loyal (2+ orders)
    persona_weights: tuple[float, ...] = (0.35, 0.11, 0.465, 0.075)
    # extra orders per remaining year of tenure, beyond the first two
    regular_orders_per_year: float = 0.85
    loyal_orders_per_year: float = 5.3
    # a repeat persona needs time: P(keeps repeat persona) = 1 - exp(-tenure / ramp)
    repeat_ramp_days: float = 25.0
    first_order_delay_days: float = 5.0  # mean, after signing up
    # relative number of browsing (non-ordering) sessions per persona
    persona_session_weights: tuple[float, ...] = (1.0, 0.5, 1.0, 2.5)
    device_weights: tuple[float, ...] = (0.36, 0.55, 0.09)  # desktop, mobile, tablet
    # ordering sessions: the preferred device less often, else desktop-leaning odds
    p_preferred_device_ordering: float = 0.5
    device_conversion: tuple[float, ...] = (1.7, 0.75, 1.0)
    p_lander_2_ordering: float = 0.58  # lander-2 wins the A/B test (0.5 = a tie)
    p_preferred_device: float = 0.8
    p_session_from_acquisition_channel: float = 0.6
    p_preferred_category: float = 0.55
    p_second_category: float = 0.15

    # -- sessions ---------------------------------------------------------------------
    # traffic mix of sessions not tied to a customer's habits
    channel_weights: tuple[float, ...] = (0.31, 0.19, 0.12, 0.06, 0.06, 0.10, 0.16)
    # relative odds that an ordering session came from each channel
    channel_conversion: tuple[float, ...] = (1.0, 1.5, 0.6, 0.3, 2.2, 1.1, 1.4)
    # browsing sessions of known customers, as a share of all sessions
    known_browsing_share: float = 0.30
    p_anonymous_repeat: float = 0.28
    # furthest step of a session that places no order:
    # landing, /products, /products/<id>, /cart, /shipping, /billing
    known_depth: tuple[float, ...] = (0.38, 0.24, 0.288, 0.056, 0.022, 0.014)
    # anonymous visitors cannot check out: landing, /products, /products/<id>, /cart
    anonymous_depth: tuple[float, ...] = (0.45, 0.24, 0.269, 0.041)
    extra_product_views_buyer: float = 0.9  # mean extra product pages, Poisson
    extra_product_views_browser: float = 0.36
    pageview_gap_median_s: float = 42.0
    pageview_gap_sigma: float = 0.8

    # -- orders -----------------------------------------------------------------------
    items_per_order: tuple[float, ...] = (0.81, 0.15, 0.032, 0.008)  # 1, 2, 3, 4 lines
    p_cancelled: float = 0.02
    item_return_rate: float = 0.0432  # base, x the category's multiplier
    p_promo_discount: float = 0.42  # on days with a promotion code valid
    p_evergreen_discount: float = 0.06
    p_welcome_discount: float = 0.3  # first orders
    review_rate: float = 0.22
    review_rate_returned: float = 0.45

    # -- advertising ------------------------------------------------------------------
    # click-through rate per (platform, placement); impressions = clicks / ctr
    ctr: tuple[tuple[str, str, float], ...] = (
        ("google", "search", 0.045),
        ("google", "shopping", 0.012),
        ("google", "display_network", 0.0032),
        ("bing", "search", 0.035),
        ("meta", "feed", 0.0085),
        ("meta", "stories", 0.006),
        ("tiktok", "feed", 0.005),
        ("newsletter", "inbox", 0.022),
    )

    categories: tuple[tuple[str, CategoryProfile], ...] = (
        ("Accessories", CategoryProfile(0.08, 25, 0.6, 0.55, 0.70, 1.3, 0.08)),
        ("Beauty", CategoryProfile(0.09, 18, 0.5, 0.55, 0.70, 0.4, 0.25)),
        ("Books", CategoryProfile(0.10, 12, 0.35, 0.25, 0.40, 0.3, 0.06)),
        ("Clothing", CategoryProfile(0.16, 35, 0.55, 0.50, 0.65, 2.6, 0.1)),
        ("Electronics", CategoryProfile(0.09, 95, 0.9, 0.12, 0.30, 1.2, 0.03)),
        ("Footwear", CategoryProfile(0.07, 65, 0.45, 0.45, 0.60, 2.3, 0.02)),
        ("Garden", CategoryProfile(0.07, 40, 0.7, 0.35, 0.50, 0.6, 0.1)),
        ("Grocery", CategoryProfile(0.07, 8, 0.5, 0.20, 0.35, 0.15, 0.35)),
        ("Home & Kitchen", CategoryProfile(0.12, 38, 0.7, 0.40, 0.55, 0.8, 0.08)),
        ("Sports & Outdoors", CategoryProfile(0.08, 45, 0.7, 0.35, 0.50, 0.9, 0.06)),
        ("Toys & Games", CategoryProfile(0.07, 25, 0.6, 0.40, 0.55, 0.6, 0.1)),
    )

    # -- continued weeks (python -m generator --continue DIR --weeks N) ----------
    weekly_move_share: float = 0.005  # customers who move house, per week
    weekly_price_change_share: float = 0.01  # products whose price changes, per week
    weekly_new_product_share: float = 0.002  # catalogue growth per week
    price_change_sigma: float = 0.12  # lognormal sigma of a price change
    # stock: products dropping below their reorder point (other channels) and low
    # stock reordered, per week; the share below the point settles at
    # s (1 - r) / (r + s (1 - r)) ~ 10%, the first generation's
    weekly_sellout_share: float = 0.11
    weekly_restock_share: float = 0.5
    # late-arriving sessions: this share of the previous batch's last days' sessions
    # is delivered with the next batch (drawn uniformly per batch)
    late_share: tuple[float, float] = (0.02, 0.05)
    late_days: int = 3

    # -- calibration targets (python -m generator calibrate) -------------------------
    targets: tuple[tuple[str, float], ...] = (
        ("sessions_to_orders", 0.068),
        ("pageviews_per_session", 2.5),
        ("items_per_order", 1.24),
        ("refunded_item_share", 0.043),
        ("repeat_customer_rate", 0.78),
        ("orders_per_buyer", 3.07),
        ("cart_abandonment", 0.45),
        ("avg_cpc", 3.60),
    )
    tolerance: float = 0.15


DEFAULT = Profile()
PROFILES: dict[str, Profile] = {DEFAULT.name: DEFAULT}

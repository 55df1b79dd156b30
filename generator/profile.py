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
    # age at the period end: 18 + gamma(shape, scale) years, at most 85 (median ~38:
    # online shoppers are adults, most of them 25-54)
    age_gamma: tuple[float, float] = (2.6, 9.0)
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

    # -- an order's life: shipped, delivered, returned, refunded, reviewed -------------
    # (the same functions, generator/lifecycle.py, serve the first generation and the
    # weekly batches; times in seconds unless the name says days)
    cancel_after_s: tuple[int, int] = (600, 20 * 3600)  # uniform
    ship_median_s: float = 18 * 3600  # lognormal, clipped to ship_range_s
    ship_sigma: float = 0.6
    ship_range_s: tuple[int, int] = (3600, 5 * 86_400)
    delivery_jitter_s: int = 6 * 3600  # +- around whole transit days
    # per country (country_weights order): transit days, + Poisson(extra)
    transit_days: tuple[int, ...] = (1, 2, 3, 3, 2, 3, 3, 4, 5)
    transit_extra: tuple[float, ...] = (0.8, 1.0, 1.5, 1.2, 1.0, 1.5, 1.8, 2.5, 2.5)
    # shipping fee per country, waived from a net order value (cents); tax rate
    shipping_fee: tuple[int, ...] = (399, 799, 799, 799, 799, 799, 799, 1299, 1299)
    free_shipping_from: tuple[int, ...] = (
        4000, 8000, 8000, 8000, 8000, 8000, 8000, 12000, 12000,
    )  # fmt: skip
    tax_rate: tuple[float, ...] = (0.20, 0.23, 0.20, 0.19, 0.21, 0.21, 0.22, 0.0, 0.05)
    return_after_days: tuple[int, int] = (2, 25)  # after delivery, uniform
    refund_after_days: tuple[int, int] = (1, 6)  # after the return, uniform
    # reasons (damaged, wrong_size, not_as_described, changed_mind, late_delivery)
    return_reason_weights: tuple[float, ...] = (0.3, 0.0, 0.3, 0.3, 0.1)
    wrong_size_categories: tuple[str, ...] = ("Clothing", "Footwear")
    p_wrong_size: float = 0.55  # of returns in those categories
    review_after_s: int = 3600  # + exponential(review_mean_days) after delivery
    review_mean_days: float = 5.0
    # rating = clip(round(base + product quality + N(0, noise) - returned penalty))
    rating_base: float = 4.1
    rating_noise: float = 0.9
    rating_returned_penalty: float = 2.3
    payment_weights: tuple[float, ...] = (0.58, 0.2, 0.12, 0.07, 0.03)
    p_third_unit: float = 0.25  # a multi-unit line has 3 units, else 2
    p_sale_landing: float = 0.5  # on promotion days, sessions landing on /sale

    # -- advertising ------------------------------------------------------------------
    # a day's CTR = the placement's x lognormal(0, ctr_sigma); impressions nobody
    # clicked on: Poisson(background); reach = impressions / (1 + gamma(shape, scale))
    ctr_sigma: float = 0.2
    background_impressions: float = 15.0
    frequency_gamma: tuple[float, float] = (1.5, 0.4)
    # budget pacing: a campaign's budget is set so its planned spend (the spend per
    # day so far over its planned days) uses this share of it, uniform; rounded up
    # to whole 100s. The upper end is the platforms' overdelivery tolerance: spend
    # never exceeds the budget by more than that (a batch that would take a running
    # campaign past it raises the budget, as an advertiser tops it up)
    budget_utilisation: tuple[float, float] = (0.8, 1.02)
    campaign_lead_days: tuple[int, int] = (5, 21)  # created before it starts
    discount_lead_days: tuple[int, int] = (2, 10)
    ad_lead_days: int = 3
    created_hours: tuple[int, int] = (8, 18)  # office hours (UTC) of creation
    social_lead_days: int = 3  # social and display sale campaigns start earlier
    promo_ad_boost: float = 3.0  # a sale campaign's ads draw this many more clicks
    ad_weight_sigma: float = 0.4
    p_ad_paused: float = 0.25
    code_alphabet: str = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
    p_percent_promo_code: float = 0.7
    promo_percent_values: tuple[int, ...] = (1000, 1500, 2000, 2500, 3000)
    promo_fixed_values: tuple[int, ...] = (500, 1000, 1500, 2000)
    p_percent_evergreen_code: float = 0.6
    evergreen_percent_values: tuple[int, ...] = (500, 1000, 1500)
    evergreen_fixed_value: int = 500
    evergreen_days: tuple[int, int] = (21, 120)

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
    p_move_abroad: float = 0.15  # of moves
    location_jitter: float = 0.045  # degrees around the city's coordinates
    price_change_sigma: float = 0.12  # lognormal sigma of a price change
    cost_change_sigma: float = 0.03  # cost follows the price, +- this
    # stock: products dropping below their reorder point (other channels) and low
    # stock reordered, per week; the share below the point settles at
    # s (1 - r) / (r + s (1 - r)) ~ 10%, the first generation's
    weekly_sellout_share: float = 0.11
    weekly_restock_share: float = 0.5
    restock_cover: tuple[float, float] = (1.5, 6.0)  # stock = reorder point x this
    # late-arriving sessions: this share of the previous batch's last days' sessions
    # is delivered with the next batch (drawn uniformly per batch)
    late_share: tuple[float, float] = (0.02, 0.05)
    late_days: int = 3
    # orders still processing (in transit) at a batch's start ship (are delivered)
    # no earlier than within this many seconds of it: the warehouse's backlog
    backlog_ship_s: int = 8 * 3600
    backlog_delivery_s: int = 86_400

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
    # (metric, low, high, source key of generator/calibrate.py SOURCES)
    bands: tuple[tuple[str, float, float, str], ...] = (
        ("median_age", 35.0, 40.0, "adults"),
        ("max_budget_use", 0.0, 1.02, "pacing"),
    )


DEFAULT = Profile()
PROFILES: dict[str, Profile] = {DEFAULT.name: DEFAULT}

# A retailer calibrated to public benchmark figures for online retail instead of the
# seeds' (docs/calibration.md): a third as many repeat buyers, ~3% of sessions
# converting, ~70% of carts abandoned, two thirds of the traffic on mobile converting
# at under half desktop's rate, apparel returned four times as often as today's.
BENCHMARK = Profile(
    name="benchmark",
    # browser, one_off, regular, loyal: 20-40% of buyers order twice or more
    persona_weights=(0.40, 0.42, 0.15, 0.03),
    # deeper browsing: ~7-8% of sessions reach /cart without ordering
    known_depth=(0.36, 0.23, 0.284, 0.074, 0.03, 0.022),
    anonymous_depth=(0.41, 0.24, 0.298, 0.052),
    device_weights=(0.27, 0.66, 0.07),
    device_conversion=(2.2, 0.6, 1.0),
    p_preferred_device_ordering=0.35,
    item_return_rate=0.1,
    ctr=(
        ("google", "search", 0.045),
        ("google", "shopping", 0.012),
        ("google", "display_network", 0.0032),
        ("bing", "search", 0.035),
        ("meta", "feed", 0.011),
        ("meta", "stories", 0.008),
        ("tiktok", "feed", 0.007),
        ("newsletter", "inbox", 0.022),
    ),
    targets=(),
    bands=(
        ("sessions_to_orders", 0.02, 0.04, "conversion"),
        ("cart_abandonment", 0.65, 0.75, "baymard"),
        ("mobile_session_share", 0.60, 0.73, "devices"),
        ("mobile_vs_desktop_conversion", 0.35, 0.55, "devices"),
        ("repeat_customer_rate", 0.20, 0.40, "repeat"),
        ("return_rate_apparel", 0.20, 0.30, "returns"),
        ("return_rate_electronics", 0.05, 0.15, "returns"),
        ("search_ctr", 0.03, 0.07, "ctr"),
        ("social_ctr", 0.005, 0.015, "ctr"),
        ("median_age", 35.0, 40.0, "adults"),
        ("max_budget_use", 0.0, 1.02, "pacing"),
    ),
)
PROFILES[BENCHMARK.name] = BENCHMARK

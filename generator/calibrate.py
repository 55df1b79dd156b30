"""Measure the calibration figures on generated CSVs and compare them with the
profile's bands (a target +- the tolerance, or a benchmark's range), each with the
source of its band (docs/calibration.md)."""

from __future__ import annotations

import json
from pathlib import Path

from .profile import Profile

DEFINITIONS = {
    "sessions_to_orders": "orders / website_sessions",
    "pageviews_per_session": "pageviews / website_sessions",
    "items_per_order": "order_items rows / orders",
    "refunded_item_share": "refunds / order_items rows",
    "repeat_customer_rate": "buyers with 2+ orders / buyers",
    "orders_per_buyer": "orders / buyers",
    "cart_abandonment": "sessions at /cart without an order / sessions at /cart",
    "avg_cpc": "sum(spend) / sum(clicks), GBP",
    "mobile_session_share": "mobile sessions / sessions",
    "mobile_vs_desktop_conversion": "orders per mobile session / per desktop session",
    "return_rate_apparel": "Clothing and Footwear items returned / delivered (1)",
    "return_rate_electronics": "Electronics items returned / delivered (1)",
    "search_ctr": "clicks / impressions of search placements (google, bing)",
    "social_ctr": "clicks / impressions of social placements (meta, tiktok)",
    "median_age": "median customer age in whole years at the period end",
    "max_budget_use": "max over campaigns of sum(spend) / budget",
}
NOTES = (
    "(1) items delivered at least 31 days before the period end (the return window "
    "plus the refund's delay), so each had its whole chance to be returned"
)
# where a band comes from; docs/calibration.md has the details
SOURCES = {
    "seeds": "the seed figures the default profile reproduces (generator/README.md)",
    "baymard": "Baymard Institute, average of published cart abandonment studies",
    "conversion": "e-commerce conversion benchmarks (IRP Commerce, Littledata)",
    "devices": "device benchmarks: ~2/3 of visits on mobile, converting at "
    "~0.4-0.5x desktop (Contentsquare, Salesforce Shopping Index)",
    "repeat": "repeat purchase rate benchmarks (Shopify, Metrilo, Klaviyo)",
    "returns": "online return rates by category (NRF/Appriss Retail, Coresight)",
    "ctr": "ad click-through benchmarks (WordStream: search ~3-6%, social ~1%)",
    "adults": "customers are adults, median in the late 30s (issue #11)",
    "pacing": "ad platforms' budget pacing: spend within a small overdelivery",
}


def measure(data_dir: Path) -> dict[str, float]:
    """The calibration figures, computed from the CSVs in data_dir."""

    manifest = json.loads((data_dir / "manifest.json").read_text(encoding="utf-8"))
    parquet = manifest.get("format") == "parquet"

    def src(table: str) -> str:
        if parquet:
            path = str(data_dir / table / "*.parquet").replace("'", "''")
            return f"read_parquet('{path}')"
        path = str(data_dir / f"{table}.csv").replace("'", "''")
        return f"read_csv('{path}', header = true)"

    end = str(manifest["period_end"])
    import duckdb  # imported here: generating does not need it

    con = duckdb.connect()
    try:
        row = con.execute(
            f"""
            with
            sessions as (select * from {src("website_sessions")}),
            orders as (select * from {src("orders")}),
            s as (select count(*) as n from sessions),
            p as (select count(*) as n from {src("pageviews")}),
            o as (select count(*) as n from orders),
            i as (select count(*) as n from {src("order_items")}),
            r as (select count(*) as n from {src("refunds")}),
            per_buyer as (
                select customer_id, count(*) as n from orders group by 1
            ),
            b as (
                select count(*) as buyers, count(*) filter (where n >= 2) as repeaters
                from per_buyer
            ),
            cart as (
                select distinct session_id from {src("pageviews")}
                where page_url = '/cart'
            ),
            c as (
                select
                    count(*) as reached,
                    count(*) filter (
                        where session_id not in (select session_id from orders)
                    ) as abandoned
                from cart
            ),
            a as (
                select sum(spend) as spend, sum(clicks) as clicks
                from {src("ad_daily_stats")}
            ),
            by_device as (
                select
                    s.device_type,
                    count(*) as sessions,
                    count(o.order_id) as orders
                from sessions as s
                left join orders as o using (session_id)
                group by 1
            ),
            d as (
                select
                    sum(sessions) filter (where device_type = 'mobile')
                        / sum(sessions) as mobile_share,
                    (sum(orders) filter (where device_type = 'mobile')
                        / sum(sessions) filter (where device_type = 'mobile'))
                    / (sum(orders) filter (where device_type = 'desktop')
                        / sum(sessions) filter (where device_type = 'desktop'))
                        as mobile_vs_desktop
                from by_device
            ),
            items as (
                select
                    pr.category,
                    i.returned_at is not null as returned
                from {src("order_items")} as i
                join {src("products")} as pr using (product_id)
                where i.delivered_at <= timestamp '{end} 23:59:59'
                    - interval 31 day
            ),
            ret as (
                select
                    avg(returned::int) filter (
                        where category in ('Clothing', 'Footwear')
                    ) as apparel,
                    avg(returned::int) filter (
                        where category = 'Electronics'
                    ) as electronics
                from items
            ),
            ctr as (
                select
                    sum(st.clicks) filter (where ad.placement = 'search')
                        / sum(st.impressions) filter (where ad.placement = 'search')
                        as search,
                    sum(st.clicks) filter (where ad.platform in ('meta', 'tiktok'))
                        / sum(st.impressions) filter (
                            where ad.platform in ('meta', 'tiktok')
                        ) as social
                from {src("ad_daily_stats")} as st
                join {src("ads")} as ad using (ad_id)
            ),
            ages as (
                select median(
                    date_diff('year', birth_date, date '{end}')
                    - (strftime(birth_date, '%m-%d') > strftime(date '{end}', '%m-%d'))
                        ::int
                ) as median_age
                from {src("customers")}
            ),
            spent as (
                select ad.campaign_id, sum(st.spend) as spend
                from {src("ad_daily_stats")} as st
                join {src("ads")} as ad using (ad_id)
                group by 1
            ),
            bu as (
                select max(spent.spend / cp.budget) as max_use
                from spent
                join {src("campaigns")} as cp using (campaign_id)
            )
            select
                o.n / s.n,
                p.n / s.n,
                i.n / o.n,
                r.n / i.n,
                b.repeaters / b.buyers,
                o.n / b.buyers,
                c.abandoned / c.reached,
                a.spend / a.clicks,
                d.mobile_share,
                d.mobile_vs_desktop,
                ret.apparel,
                ret.electronics,
                ctr.search,
                ctr.social,
                ages.median_age,
                bu.max_use
            from s, p, o, i, r, b, c, a, d, ret, ctr, ages, bu
            """
        ).fetchone()
    finally:
        con.close()
    assert row is not None
    return {
        name: float("nan") if v is None else float(v)
        for name, v in zip(DEFINITIONS, row, strict=True)
    }


def bands(profile: Profile) -> list[tuple[str, float, float, str]]:
    """(metric, low, high, source) for each figure the profile is held to: its
    point targets +- its tolerance, then its bands."""
    out = [
        (name, target * (1 - profile.tolerance), target * (1 + profile.tolerance),
         "seeds")
        for name, target in profile.targets
    ]  # fmt: skip
    return out + [tuple(b) for b in profile.bands]  # type: ignore[misc]


def report(values: dict[str, float], profile: Profile) -> tuple[str, bool]:
    """A table of each figure beside its band and the band's source; ok is False if
    any figure is outside its band."""
    lines = [
        f"{'metric':<30}{'band':>21}{'generated':>11}  ok   source",
    ]
    ok = True
    used: list[str] = []
    for name, low, high, source in bands(profile):
        value = values[name]
        good = low <= value <= high
        ok &= good
        band = f"{low:.4g} - {high:.4g}"
        mark = "yes" if good else "NO"
        lines.append(f"{name:<30}{band:>21}{value:>11.4g}  {mark:<4} {source}")
        if source not in used:
            used.append(source)
    if profile.targets:
        lines.append(f"seed targets: ±{profile.tolerance:.0%} of each target")
    lines.append("sources:")
    lines += [f"  {key}: {SOURCES[key]}" for key in used]
    if any(name.startswith("return_rate") for name, *_ in bands(profile)):
        lines.append(NOTES)
    return "\n".join(lines), ok

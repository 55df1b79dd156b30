"""Measure the calibration ratios on generated CSVs and compare with the targets."""

from __future__ import annotations

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
}


def measure(data_dir: Path) -> dict[str, float]:
    """The calibration metrics, computed from the CSVs in data_dir."""

    def src(table: str) -> str:
        path = str(data_dir / f"{table}.csv").replace("'", "''")
        return f"read_csv('{path}', header = true)"

    import duckdb  # imported here: generating does not need it

    con = duckdb.connect()
    try:
        row = con.execute(
            f"""
            with
            s as (select count(*) as n from {src("website_sessions")}),
            p as (select count(*) as n from {src("pageviews")}),
            o as (select count(*) as n from {src("orders")}),
            i as (select count(*) as n from {src("order_items")}),
            r as (select count(*) as n from {src("refunds")}),
            per_buyer as (
                select customer_id, count(*) as n from {src("orders")} group by 1
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
                        where session_id not in (
                            select session_id from {src("orders")}
                        )
                    ) as abandoned
                from cart
            ),
            a as (
                select sum(spend) as spend, sum(clicks) as clicks
                from {src("ad_daily_stats")}
            )
            select
                o.n / s.n,
                p.n / s.n,
                i.n / o.n,
                r.n / i.n,
                b.repeaters / b.buyers,
                o.n / b.buyers,
                c.abandoned / c.reached,
                a.spend / a.clicks
            from s, p, o, i, r, b, c, a
            """
        ).fetchone()
    finally:
        con.close()
    assert row is not None
    return {name: float(v) for name, v in zip(DEFINITIONS, row, strict=True)}


def report(values: dict[str, float], profile: Profile) -> tuple[str, bool]:
    """A table of target vs generated; ok is False if any is outside the tolerance."""
    lines = [f"{'metric':<24}{'target':>10}{'generated':>12}{'diff':>9}  ok"]
    ok = True
    for name, target in profile.targets:
        value = values[name]
        diff = value / target - 1.0
        good = abs(diff) <= profile.tolerance
        ok &= good
        lines.append(
            f"{name:<24}{target:>10.4g}{value:>12.4g}{diff:>+9.1%}  "
            f"{'yes' if good else 'NO'}"
        )
    lines.append(f"tolerance: ±{profile.tolerance:.0%} of each target")
    return "\n".join(lines), ok

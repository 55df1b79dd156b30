"""The KPIs computed both ways, and how their figures are compared.

Each KPI has:

- `sqlite_sql`: the query the original projects would run with `pandas.read_sql` on the
  raw tables loaded into SQLite (raw CSV columns, no staging, no marts);
- `mart_sql`: the same figures read from cartify's marts in DuckDB;
- `staging_sql`: the same logic over the staging models, used when the mart cannot be
  queried (not built yet, renamed), so the benchmark still cross-checks something.

Definitions follow models/marts/_metrics__docs.md: a valid order is one whose status is
not `cancelled`; revenue is net item revenue (sum of quantity * unit_price minus the
order discount), excluding shipping and tax, before refunds; attribution is last
touch through the session's `utm_campaign`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Kpi:
    """One KPI: its key columns, its value columns and three ways to compute it."""

    name: str
    description: str
    keys: tuple[str, ...]
    values: tuple[str, ...]
    sqlite_sql: str
    mart_sql: str
    staging_sql: str
    mart: str
    # Absolute tolerance per value column (money sums in SQLite are floats).
    abs_tolerance: dict[str, float] = field(default_factory=dict)


# Net item revenue per valid order, raw tables (SQLite dialect).
_SQLITE_ORDER_REVENUE = """
    order_revenue as (
        select
            orders.order_id,
            orders.session_id,
            orders.customer_id,
            sum(order_items.quantity * order_items.unit_price)
                - orders.discount_amount as revenue
        from orders
        inner join order_items on order_items.order_id = orders.order_id
        where orders.status <> 'cancelled'
        group by orders.order_id, orders.session_id, orders.customer_id,
            orders.discount_amount
    )
"""

# The same over staging (DuckDB).
_STAGING_ORDER_REVENUE = """
    order_revenue as (
        select
            orders.order_id,
            orders.session_id,
            orders.customer_id,
            sum(order_items.quantity * order_items.unit_price)
                - orders.discount_amount as revenue
        from staging.stg_cartify__orders as orders
        inner join staging.stg_cartify__order_items as order_items
            on order_items.order_id = orders.order_id
        where orders.order_status <> 'cancelled'
        group by orders.order_id, orders.session_id, orders.customer_id,
            orders.discount_amount
    )
"""

_MONEY = 0.011  # one penny, plus float noise

KPIS: tuple[Kpi, ...] = (
    Kpi(
        name="orders_per_customer",
        description="valid orders / customers with a valid order, whole period",
        keys=(),
        values=("orders", "active_customers", "orders_per_customer"),
        sqlite_sql="""
            select
                count(*) as orders,
                count(distinct customer_id) as active_customers,
                count(*) * 1.0 / count(distinct customer_id) as orders_per_customer
            from orders
            where status <> 'cancelled'
        """,
        mart_sql="""
            select
                orders,
                active_customers,
                orders_per_customer
            from marts.kpi_summary
            where period_type = 'all_time'
        """,
        staging_sql="""
            select
                count(*) as orders,
                count(distinct customer_id) as active_customers,
                count(*) / count(distinct customer_id) as orders_per_customer
            from staging.stg_cartify__orders
            where order_status <> 'cancelled'
        """,
        mart="kpi_summary",
    ),
    Kpi(
        name="repeat_customer_rate",
        description="customers with 2+ valid orders / customers with a valid order",
        keys=(),
        values=("repeat_customer_rate",),
        sqlite_sql="""
            with per_customer as (
                select customer_id, count(*) as orders
                from orders
                where status <> 'cancelled'
                group by customer_id
            )
            select
                sum(orders >= 2) * 1.0 / count(*) as repeat_customer_rate
            from per_customer
        """,
        mart_sql="""
            select repeat_customer_rate
            from marts.kpi_summary
            where period_type = 'all_time'
        """,
        staging_sql="""
            with per_customer as (
                select customer_id, count(*) as orders
                from staging.stg_cartify__orders
                where order_status <> 'cancelled'
                group by customer_id
            )
            select
                count(*) filter (where orders >= 2) / count(*)
                    as repeat_customer_rate
            from per_customer
        """,
        mart="kpi_summary",
    ),
    Kpi(
        name="cart_abandonment",
        description="sessions that viewed /cart and placed no order / cart sessions",
        keys=(),
        values=("cart_sessions", "abandoned_cart_sessions", "cart_abandonment_rate"),
        sqlite_sql="""
            with cart_sessions as (
                select distinct session_id
                from pageviews
                where page_url = '/cart'
            )
            select
                count(*) as cart_sessions,
                sum(orders.order_id is null) as abandoned_cart_sessions,
                sum(orders.order_id is null) * 1.0 / count(*)
                    as cart_abandonment_rate
            from cart_sessions
            left join orders on orders.session_id = cart_sessions.session_id
        """,
        mart_sql="""
            select
                cart_sessions,
                abandoned_cart_sessions,
                cart_abandonment_rate
            from marts.kpi_summary
            where period_type = 'all_time'
        """,
        staging_sql="""
            with cart_sessions as (
                select distinct session_id
                from staging.stg_cartify__pageviews
                where page_url = '/cart'
            )
            select
                count(*) as cart_sessions,
                count(*) filter (where orders.order_id is null)
                    as abandoned_cart_sessions,
                count(*) filter (where orders.order_id is null) / count(*)
                    as cart_abandonment_rate
            from cart_sessions
            left join staging.stg_cartify__orders as orders
                on orders.session_id = cart_sessions.session_id
        """,
        mart="kpi_summary",
    ),
    Kpi(
        name="campaign_cpc_roas",
        description="per campaign: spend, clicks, CPC, last-touch revenue, ROAS",
        keys=("campaign_id",),
        values=("spend", "clicks", "cpc", "attributed_revenue", "roas"),
        sqlite_sql=f"""
            with stats as (
                select
                    ads.campaign_id,
                    sum(ad_daily_stats.spend) as spend,
                    sum(ad_daily_stats.clicks) as clicks
                from ad_daily_stats
                inner join ads on ads.ad_id = ad_daily_stats.ad_id
                group by ads.campaign_id
            ),
            {_SQLITE_ORDER_REVENUE},
            attributed as (
                select
                    website_sessions.utm_campaign as campaign_id,
                    sum(order_revenue.revenue) as revenue
                from order_revenue
                inner join website_sessions
                    on website_sessions.session_id = order_revenue.session_id
                where website_sessions.utm_campaign is not null
                group by website_sessions.utm_campaign
            )
            select
                campaigns.campaign_id,
                coalesce(stats.spend, 0) as spend,
                coalesce(stats.clicks, 0) as clicks,
                stats.spend / nullif(stats.clicks, 0) as cpc,
                coalesce(attributed.revenue, 0) as attributed_revenue,
                coalesce(attributed.revenue, 0) / nullif(stats.spend, 0) as roas
            from campaigns
            left join stats on stats.campaign_id = campaigns.campaign_id
            left join attributed on attributed.campaign_id = campaigns.campaign_id
        """,
        mart_sql="""
            select
                campaign_id,
                spend,
                clicks,
                cpc,
                attributed_revenue,
                roas
            from marts.campaign_performance
        """,
        staging_sql=f"""
            with stats as (
                select
                    ads.campaign_id,
                    sum(stats.spend_amount) as spend,
                    sum(stats.clicks) as clicks
                from staging.stg_cartify__ad_daily_stats as stats
                inner join staging.stg_cartify__ads as ads on ads.ad_id = stats.ad_id
                group by ads.campaign_id
            ),
            {_STAGING_ORDER_REVENUE},
            attributed as (
                select
                    sessions.campaign_id,
                    sum(order_revenue.revenue) as revenue
                from order_revenue
                inner join staging.stg_cartify__sessions as sessions
                    on sessions.session_id = order_revenue.session_id
                where sessions.campaign_id is not null
                group by sessions.campaign_id
            )
            select
                campaigns.campaign_id,
                coalesce(stats.spend, 0) as spend,
                coalesce(stats.clicks, 0) as clicks,
                stats.spend / nullif(stats.clicks, 0) as cpc,
                coalesce(attributed.revenue, 0) as attributed_revenue,
                coalesce(attributed.revenue, 0) / nullif(stats.spend, 0) as roas
            from staging.stg_cartify__campaigns as campaigns
            left join stats on stats.campaign_id = campaigns.campaign_id
            left join attributed on attributed.campaign_id = campaigns.campaign_id
        """,
        mart="campaign_performance",
        abs_tolerance={"spend": _MONEY, "attributed_revenue": _MONEY},
    ),
    Kpi(
        name="revenue_by_city",
        description="valid orders and net revenue per customer city (and state)",
        keys=("country", "state", "city"),
        values=("orders", "revenue"),
        sqlite_sql=f"""
            with {_SQLITE_ORDER_REVENUE}
            select
                customers.country,
                customers.state,
                customers.city,
                count(*) as orders,
                sum(order_revenue.revenue) as revenue
            from order_revenue
            inner join customers
                on customers.customer_id = order_revenue.customer_id
            group by customers.country, customers.state, customers.city
        """,
        mart_sql="""
            select
                country,
                state,
                city,
                sum(orders) as orders,
                sum(revenue) as revenue
            from marts.sales_by_geography
            group by country, state, city
        """,
        staging_sql=f"""
            with {_STAGING_ORDER_REVENUE}
            select
                customers.country,
                customers.state,
                customers.city,
                count(*) as orders,
                sum(order_revenue.revenue) as revenue
            from order_revenue
            inner join staging.stg_cartify__customers as customers
                on customers.customer_id = order_revenue.customer_id
            group by customers.country, customers.state, customers.city
        """,
        mart="sales_by_geography",
        abs_tolerance={"revenue": _MONEY},
    ),
)

REL_TOLERANCE = 1e-6  # ratios: a penny of rounding moves ROAS a little


def _number(value: Any) -> float | None:
    if value is None:
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return None if math.isnan(number) else number


def _key(record: dict[str, Any], keys: tuple[str, ...]) -> tuple[str, ...]:
    # Keys compare as text: SQLite may hand back 3.0 where DuckDB has 3.
    parts = []
    for column in keys:
        value = record.get(column)
        number = _number(value) if not isinstance(value, str) else None
        parts.append(
            str(int(number)) if number is not None and number.is_integer()
            else str(value)
        )
    return tuple(parts)


def compare(
    kpi: Kpi,
    baseline: list[dict[str, Any]],
    cartify: list[dict[str, Any]],
    max_examples: int = 5,
) -> list[str]:
    """Differences between the two result sets, as readable lines ([] = equal)."""
    problems: list[str] = []
    left = {_key(record, kpi.keys): record for record in baseline}
    right = {_key(record, kpi.keys): record for record in cartify}
    only_left = sorted(set(left) - set(right))
    only_right = sorted(set(right) - set(left))
    if only_left:
        problems.append(
            f"{len(only_left)} key(s) only in SQLite, e.g. {only_left[:max_examples]}"
        )
    if only_right:
        problems.append(
            f"{len(only_right)} key(s) only in cartify, "
            f"e.g. {only_right[:max_examples]}"
        )
    for column in kpi.values:
        tolerance = kpi.abs_tolerance.get(column, 1e-9)
        differing = []
        for key in sorted(set(left) & set(right)):
            a = _number(left[key].get(column))
            b = _number(right[key].get(column))
            if a is None and b is None:
                continue
            if a is None or b is None:
                differing.append((key, a, b))
                continue
            allowed = max(tolerance, REL_TOLERANCE * max(abs(a), abs(b)))
            if abs(a - b) > allowed:
                differing.append((key, a, b))
        if differing:
            examples = ", ".join(
                f"{key or '(total)'}: sqlite={a} cartify={b}"
                for key, a, b in differing[:max_examples]
            )
            problems.append(f"{column}: {len(differing)} row(s) differ ({examples})")
    return problems

# ruff: noqa: E501  (long lines are SQL, kept one clause per line)
"""The generated world honours the raw data contract: columns, formats, keys,
foreign keys and the business invariants of docs/raw_data.md."""

from __future__ import annotations

import csv
import json
import re
from pathlib import Path

import duckdb
import pytest

from generator.schema import TABLES

Con = duckdb.DuckDBPyConnection


def scalar(con: Con, sql: str) -> object:
    row = con.execute(sql).fetchone()
    assert row is not None
    return row[0]


# -- files and formats --------------------------------------------------------------


def test_every_table_has_the_contract_header(generated_world: Path) -> None:
    for table, columns in TABLES.items():
        with (generated_world / f"{table}.csv").open(newline="", encoding="utf-8") as f:
            header = next(csv.reader(f))
        assert header == [name for name, _ in columns], table


def test_manifest(generated_world: Path) -> None:
    manifest = json.loads((generated_world / "manifest.json").read_text())
    assert manifest["seed"] == 42
    assert manifest["scale"] == 0.05
    assert manifest["profile"] == "default"
    assert (manifest["period_start"], manifest["period_end"]) == (
        "2024-01-01",
        "2025-12-31",
    )
    assert manifest["generator_version"]
    for table in TABLES:
        with (generated_world / f"{table}.csv").open(encoding="utf-8") as f:
            lines = sum(1 for _ in f) - 1
        assert manifest["tables"][table] == lines, table
        assert lines > 0, table


FORMATS = {
    "timestamp": re.compile(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d"),
    "date": re.compile(r"\d{4}-\d\d-\d\d"),
    "decimal(12,2)": re.compile(r"-?\d+\.\d\d"),
    "boolean": re.compile(r"true|false"),
    "int": re.compile(r"[1-9]\d*|0"),
}


@pytest.mark.parametrize("table", ["orders", "order_items", "website_sessions",
                                   "ad_daily_stats", "customers", "discounts"])  # fmt: skip
def test_value_formats(generated_world: Path, table: str) -> None:
    kinds = dict(TABLES[table])
    with (generated_world / f"{table}.csv").open(newline="", encoding="utf-8") as f:
        reader = csv.DictReader(f)
        for i, row in enumerate(reader):
            if i >= 3000:
                break
            for name, value in row.items():
                pattern = FORMATS.get(kinds[name])
                if pattern is not None and value != "":
                    assert pattern.fullmatch(value), (table, name, value)


# -- keys ---------------------------------------------------------------------------

PRIMARY_KEYS = {
    "customers": "customer_id",
    "products": "product_id",
    "inventory": "product_id",
    "campaigns": "campaign_id",
    "ads": "ad_id",
    "ad_daily_stats": "ad_id, stat_date",
    "discounts": "discount_id",
    "website_sessions": "session_id",
    "pageviews": "pageview_id",
    "orders": "order_id",
    "order_items": "order_item_id",
    "payments": "payment_id",
    "refunds": "refund_id",
    "reviews": "review_id",
}
UNIQUE = [
    ("customers", "email"),
    ("discounts", "discount_code"),
    ("orders", "session_id"),
    ("payments", "order_id"),
    ("refunds", "order_item_id"),
    ("reviews", "order_item_id"),
]


@pytest.mark.parametrize("table", sorted(PRIMARY_KEYS))
def test_primary_keys(world_db: Con, table: str) -> None:
    key = PRIMARY_KEYS[table]
    nulls = " or ".join(f"{c.strip()} is null" for c in key.split(","))
    assert scalar(world_db, f"select count(*) from {table} where {nulls}") == 0
    dupes = f"select count(*) from (select {key} from {table} group by all having count(*) > 1)"
    assert scalar(world_db, dupes) == 0


@pytest.mark.parametrize(("table", "column"), UNIQUE)
def test_unique_columns(world_db: Con, table: str, column: str) -> None:
    sql = (
        f"select count(*) - count(distinct {column}) from {table} "
        f"where {column} is not null"
    )
    assert scalar(world_db, sql) == 0


# (child table, column, parent table, parent column)
FOREIGN_KEYS = [
    ("products", "distribution_center_id", "distribution_centers", "distribution_center_id"),
    ("inventory", "product_id", "products", "product_id"),
    ("inventory", "distribution_center_id", "distribution_centers", "distribution_center_id"),
    ("ads", "campaign_id", "campaigns", "campaign_id"),
    ("ad_daily_stats", "ad_id", "ads", "ad_id"),
    ("discounts", "campaign_id", "campaigns", "campaign_id"),
    ("website_sessions", "customer_id", "customers", "customer_id"),
    ("website_sessions", "utm_campaign", "campaigns", "campaign_id"),
    ("website_sessions", "utm_content", "ads", "ad_id"),
    ("pageviews", "session_id", "website_sessions", "session_id"),
    ("orders", "customer_id", "customers", "customer_id"),
    ("orders", "session_id", "website_sessions", "session_id"),
    ("orders", "distribution_center_id", "distribution_centers", "distribution_center_id"),
    ("orders", "discount_id", "discounts", "discount_id"),
    ("order_items", "order_id", "orders", "order_id"),
    ("order_items", "product_id", "products", "product_id"),
    ("payments", "order_id", "orders", "order_id"),
    ("refunds", "order_item_id", "order_items", "order_item_id"),
    ("refunds", "order_id", "orders", "order_id"),
    ("reviews", "order_item_id", "order_items", "order_item_id"),
    ("reviews", "product_id", "products", "product_id"),
    ("reviews", "customer_id", "customers", "customer_id"),
]  # fmt: skip


@pytest.mark.parametrize(("child", "column", "parent", "key"), FOREIGN_KEYS)
def test_foreign_keys(
    world_db: Con, child: str, column: str, parent: str, key: str
) -> None:
    sql = f"""
        select count(*) from {child}
        where {column} is not null
          and {column} not in (select {key} from {parent})
    """
    assert scalar(world_db, sql) == 0


def test_every_order_has_items_and_a_payment(world_db: Con) -> None:
    assert (
        scalar(
            world_db,
            "select count(*) from orders anti join order_items using (order_id)",
        )
        == 0
    )
    assert (
        scalar(
            world_db, "select count(*) from orders anti join payments using (order_id)"
        )
        == 0
    )


# -- invariants ------------------------------------------------------------------------

ZERO = {
    "inventory is stocked at the product's DC": """
        select count(*) from inventory i join products p using (product_id)
        where i.distribution_center_id <> p.distribution_center_id
           or stock_on_hand < 0 or reorder_point < 0""",
    "cost < retail price": "select count(*) from products where not (0 < cost and cost < retail_price)",
    "ads run on a priced placement": """
        select count(*) from ads anti join ad_placement_pricing using (platform, placement)""",
    "clicks, reach, leads bounded": """
        select count(*) from ad_daily_stats
        where clicks > impressions or reach > impressions or leads > clicks
           or least(impressions, reach, clicks, leads) < 0""",
    "spend follows the placement price": """
        select count(*) from ad_daily_stats s join ads using (ad_id)
        join ad_placement_pricing p using (platform, placement)
        where s.spend <> case p.pricing_model
            when 'cpc' then round(s.clicks * p.unit_price::decimal(12, 2), 2)
            else round(s.impressions * p.unit_price::decimal(12, 2) / 1000, 2) end""",
    "stats within the campaign": """
        select count(*) from ad_daily_stats s join ads using (ad_id)
        join campaigns c using (campaign_id)
        where s.stat_date not between c.start_date and c.end_date""",
    "campaigns start before they end": "select count(*) from campaigns where start_date > end_date",
    "paid sessions = clicks per ad per day": """
        with sessions as (
            select utm_content as ad_id, started_at::date as stat_date, count(*) as n
            from website_sessions where utm_content is not null group by all
        )
        select count(*) from ad_daily_stats s
        full join sessions using (ad_id, stat_date)
        where coalesce(s.clicks, 0) <> coalesce(sessions.n, 0)""",
    "leads = paid sessions that reached /cart": """
        with carts as (
            select utm_content as ad_id, started_at::date as stat_date, count(*) as n
            from website_sessions
            where utm_content is not null
              and session_id in (select session_id from pageviews where page_url = '/cart')
            group by all
        )
        select count(*) from ad_daily_stats s left join carts using (ad_id, stat_date)
        where s.leads <> coalesce(carts.n, 0)""",
    "utm fields all set or all null": """
        select count(*) from website_sessions
        where (utm_source is null) <> (utm_content is null)
           or (utm_medium is null) <> (utm_content is null)
           or (utm_campaign is null) <> (utm_content is null)""",
    "utm_campaign is the ad's campaign, utm_source its platform": """
        select count(*) from website_sessions s join ads a on a.ad_id = s.utm_content
        where a.campaign_id <> s.utm_campaign or a.platform <> s.utm_source""",
    "sessions of a customer start after sign-up": """
        select count(*) from website_sessions s join customers c using (customer_id)
        where s.started_at < c.signed_up_at""",
    "first pageview is the landing page at the session start": """
        select count(*) from (
            select session_id, min(viewed_at) as first_at,
                   arg_min(page_url, pageview_id) as first_url
            from pageviews group by 1
        ) join website_sessions using (session_id)
        where first_at <> started_at or first_url <> landing_page""",
    "pageviews after their session start, in id order": """
        select count(*) from (
            select viewed_at < lag(viewed_at) over (partition by session_id order by pageview_id) as back
            from pageviews
        ) where back""",
    "product pages name existing products": """
        select count(*) from pageviews
        where page_url like '/products/%'
          and try_cast(substr(page_url, 11) as bigint) not in (select product_id from products)""",
    "an order exactly for each session reaching /thank-you, at that time": """
        select count(*) from (select session_id, viewed_at from pageviews where page_url = '/thank-you') t
        full join orders o using (session_id)
        where o.order_id is null or t.session_id is null or o.ordered_at <> t.viewed_at""",
    "order's customer is the session's": """
        select count(*) from orders o join website_sessions s using (session_id)
        where s.customer_id is distinct from o.customer_id""",
    "subtotal = sum of item lines": """
        select count(*) from orders o
        join (select order_id, sum(quantity * unit_price) as lines from order_items group by 1) i
        using (order_id) where o.subtotal <> i.lines""",
    "total = subtotal - discount + shipping + tax": """
        select count(*) from orders
        where total_amount <> subtotal - discount_amount + shipping_amount + tax_amount
           or discount_amount > subtotal or discount_amount < 0""",
    "discount valid on the order date": """
        select count(*) from orders o join discounts d using (discount_id)
        where o.ordered_at::date not between d.valid_from and d.valid_to""",
    "discounts without a code have no amount": """
        select count(*) from orders where discount_id is null and discount_amount <> 0""",
    "payment = total; voided iff cancelled": """
        select count(*) from payments p join orders o using (order_id)
        where p.amount <> o.total_amount or (p.status = 'voided') <> (o.status = 'cancelled')
           or p.paid_at < o.ordered_at""",
    "refund <= what was paid, per order": """
        select count(*) from (select order_id, sum(refund_amount) as refunded from refunds group by 1)
        join payments using (order_id) where refunded > amount or refunded <= 0""",
    "refunds for returned items only, after the return": """
        select count(*) from refunds r join order_items i using (order_item_id)
        where i.status <> 'returned' or r.order_id <> i.order_id or r.refunded_at < i.returned_at""",
    "every returned item is refunded": """
        select count(*) from order_items i anti join refunds using (order_item_id)
        where i.status = 'returned'""",
    "returned_at iff returned": """
        select count(*) from order_items where (status = 'returned') <> (returned_at is not null)""",
    "item timeline ordered": """
        select count(*) from order_items i join orders o using (order_id)
        where i.shipped_at < o.ordered_at or i.delivered_at < i.shipped_at
           or i.returned_at <= i.delivered_at
           or (i.delivered_at is not null and i.shipped_at is null)
           or (i.returned_at is not null and i.delivered_at is null)""",
    "order status agrees with its items": """
        select count(*) from orders o join (
            select order_id, count(*) as n, count(*) filter (where status = 'returned') as ret,
                   count(*) filter (where status = 'cancelled') as can
            from order_items group by 1) i using (order_id)
        where (o.status = 'returned') <> (i.ret = i.n)
           or (o.status = 'cancelled') <> (i.can = i.n)
           or (o.status = 'cancelled' and o.shipped_at is not null)
           or (o.status in ('shipped', 'delivered', 'returned')) <> (o.shipped_at is not null)
           or (o.status in ('delivered', 'returned')) <> (o.delivered_at is not null)""",
    "reviews by the buyer of the product, after delivery": """
        select count(*) from reviews r join order_items i using (order_item_id)
        join orders o using (order_id)
        where r.product_id <> i.product_id or r.customer_id <> o.customer_id
           or i.delivered_at is null or r.reviewed_at <= i.delivered_at
           or r.rating not between 1 and 5""",
    "nothing happens after the period": """
        select (select count(*) from pageviews where viewed_at > '2025-12-31 23:59:59')
             + (select count(*) from orders where updated_at > '2025-12-31 23:59:59')
             + (select count(*) from order_items where updated_at > '2025-12-31 23:59:59')
             + (select count(*) from refunds where refunded_at > '2025-12-31 23:59:59')
             + (select count(*) from reviews where reviewed_at > '2025-12-31 23:59:59')""",
    # budget pacing: 2% = DEFAULT.budget_utilisation's upper end (the tolerance)
    "campaign spend within its budget (+2%)": """
        select count(*) from campaigns c
        join (select a.campaign_id, sum(s.spend) as spend
              from ad_daily_stats s join ads a using (ad_id) group by 1) t
          using (campaign_id)
        where t.spend > c.budget * 1.02""",
    "customers: ages 18-85, sign-up in the period": """
        select count(*) from customers
        where date_diff('year', birth_date, date '2025-12-31')
                - (strftime(birth_date, '%m-%d') > '12-31')::int not between 18 and 85
           or signed_up_at not between '2024-01-01' and '2025-12-31 23:59:59'""",
}


@pytest.mark.parametrize("name", sorted(ZERO))
def test_invariant(world_db: Con, name: str) -> None:
    assert scalar(world_db, ZERO[name]) == 0, name


def test_customers_live_near_their_city(world_db: Con) -> None:
    cities = Path(__file__).resolve().parents[2] / "generator" / "data" / "cities.csv"
    sql = f"""
        select count(*) from customers c
        left join read_csv('{cities}', header = true) k
          on k.city = c.city and k.country_code = c.country_code
        where k.city is null or k.state <> c.state
           or abs(c.latitude - k.latitude) >= 0.05 or abs(c.longitude - k.longitude) >= 0.05
    """
    assert scalar(world_db, sql) == 0


def test_funnel_pages_in_order(world_db: Con) -> None:
    """Each session walks landing -> /products -> product pages -> /cart -> /shipping
    -> /billing -> /thank-you without skipping or going back a step."""
    sql = """
        with steps as (
            select session_id, pageview_id,
                case
                    when page_url in ('/', '/lander-1', '/lander-2', '/sale') then 0
                    when page_url = '/products' then 1
                    when page_url like '/products/%' then 2
                    when page_url = '/cart' then 3
                    when page_url = '/shipping' then 4
                    when page_url = '/billing' then 5
                    when page_url = '/thank-you' then 6
                end as step
            from pageviews
        ),
        moves as (
            select step, lag(step) over (partition by session_id order by pageview_id) as prev
            from steps
        )
        select count(*) from moves
        where step is null
           or (prev is null and step <> 0)
           or (prev is not null and not (step = prev + 1 or (step = 2 and prev = 2)))
    """
    assert scalar(world_db, sql) == 0


def test_paid_and_unpaid_sessions_are_told_apart(world_db: Con) -> None:
    mediums = {
        r[0]
        for r in world_db.execute(
            "select distinct utm_medium from website_sessions where utm_medium is not null"
        ).fetchall()
    }
    assert mediums == {"cpc", "paid_social", "display", "email"}
    # unpaid sessions: organic (search engine), referral (other site), direct (none)
    kinds = world_db.execute("""
        select count(*) filter (where referrer is null),
               count(*) filter (where referrer in ('https://www.google.com/', 'https://www.bing.com/')),
               count(*) filter (where referrer is not null
                   and referrer not in ('https://www.google.com/', 'https://www.bing.com/'))
        from website_sessions where utm_content is null
    """).fetchone()
    assert kinds is not None and min(kinds) > 0


def test_some_stock_below_reorder_point(world_db: Con) -> None:
    share = scalar(
        world_db, "select avg((stock_on_hand < reorder_point)::int) from inventory"
    )
    assert isinstance(share, float) and 0.03 < share < 0.3


def test_every_category_and_status_occurs(world_db: Con) -> None:
    assert scalar(world_db, "select count(distinct category) from products") == 11
    statuses = {
        r[0] for r in world_db.execute("select distinct status from orders").fetchall()
    }
    assert statuses == {"processing", "shipped", "delivered", "cancelled", "returned"}

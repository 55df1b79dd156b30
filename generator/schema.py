"""The raw data contract (docs/raw_data.md) as data: tables, columns and types.

``TABLES`` maps each generated table to its columns in file order; ``SEEDS`` does
the same for the committed reference seeds. Types are the contract's words:
``int``, ``text``, ``double``, ``date``, ``timestamp``, ``decimal(12,2)``,
``boolean``. The writer builds every CSV from these, so a file can only have the
contract's columns, in this order.
"""

from __future__ import annotations

import pyarrow as pa  # type: ignore[import-untyped]

MONEY = "decimal(12,2)"

ARROW_TYPES: dict[str, pa.DataType] = {
    "int": pa.int64(),
    "text": pa.string(),
    "double": pa.float64(),
    "date": pa.date32(),
    "timestamp": pa.timestamp("s"),
    MONEY: pa.decimal128(12, 2),
    "boolean": pa.bool_(),
}

SEEDS: dict[str, tuple[tuple[str, str], ...]] = {
    "distribution_centers": (
        ("distribution_center_id", "int"),
        ("distribution_center_name", "text"),
        ("city", "text"),
        ("country", "text"),
        ("country_code", "text"),
        ("latitude", "double"),
        ("longitude", "double"),
    ),
    "ad_placement_pricing": (
        ("platform", "text"),
        ("placement", "text"),
        ("pricing_model", "text"),
        ("unit_price", MONEY),
    ),
}

TABLES: dict[str, tuple[tuple[str, str], ...]] = {
    "customers": (
        ("customer_id", "int"),
        ("first_name", "text"),
        ("last_name", "text"),
        ("email", "text"),
        ("gender", "text"),
        ("birth_date", "date"),
        ("street_address", "text"),
        ("postal_code", "text"),
        ("city", "text"),
        ("state", "text"),
        ("country", "text"),
        ("country_code", "text"),
        ("latitude", "double"),
        ("longitude", "double"),
        ("acquisition_channel", "text"),
        ("signed_up_at", "timestamp"),
        ("updated_at", "timestamp"),
    ),
    "products": (
        ("product_id", "int"),
        ("product_name", "text"),
        ("brand", "text"),
        ("category", "text"),
        ("cost", MONEY),
        ("retail_price", MONEY),
        ("distribution_center_id", "int"),
        ("created_at", "timestamp"),
        ("updated_at", "timestamp"),
    ),
    "inventory": (
        ("product_id", "int"),
        ("distribution_center_id", "int"),
        ("stock_on_hand", "int"),
        ("reorder_point", "int"),
        ("updated_at", "timestamp"),
    ),
    "campaigns": (
        ("campaign_id", "int"),
        ("campaign_name", "text"),
        ("channel", "text"),
        ("objective", "text"),
        ("start_date", "date"),
        ("end_date", "date"),
        ("budget", MONEY),
        ("created_at", "timestamp"),
        ("updated_at", "timestamp"),
    ),
    "ads": (
        ("ad_id", "int"),
        ("campaign_id", "int"),
        ("ad_name", "text"),
        ("platform", "text"),
        ("ad_format", "text"),
        ("placement", "text"),
        ("status", "text"),
        ("created_at", "timestamp"),
        ("updated_at", "timestamp"),
    ),
    "ad_daily_stats": (
        ("ad_id", "int"),
        ("stat_date", "date"),
        ("impressions", "int"),
        ("reach", "int"),
        ("clicks", "int"),
        ("leads", "int"),
        ("spend", MONEY),
    ),
    "discounts": (
        ("discount_id", "int"),
        ("discount_code", "text"),
        ("discount_type", "text"),
        ("discount_value", MONEY),
        ("campaign_id", "int"),
        ("valid_from", "date"),
        ("valid_to", "date"),
        ("created_at", "timestamp"),
    ),
    "website_sessions": (
        ("session_id", "int"),
        ("customer_id", "int"),
        ("started_at", "timestamp"),
        ("utm_source", "text"),
        ("utm_medium", "text"),
        ("utm_campaign", "int"),
        ("utm_content", "int"),
        ("device_type", "text"),
        ("referrer", "text"),
        ("landing_page", "text"),
        ("is_repeat_session", "boolean"),
    ),
    "pageviews": (
        ("pageview_id", "int"),
        ("session_id", "int"),
        ("viewed_at", "timestamp"),
        ("page_url", "text"),
    ),
    "orders": (
        ("order_id", "int"),
        ("customer_id", "int"),
        ("session_id", "int"),
        ("distribution_center_id", "int"),
        ("discount_id", "int"),
        ("status", "text"),
        ("ordered_at", "timestamp"),
        ("shipped_at", "timestamp"),
        ("delivered_at", "timestamp"),
        ("subtotal", MONEY),
        ("discount_amount", MONEY),
        ("shipping_amount", MONEY),
        ("tax_amount", MONEY),
        ("total_amount", MONEY),
        ("updated_at", "timestamp"),
    ),
    "order_items": (
        ("order_item_id", "int"),
        ("order_id", "int"),
        ("product_id", "int"),
        ("quantity", "int"),
        ("unit_price", MONEY),
        ("unit_cost", MONEY),
        ("status", "text"),
        ("shipped_at", "timestamp"),
        ("delivered_at", "timestamp"),
        ("returned_at", "timestamp"),
        ("updated_at", "timestamp"),
    ),
    "payments": (
        ("payment_id", "int"),
        ("order_id", "int"),
        ("payment_method", "text"),
        ("amount", MONEY),
        ("status", "text"),
        ("paid_at", "timestamp"),
    ),
    "refunds": (
        ("refund_id", "int"),
        ("order_item_id", "int"),
        ("order_id", "int"),
        ("refund_amount", MONEY),
        ("reason", "text"),
        ("refunded_at", "timestamp"),
    ),
    "reviews": (
        ("review_id", "int"),
        ("order_item_id", "int"),
        ("product_id", "int"),
        ("customer_id", "int"),
        ("rating", "int"),
        ("reviewed_at", "timestamp"),
    ),
}


def arrow_schema(table: str) -> pa.Schema:
    """The Arrow schema a table's CSV is written from."""
    columns = TABLES[table] if table in TABLES else SEEDS[table]
    return pa.schema([pa.field(name, ARROW_TYPES[kind]) for name, kind in columns])

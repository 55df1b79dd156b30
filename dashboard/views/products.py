"""Products: category_performance and product_performance."""

from __future__ import annotations

import altair as alt
import streamlit as st

from dashboard import ui
from dashboard.warehouse import Query

filters = ui.page(
    "Products",
    "category_performance (one row per category) and product_performance (one row "
    "per product), whole period: the period filter sets the KPI header only.",
)
category = st.sidebar.selectbox(
    "Category",
    [
        ui.ALL,
        *ui.load(
            Query.of(
                "select distinct category from {marts}.product_performance "
                "order by category"
            )
        )[0]["category"],
    ],
    key="category",
)
chosen = None if category == ui.ALL else category
product_filter = ui.where(("category = $category", chosen))
params = {"category": chosen} if chosen else {}

categories, refunds, low_stock, low_stock_count = ui.load(
    Query.of(
        """
        select category, revenue, gross_profit, gross_margin, revenue_share,
            return_rate, refund_rate
        from {marts}.category_performance
        order by revenue desc
        """
    ),
    Query.of(
        f"""
        select product_id, product_name, category, units_sold, refunds, refund_rate,
            return_rate
        from {{marts}}.product_performance
        where {product_filter} and refund_rate is not null
        order by refund_rate desc, refunds desc, product_id
        limit 15
        """,
        **params,
    ),
    Query.of(
        f"""
        select product_id, product_name, category, distribution_center_id,
            stock_on_hand, reorder_point, units_sold
        from {{marts}}.product_performance
        where {product_filter} and is_low_stock
        order by stock_on_hand, product_id
        limit 100
        """,
        **params,
    ),
    Query.of(
        f"""
        select count(*) as products
        from {{marts}}.product_performance
        where {product_filter} and is_low_stock
        """,
        **params,
    ),
)

st.subheader("Revenue and gross margin by category")
base = alt.Chart(categories).encode(x=alt.X("category:N", sort="-y", title=None))
ui.chart(
    alt.layer(
        base.mark_bar().encode(
            y=alt.Y("revenue:Q", title="Revenue (GBP)"),
            tooltip=["category", "revenue", "gross_profit", "revenue_share"],
        ),
        base.mark_line(point=True, color="#ff7f0e").encode(
            y=alt.Y("gross_margin:Q", title="Gross margin", axis=alt.Axis(format="%")),
            tooltip=["category", "gross_margin"],
        ),
    ).resolve_scale(y="independent")
)

left, right = st.columns(2)
with left:
    st.subheader("Highest refund rates")
    st.caption("refund_rate of product_performance: the 15 highest.")
    ui.chart(
        alt.Chart(refunds)
        .mark_bar()
        .encode(
            y=alt.Y("product_name:N", sort="-x", title=None),
            x=alt.X("refund_rate:Q", title="Refund rate", axis=alt.Axis(format="%")),
            color=alt.Color("category:N", title="Category"),
            tooltip=["product_id", "product_name", "refund_rate", "refunds"],
        )
    )
with right:
    count = int(low_stock_count["products"].iloc[0])
    st.subheader(f"Low stock: {count:,} products")
    st.caption(
        "is_low_stock: stock on hand at or below the product's reorder point. "
        f"The {len(low_stock)} with the least stock:"
    )
    st.dataframe(low_stock, hide_index=True, width="stretch")

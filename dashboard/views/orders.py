"""Orders and sales: kpi_summary, sales_by_geography, category_performance,
fct_orders, discount_performance."""

from __future__ import annotations

import altair as alt
import streamlit as st

from dashboard import ui
from dashboard.warehouse import Query

filters = ui.page(
    "Orders and sales",
    "The period filter applies to cities and payment methods (order month); "
    "country to cities. Categories and discounts cover the whole period.",
    countries=Query.of("select distinct country from {marts}.sales_by_geography"),
)
geo_filter = ui.where(
    ("order_month = $month", filters.month),
    ("country = $country", filters.country),
)
geo_params = {
    name: value
    for name, value in (("month", filters.month), ("country", filters.country))
    if value is not None
}
order_filter = ui.where(
    ("order_date between $start and $end", filters.month),
)
order_params = (
    {"start": filters.period_start, "end": filters.period_end} if filters.month else {}
)

monthly, cities, categories, payments, discounts = ui.load(
    Query.of(
        """
        select period_start_date as month, revenue, orders
        from {marts}.kpi_summary
        where period_type = 'month'
        order by month
        """
    ),
    Query.of(
        f"""
        select city, country, sum(revenue) as revenue, sum(orders) as orders
        from {{marts}}.sales_by_geography
        where {geo_filter}
        group by all
        order by revenue desc, city
        limit 15
        """,
        **geo_params,
    ),
    Query.of(
        """
        select category, revenue, revenue_share
        from {marts}.category_performance
        order by revenue desc
        """
    ),
    Query.of(
        f"""
        select payment_method, count(*) as orders, sum(net_revenue) as revenue
        from {{marts}}.fct_orders
        where not is_cancelled and {order_filter}
        group by all
        order by orders desc
        """,
        **order_params,
    ),
    Query.of(
        """
        select discount_code, discount_type, orders, revenue, average_order_value,
            discount_cost, repeat_purchase_rate
        from {marts}.discount_performance
        order by is_no_discount desc, revenue desc, discount_code
        limit 21
        """
    ),
)

st.subheader("Revenue and orders by month")
base = alt.Chart(monthly).encode(x=alt.X("month:T", title=None))
ui.chart(
    alt.layer(
        base.mark_area(opacity=0.4).encode(
            y=alt.Y("revenue:Q", title="Revenue (GBP)"),
            tooltip=["month", "revenue", "orders"],
        ),
        base.mark_line(color="#ff7f0e").encode(y=alt.Y("orders:Q", title="Orders")),
    ).resolve_scale(y="independent")
)

left, right = st.columns(2)
with left:
    st.subheader("Revenue by city (top 15)")
    ui.chart(
        alt.Chart(cities)
        .mark_bar()
        .encode(
            y=alt.Y("city:N", sort="-x", title=None),
            x=alt.X("revenue:Q", title="Revenue (GBP)"),
            color=alt.Color("country:N", title="Country"),
            tooltip=["city", "country", "revenue", "orders"],
        )
    )
with right:
    st.subheader("Revenue by category")
    ui.chart(
        alt.Chart(categories)
        .mark_bar()
        .encode(
            y=alt.Y("category:N", sort="-x", title=None),
            x=alt.X("revenue:Q", title="Revenue (GBP)"),
            tooltip=["category", "revenue", "revenue_share"],
        )
    )

left, right = st.columns(2)
with left:
    st.subheader("Payment methods")
    st.caption("Valid (not cancelled) orders in fct_orders.")
    ui.chart(
        alt.Chart(payments)
        .mark_arc(innerRadius=50)
        .encode(
            theta="orders:Q",
            color=alt.Color("payment_method:N", title="Payment method"),
            tooltip=["payment_method", "orders", "revenue"],
        )
    )
with right:
    st.subheader("Discount effect")
    st.caption(
        "Average order value of the 20 discount codes with the most revenue, "
        "beside orders without a code."
    )
    ui.chart(
        alt.Chart(discounts)
        .mark_bar()
        .encode(
            y=alt.Y("discount_code:N", sort="-x", title=None),
            x=alt.X("average_order_value:Q", title="Average order value (GBP)"),
            color=alt.Color("discount_type:N", title="Discount type"),
            tooltip=[
                "discount_code",
                "orders",
                "revenue",
                "average_order_value",
                "discount_cost",
                "repeat_purchase_rate",
            ],
        )
    )
st.dataframe(discounts, hide_index=True, width="stretch")

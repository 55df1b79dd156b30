"""Customers and segments: customer_segmentation and the core dimensions."""

from __future__ import annotations

import altair as alt
import streamlit as st

from dashboard import ui
from dashboard.warehouse import Query

# Display bands of return_rate_last_year (docs/decisions.md D56), in this order.
RETURN_RATE_BANDS = ["no items", "0 %", "≤ 10 %", "10-25 %", "> 25 %"]
SEGMENTS = [
    "never purchased",
    "no purchase last year",
    "level 1",
    "level 2",
    "level 3",
]

filters = ui.page(
    "Customers and segments",
    "One row per customer in customer_segmentation, as of its as_of_date: the "
    "period filter sets the KPI header only. Country and traffic source "
    "(the customer's preferred channel) filter the charts.",
    countries=Query.of("select distinct country from {marts}.customer_segmentation"),
    channels=Query.of(
        "select distinct preferred_channel from {marts}.customer_segmentation"
    ),
    channel_label="Preferred channel",
)
segment_filter = ui.where(
    ("customer_segmentation.country = $country", filters.country),
    ("customer_segmentation.preferred_channel = $channel", filters.channel),
)
params = {
    name: value
    for name, value in (("country", filters.country), ("channel", filters.channel))
    if value is not None
}

segments, ages, countries, nearest, centers = ui.load(
    Query.of(
        f"""
        select
            cast(profit_level_last_year as varchar) as profit_level,
            purchase_status_last_year as purchase_status,
            case
                when purchase_status_last_year = 'purchased_last_year'
                    then 'level ' || profit_level_last_year
                else replace(purchase_status_last_year, '_', ' ')
            end as segment,
            case
                when return_rate_last_year is null then 'no items'
                when return_rate_last_year = 0 then '0 %'
                when return_rate_last_year <= 0.1 then '≤ 10 %'
                when return_rate_last_year <= 0.25 then '10-25 %'
                else '> 25 %'
            end as return_rate_band,
            case
                when return_rate_last_year is null then 0
                when return_rate_last_year = 0 then 1
                when return_rate_last_year <= 0.1 then 2
                when return_rate_last_year <= 0.25 then 3
                else 4
            end as band_order,
            count(*) as customers
        from {{marts}}.customer_segmentation
        where {segment_filter}
        group by all
        order by all
        """,
        **params,
    ),
    Query.of(
        f"""
        select (age // 5) * 5 as age_from, count(*) as customers
        from {{marts}}.customer_segmentation
        where {segment_filter}
        group by all
        order by age_from
        """,
        **params,
    ),
    Query.of(
        f"""
        select country, count(*) as customers
        from {{marts}}.customer_segmentation
        where {segment_filter}
        group by all
        order by customers desc
        """,
        **params,
    ),
    Query.of(
        f"""
        select nearest_distribution_center_name as distribution_center,
            count(*) as customers
        from {{marts}}.customer_segmentation
        where {segment_filter}
        group by all
        order by customers desc
        """,
        **params,
    ),
    Query.of(
        f"""
        select
            dim_distribution_centers.distribution_center_name,
            dim_distribution_centers.city,
            dim_distribution_centers.country,
            dim_distribution_centers.latitude,
            dim_distribution_centers.longitude,
            count(customer_segmentation.customer_id) as customers
        from {{marts}}.dim_distribution_centers
        left join {{marts}}.customer_segmentation
            on customer_segmentation.nearest_distribution_center_id
                = dim_distribution_centers.distribution_center_id
            and {segment_filter}
        group by all
        """,
        **params,
    ),
)

left, right = st.columns(2)
with left:
    st.subheader("Segments: profit level x return-rate band")
    st.caption(
        "Customers by profit_level_last_year (1 ≤ £50, 2 ≤ £150, 3 above) for "
        "those who bought in the last year, by purchase_status_last_year for "
        "the others (all level 1), coloured by their last-year return rate."
    )
    ui.chart(
        alt.Chart(segments)
        .mark_bar()
        .encode(
            x=alt.X(
                "segment:N",
                title="Segment (last year)",
                sort=SEGMENTS,
                axis=alt.Axis(labelAngle=0),
            ),
            y=alt.Y("customers:Q", title="Customers"),
            color=alt.Color(
                "return_rate_band:N",
                title="Return rate",
                scale=alt.Scale(
                    domain=RETURN_RATE_BANDS,
                    range=["#c7c7c7", "#c6dbef", "#6baed6", "#2171b5", "#d62728"],
                ),
            ),
            order=alt.Order("band_order:Q"),
            tooltip=["segment", "profit_level", "return_rate_band", "customers"],
        )
    )
with right:
    st.subheader("Age")
    ui.chart(
        alt.Chart(ages)
        .mark_bar()
        .encode(
            x=alt.X("age_from:O", title="Age (5-year bands, from)"),
            y=alt.Y("customers:Q", title="Customers"),
            tooltip=["age_from", "customers"],
        )
    )

left, right = st.columns(2)
with left:
    st.subheader("Country")
    ui.chart(
        alt.Chart(countries)
        .mark_bar()
        .encode(
            y=alt.Y("country:N", sort="-x", title=None),
            x=alt.X("customers:Q", title="Customers"),
            tooltip=["country", "customers"],
        )
    )
with right:
    st.subheader("Nearest distribution center")
    ui.chart(
        alt.Chart(nearest)
        .mark_arc(innerRadius=50)
        .encode(
            theta=alt.Theta("customers:Q"),
            color=alt.Color("distribution_center:N", title="Distribution center"),
            tooltip=["distribution_center", "customers"],
        )
    )

st.subheader("Customers and distribution centers")
st.caption(
    "Each distribution center (square) with a circle sized by the customers it is "
    "nearest to. Customers' own coordinates are personal data and stay out of the "
    "marts."
)
base = alt.Chart(centers).encode(
    longitude="longitude:Q",
    latitude="latitude:Q",
    tooltip=["distribution_center_name", "city", "country", "customers"],
)
ui.chart(
    alt.layer(
        base.mark_circle(opacity=0.35, color="#1f77b4").encode(
            size=alt.Size(
                "customers:Q", title="Customers", scale=alt.Scale(range=[0, 4000])
            )
        ),
        base.mark_square(color="#d62728", size=60),
        base.mark_text(dy=-14, fontSize=11).encode(text="city:N"),
    )
    .project(type="equirectangular")
    .properties(height=320)
)

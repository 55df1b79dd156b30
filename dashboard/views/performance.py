"""Ad performance and funnel: funnel_steps, channel_performance, ad_performance,
customer_retention."""

from __future__ import annotations

import altair as alt
import streamlit as st

from dashboard import ui
from dashboard.warehouse import Query

filters = ui.page(
    "Ad performance and funnel",
    "funnel_steps and channel_performance are monthly and their rates cannot be "
    "added over months: they show the chosen month (the newest for All time). Ads "
    "and retention cover the whole period.",
    channels=Query.of("select distinct traffic_source from {marts}.funnel_steps"),
)
month = filters.focus_month
funnel_filter = ui.where(("traffic_source = $channel", filters.channel))
params: dict[str, object] = {"month": month}
if filters.channel:
    params["channel"] = filters.channel

funnel, channels, ads, retention = ui.load(
    Query.of(
        f"""
        select traffic_source, step_number, funnel_step, sessions,
            conversion_from_previous_step, conversion_from_first_step
        from {{marts}}.funnel_steps
        where session_month = $month and {funnel_filter}
        order by traffic_source, step_number
        """,
        **params,
    ),
    Query.of(
        f"""
        select traffic_source, device_type, sessions, orders, conversion_rate
        from {{marts}}.channel_performance
        where session_month = $month and {funnel_filter}
        order by traffic_source, device_type
        """,
        **params,
    ),
    Query.of(
        """
        select roas_rank_overall, ad_name, campaign_name, platform, ad_format,
            placement, spend, clicks, leads, click_to_lead_rate, ctr, cpc, roas
        from {marts}.ad_performance
        order by roas_rank_overall, ad_id
        limit 20
        """
    ),
    Query.of(
        """
        select cohort_month, months_since_first_order, cohort_customers,
            retained_customers, retention_rate
        from {marts}.customer_retention
        order by cohort_month, months_since_first_order
        """
    ),
)

st.subheader(f"Funnel, {ui.month_label(month)}")
left, right = st.columns(2)
with left:
    st.caption(
        "Share of landing sessions reaching each step (conversion_from_first_step)."
    )
    ui.chart(
        alt.Chart(funnel)
        .mark_line(point=True)
        .encode(
            x=alt.X("funnel_step:N", sort=alt.SortField("step_number"), title=None),
            y=alt.Y(
                "conversion_from_first_step:Q",
                title="Of landing sessions",
                axis=alt.Axis(format="%"),
            ),
            color=alt.Color("traffic_source:N", title="Traffic source"),
            tooltip=[
                "traffic_source",
                "funnel_step",
                "sessions",
                "conversion_from_previous_step",
                "conversion_from_first_step",
            ],
        )
    )
with right:
    st.caption("Session conversion rate by traffic source and device.")
    ui.chart(
        alt.Chart(channels)
        .mark_rect()
        .encode(
            x=alt.X("device_type:N", title=None),
            y=alt.Y("traffic_source:N", title=None),
            color=alt.Color(
                "conversion_rate:Q", title="Conversion", legend=alt.Legend(format="%")
            ),
            tooltip=[
                "traffic_source",
                "device_type",
                "sessions",
                "orders",
                "conversion_rate",
            ],
        )
    )

st.subheader("Ads ranked by ROAS (top 20)")
left, right = st.columns(2)
with left:
    ui.chart(
        alt.Chart(ads)
        .mark_bar()
        .encode(
            y=alt.Y("ad_name:N", sort=alt.SortField("roas_rank_overall"), title=None),
            x=alt.X("roas:Q", title="ROAS"),
            color=alt.Color("platform:N", title="Platform"),
            tooltip=["roas_rank_overall", "ad_name", "campaign_name", "roas"],
        )
    )
with right:
    ui.chart(
        alt.Chart(ads)
        .mark_bar()
        .encode(
            y=alt.Y("ad_name:N", sort=alt.SortField("roas_rank_overall"), title=None),
            x=alt.X(
                "click_to_lead_rate:Q",
                title="Click-to-lead rate",
                axis=alt.Axis(format="%"),
            ),
            color=alt.Color("platform:N", title="Platform"),
            tooltip=["ad_name", "clicks", "leads", "click_to_lead_rate"],
        )
    )
st.dataframe(ads, hide_index=True, width="stretch")

st.subheader("Retention by first-order cohort")
ui.chart(
    alt.Chart(retention)
    .mark_rect()
    .encode(
        x=alt.X("months_since_first_order:O", title="Months since first order"),
        y=alt.Y("yearmonth(cohort_month):O", title="Cohort"),
        color=alt.Color(
            "retention_rate:Q",
            title="Retention",
            scale=alt.Scale(scheme="blues"),
            legend=alt.Legend(format="%"),
        ),
        tooltip=[
            "cohort_month",
            "months_since_first_order",
            "cohort_customers",
            "retained_customers",
            "retention_rate",
        ],
    )
    .properties(height=480)
)

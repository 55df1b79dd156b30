"""Campaigns: campaign_performance, ranked."""

from __future__ import annotations

import altair as alt
import streamlit as st

from dashboard import ui
from dashboard.warehouse import Query

filters = ui.page(
    "Campaigns",
    "campaign_performance: one row per campaign over its whole life. The period "
    "filter keeps the campaigns running in that period; channel is the "
    "campaign's marketing channel.",
    channels=Query.of("select distinct channel from {marts}.campaign_performance"),
    channel_label="Campaign channel",
)
campaign_filter = ui.where(
    ("channel = $channel", filters.channel),
    ("start_date <= $end and end_date >= $start", filters.month),
)
params: dict[str, object] = {}
if filters.channel:
    params["channel"] = filters.channel
if filters.month:
    params.update(start=filters.period_start, end=filters.period_end)

(campaigns,) = ui.load(
    Query.of(
        f"""
        select
            row_number() over (order by roas desc nulls last, campaign_id)
                as roas_rank,
            campaign_name, channel, objective, start_date, end_date, budget, spend,
            attributed_revenue, roi, roas, cpc, ctr, click_to_lead_rate,
            conversion_rate, attributed_orders
        from {{marts}}.campaign_performance
        where {campaign_filter}
        order by roas_rank
        """,
        **params,
    )
)

if campaigns.empty:
    st.info("No campaign matches these filters.")
    st.stop()

# Bars stay readable at 25 campaigns; the table below has every campaign.
TOP = 25
best = campaigns.head(TOP)  # already ranked by ROAS
biggest = campaigns.nlargest(TOP, "spend")

left, right = st.columns(2)
with left:
    st.subheader(f"ROAS: the {len(best)} best campaigns")
    ui.chart(
        alt.Chart(best)
        .mark_bar()
        .encode(
            y=alt.Y("campaign_name:N", sort="-x", title=None),
            x=alt.X("roas:Q", title="ROAS (attributed revenue / spend)"),
            color=alt.Color("channel:N", title="Channel"),
            tooltip=[
                "campaign_name",
                "channel",
                "roas",
                "roi",
                "spend",
                "attributed_revenue",
            ],
        )
        .properties(height=max(200, 18 * len(best)))
    )
with right:
    st.subheader("Spend and attributed revenue")
    ui.chart(
        alt.Chart(campaigns)
        .mark_circle(size=90)
        .encode(
            x=alt.X("spend:Q", title="Spend (GBP)"),
            y=alt.Y("attributed_revenue:Q", title="Attributed revenue (GBP)"),
            color=alt.Color("channel:N", title="Channel"),
            tooltip=["campaign_name", "channel", "spend", "attributed_revenue", "roas"],
        )
        .properties(height=max(200, 18 * len(best)))
    )

left, right = st.columns(2)
with left:
    st.subheader(f"CPC of the {len(biggest)} biggest spenders")
    ui.chart(
        alt.Chart(biggest)
        .mark_bar()
        .encode(
            y=alt.Y("campaign_name:N", sort="x", title=None),
            x=alt.X("cpc:Q", title="CPC (GBP)"),
            color=alt.Color("channel:N", title="Channel"),
            tooltip=["campaign_name", "cpc", "ctr"],
        )
    )
with right:
    st.subheader(f"CTR of the {len(biggest)} biggest spenders")
    ui.chart(
        alt.Chart(biggest)
        .mark_bar()
        .encode(
            y=alt.Y("campaign_name:N", sort="-x", title=None),
            x=alt.X("ctr:Q", title="CTR", axis=alt.Axis(format="%")),
            color=alt.Color("channel:N", title="Channel"),
            tooltip=["campaign_name", "ctr", "cpc"],
        )
    )

st.subheader("Campaigns ranked by ROAS")
st.dataframe(campaigns, hide_index=True, width="stretch")

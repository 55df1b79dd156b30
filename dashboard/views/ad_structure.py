"""Ad structure: ad_placement_performance, ad_performance, campaign_performance."""

from __future__ import annotations

import altair as alt
import streamlit as st

from dashboard import ui
from dashboard.warehouse import Query

filters = ui.page(
    "Ad structure",
    "ad_placement_performance (platform x format x placement) and the campaigns' "
    "budgets, whole period: the period filter sets the KPI header only.",
)

placements, budgets, active = ui.load(
    Query.of(
        """
        select platform, ad_format, placement, ads, spend, impressions, clicks,
            ctr, cpc, roas
        from {marts}.ad_placement_performance
        order by spend desc
        """
    ),
    Query.of(
        """
        select channel, sum(budget) as budget, sum(spend) as spend
        from {marts}.campaign_performance
        group by all
        order by budget desc
        """
    ),
    Query.of(
        """
        select platform, ad_status, count(*) as ads
        from {marts}.ad_performance
        group by all
        order by platform, ad_status
        """
    ),
)

left, right = st.columns(2)
with left:
    st.subheader("Spend by platform and format")
    ui.chart(
        alt.Chart(placements)
        .mark_bar()
        .encode(
            x=alt.X("platform:N", title=None),
            y=alt.Y("sum(spend):Q", title="Spend (GBP)"),
            color=alt.Color("ad_format:N", title="Format"),
            tooltip=["platform", "ad_format", "sum(spend):Q"],
        )
    )
with right:
    st.subheader("Spend by placement")
    ui.chart(
        alt.Chart(placements)
        .mark_bar()
        .encode(
            y=alt.Y("placement:N", sort="-x", title=None),
            x=alt.X("sum(spend):Q", title="Spend (GBP)"),
            color=alt.Color("platform:N", title="Platform"),
            tooltip=["platform", "placement", "sum(spend):Q"],
        )
    )

left, right = st.columns(2)
with left:
    st.subheader("Budget and spend by campaign channel")
    ui.chart(
        alt.Chart(budgets)
        .transform_fold(["budget", "spend"], as_=["measure", "GBP"])
        .mark_bar()
        .encode(
            x=alt.X("channel:N", title=None),
            xOffset="measure:N",
            y=alt.Y("GBP:Q", title="GBP"),
            color=alt.Color("measure:N", title=None),
            tooltip=["channel", "measure:N", "GBP:Q"],
        )
    )
with right:
    st.subheader("Ads by platform and status")
    ui.chart(
        alt.Chart(active)
        .mark_bar()
        .encode(
            x=alt.X("platform:N", title=None),
            y=alt.Y("ads:Q", title="Ads"),
            color=alt.Color("ad_status:N", title="Status"),
            tooltip=["platform", "ad_status", "ads"],
        )
    )

st.subheader("Placements")
st.dataframe(placements, hide_index=True, width="stretch")

"""What every page shares: the warehouse guard, the sidebar filters and the KPI header.

Every figure on a page is a mart value. Page queries only select, filter, sort,
count rows or sum additive columns of a mart at a coarser grain; a ratio is always
read from a mart column at that mart's grain, never divided here (docs/decisions.md
D55).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

import altair as alt
import pandas as pd
import streamlit as st

from dashboard.warehouse import Query, WarehouseUnavailable, fetch

ALL = "All"
ALL_TIME = "All time"

PERIODS = Query.of(
    """
    select *
    from {marts}.kpi_summary
    order by period_type = 'all_time' desc, period_start_date desc
    """
)


@dataclass(frozen=True)
class Filters:
    """The sidebar's choices. `None` means "all"."""

    kpi: pd.Series  # the kpi_summary row of the chosen period
    month: dt.date | None  # None: all time
    latest_month: dt.date  # the newest month in kpi_summary
    country: str | None = None
    channel: str | None = None

    @property
    def focus_month(self) -> dt.date:
        """The month shown by charts of monthly marts whose ratios cannot be added
        over months: the chosen month, or the newest one for "All time"."""
        return self.month or self.latest_month

    @property
    def period_start(self) -> dt.date:
        return _date(self.kpi["period_start_date"])

    @property
    def period_end(self) -> dt.date:
        return _date(self.kpi["period_end_date"])


def _date(value: object) -> dt.date:
    return pd.Timestamp(value).date()  # type: ignore[arg-type]


def month_label(value: object) -> str:
    return pd.Timestamp(value).strftime("%b %Y")  # type: ignore[arg-type]


def load(*queries: Query) -> tuple[pd.DataFrame, ...]:
    """The queries' results, or the warehouse's one-line message and a stopped page."""
    try:
        return fetch(*queries)
    except WarehouseUnavailable as error:
        st.error(str(error), icon=":material/database_off:")
        st.stop()
        raise  # st.stop() raises; this line is for type checkers


def page(
    title: str,
    caption: str,
    *,
    countries: Query | None = None,
    channels: Query | None = None,
    channel_label: str = "Traffic source",
) -> Filters:
    """Title, sidebar filters (period always; country and channel when the page
    passes the query listing their values) and the KPI header."""
    st.title(title)
    st.caption(caption)
    option_queries = [q for q in (countries, channels) if q is not None]
    periods, *option_frames = load(PERIODS, *option_queries)
    if periods.empty:
        st.error(
            "kpi_summary is empty: the warehouse holds no data. Generate and build "
            "a world: `make build`.",
            icon=":material/database_off:",
        )
        st.stop()
    labels = [
        ALL_TIME
        if row.period_type == "all_time"
        else month_label(row.period_start_date)
        for row in periods.itertuples()
    ]
    with st.sidebar:
        st.header("Filters")
        chosen = st.selectbox("Period", labels, key="period")
        index = labels.index(chosen)
        frames = iter(option_frames)
        country = _choice("Country", next(frames), "country") if countries else None
        channel = _choice(channel_label, next(frames), "channel") if channels else None
    kpi = periods.iloc[index]
    months = periods[periods["period_type"] == "month"]
    filters = Filters(
        kpi=kpi,
        month=None
        if kpi["period_type"] == "all_time"
        else _date(kpi["period_start_date"]),
        latest_month=_date(months["period_start_date"].max()),
        country=country,
        channel=channel,
    )
    kpi_header(filters)
    return filters


def _choice(label: str, values: pd.DataFrame, key: str) -> str | None:
    options = [ALL, *sorted(str(v) for v in values.iloc[:, 0].dropna())]
    chosen = st.selectbox(label, options, key=key)
    return None if chosen == ALL else chosen


KPI_FIGURES: Sequence[tuple[str, str, str]] = (
    ("Revenue", "revenue", "money"),
    ("Orders", "orders", "count"),
    ("Avg order value", "average_order_value", "money2"),
    ("Active customers", "active_customers", "count"),
    ("Conversion", "conversion_rate", "percent"),
    ("Cart abandonment", "cart_abandonment_rate", "percent"),
    ("Gross margin", "gross_margin", "percent"),
    ("ROAS", "roas", "ratio"),
)


def fmt(value: object, kind: str) -> str:
    """A mart value as shown: money in GBP, counts with separators, rates in %."""
    if value is None or pd.isna(value):  # type: ignore[call-overload]
        return "-"
    number = float(value)  # type: ignore[arg-type]
    if kind == "money":
        return f"£{number:,.0f}"
    if kind == "money2":
        return f"£{number:,.2f}"
    if kind == "count":
        return f"{number:,.0f}"
    if kind == "percent":
        return f"{number * 100:.2f} %"
    return f"{number:.2f}"


def kpi_header(filters: Filters) -> None:
    """The kpi_summary figures of the chosen period (the whole business: kpi_summary
    has no country or channel)."""
    period = "whole period" if filters.month is None else month_label(filters.month)
    partial = (
        " Partial period: the data cover only part of it."
        if filters.kpi["is_partial_period"]
        else ""
    )
    st.caption(
        f"KPIs from kpi_summary, {period} "
        f"({filters.period_start:%d %b %Y} - {filters.period_end:%d %b %Y}), "
        f"all countries and channels.{partial}"
    )
    half = len(KPI_FIGURES) // 2
    for row in (KPI_FIGURES[:half], KPI_FIGURES[half:]):
        for column, (label, name, kind) in zip(st.columns(half), row, strict=True):
            column.metric(label, fmt(filters.kpi[name], kind), border=True)


Chart = (
    alt.Chart
    | alt.ConcatChart
    | alt.FacetChart
    | alt.HConcatChart
    | alt.LayerChart
    | alt.RepeatChart
    | alt.VConcatChart
)


def chart(spec: Chart) -> None:
    st.altair_chart(spec, width="stretch")


def where(*conditions: tuple[str, object | None]) -> str:
    """`where` text for the conditions whose value is set (`true` if none)."""
    active = [sql for sql, value in conditions if value is not None]
    return " and ".join(active) if active else "true"

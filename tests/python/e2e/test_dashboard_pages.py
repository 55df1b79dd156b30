"""Every dashboard page runs (Streamlit AppTest) on the small built warehouse with
no exception, and the figures it shows equal the marts' values.

Expected values are read here from the marts with a separate connection and
worked out with pandas, not with the dashboard's SQL: a page that summed the wrong
column, lost a filter or showed another mart would fail.
"""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pytest
from conftest import BuiltWarehouse
from streamlit.testing.v1 import AppTest

VIEWS = Path(__file__).resolve().parents[3] / "dashboard" / "views"
PAGES = ["customers", "products", "orders", "campaigns", "ad_structure", "performance"]
# The KPI header: label shown -> kpi_summary column, and the display unit.
KPIS = {
    "Revenue": ("revenue", 1.0, 0.5),
    "Orders": ("orders", 1.0, 0.5),
    "Avg order value": ("average_order_value", 1.0, 0.005),
    "Active customers": ("active_customers", 1.0, 0.5),
    "Conversion": ("conversion_rate", 100.0, 0.005),
    "Cart abandonment": ("cart_abandonment_rate", 100.0, 0.005),
    "Gross margin": ("gross_margin", 100.0, 0.005),
    "ROAS": ("roas", 1.0, 0.005),
}


@pytest.fixture(autouse=True)
def _warehouse(
    built_warehouse: BuiltWarehouse, monkeypatch: pytest.MonkeyPatch
) -> Iterator[None]:
    monkeypatch.setenv("CARTIFY_DUCKDB_PATH", str(built_warehouse.duckdb_path))
    yield


def run(page: str, **choices: str) -> AppTest:
    """The page, run once, then again with each sidebar choice (key=label) made."""
    app = AppTest.from_file(str(VIEWS / f"{page}.py"), default_timeout=120).run()
    for key, label in choices.items():
        app.sidebar.selectbox(key=key).select(label)
        app.run()
    assert not app.exception, [e.value for e in app.exception]
    assert not app.error, [e.value for e in app.error]
    return app


def charts(app: AppTest) -> list[pd.DataFrame]:
    """The data of every chart on the page, in page order (one frame per dataset)."""
    frames = []
    for chart in app.get("vega_lite_chart"):
        for dataset in chart.proto.datasets:  # type: ignore[attr-defined]
            frames.append(
                pa.ipc.open_stream(io.BytesIO(dataset.data.data)).read_pandas()
            )
        json.loads(chart.proto.spec)  # type: ignore[attr-defined]
    return frames


def chart_with(app: AppTest, *columns: str) -> pd.DataFrame:
    matches = [frame for frame in charts(app) if set(columns) <= set(frame.columns)]
    assert len(matches) >= 1, f"no chart with columns {columns}"
    return matches[0]


def same(
    shown: pd.DataFrame, expected: pd.DataFrame, keys: list[str], columns: list[str]
) -> None:
    """Equal rows, whatever their order: the key columns and the figures."""
    left = shown[keys + columns].sort_values(keys).reset_index(drop=True)
    right = expected[keys + columns].sort_values(keys).reset_index(drop=True)
    for key in keys:
        left[key] = left[key].astype(str)
        right[key] = right[key].astype(str)
    pd.testing.assert_frame_equal(left, right, check_dtype=False, atol=1e-9)


def metric_number(text: str) -> float:
    return float(text.replace("£", "").replace(",", "").replace("%", "").strip())


def kpi_row(built_warehouse: BuiltWarehouse, month: str | None) -> pd.Series:
    frame = built_warehouse.query("select * from kpi_summary")
    if month is None:
        return frame[frame["period_type"] == "all_time"].iloc[0]
    starts = pd.to_datetime(frame["period_start_date"]).dt.strftime("%b %Y")
    return frame[(frame["period_type"] == "month") & (starts == month)].iloc[0]


def latest_month_label(built_warehouse: BuiltWarehouse) -> str:
    frame = built_warehouse.query("select period_start_date from kpi_summary")
    return pd.to_datetime(frame["period_start_date"]).max().strftime("%b %Y")


@pytest.mark.parametrize("page", PAGES)
def test_every_page_runs_and_shows_the_all_time_kpis(
    built_warehouse: BuiltWarehouse, page: str
) -> None:
    app = run(page)
    assert len(app.get("vega_lite_chart")) >= 2
    expected = kpi_row(built_warehouse, None)
    shown = {metric.label: metric.value for metric in app.metric}
    assert set(shown) == set(KPIS)
    for label, (column, scale, tolerance) in KPIS.items():
        assert metric_number(shown[label]) == pytest.approx(
            float(expected[column]) * scale, abs=tolerance
        ), label


@pytest.mark.parametrize("page", ["orders", "performance"])
def test_a_month_shows_that_months_kpis(
    built_warehouse: BuiltWarehouse, page: str
) -> None:
    month = latest_month_label(built_warehouse)
    app = run(page, period=month)
    expected = kpi_row(built_warehouse, month)
    partial = any("Partial period" in caption.value for caption in app.caption)
    assert partial == bool(expected["is_partial_period"])
    shown = {metric.label: metric.value for metric in app.metric}
    for label, (column, scale, tolerance) in KPIS.items():
        assert metric_number(shown[label]) == pytest.approx(
            float(expected[column]) * scale, abs=tolerance
        ), label


def test_customers_page_counts_the_segmentation(
    built_warehouse: BuiltWarehouse,
) -> None:
    segmentation = built_warehouse.query("select * from customer_segmentation")
    country = segmentation["country"].value_counts().index[0]
    app = run("customers", country=country)
    mine = segmentation[segmentation["country"] == country]
    assert chart_with(app, "profit_level", "return_rate_band")[
        "customers"
    ].sum() == len(mine)
    levels = (
        chart_with(app, "profit_level", "return_rate_band")
        .groupby("profit_level")["customers"]
        .sum()
    )
    expected_levels = (
        mine["profit_level_last_year"]
        .map(lambda level: "none" if pd.isna(level) else str(int(level)))
        .value_counts()
    )
    assert levels.sort_index().to_dict() == expected_levels.sort_index().to_dict()
    countries = chart_with(app, "country", "customers")
    assert countries.set_index("country")["customers"].to_dict() == {country: len(mine)}
    nearest = chart_with(app, "distribution_center", "customers")
    assert (
        nearest.set_index("distribution_center")["customers"].to_dict()
        == mine["nearest_distribution_center_name"].value_counts().to_dict()
    )
    ages = chart_with(app, "age_from", "customers")
    assert ages["customers"].sum() == len(mine)
    assert ages["age_from"].min() <= mine["age"].min() < ages["age_from"].min() + 5
    centers = chart_with(app, "distribution_center_name", "latitude", "customers")
    dcs = built_warehouse.query("select * from dim_distribution_centers")
    counts = mine["nearest_distribution_center_name"].value_counts()
    dcs["customers"] = (
        dcs["distribution_center_name"].map(counts).fillna(0).astype("int64")
    )
    same(
        centers,
        dcs,
        ["distribution_center_name"],
        ["latitude", "longitude", "customers"],
    )


def test_products_page_shows_category_and_product_performance(
    built_warehouse: BuiltWarehouse,
) -> None:
    app = run("products")
    categories = built_warehouse.query("select * from category_performance")
    same(
        chart_with(app, "category", "gross_margin"),
        categories,
        ["category"],
        ["revenue", "gross_profit", "gross_margin", "refund_rate"],
    )
    products = built_warehouse.query("select * from product_performance")
    refunds = chart_with(app, "product_name", "refund_rate")
    rated = products.dropna(subset=["refund_rate"])
    assert len(refunds) == min(15, len(rated))
    threshold = rated["refund_rate"].nlargest(len(refunds)).min()
    assert (refunds["refund_rate"] >= threshold).all()
    assert refunds["refund_rate"].max() == rated["refund_rate"].max()
    (low_stock,) = [table.value for table in app.dataframe]
    flagged = products[products["is_low_stock"].fillna(False).astype(bool)]
    assert f"Low stock: {len(flagged):,} products" in [h.value for h in app.subheader]
    expected = flagged.sort_values(["stock_on_hand", "product_id"]).head(100)
    assert low_stock["product_id"].tolist() == expected["product_id"].tolist()
    same(low_stock, expected, ["product_id"], ["stock_on_hand", "reorder_point"])


def test_orders_page_shows_months_cities_payments_and_discounts(
    built_warehouse: BuiltWarehouse,
) -> None:
    kpis = built_warehouse.query(
        "select * from kpi_summary where period_type = 'month'"
    )
    month = latest_month_label(built_warehouse)
    app = run("orders")
    monthly = chart_with(app, "month", "revenue", "orders")
    assert len(monthly) == len(kpis)
    assert monthly["revenue"].sum() == pytest.approx(kpis["revenue"].sum())
    assert monthly["orders"].sum() == kpis["orders"].sum()
    discounts = built_warehouse.query("select * from discount_performance")
    top = pd.concat(
        [
            discounts[discounts["is_no_discount"]],
            discounts[~discounts["is_no_discount"]]
            .sort_values(["revenue", "discount_code"], ascending=[False, True])
            .head(20),
        ]
    )
    same(
        chart_with(app, "discount_code", "average_order_value"),
        top,
        ["discount_code"],
        ["orders", "revenue", "average_order_value", "repeat_purchase_rate"],
    )
    # A month: cities and payment methods of that month only.
    app = run("orders", period=month)
    geography = built_warehouse.query("select * from sales_by_geography")
    in_month = geography[
        pd.to_datetime(geography["order_month"]).dt.strftime("%b %Y") == month
    ]
    by_city = (
        in_month.groupby(["city", "country"], as_index=False)[["revenue", "orders"]]
        .sum()
        .sort_values(["revenue", "city"], ascending=[False, True])
        .head(15)
    )
    same(chart_with(app, "city", "revenue"), by_city, ["city", "country"],
         ["revenue", "orders"])  # fmt: skip
    orders = built_warehouse.query("select * from fct_orders")
    valid = orders[
        ~orders["is_cancelled"]
        & (pd.to_datetime(orders["order_date"]).dt.strftime("%b %Y") == month)
    ]
    payments = chart_with(app, "payment_method", "orders")
    assert (
        payments.set_index("payment_method")["orders"].to_dict()
        == valid["payment_method"].value_counts().to_dict()
    )
    assert payments["revenue"].sum() == pytest.approx(
        float(kpi_row(built_warehouse, month)["revenue"])
    )


def test_campaigns_page_ranks_campaign_performance(
    built_warehouse: BuiltWarehouse,
) -> None:
    campaigns = built_warehouse.query("select * from campaign_performance")
    channel = campaigns["channel"].value_counts().index[0]
    app = run("campaigns", channel=channel)
    (table,) = [frame.value for frame in app.dataframe]
    expected = campaigns[campaigns["channel"] == channel]
    same(
        table,
        expected,
        ["campaign_name"],
        ["spend", "attributed_revenue", "roi", "roas", "cpc", "ctr"],
    )
    ranked = table["roas"].dropna().tolist()
    assert ranked == sorted(ranked, reverse=True)
    assert table["roas_rank"].tolist() == list(range(1, len(table) + 1))
    best = charts(app)[0]  # the ROAS bars: the 25 best campaigns
    expected_best = expected.sort_values("roas", ascending=False).head(25)
    assert sorted(best["campaign_name"]) == sorted(expected_best["campaign_name"])


def test_ad_structure_page_splits_spend_and_budget(
    built_warehouse: BuiltWarehouse,
) -> None:
    app = run("ad_structure")
    placements = built_warehouse.query("select * from ad_placement_performance")
    (table,) = [frame.value for frame in app.dataframe]
    same(table, placements, ["platform", "ad_format", "placement"],
         ["ads", "spend", "ctr", "cpc", "roas"])  # fmt: skip
    campaigns = built_warehouse.query("select * from campaign_performance")
    budgets = campaigns.groupby("channel", as_index=False)[["budget", "spend"]].sum()
    same(chart_with(app, "channel", "budget", "spend"), budgets, ["channel"],
         ["budget", "spend"])  # fmt: skip
    ads = built_warehouse.query("select * from ad_performance")
    statuses = chart_with(app, "platform", "ad_status", "ads")
    expected = ads.groupby(["platform", "ad_status"], as_index=False).size()
    same(statuses.rename(columns={"ads": "size"}), expected,
         ["platform", "ad_status"], ["size"])  # fmt: skip


def test_performance_page_shows_funnel_channels_ads_and_retention(
    built_warehouse: BuiltWarehouse,
) -> None:
    month = latest_month_label(built_warehouse)
    funnel = built_warehouse.query("select * from funnel_steps")
    source = "google"
    app = run("performance", channel=source)
    expected = funnel[
        (pd.to_datetime(funnel["session_month"]).dt.strftime("%b %Y") == month)
        & (funnel["traffic_source"] == source)
    ]
    assert len(expected) == 7
    same(chart_with(app, "funnel_step", "conversion_from_first_step"), expected,
         ["step_number"], ["sessions", "conversion_from_first_step"])  # fmt: skip
    channels = built_warehouse.query("select * from channel_performance")
    expected_channels = channels[
        (pd.to_datetime(channels["session_month"]).dt.strftime("%b %Y") == month)
        & (channels["traffic_source"] == source)
    ]
    same(chart_with(app, "device_type", "conversion_rate"), expected_channels,
         ["device_type"], ["sessions", "orders", "conversion_rate"])  # fmt: skip
    ads = built_warehouse.query("select * from ad_performance")
    (table,) = [frame.value for frame in app.dataframe]
    top = ads.sort_values(["roas_rank_overall", "ad_id"]).head(20)
    same(table, top, ["ad_name"], ["roas_rank_overall", "roas", "click_to_lead_rate"])
    retention = built_warehouse.query("select * from customer_retention")
    same(chart_with(app, "cohort_month", "retention_rate"), retention,
         ["cohort_month", "months_since_first_order"],
         ["cohort_customers", "retained_customers", "retention_rate"])  # fmt: skip
